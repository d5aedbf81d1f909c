package site

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/web"
)

// commentBodyLimit is the most bytes a comment post may send: room for the
// longest comment the settings allow in the widest UTF-8 (4 bytes a
// character) once form-encoded (up to 3 bytes a byte), and the other fields.
func commentBodyLimit(in gazette.CommentIntake) int64 {
	n := int64(in.MaxCommentLength+in.MaxNameLength+in.MaxEmailLength+in.MaxURLLength) * 12
	return max(n+16<<10, 64<<10)
}

// postComment takes a comment posted to an entry's address. A preview, or a
// comment refused for a reason the reader can fix, shows the entry again
// with the form as it was sent and the reason above it; an accepted one
// redirects (post/redirect/get) to the comment on the entry's page.
func (s *Site) postComment(w http.ResponseWriter, r *http.Request) error {
	if s.pub == nil {
		return gazette.Errorf(gazette.ErrForbidden, "This blog takes no comments.")
	}
	e, err := s.store.EntryByPath(r.Context(), r.URL.Path)
	if errors.Is(err, gazette.ErrNotFound) {
		return notFound(r)
	}
	if err != nil {
		return fmt.Errorf("reading entry %s: %w", r.URL.Path, err)
	}
	q, err := s.begin(r, e.Title)
	if err != nil {
		return err
	}
	if !e.VisibleAt(q.now) {
		return notFound(r)
	}
	in := q.settings.CommentIntake
	if d := s.limits.wait(web.ClientIP(r), in.RatePerMinute, in.RateBurst, q.now); d > 0 {
		secs := int(math.Ceil(d.Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		s.errorPage(w, r, http.StatusTooManyRequests, fmt.Sprintf(
			"You are posting comments faster than this blog allows (%d a minute). Please wait %d seconds and post again.",
			in.RatePerMinute, secs))
		return nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, commentBodyLimit(in))
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.errorPage(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf(
				"Your comment is far longer than the limit of %s characters, so nothing was posted. Go back to shorten it.",
				thousands(in.MaxCommentLength)))
			return nil
		}
		return gazette.Errorf(gazette.ErrInvalid, "The comment form could not be read: %v", err)
	}
	f := &postedForm{
		CommentForm: publish.CommentForm{
			EntryID:   e.ID,
			Name:      r.PostForm.Get("name"),
			Email:     strings.TrimSpace(r.PostForm.Get("email")),
			URL:       strings.TrimSpace(r.PostForm.Get("url")),
			Body:      r.PostForm.Get("body"),
			IP:        web.ClientIP(r),
			UserAgent: r.UserAgent(),
			Token:     r.PostForm.Get("token"),
			Honeypot:  r.PostForm.Get("homepage"),
		},
		Remember: r.PostForm.Get("remember") != "",
		Preview:  r.PostForm.Get("preview") != "",
	}
	if p := r.PostForm.Get("parent"); p != "" {
		if f.ParentID, err = strconv.ParseInt(p, 10, 64); err != nil {
			f.ParentID = 0
		}
	}
	if f.Preview {
		return s.showForm(w, r, q, e, f, http.StatusOK)
	}
	c, err := s.pub.SubmitComment(q.ctx, s.store, q.settings, f.CommentForm, q.now)
	var ge *gazette.Error
	if errors.As(err, &ge) {
		f.Error = ge.Message
		return s.showForm(w, r, q, e, f, web.Status(err))
	}
	if err != nil {
		return err
	}
	remember(w, r, f)
	if c.Status != gazette.CommentApproved {
		if err := s.setPending(w, r, q, c.ID); err != nil {
			return err
		}
	}
	http.Redirect(w, r, e.Path+"#comment-"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
	return nil
}

// showForm shows the entry with the posted form filled in again.
func (s *Site) showForm(w http.ResponseWriter, r *http.Request, q *request, e *gazette.Entry, f *postedForm, status int) error {
	p, err := s.entryPage(w, r, q, e, f)
	if err != nil {
		return err
	}
	return s.serveEntry(w, r, q, p, status)
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
