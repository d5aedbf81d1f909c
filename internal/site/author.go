package site

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/theme"
)

// author serves an author's archive, /authors/SLUG/ and its older pages.
func (s *Site) author(w http.ResponseWriter, r *http.Request) error {
	raw := r.PathValue("n")
	n, ok := pageNumber(raw, raw == "")
	if !ok || raw == "1" {
		return notFound(r)
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
	entries, total, err := s.store.Entries(q.ctx, gazette.EntryFilter{
		VisibleAt: q.now, AuthorID: a.ID, Limit: archivePageSize, Offset: (n - 1) * archivePageSize,
	})
	if err != nil {
		return fmt.Errorf("reading the entries of author %q: %w", a.Slug, err)
	}
	last := pages(total, archivePageSize)
	if n > last {
		return notFound(r)
	}
	link := authorLink(a)
	return s.serve(w, r, q, &theme.AuthorPage{
		Site:    q.site,
		Author:  link,
		Entries: q.entryViews(entries, true),
		Pager:   pager(n, last, func(n int) string { return pagedURL(link.URL, n) }),
	})
}
