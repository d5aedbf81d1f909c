package site

import (
	"net/http"
	"strconv"

	"github.com/gazette-blog/gazette"
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
	raw := r.PathValue("n")
	n, ok := pageNumber(raw, raw == "")
	if !ok || raw == "1" {
		return notFound(r) // page 1 lives at / only
	}
	title := ""
	if n > 1 {
		title = "Page " + strconv.Itoa(n)
	}
	q, err := s.begin(r, title)
	if err != nil {
		return err
	}
	size := q.settings.EntriesPerPage
	if size < 1 {
		size = gazette.DefaultSettings().EntriesPerPage
	}
	entries, total, err := s.store.Entries(q.ctx, gazette.EntryFilter{VisibleAt: q.now, Limit: size, Offset: (n - 1) * size})
	if err != nil {
		return err
	}
	last := pages(total, size)
	if n > last {
		return notFound(r)
	}
	return s.serve(w, r, q, &theme.HomePage{
		Site:    q.site,
		Entries: q.entryViews(entries, false),
		Pager:   pager(n, last, homeURL),
	})
}

func homeURL(n int) string {
	if n == 1 {
		return "/"
	}
	return "/page/" + strconv.Itoa(n) + "/"
}
