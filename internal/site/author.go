package site

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/theme"
)

// author serves an author's archive, /authors/SLUG/ and its older pages.
func (s *Site) author(w http.ResponseWriter, r *http.Request) error {
	n, err := listPageNumber(r)
	if err != nil {
		return err
	}
	a, err := s.store.AuthorBySlug(r.Context(), r.PathValue("slug"))
	if errors.Is(err, gazette.ErrNotFound) {
		return notFound(r)
	}
	if err != nil {
		return fmt.Errorf("reading author %q: %w", r.PathValue("slug"), err)
	}
	q, err := s.begin(r, a.Name)
	if err != nil {
		return err
	}
	pagecache.Depend(q.ctx, pagecache.Author(a.ID), pagecache.AuthorListing(a.ID))
	link := authorLink(a)
	q.addFeeds(q.settings.Title+": entries by "+a.Name, link.URL)
	entries, pg, err := s.listPage(r, q, gazette.EntryFilter{AuthorID: a.ID}, n, archivePageSize,
		func(n int) string { return pagedURL(link.URL, n) })
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		if err := s.nothingToShow(r, q, gazette.EntryFilter{AuthorID: a.ID}); err != nil {
			return err
		}
	}
	return s.serve(w, r, q, &theme.AuthorPage{Site: q.site, Author: link, Entries: q.entryViews(entries, true), Pager: pg})
}
