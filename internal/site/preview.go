package site

import (
	"net/http"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/web"
)

// Preview writes the permalink page e will have once published, in the
// blog's theme, for the authors' area. e need not be stored; its BodyHTML
// and ExtendedHTML must be rendered. The page is never cached.
func (s *Site) Preview(w http.ResponseWriter, r *http.Request, e *gazette.Entry) error {
	q, err := s.begin(r, e.Title)
	if err != nil {
		return err
	}
	shown := *e
	if shown.ID == 0 {
		// An unsaved entry has no comments; ID 0 would select everyone's.
		shown.ID = -1
	}
	p, err := s.entryPage(w, r, q, &shown, nil)
	if err != nil {
		return err
	}
	body, err := q.theme.Render(p)
	if err != nil {
		return err
	}
	web.WriteHTML(w, http.StatusOK, body)
	return nil
}
