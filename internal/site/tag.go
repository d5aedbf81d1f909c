package site

import (
	"net/http"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/theme"
)

// tag serves a tag's archive, /tags/SLUG/ and /tags/SLUG/page/N/: the
// entries bearing it, newest first, in the topic archive's layout. A tag
// exists while a visible entry bears it.
func (s *Site) tag(w http.ResponseWriter, r *http.Request) error {
	n, err := listPageNumber(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	q, err := s.begin(r, "")
	if err != nil {
		return err
	}
	pagecache.Depend(q.ctx, pagecache.TagListing(slug))
	link := theme.Link{URL: "/tags/" + slug + "/"}
	entries, pg, err := s.listPage(r, q, gazette.EntryFilter{Tag: slug}, n, archivePageSize,
		func(n int) string { return pagedURL(link.URL, n) })
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return notFound(r)
	}
	// The tag's name is as its entries spell it.
	for _, t := range entries[0].Tags {
		if gazette.TagSlug(t) == slug {
			link.Title = t
			break
		}
	}
	q.site.PageTitle = link.Title
	return s.serve(w, r, q, &theme.TopicPage{
		Site:    q.site,
		Topic:   link,
		Entries: q.entryViews(entries, true),
		Pager:   pg,
	})
}
