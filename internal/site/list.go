package site

import (
	"fmt"
	"net/http"
	"time"

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

// nothingToShow answers for the archive of a topic or an author whose
// listing f is empty: not found, as Movable Type published no archive for
// an empty category (and an account that has published nothing stays
// private), unless a visible page (an About page) is filed under it or
// written by it and links to it. The address is the topic's or author's
// own, so no redirect of it applies. It returns nil when the archive has
// such a page and is shown, empty.
func (s *Site) nothingToShow(r *http.Request, q *request, f gazette.EntryFilter) error {
	page, err := s.archivePage(r, q.now, f)
	if err != nil {
		return err
	}
	q.seeEntry(page)
	return nil
}

// archivePage returns a page (of KindPage) visible at now that f, the
// listing of a topic or an author with no entries to show, selects, or a
// settled not-found when there is none (see nothingToShow).
func (s *Site) archivePage(r *http.Request, now time.Time, f gazette.EntryFilter) (*gazette.Entry, error) {
	f.VisibleAt, f.Kind, f.Limit, f.NoText, f.NoTotal, f.NoTerms = now, gazette.KindPage, 1, true, true, true
	pages, _, err := s.store.Entries(r.Context(), f)
	if err != nil {
		return nil, fmt.Errorf("reading the pages of %s: %w", r.URL.Path, err)
	}
	if len(pages) == 0 {
		return nil, settled{notFound(r)}
	}
	return pages[0], nil
}

// settled is a not-found that no redirect may answer: the address is a
// topic's or an author's own. A redirect left from an earlier rename would
// otherwise lead away, or round in a circle.
type settled struct{ error }

func (e settled) Unwrap() error { return e.error }
