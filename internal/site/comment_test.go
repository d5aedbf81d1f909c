package site_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette/internal/sanitize/naughtytest"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/site"
	"github.com/gazette-blog/gazette/internal/theme"
)

// clock is a test clock that tests move forward, as a reader's pause
// between opening a page and posting.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// commentBlog is the test blog served with comments taken.
type commentBlog struct {
	*blog
	srv   *httptest.Server
	clock *clock
	pub   *publish.Publisher
	entry string // the seed entry's URL
}

// newCommentBlog serves the test blog with a Publisher, in themeName, with
// the intake settings changed by mod (defaults otherwise, rate limit off).
func newCommentBlog(t *testing.T, themeName string, mod func(s *gazette.Settings)) *commentBlog {
	t.Helper()
	b := newBlog(t)
	ctx := context.Background()
	st, err := b.store.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.Theme = themeName
	st.CommentIntake = gazette.DefaultCommentIntake()
	st.RatePerMinute = 0
	if mod != nil {
		mod(&st)
	}
	if err := b.store.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	themes, err := theme.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	cb := &commentBlog{blog: b, clock: &clock{t: now}, pub: publish.New(markdown.New(), sanitize.New())}
	cb.srv = httptest.NewServer(site.New(site.Config{
		Store:     b.store,
		Themes:    themes,
		Sanitizer: sanitize.New(),
		Logger:    slog.New(slog.NewTextHandler(testWriter{t}, nil)),
		Now:       cb.clock.now,
		Publisher: cb.pub,
	}))
	t.Cleanup(cb.srv.Close)
	cb.entry = cb.srv.URL + b.paths[b.seed.title]
	return cb
}

func (cb *commentBlog) setSettings(t *testing.T, mod func(s *gazette.Settings)) {
	t.Helper()
	ctx := context.Background()
	st, err := cb.store.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mod(&st)
	if err := cb.store.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
}

// client is a browser with its own cookies that follows no redirects.
func client(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var tokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// page GETs url with c and returns status and body.
func page(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// formToken opens the entry page with c and returns its form's token.
func (cb *commentBlog) formToken(t *testing.T, c *http.Client) string {
	t.Helper()
	status, body := page(t, c, cb.entry)
	m := tokenRE.FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("GET entry: status %d, no form token on the page", status)
	}
	return html.UnescapeString(m[1])
}

// posted is the answer to a comment post.
type posted struct {
	status   int
	location string
	header   http.Header
	body     string
}

func (cb *commentBlog) post(t *testing.T, c *http.Client, form url.Values) posted {
	t.Helper()
	resp, err := c.PostForm(cb.entry, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return posted{resp.StatusCode, resp.Header.Get("Location"), resp.Header, string(body)}
}

// comment posts a comment as a reader does: open the page, wait, post.
func (cb *commentBlog) comment(t *testing.T, c *http.Client, form url.Values) posted {
	t.Helper()
	if form.Get("token") == "" {
		form.Set("token", cb.formToken(t, c))
	}
	cb.clock.advance(10 * time.Second)
	return cb.post(t, c, form)
}

func commentForm(name, email, body string) url.Values {
	return url.Values{"name": {name}, "email": {email}, "body": {body}, "post": {"1"}}
}

var commentIDRE = regexp.MustCompile(`#comment-(\d+)$`)

// accepted checks that p is a redirect to a comment and returns it.
func (cb *commentBlog) accepted(t *testing.T, p posted) *gazette.Comment {
	t.Helper()
	m := commentIDRE.FindStringSubmatch(p.location)
	if p.status != http.StatusSeeOther || m == nil {
		t.Fatalf("post: status %d, Location %q; want 303 to #comment-ID\n%s", p.status, p.location, errorText(p.body))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	c, err := cb.store.Comment(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var errorRE = regexp.MustCompile(`(?s)<p class="form-error" role="alert">(.*?)</p>|<p class="error-message">(.*?)</p>`)

func errorText(body string) string {
	if m := errorRE.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1] + m[2])
	}
	return ""
}

func (cb *commentBlog) count(t *testing.T) int {
	t.Helper()
	_, n, err := cb.store.Comments(context.Background(), gazette.CommentFilter{EntryID: cb.seedID})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCommentPostRedirectGet: a comment posts to the entry's address and
// redirects to itself on the entry's page; the next GET shows it, stored
// and shown exactly as typed.
func TestCommentPostRedirectGet(t *testing.T) {
	for _, themeName := range []string{"default", "classic"} {
		t.Run(themeName, func(t *testing.T) {
			cb := newCommentBlog(t, themeName, func(s *gazette.Settings) { s.Moderation = gazette.ModerateNone })
			c := client(t)
			body := "First line & <b>bold</b>\r\n\r\nSecond paragraph: https://example.org/x?a=1&b=2 ☃"
			got := cb.accepted(t, cb.comment(t, c, commentForm("Ann <A.>", "ann@example.com", body)))
			if got.Body != body || got.Name != "Ann <A.>" || got.Status != gazette.CommentApproved {
				t.Errorf("stored %q by %q (%s), want the body and name as typed, approved", got.Body, got.Name, got.Status)
			}
			_, pageBody := page(t, c, cb.entry)
			for _, want := range []string{`id="comment-` + strconv.FormatInt(got.ID, 10) + `"`, "Ann &lt;A.&gt;",
				"<b>bold</b>", `rel="nofollow ugc"`, "☃"} {
				if !strings.Contains(pageBody, want) {
					t.Errorf("the entry page lacks %q", want)
				}
			}
			if strings.Contains(pageBody, "ann@example.com") && !strings.Contains(pageBody, `value="ann@example.com"`) {
				t.Error("the commenter's email is shown on the page")
			}
			_, home := page(t, c, cb.srv.URL+"/")
			if !strings.Contains(home, "Comments (") {
				t.Error("the home page shows no comment counts")
			}
		})
	}
}

// TestCommentPreview shows the comment rendered, with the form refilled, and
// stores nothing.
func TestCommentPreview(t *testing.T) {
	cb := newCommentBlog(t, "default", nil)
	c := client(t)
	before := cb.count(t)
	f := commentForm("Previewer", "p@example.com", "Look *here* <em>first</em>")
	f.Del("post")
	f.Set("preview", "1")
	p := cb.comment(t, c, f)
	if p.status != 200 {
		t.Fatalf("preview: status %d", p.status)
	}
	for _, want := range []string{"Preview of your comment", "<em>first</em>", `value="Previewer"`,
		"Look *here* &lt;em&gt;first&lt;/em&gt;</textarea>"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	if cb.count(t) != before {
		t.Error("a preview stored a comment")
	}
	// Posting from the preview's form works.
	f = commentForm("Previewer", "p@example.com", "Look *here* <em>first</em>")
	f.Set("token", html.UnescapeString(tokenRE.FindStringSubmatch(p.body)[1]))
	cb.accepted(t, cb.comment(t, c, f))
}

// TestCommentReply: the reply link works without script, and a reply is
// stored under its parent and shown one level deeper.
func TestCommentReply(t *testing.T) {
	cb := newCommentBlog(t, "default", func(s *gazette.Settings) { s.Moderation = gazette.ModerateNone })
	c := client(t)
	parent := cb.accepted(t, cb.comment(t, c, commentForm("Parent", "parent@example.com", "The first word.")))
	_, body := page(t, c, cb.entry)
	replyLink := cb.paths[cb.seed.title] + "?replyto=" + strconv.FormatInt(parent.ID, 10) + "#respond"
	if !strings.Contains(body, `href="`+replyLink+`"`) {
		t.Fatalf("no reply link %s on the page", replyLink)
	}
	_, replyPage := page(t, c, cb.srv.URL+strings.TrimSuffix(replyLink, "#respond"))
	if !strings.Contains(replyPage, `name="parent" value="`+strconv.FormatInt(parent.ID, 10)+`"`) || !strings.Contains(replyPage, "Reply to Parent") {
		t.Fatal("the reply page's form does not name the parent")
	}
	f := commentForm("Child", "child@example.com", "An answer.")
	f.Set("parent", strconv.FormatInt(parent.ID, 10))
	f.Set("token", html.UnescapeString(tokenRE.FindStringSubmatch(replyPage)[1]))
	child := cb.accepted(t, cb.comment(t, c, f))
	if child.ParentID != parent.ID {
		t.Errorf("reply stored with parent %d, want %d", child.ParentID, parent.ID)
	}
	// Deeper replies line up at the deepest level shown.
	last := child
	for i := 0; i < 4; i++ {
		f := commentForm("Deep", "deep@example.com", "Deeper "+strconv.Itoa(i))
		f.Set("parent", strconv.FormatInt(last.ID, 10))
		last = cb.accepted(t, cb.comment(t, c, f))
	}
	_, body = page(t, c, cb.entry)
	if !strings.Contains(body, `class="comment comment-reply depth-1" id="comment-`+strconv.FormatInt(child.ID, 10)) {
		t.Error("the reply is not shown one level deeper")
	}
	if strings.Contains(body, "depth-4") || strings.Count(body, "depth-3") != 3 {
		t.Errorf("deep replies: %d at depth 3, want 3 (the fourth, fifth and sixth level shown at the fourth)", strings.Count(body, "depth-3"))
	}
	// A reply to a comment of another entry is refused.
	f = commentForm("Stray", "s@example.com", "Elsewhere.")
	f.Set("parent", "999999")
	if p := cb.comment(t, c, f); p.status != http.StatusBadRequest || !strings.Contains(errorText(p.body), "not on this entry") {
		t.Errorf("reply to an unknown comment: status %d, %q", p.status, errorText(p.body))
	}
}

// TestModerationPolicies posts under each policy.
func TestModerationPolicies(t *testing.T) {
	for _, tc := range []struct {
		policy gazette.ModerationPolicy
		known  bool // the email has an approved comment already
		want   gazette.CommentStatus
	}{
		{gazette.ModerateAll, true, gazette.CommentPending},
		{gazette.ModerateFirstTime, false, gazette.CommentPending},
		{gazette.ModerateFirstTime, true, gazette.CommentApproved},
		{gazette.ModerateNone, false, gazette.CommentApproved},
	} {
		t.Run(string(tc.policy)+"/known="+strconv.FormatBool(tc.known), func(t *testing.T) {
			cb := newCommentBlog(t, "default", func(s *gazette.Settings) { s.Moderation = tc.policy })
			email := "new@example.com"
			if tc.known {
				email = "regular@example.com"
				err := cb.store.CreateComment(context.Background(), &gazette.Comment{EntryID: cb.seedID, Name: "Regular",
					Email: email, Body: "Earlier.", Status: gazette.CommentApproved, CreatedAt: now.Add(-time.Hour)})
				if err != nil {
					t.Fatal(err)
				}
			}
			got := cb.accepted(t, cb.comment(t, client(t), commentForm("R", email, "Policy test.")))
			if got.Status != tc.want {
				t.Errorf("status %s, want %s", got.Status, tc.want)
			}
		})
	}
}

// TestPendingNotice: the writer of a held comment sees it marked awaiting
// moderation; another reader does not; once approved, both see it.
func TestPendingNotice(t *testing.T) {
	cb := newCommentBlog(t, "default", nil)
	writer, other := client(t), client(t)
	held := cb.accepted(t, cb.comment(t, writer, commentForm("Newcomer", "newcomer@example.com", "Held words zebra.")))
	if held.Status != gazette.CommentPending {
		t.Fatalf("status %s, want pending", held.Status)
	}
	resp, err := writer.Get(cb.entry)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "awaiting moderation") || !strings.Contains(string(body), "Held words zebra.") {
		t.Error("the writer does not see their held comment marked awaiting moderation")
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("a page with the reader's held comment is sent with Cache-Control %q, want private", cc)
	}
	_, otherBody := page(t, other, cb.entry)
	if strings.Contains(otherBody, "Held words zebra.") || strings.Contains(otherBody, "awaiting moderation") {
		t.Error("another reader sees the held comment")
	}
	// A forged cookie shows nothing.
	forged := client(t)
	u, _ := url.Parse(cb.srv.URL)
	forged.Jar.SetCookies(u, []*http.Cookie{{Name: "gazette_pending", Value: strconv.FormatInt(held.ID, 10) + ".AAAA"}})
	if _, b := page(t, forged, cb.entry); strings.Contains(b, "Held words zebra.") {
		t.Error("a forged cookie shows the held comment")
	}
	if err := cb.pub.ModerateComment(context.Background(), cb.store, held.ID, gazette.CommentApproved); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*http.Client{writer, other} {
		_, b := page(t, c, cb.entry)
		if !strings.Contains(b, "Held words zebra.") || strings.Contains(b, "awaiting moderation") {
			t.Error("after approval the comment is not shown as published to every reader")
		}
	}
}

// TestRememberMe keeps name, email and site in a cookie when asked.
func TestRememberMe(t *testing.T) {
	cb := newCommentBlog(t, "default", func(s *gazette.Settings) { s.Moderation = gazette.ModerateNone })
	c := client(t)
	f := commentForm("Remembered", "r@example.com", "Remember me.")
	f.Set("url", "https://r.example/")
	f.Set("remember", "1")
	cb.accepted(t, cb.comment(t, c, f))
	_, body := page(t, c, cb.entry)
	for _, want := range []string{`value="Remembered"`, `value="r@example.com"`, `value="https://r.example/"`, `value="1" checked`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
	f = commentForm("Remembered", "r@example.com", "Forget me now.")
	cb.accepted(t, cb.comment(t, c, f))
	if _, body := page(t, c, cb.entry); strings.Contains(body, `value="r@example.com"`) {
		t.Error("unticking remember me did not forget the details")
	}
}

// TestSpamDefences posts what each defence exists to stop.
func TestSpamDefences(t *testing.T) {
	long := strings.Repeat("é", 5312)
	for _, tc := range []struct {
		name   string
		mod    func(s *gazette.Settings)
		form   func(cb *commentBlog, t *testing.T, c *http.Client) url.Values
		wait   time.Duration
		status int // 0: accepted
		stored gazette.CommentStatus
		msg    string // in the refusal shown on the form
	}{
		{name: "honeypot", form: func(cb *commentBlog, t *testing.T, c *http.Client) url.Values {
			f := commentForm("Bot", "bot@example.com", "Nice.")
			f.Set("homepage", "http://spam.example/")
			return f
		}, wait: 10 * time.Second, status: http.StatusForbidden, msg: "meant to stay empty"},
		{name: "token too young", wait: time.Second, status: http.StatusBadRequest, msg: "people take at least 3 seconds"},
		{name: "token too old", wait: 49 * time.Hour, status: http.StatusBadRequest, msg: "more than 2 days old"},
		{name: "damaged token", form: func(cb *commentBlog, t *testing.T, c *http.Client) url.Values {
			f := commentForm("R", "r@example.com", "Forged.")
			tok := cb.formToken(t, c)
			f.Set("token", tok[:len(tok)-2]+"AA")
			return f
		}, wait: 10 * time.Second, status: http.StatusBadRequest, msg: "expired or is damaged"},
		{name: "token for another entry", form: func(cb *commentBlog, t *testing.T, c *http.Client) url.Values {
			f := commentForm("R", "r@example.com", "Moved.")
			tok, err := cb.pub.FormToken(context.Background(), cb.store, cb.seedID+1, cb.clock.now())
			if err != nil {
				t.Fatal(err)
			}
			f.Set("token", tok)
			return f
		}, wait: 10 * time.Second, status: http.StatusBadRequest, msg: "expired or is damaged"},
		{name: "too many links", form: func(cb *commentBlog, t *testing.T, c *http.Client) url.Values {
			return commentForm("Linker", "l@example.com", "See http://a.example/ and http://b.example/ and <a href=\"http://c.example/\">c</a>")
		}, mod: func(s *gazette.Settings) { s.Moderation = gazette.ModerateNone }, wait: 10 * time.Second, stored: gazette.CommentPending},
		{name: "links within the limit", form: func(cb *commentBlog, t *testing.T, c *http.Client) url.Values {
			return commentForm("Linker", "l@example.com", "See http://a.example/ and http://b.example/")
		}, mod: func(s *gazette.Settings) { s.Moderation = gazette.ModerateNone }, wait: 10 * time.Second, stored: gazette.CommentApproved},
		{name: "blocklisted word", form: func(cb *commentBlog, t *testing.T, c *http.Client) url.Values {
			return commentForm("R", "r@example.com", "Buy CHEAP Viagra here")
		}, mod: func(s *gazette.Settings) { s.Moderation = gazette.ModerateNone; s.Blocklist = []string{"viagra"} }, wait: 10 * time.Second, stored: gazette.CommentSpam},
		{name: "blocklisted domain", form: func(cb *commentBlog, t *testing.T, c *http.Client) url.Values {
			f := commentForm("R", "r@example.com", "Hello.")
			f.Set("url", "https://www.spam-farm.example/")
			return f
		}, mod: func(s *gazette.Settings) {
			s.Moderation = gazette.ModerateNone
			s.Blocklist = []string{"spam-farm.example"}
		}, wait: 10 * time.Second, stored: gazette.CommentSpam},
		{name: "blocklisted IP", form: func(cb *commentBlog, t *testing.T, c *http.Client) url.Values {
			return commentForm("R", "r@example.com", "From a bad address.")
		}, mod: func(s *gazette.Settings) { s.Moderation = gazette.ModerateNone; s.Blocklist = []string{"127.0.0.1"} }, wait: 10 * time.Second, stored: gazette.CommentSpam},
		{name: "too long", form: func(cb *commentBlog, t *testing.T, c *http.Client) url.Values {
			return commentForm("R", "r@example.com", long)
		}, wait: 10 * time.Second, status: http.StatusBadRequest, msg: "Your comment is 5,312 characters; the limit is 5,000."},
		{name: "name too long", form: func(cb *commentBlog, t *testing.T, c *http.Client) url.Values {
			return commentForm(strings.Repeat("n", 101), "r@example.com", "Hi.")
		}, wait: 10 * time.Second, status: http.StatusBadRequest, msg: "Your name is 101 characters; the limit is 100."},
		{name: "bad email", form: func(cb *commentBlog, t *testing.T, c *http.Client) url.Values {
			return commentForm("R", "not-an-address", "Hi.")
		}, wait: 10 * time.Second, status: http.StatusBadRequest, msg: "does not look like one"},
		{name: "bad site", form: func(cb *commentBlog, t *testing.T, c *http.Client) url.Values {
			f := commentForm("R", "r@example.com", "Hi.")
			f.Set("url", "javascript:alert(1)")
			return f
		}, wait: 10 * time.Second, status: http.StatusBadRequest, msg: "must start with http:// or https://"},
		{name: "empty", form: func(cb *commentBlog, t *testing.T, c *http.Client) url.Values {
			return commentForm("R", "r@example.com", " \n ")
		}, wait: 10 * time.Second, status: http.StatusBadRequest, msg: "Your comment is empty."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cb := newCommentBlog(t, "default", tc.mod)
			c := client(t)
			var f url.Values
			if tc.form != nil {
				f = tc.form(cb, t, c)
			} else {
				f = commentForm("R", "r@example.com", "A timely word.")
			}
			if f.Get("token") == "" {
				f.Set("token", cb.formToken(t, c))
			}
			before := cb.count(t)
			cb.clock.advance(tc.wait)
			p := cb.post(t, c, f)
			if tc.status == 0 {
				if got := cb.accepted(t, p); got.Status != tc.stored {
					t.Errorf("stored as %s, want %s", got.Status, tc.stored)
				}
				return
			}
			if p.status != tc.status || !strings.Contains(errorText(p.body), tc.msg) {
				t.Errorf("status %d, message %q; want %d and %q", p.status, errorText(p.body), tc.status, tc.msg)
			}
			if cb.count(t) != before {
				t.Error("a refused comment was stored")
			}
			// What the reader typed comes back in the form, never cut.
			if body := f.Get("body"); strings.TrimSpace(body) != "" && !strings.Contains(p.body, html.EscapeString(body)+"</textarea>") {
				t.Error("the refused comment is not in the form again, whole")
			}
		})
	}
}

// TestDuplicatesAndRetries: the same comment twice is refused; a retry with
// the same form token gets the first post's comment, never a second one; the
// token does not post a different comment.
func TestDuplicatesAndRetries(t *testing.T) {
	cb := newCommentBlog(t, "default", func(s *gazette.Settings) { s.Moderation = gazette.ModerateNone })
	c := client(t)
	before := cb.count(t)
	f := commentForm("Twice", "twice@example.com", "Said once.")
	first := cb.accepted(t, cb.comment(t, c, f))
	retry := cb.accepted(t, cb.post(t, c, f))
	if retry.ID != first.ID || cb.count(t) != before+1 {
		t.Errorf("a retry with the same token: comment %d (%d stored), want the first, %d, and one stored", retry.ID, cb.count(t)-before, first.ID)
	}
	other := commentForm("Twice", "twice@example.com", "Something else.")
	other.Set("token", f.Get("token"))
	if p := cb.post(t, c, other); p.status != http.StatusConflict || !strings.Contains(errorText(p.body), "already used") {
		t.Errorf("a used token with new words: status %d, %q", p.status, errorText(p.body))
	}
	again := commentForm("Twice", "twice@example.com", "Said once.")
	if p := cb.comment(t, c, again); p.status != http.StatusConflict || !strings.Contains(errorText(p.body), "already posted this comment") {
		t.Errorf("the same comment with a new token: status %d, %q", p.status, errorText(p.body))
	}
	if cb.count(t) != before+1 {
		t.Errorf("%d comments stored, want 1", cb.count(t)-before)
	}
}

// TestSpamFilterLearns: after moderators mark comments spam and approve
// others, the filter marks a new spam comment as spam by itself.
func TestSpamFilterLearns(t *testing.T) {
	cb := newCommentBlog(t, "default", func(s *gazette.Settings) { s.Moderation = gazette.ModerateNone })
	ctx := context.Background()
	for i := 0; i < 20; i++ {
		for _, c := range []struct {
			body   string
			status gazette.CommentStatus
		}{
			{"Buy cheap pills online casino bonus http://pills" + strconv.Itoa(i) + ".example/ now", gazette.CommentSpam},
			{"The defection of the general says much about the regime in Tehran " + strconv.Itoa(i), gazette.CommentApproved},
		} {
			cm := &gazette.Comment{EntryID: cb.seedID, Name: "X", Body: c.body, Status: gazette.CommentPending, CreatedAt: now}
			if err := cb.store.CreateComment(ctx, cm); err != nil {
				t.Fatal(err)
			}
			if err := cb.pub.ModerateComment(ctx, cb.store, cm.ID, c.status); err != nil {
				t.Fatal(err)
			}
		}
	}
	spam := cb.accepted(t, cb.comment(t, client(t), commentForm("Y", "y@example.com", "cheap pills and casino bonus at http://pills99.example/")))
	ham := cb.accepted(t, cb.comment(t, client(t), commentForm("Z", "z@example.com", "What the general knew about the regime matters.")))
	if spam.Status != gazette.CommentSpam || ham.Status != gazette.CommentApproved {
		t.Errorf("after training: spam stored as %s, ham as %s", spam.Status, ham.Status)
	}
}

// TestRateLimit: past the per-address limit a post gets 429 and Retry-After.
func TestRateLimit(t *testing.T) {
	cb := newCommentBlog(t, "default", func(s *gazette.Settings) { s.RatePerMinute = 2; s.RateBurst = 2 })
	c := client(t)
	tok := cb.formToken(t, c)
	cb.clock.advance(10 * time.Second)
	for i := 0; i < 2; i++ {
		f := commentForm("R", "r@example.com", "Post "+strconv.Itoa(i))
		f.Set("token", tok)
		if p := cb.post(t, c, f); p.status == http.StatusTooManyRequests {
			t.Fatalf("post %d limited", i)
		}
	}
	p := cb.post(t, c, commentForm("R", "r@example.com", "One too many"))
	if p.status != http.StatusTooManyRequests {
		t.Fatalf("third post: status %d, want 429", p.status)
	}
	if ra, err := strconv.Atoi(p.header.Get("Retry-After")); err != nil || ra < 1 || ra > 30 {
		t.Errorf("Retry-After %q, want the seconds until a post is allowed (about 30)", p.header.Get("Retry-After"))
	}
	cb.clock.advance(31 * time.Second)
	if p := cb.post(t, c, commentForm("R", "r@example.com", "After waiting")); p.status == http.StatusTooManyRequests {
		t.Error("still limited after waiting")
	}
}

// TestCommentsClosed: per entry, and blog-wide some days after publishing.
func TestCommentsClosed(t *testing.T) {
	t.Run("entry", func(t *testing.T) {
		cb := newCommentBlog(t, "default", nil)
		c := client(t)
		tok := cb.formToken(t, c)
		e, err := cb.store.Entry(context.Background(), cb.seedID)
		if err != nil {
			t.Fatal(err)
		}
		e.AllowComments = false
		if err := cb.store.UpdateEntry(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		_, body := page(t, c, cb.entry)
		if !strings.Contains(body, "Comments are closed on this entry.") || strings.Contains(body, `id="respond"`) {
			t.Error("a closed entry shows a form, or no notice")
		}
		f := commentForm("R", "r@example.com", "Too late.")
		f.Set("token", tok)
		cb.clock.advance(10 * time.Second)
		if p := cb.post(t, c, f); p.status != http.StatusForbidden {
			t.Errorf("post to a closed entry: status %d, want 403", p.status)
		}
	})
	t.Run("after days", func(t *testing.T) {
		// The seed entry was published on March 11; the clock says March 20.
		cb := newCommentBlog(t, "classic", func(s *gazette.Settings) { s.CommentsCloseAfterDays = 7 })
		_, body := page(t, client(t), cb.entry)
		if !strings.Contains(body, "Comments are closed on this entry.") {
			t.Error("comments are open 9 days after publishing with a 7-day limit")
		}
		cb.setSettings(t, func(s *gazette.Settings) { s.CommentsCloseAfterDays = 10 })
		if _, body := page(t, client(t), cb.entry); !strings.Contains(body, `id="respond"`) {
			t.Error("comments are closed 9 days after publishing with a 10-day limit")
		}
	})
}

// TestBodyTooLarge: a post far past the limit is refused with a message.
func TestBodyTooLarge(t *testing.T) {
	cb := newCommentBlog(t, "default", nil)
	c := client(t)
	p := cb.comment(t, c, commentForm("R", "r@example.com", strings.Repeat("x", 200<<10)))
	if p.status != http.StatusRequestEntityTooLarge || !strings.Contains(p.body, "limit of 5,000 characters") {
		t.Errorf("status %d, want 413 with the limit in words", p.status)
	}
}

// TestCommentFeeds: the blog-wide and per-entry Atom feeds carry approved
// comments only, and the entry page links its feed.
func TestCommentFeeds(t *testing.T) {
	cb := newCommentBlog(t, "default", nil)
	c := client(t)
	held := cb.accepted(t, cb.comment(t, c, commentForm("Held", "held@example.com", "Held back quokka.")))
	if held.Status != gazette.CommentPending {
		t.Fatal("want a held comment")
	}
	feedPath := strings.TrimSuffix(cb.paths[cb.seed.title], ".html") + ".atom"
	_, entryPage := page(t, c, cb.entry)
	if !strings.Contains(entryPage, feedPath) {
		t.Errorf("the entry page does not link %s", feedPath)
	}
	for _, path := range []string{"/comments/atom.xml", feedPath} {
		status, body := page(t, client(t), cb.srv.URL+path)
		if status != 200 {
			t.Fatalf("GET %s: status %d", path, status)
		}
		f, err := gofeed.NewParser().ParseString(body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(f.Items) == 0 || len(f.Items) > 50 || strings.Contains(body, "quokka") {
			t.Errorf("%s: %d items (held comment shown: %v)", path, len(f.Items), strings.Contains(body, "quokka"))
		}
	}
}

// TestNaughtyComments posts every string of the hostile fixtures as a
// comment: each is stored byte for byte and the page shows it with no
// element or attribute that could run script.
func TestNaughtyComments(t *testing.T) {
	cb := newCommentBlog(t, "default", func(s *gazette.Settings) {
		s.Moderation = gazette.ModerateNone
		s.MaxLinks = 1000
		s.Honeypot = false
	})
	inputs := naughtyInputs(t)
	ctx := context.Background()
	c := client(t)
	cb.clock.advance(10 * time.Second)
	stored := map[int64]string{}
	for i, in := range inputs {
		tok, err := cb.pub.FormToken(ctx, cb.store, cb.seedID, cb.clock.now().Add(-5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		f := commentForm("Naughty "+strconv.Itoa(i), "n@example.com", in)
		f.Set("token", tok)
		p := cb.post(t, c, f)
		if p.status != http.StatusSeeOther {
			t.Errorf("input %d %q: status %d: %s", i, in, p.status, errorText(p.body))
			continue
		}
		got := cb.accepted(t, p)
		if got.Body != in {
			t.Errorf("input %d stored as %q, want %q", i, got.Body, in)
		}
		stored[got.ID] = in
	}
	t.Logf("%d hostile strings posted and stored byte-exact", len(stored))
	for _, path := range []string{cb.entry, cb.srv.URL + "/comments/"} {
		_, body := page(t, c, path)
		if problem := scriptable(body); problem != "" {
			t.Errorf("%s: %s", path, problem)
		}
	}
}

// naughtyInputs returns the distinct, non-blank, valid UTF-8 strings of the
// fixtures in ../sanitize/testdata/naughty: each line, and each whole file
// that fits a comment. (A browser always sends UTF-8; invalid bytes are
// refused with a message.)
func naughtyInputs(t *testing.T) []string {
	dir := filepath.Join("..", "sanitize", "testdata", "naughty")
	out, err := naughtytest.Comments(dir, 5000)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 500 {
		t.Fatalf("only %d hostile strings found in %s", len(out), dir)
	}
	return out
}

// scriptable returns what in a page could run script, or "": a script
// element other than JSON-LD, an event handler attribute, or a link or
// source whose scheme is javascript:, vbscript: or data: (other than
// images).
func scriptable(page string) string {
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				return ""
			}
			return z.Err().Error()
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script":
				ld := false
				for _, a := range tok.Attr {
					ld = ld || a.Key == "type" && a.Val == "application/ld+json"
				}
				if !ld {
					return "a script element"
				}
			case "iframe", "object", "embed", "base", "form", "meta", "link", "style", "svg", "math":
				if tok.Data == "form" || tok.Data == "meta" || tok.Data == "link" || tok.Data == "style" {
					continue // the theme's own; readers' text cannot make these (checked below by position)
				}
				return "a " + tok.Data + " element"
			}
			for _, a := range tok.Attr {
				v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				if strings.HasPrefix(a.Key, "on") {
					return "an event handler attribute " + a.Key + "=" + a.Val
				}
				if (a.Key == "href" || a.Key == "src" || a.Key == "action" || a.Key == "formaction") &&
					(strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:text")) {
					return "a script URL " + a.Key + "=" + a.Val
				}
			}
		}
	}
}
