package site

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/theme"
)

// home serves the newest entries, / and its older pages /page/N/. A query
// on / may be an old WordPress address (/?p=123) to redirect.
func (s *Site) home(w http.ResponseWriter, r *http.Request) error {
	if r.URL.RawQuery != "" && r.URL.Path == "/" {
		if done, err := s.redirect(w, r); done || err != nil {
			return err
		}
	}
	n, err := listPageNumber(r)
	if err != nil {
		return err
	}
	title := ""
	if n > 1 {
		title = "Page " + strconv.Itoa(n)
	}
	q, err := s.begin(r, title)
	if err != nil {
		return err
	}
	pagecache.Depend(q.ctx, pagecache.Listing)
	size := q.settings.EntriesPerPage
	if size < 1 {
		size = gazette.DefaultSettings().EntriesPerPage
	}
	entries, pg, err := s.listPage(r, q, gazette.EntryFilter{}, n, size, homeURL)
	if err != nil {
		return err
	}
	if n == 1 {
		if entries, err = s.stickyFirst(q, entries); err != nil {
			return err
		}
	}
	if n == 1 {
		q.site.Meta.JSONLD = q.blogLD()
	}
	return s.serve(w, r, q, &theme.HomePage{Site: q.site, Entries: q.entryViews(entries, false), Pager: pg})
}

func homeURL(n int) string {
	if n == 1 {
		return "/"
	}
	return "/page/" + strconv.Itoa(n) + "/"
}

// stickyFirst puts the sticky entries before entries, as WordPress shows its
// sticky posts at the top of the first page; each entry shows once.
func (s *Site) stickyFirst(q *request, entries []*gazette.Entry) ([]*gazette.Entry, error) {
	sticky, _, err := s.store.Entries(q.ctx, gazette.EntryFilter{Sticky: true, VisibleAt: q.now})
	if err != nil {
		return nil, fmt.Errorf("reading the sticky entries: %w", err)
	}
	if len(sticky) == 0 {
		return entries, nil
	}
	seen := make(map[int64]bool, len(sticky))
	for _, e := range sticky {
		seen[e.ID] = true
	}
	for _, e := range entries {
		if !seen[e.ID] {
			sticky = append(sticky, e)
		}
	}
	return sticky, nil
}
