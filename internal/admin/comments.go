package admin

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gazette-blog/gazette"
)

// CommentsPage is the moderation queue.
type CommentsPage struct {
	Base
	Status   gazette.CommentStatus
	Counts   map[gazette.CommentStatus]int
	Comments []CommentView
	Total    int
}

// CommentView is a comment as the queue shows it.
type CommentView struct {
	*gazette.Comment
	HTML template.HTML // the body as readers would see it
}

var queueStatuses = []gazette.CommentStatus{gazette.CommentPending, gazette.CommentApproved, gazette.CommentSpam, gazette.CommentTrash}

func (a *Admin) commentList(w http.ResponseWriter, r *http.Request, q *request) error {
	status := gazette.CommentStatus(r.URL.Query().Get("status"))
	if status == "" {
		status = gazette.CommentPending
	}
	if !status.Valid() {
		return gazette.Errorf(gazette.ErrInvalid, "Unknown status %q.", status)
	}
	p := &CommentsPage{Base: a.base(q, "Comments", "comments"), Status: status, Counts: map[gazette.CommentStatus]int{}}
	p.Notice = notice(r)
	for _, s := range queueStatuses {
		_, n, err := a.store.Comments(q.ctx, gazette.CommentFilter{Status: s, Limit: 1})
		if err != nil {
			return err
		}
		p.Counts[s] = n
	}
	comments, n, err := a.store.Comments(q.ctx, gazette.CommentFilter{Status: status, NewestFirst: true, Limit: 100})
	if err != nil {
		return err
	}
	p.Total = n
	for _, c := range comments {
		p.Comments = append(p.Comments, CommentView{Comment: c, HTML: template.HTML(a.cfg.Sanitizer.Comment(c.Body))})
	}
	return a.show(w, "comments", p)
}

// commentBulk applies one action to the ticked comments: approve, spam,
// pending, trash (all through the publisher, which trains the spam filter)
// or delete.
func (a *Admin) commentBulk(w http.ResponseWriter, r *http.Request, q *request) error {
	action := r.PostFormValue("action")
	for _, s := range r.PostForm["id"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return gazette.Errorf(gazette.ErrInvalid, "Comment %q is not a comment ID.", s)
		}
		switch action {
		case "delete":
			err = a.cfg.Publisher.DeleteComment(q.ctx, a.store, id)
		case "approve":
			err = a.cfg.Publisher.ModerateComment(q.ctx, a.store, id, gazette.CommentApproved)
		default:
			st := gazette.CommentStatus(action)
			if !st.Valid() {
				return gazette.Errorf(gazette.ErrInvalid, "Unknown action %q.", action)
			}
			err = a.cfg.Publisher.ModerateComment(q.ctx, a.store, id, st)
		}
		if err != nil {
			return err
		}
	}
	back := r.PostFormValue("status")
	return seeOther(w, r, "/admin/comments?status="+url.QueryEscape(back)+"&notice=done")
}

// CommentPage edits one comment.
type CommentPage struct {
	Base
	Comment *gazette.Comment
}

func (a *Admin) comment(r *http.Request, q *request) (*gazette.Comment, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return a.store.Comment(q.ctx, id)
}

func (a *Admin) commentEdit(w http.ResponseWriter, r *http.Request, q *request) error {
	c, err := a.comment(r, q)
	if err != nil {
		return err
	}
	return a.show(w, "comment", &CommentPage{Base: a.base(q, "Edit comment", "comments"), Comment: c})
}

func (a *Admin) commentUpdate(w http.ResponseWriter, r *http.Request, q *request) error {
	c, err := a.comment(r, q)
	if err != nil {
		return err
	}
	c.Name = strings.TrimSpace(r.PostFormValue("name"))
	c.Email = strings.TrimSpace(r.PostFormValue("email"))
	c.URL = strings.TrimSpace(r.PostFormValue("url"))
	c.Body = normalizeNewlines(r.PostFormValue("body"))
	if c.Name == "" || strings.TrimSpace(c.Body) == "" {
		return gazette.Errorf(gazette.ErrInvalid, "A comment needs a name and a body.")
	}
	if err := a.store.UpdateCommentText(q.ctx, c); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/comments?status="+string(c.Status)+"&notice=saved")
}

// commentReply answers a comment as the signed-in author: published at
// once, threaded under it, and approving the comment answered.
func (a *Admin) commentReply(w http.ResponseWriter, r *http.Request, q *request) error {
	c, err := a.comment(r, q)
	if err != nil {
		return err
	}
	body := strings.TrimSpace(normalizeNewlines(r.PostFormValue("body")))
	if body == "" {
		return gazette.Errorf(gazette.ErrInvalid, "The reply is empty.")
	}
	if c.Status != gazette.CommentApproved {
		if err := a.cfg.Publisher.ModerateComment(q.ctx, a.store, c.ID, gazette.CommentApproved); err != nil {
			return err
		}
	}
	me := q.me()
	reply := &gazette.Comment{EntryID: c.EntryID, ParentID: c.ID, Name: me.Name, Email: me.Email,
		URL: q.settings.BaseURL + "/authors/" + me.Slug + "/", Body: body, Status: gazette.CommentApproved,
		IP: "", UserAgent: "gazette admin", CreatedAt: a.now().UTC()}
	if err := a.store.CreateComment(q.ctx, reply); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/comments?status=approved&notice=done")
}
