package site

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/theme"
)

// page serves a page, /SLUG/: an entry outside the chronology, shown with
// its comments but without neighbours or related entries. It reports
// whether there was a visible page at the address.
func (s *Site) page(w http.ResponseWriter, r *http.Request) (bool, error) {
	p := r.URL.Path
	if len(p) < 3 || !strings.HasSuffix(p, "/") || strings.Count(p, "/") != 2 {
		return false, nil
	}
	e, err := s.store.EntryByPath(r.Context(), p)
	if errors.Is(err, gazette.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading page %s: %w", p, err)
	}
	q, err := s.begin(r, e.Title)
	if err != nil {
		return false, err
	}
	if e.Kind != gazette.KindPage || !e.VisibleAt(q.now) {
		return false, nil
	}
	pg := &theme.EntryPage{Site: q.site, Entry: q.entryView(e)}
	comments, _, err := s.store.Comments(q.ctx, gazette.CommentFilter{EntryID: e.ID, Status: gazette.CommentApproved})
	if err != nil {
		return false, fmt.Errorf("reading the comments of page %d: %w", e.ID, err)
	}
	for _, c := range comments {
		pg.Comments = append(pg.Comments, s.commentView(q, c, e.Title, e.Path))
	}
	pg.Site = q.site
	return true, s.serve(w, r, q, pg)
}
