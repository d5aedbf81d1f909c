package site

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/theme"
	"github.com/gazette-blog/gazette/internal/web"
)

// Comment threads and the cookies of commenters.
const (
	// maxDepth is the deepest level of a thread shown; deeper replies line
	// up at it, so that a long exchange stays readable on a phone.
	maxDepth = 3
	// pendingCookie lists the held comments a reader wrote, signed, so
	// that the page shows them to that reader alone.
	pendingCookie = pagecache.ReaderCookiePrefix + "pending"
	maxPending    = 20
	pendingMaxAge = 30 * 24 * time.Hour
	// commenterCookie remembers a reader's name, email and site when they
	// ask for it.
	commenterCookie = pagecache.ReaderCookiePrefix + "commenter"
	commenterMaxAge = 365 * 24 * time.Hour
)

// postedForm is what a reader posted, to fill the form again, and why it
// was refused, if it was.
type postedForm struct {
	publish.CommentForm
	Remember bool
	Preview  bool
	Error    string
}

// entryComments fills the comments part of an entry's page: the approved
// comments in threads, the reader's own held ones, a preview, and the form
// or the notice that comments are closed.
func (s *Site) entryComments(r *http.Request, q *request, e *gazette.Entry, p *theme.EntryPage, form *postedForm) error {
	comments, _, err := s.store.Comments(q.ctx, gazette.CommentFilter{EntryID: e.ID, Status: gazette.CommentApproved})
	if err != nil {
		return fmt.Errorf("reading the comments of entry %d: %w", e.ID, err)
	}
	for _, c := range comments {
		q.seeTime(c.CreatedAt)
	}
	if ids := s.pendingIDs(r, q); len(ids) > 0 {
		for _, id := range ids {
			c, err := s.store.Comment(q.ctx, id)
			if errors.Is(err, gazette.ErrNotFound) {
				continue
			}
			if err != nil {
				return fmt.Errorf("reading held comment %d: %w", id, err)
			}
			if c.EntryID == e.ID && (c.Status == gazette.CommentPending || c.Status == gazette.CommentSpam) {
				comments = append(comments, c)
			}
		}
		slices.SortStableFunc(comments, func(a, b *gazette.Comment) int {
			if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
				return c
			}
			return int(a.ID - b.ID)
		})
	}
	closed := s.pub == nil || publish.CommentsClosed(e, q.settings, q.now)
	dependOnComments(q.ctx, e, !closed, q.settings, q.now)
	p.Comments = make([]theme.Comment, 0, len(comments))
	for _, t := range thread(comments) {
		v := s.commentView(q, t.c, e.Title, e.Path)
		v.Depth = t.depth
		v.Pending = t.c.Status != gazette.CommentApproved
		if !closed && !v.Pending {
			v.ReplyURL = e.Path + "?replyto=" + strconv.FormatInt(t.c.ID, 10) + "#respond"
		}
		p.Comments = append(p.Comments, v)
	}
	q.site.Feeds = append(q.site.Feeds, theme.Feed{Title: "Comments on " + e.Title + " (Atom)",
		Type: "application/atom+xml", URL: q.url(commentFeedPath(e.Path))})
	if closed {
		p.Closed = s.pub != nil || !e.AllowComments
		return nil
	}

	in := q.settings.CommentIntake
	f := &theme.CommentForm{Action: e.Path, Honeypot: in.Honeypot, Limit: in.MaxCommentLength}
	token, err := s.pub.FormToken(q.ctx, s.store, e.ID, q.now)
	if err != nil {
		return err
	}
	f.Token = token
	if form != nil {
		f.Name, f.Email, f.URL, f.Body = form.Name, form.Email, form.URL, form.Body
		f.Remember, f.Error, f.ParentID = form.Remember, form.Error, form.ParentID
		if form.Preview {
			p.Preview = s.previewView(q, e, form)
		}
	} else {
		f.Name, f.Email, f.URL, f.Remember = rememberedCommenter(r)
		if id, err := strconv.ParseInt(r.URL.Query().Get("replyto"), 10, 64); err == nil {
			f.ParentID = id
		}
	}
	if f.ParentID != 0 {
		f.ReplyTo = ""
		for _, c := range comments {
			if c.ID == f.ParentID && c.Status == gazette.CommentApproved {
				f.ReplyTo = displayName(c.Name)
			}
		}
		if f.ReplyTo == "" {
			f.ParentID = 0 // not a comment of this entry: post a new one
		}
	}
	p.Form = f
	return nil
}

// previewView shows a posted comment as it will look once published.
func (s *Site) previewView(q *request, e *gazette.Entry, form *postedForm) *theme.Comment {
	v := s.commentView(q, &gazette.Comment{Name: displayName(form.Name), URL: form.URL, Body: form.Body, CreatedAt: q.now},
		e.Title, e.Path)
	v.ID = 0
	return &v
}

func displayName(name string) string {
	if strings.TrimSpace(name) == "" {
		return "Anonymous"
	}
	return name
}

// threaded is a comment and its level in its thread.
type threaded struct {
	c     *gazette.Comment
	depth int
}

// thread orders comments (given oldest first) as threads: each comment
// followed by its replies, oldest first, each reply one level deeper, up to
// maxDepth. A reply whose parent is not shown starts a thread of its own.
func thread(comments []*gazette.Comment) []threaded {
	shown := make(map[int64]bool, len(comments))
	for _, c := range comments {
		shown[c.ID] = true
	}
	children := map[int64][]*gazette.Comment{}
	var roots []*gazette.Comment
	for _, c := range comments {
		if c.ParentID != 0 && shown[c.ParentID] && c.ParentID != c.ID {
			children[c.ParentID] = append(children[c.ParentID], c)
		} else {
			roots = append(roots, c)
		}
	}
	out := make([]threaded, 0, len(comments))
	var walk func(c *gazette.Comment, depth int)
	walk = func(c *gazette.Comment, depth int) {
		out = append(out, threaded{c, min(depth, maxDepth)})
		for _, child := range children[c.ID] {
			walk(child, depth+1)
		}
	}
	for _, c := range roots {
		walk(c, 0)
	}
	return out
}

// serveEntry writes an entry's page. A page made for one reader (their held
// comments, their remembered details, what they just typed) is private to
// them; only a plain visit may be kept by a shared cache.
func (s *Site) serveEntry(w http.ResponseWriter, r *http.Request, q *request, p *theme.EntryPage, status int) error {
	body, err := q.theme.Render(p)
	if err != nil {
		return err
	}
	if status != http.StatusOK || r.Method == http.MethodPost {
		web.WriteHTML(w, status, body)
		return nil
	}
	page := web.Page{Body: body, LastModified: q.modified}
	if personal(r) {
		page.CacheControl = "private, no-cache"
	}
	web.ServePage(w, r, page)
	return nil
}

// personal reports whether r carries a commenter's cookies.
func personal(r *http.Request) bool {
	for _, name := range []string{pendingCookie, commenterCookie} {
		if _, err := r.Cookie(name); err == nil {
			return true
		}
	}
	return false
}

// pendingIDs returns the held comments the request's signed cookie lists.
func (s *Site) pendingIDs(r *http.Request, q *request) []int64 {
	ck, err := r.Cookie(pendingCookie)
	if err != nil || s.pub == nil {
		return nil
	}
	list, sig, ok := strings.Cut(ck.Value, ".")
	if !ok {
		return nil
	}
	key, err := s.pub.Key(q.ctx, s.store, pendingCookie)
	if err != nil {
		s.logger.WarnContext(q.ctx, "pending comments cookie: no key", "error", err)
		return nil
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, signPending(key, list)) {
		return nil
	}
	var ids []int64
	for _, f := range strings.Split(list, "-") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

func signPending(key []byte, list string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(list))
	return h.Sum(nil)[:18]
}

// setPending adds comment id to the reader's signed list of held comments,
// keeping the newest maxPending.
func (s *Site) setPending(w http.ResponseWriter, r *http.Request, q *request, id int64) error {
	key, err := s.pub.Key(q.ctx, s.store, pendingCookie)
	if err != nil {
		return err
	}
	ids := append(s.pendingIDs(r, q), id)
	if len(ids) > maxPending {
		ids = ids[len(ids)-maxPending:]
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	list := strings.Join(parts, "-")
	http.SetCookie(w, &http.Cookie{
		Name: pendingCookie, Value: list + "." + base64.RawURLEncoding.EncodeToString(signPending(key, list)),
		Path: "/", MaxAge: int(pendingMaxAge / time.Second), HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil,
	})
	return nil
}

// rememberedCommenter returns the details a reader asked to be remembered.
func rememberedCommenter(r *http.Request) (name, email, site string, ok bool) {
	ck, err := r.Cookie(commenterCookie)
	if err != nil {
		return "", "", "", false
	}
	raw, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return "", "", "", false
	}
	v, err := url.ParseQuery(string(raw))
	if err != nil {
		return "", "", "", false
	}
	return v.Get("name"), v.Get("email"), v.Get("url"), true
}

// remember keeps the reader's details in a cookie when they ticked
// "remember me", and forgets them when they did not.
func remember(w http.ResponseWriter, r *http.Request, f *postedForm) {
	ck := &http.Cookie{Name: commenterCookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil}
	if !f.Remember {
		if _, err := r.Cookie(commenterCookie); err == nil {
			ck.MaxAge = -1
			http.SetCookie(w, ck)
		}
		return
	}
	v := url.Values{"name": {f.Name}, "email": {f.Email}, "url": {f.URL}}
	ck.Value = base64.RawURLEncoding.EncodeToString([]byte(v.Encode()))
	ck.MaxAge = int(commenterMaxAge / time.Second)
	http.SetCookie(w, ck)
}
