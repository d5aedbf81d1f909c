package site

import (
	"fmt"
	"net/http"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/theme"
)

// comments serves /comments/: the newest approved comments blog-wide, each
// linking to its place on its entry's page.
func (s *Site) comments(w http.ResponseWriter, r *http.Request) error {
	q, err := s.begin(r, "Latest comments")
	if err != nil {
		return err
	}
	pagecache.Depend(q.ctx, pagecache.LatestComments)
	comments, _, err := s.store.Comments(q.ctx, gazette.CommentFilter{
		Status: gazette.CommentApproved, VisibleAt: q.now, NewestFirst: true, Limit: latestComments, NoTotal: true,
	})
	if err != nil {
		return fmt.Errorf("reading the latest comments: %w", err)
	}
	p := &theme.CommentsPage{Site: q.site, Comments: make([]theme.Comment, len(comments))}
	for i, c := range comments {
		p.Comments[i] = s.commentView(q, c, c.EntryTitle, c.EntryPath)
	}
	return s.serve(w, r, q, p)
}
