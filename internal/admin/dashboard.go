package admin

import (
	"net/http"

	"github.com/gazette-blog/gazette"
)

// DashboardPage is the first page after sign-in: what waits for the author.
type DashboardPage struct {
	Base
	Drafts, Scheduled, Published int
	Pending                      int // comments awaiting moderation
	Recent                       []*gazette.Entry
	Comments                     []*gazette.Comment
}

func (a *Admin) dashboard(w http.ResponseWriter, r *http.Request, q *request) error {
	p := &DashboardPage{Base: a.base(q, "Dashboard", "dashboard")}
	var mine int64
	if !q.canAll() {
		mine = q.me().ID
	}
	for _, c := range []struct {
		status gazette.EntryStatus
		n      *int
	}{{gazette.StatusDraft, &p.Drafts}, {gazette.StatusScheduled, &p.Scheduled}, {gazette.StatusPublished, &p.Published}} {
		_, n, err := a.store.Entries(q.ctx, gazette.EntryFilter{Status: c.status, AuthorID: mine, Kind: gazette.AnyKind, Limit: 1})
		if err != nil {
			return err
		}
		*c.n = n
	}
	recent, _, err := a.store.Entries(q.ctx, gazette.EntryFilter{AuthorID: mine, Kind: gazette.AnyKind, Limit: 8})
	if err != nil {
		return err
	}
	p.Recent = recent
	if q.canAll() {
		comments, n, err := a.store.Comments(q.ctx, gazette.CommentFilter{Status: gazette.CommentPending, NewestFirst: true, Limit: 5})
		if err != nil {
			return err
		}
		p.Comments, p.Pending = comments, n
	}
	return a.show(w, "dashboard", p)
}
