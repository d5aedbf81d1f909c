package site

import (
	"fmt"
	"net/http"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/theme"
)

// listPageNumber returns the page number of a paginated list's path
// (…/page/N/), 1 where the path has none. Page 1 has no …/page/1/ address.
func listPageNumber(r *http.Request) (int, error) {
	raw := r.PathValue("n")
	n, ok := pageNumber(raw, raw == "")
	if !ok || raw == "1" {
		return 0, notFound(r)
	}
	return n, nil
}

// listPage reads page n, of size entries, of the visible entries that f
// selects, with the pager whose addresses url gives. A page past the last is
// not found; page 1 of an empty list is an empty page.
func (s *Site) listPage(r *http.Request, q *request, f gazette.EntryFilter, n, size int, url func(int) string) ([]*gazette.Entry, theme.Pager, error) {
	f.VisibleAt, f.Limit, f.Offset = q.now, size, (n-1)*size
	entries, total, err := s.store.Entries(q.ctx, f)
	if err != nil {
		return nil, theme.Pager{}, fmt.Errorf("reading page %d of entries: %w", n, err)
	}
	last := pages(total, size)
	if n > last {
		return nil, theme.Pager{}, notFound(r)
	}
	return entries, pager(n, last, url), nil
}
