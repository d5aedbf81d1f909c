package main

import (
	"bufio"
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/auth"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// startServeWithSetup is startServe that also returns the setup link serve
// prints for a blog without an admin.
func startServeWithSetup(t *testing.T, dataDir string) (base, setup string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"--data", dataDir, "serve", "--addr", "127.0.0.1:0", "--demo"}, strings.NewReader(""), pw, io.Discard)
		pw.Close()
		done <- err
	}()
	lines := bufio.NewScanner(pr)
	serving := regexp.MustCompile(`serving (http://[^/ ]+)/`)
	link := regexp.MustCompile(`(http://\S+/admin/setup/\S+)`)
	for setup == "" && lines.Scan() {
		if m := serving.FindStringSubmatch(lines.Text()); m != nil {
			base = m[1]
		}
		if m := link.FindStringSubmatch(lines.Text()); m != nil {
			setup = m[1]
		}
	}
	go io.Copy(io.Discard, pr)
	if base == "" || setup == "" {
		cancel()
		t.Fatalf("serve printed no address or setup link: %v", <-done)
	}
	return base, setup, func() error { cancel(); return <-done }
}

// tab runs browser steps, failing the test on an error.
type tab struct {
	t   *testing.T
	ctx context.Context
}

func (p tab) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatal(err)
	}
}

// submit runs steps that load a page and returns its HTTP status.
func (p tab) submit(steps ...chromedp.Action[chromedp.Void]) int64 {
	p.t.Helper()
	res, err := chromedp.RunResponse(p.ctx, steps...)
	if err != nil {
		p.t.Fatal(err)
	}
	return res.Status
}

func (p tab) eval(js string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		p.t.Fatalf("%s: %v", js, err)
	}
	return s
}

// await evaluates js, a promise of a string, and waits for it.
func (p tab) await(js string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("%s: %v", js, err)
	}
	return s
}

func (p tab) text() string { return p.eval(`document.body.innerText`) }

func (p tab) shot(name string) {
	dir := os.Getenv("GAZETTE_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p tab) signIn(base, email, password string) int64 {
	p.t.Helper()
	p.do(chromedp.Navigate(base + "/admin/login"))
	p.do(chromedp.SetValue("#email", email), chromedp.SetValue("#password", password))
	return p.submit(chromedp.Click(`button[type="submit"]`))
}

// TestAdminInBrowser drives the authors' area in Chromium: the first
// sign-in through the setup link, writing, previewing, scheduling and
// publishing, an image uploaded and shown in an entry, a comment moderated,
// an author refused another's entry and the settings, a cross-site post
// refused, and the lock-out after repeated bad passwords. With
// GAZETTE_SCREENSHOTS=DIR it saves the dashboard, the editor and the
// moderation queue there (docs/screenshots holds the README's).
func TestAdminInBrowser(t *testing.T) {
	ctx := browser(t)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	dir := t.TempDir()
	base, setup, stop := startServeWithSetup(t, dir)
	defer stop()
	p := tab{t, ctx}
	p.do(chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1)))

	// First sign-in through the setup link.
	p.do(chromedp.Navigate(setup))
	p.do(chromedp.SetValue("#name", "Rachel"), chromedp.SetValue("#email", "rachel@example.org"),
		chromedp.SetValue("#password", "a long enough password"))
	if st := p.submit(chromedp.Click(`button[type="submit"]`)); st != 200 || !strings.Contains(p.text(), "Dashboard") {
		t.Fatalf("after setup: status %d, page %q", st, p.text())
	}
	if st := p.submit(chromedp.Navigate(setup)); st != 404 {
		t.Errorf("the setup link answers %d after use, want 404", st)
	}

	// Upload an image.
	img := filepath.Join(t.TempDir(), "sunset.png")
	writePNG(t, img, 1200, 800)
	p.do(chromedp.Navigate(base + "/admin/media"))
	p.do(chromedp.SetUploadFiles("#file", []string{img}), chromedp.SetValue("#alt", "A red sunset"))
	if st := p.submit(chromedp.Click(`form[enctype] button[type="submit"]`)); st != 200 || !strings.Contains(p.text(), "Uploaded.") {
		t.Fatalf("upload: status %d, page %q", st, p.text())
	}

	// Write with the live preview, insert the image, preview in the theme.
	p.do(chromedp.Navigate(base + "/admin/entries/new"))
	p.do(chromedp.SendKeys("#title", "Hello from the editor"))
	if got := p.eval(`document.querySelector('#basename').value`); got != "hello_from_the_editor" {
		t.Errorf("basename from the title = %q", got)
	}
	p.do(chromedp.SendKeys("#body", "Some *emphasis* here.\n\n"))
	p.do(chromedp.Click(`.thumbs button`))
	p.await(`new Promise(r => { const f = () => document.querySelector('#live-preview em') && document.querySelector('#live-preview img') ? r('') : setTimeout(f, 50); f(); })`)
	p.eval(`document.activeElement.blur(); window.scrollTo(0, 0); ''`)
	p.shot("admin-editor")
	// The preview opens in a new tab; here it opens in this one.
	p.eval(`document.querySelector('button[formaction="/admin/preview"]').removeAttribute('formtarget'); ''`)
	if st := p.submit(chromedp.Click(`button[formaction="/admin/preview"]`)); st != 200 ||
		!strings.Contains(p.eval(`document.documentElement.outerHTML`), "<em>emphasis</em>") {
		t.Fatalf("preview: status %d", st)
	}
	p.do(chromedp.NavigateBack())
	if st := p.submit(chromedp.Click(`button[value="publish"]`)); st != 200 || !strings.Contains(p.text(), "Published.") {
		t.Fatalf("publish: status %d, page %q", st, p.text())
	}
	permalink := p.eval(`document.querySelector('#basename-help a').getAttribute('href')`)
	p.do(chromedp.Navigate(base + permalink))
	html := p.eval(`document.documentElement.outerHTML`)
	if !strings.Contains(html, "Hello from the editor") || !strings.Contains(html, `alt="A red sunset"`) {
		t.Fatalf("the public page %s lacks the entry or its image", permalink)
	}
	loaded := p.eval(`String(document.querySelector('img[alt="A red sunset"]').naturalWidth)`)
	if loaded != "960" {
		t.Errorf("the entry's image is %s px wide, want its 960 px variant", loaded)
	}

	// Schedule an entry: it waits, invisible (the scheduler's own test
	// publishes one across a restart).
	p.do(chromedp.Navigate(base + "/admin/entries/new"))
	p.do(chromedp.SendKeys("#title", "Tomorrow's news"), chromedp.SendKeys("#body", "Later."))
	p.eval(`document.querySelector('#publish_at').value = new Date(Date.now() + 86400000 - new Date().getTimezoneOffset()*60000).toISOString().slice(0,16); ''`)
	if st := p.submit(chromedp.Click(`button[value="schedule"]`)); st != 200 || !strings.Contains(p.text(), "Scheduled.") {
		t.Fatalf("schedule: status %d, page %q", st, p.text())
	}

	// Moderate a comment.
	addComment(t, dir, permalink)
	p.do(chromedp.Navigate(base + "/admin/comments"))
	p.shot("admin-comments")
	p.do(chromedp.Click(`input[aria-label="Select the comment of Mary Reader"]`))
	if st := p.submit(chromedp.Click(`button[value="approve"]`)); st != 200 {
		t.Fatalf("approve: status %d", st)
	}
	p.do(chromedp.Navigate(base + permalink))
	if !strings.Contains(p.text(), "A thoughtful comment") {
		t.Error("the approved comment is not on the entry's page")
	}
	p.do(chromedp.Navigate(base + "/admin/"))
	p.shot("admin-dashboard")

	// A cross-site post is refused.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<form id="f" method="post" action="`+base+`/admin/topics"><input name="name" value="Evil"></form>
<script>document.getElementById('f').submit()</script>`)
	}))
	defer evil.Close()
	evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)
	if st := p.submit(chromedp.Navigate(evilURL)); st == 200 {
		// The navigation reported is the evil page's; wait for the post.
		p.await(`new Promise(r => setTimeout(() => r(''), 500))`)
	}
	if !strings.Contains(strings.ToLower(p.text()), "cross-origin") {
		t.Errorf("the cross-site post was not refused as cross-origin: %q", p.text())
	}

	// An author is refused another's entry and the settings.
	addAuthor(t, dir, "Ann", "ann@example.org", "ann's long password", gazette.RoleAuthor)
	p.do(chromedp.Navigate(base + "/admin/"))
	p.submit(chromedp.Click(`.me button`))
	if st := p.signIn(base, "ann@example.org", "ann's long password"); st != 200 {
		t.Fatalf("author sign-in: status %d", st)
	}
	for _, path := range []string{"/admin/entries/1", "/admin/settings"} {
		if st := p.submit(chromedp.Navigate(base + path)); st != 403 {
			t.Errorf("author at %s: status %d, want 403", path, st)
		}
	}
	p.submit(chromedp.Navigate(base + "/admin/"))
	p.submit(chromedp.Click(`.me button`))

	// Lock-out after repeated bad passwords.
	for i := range 5 {
		if st := p.signIn(base, "rachel@example.org", "wrong password"); st != 401 {
			t.Fatalf("bad password %d: status %d, want 401", i, st)
		}
	}
	p.signIn(base, "rachel@example.org", "a long enough password")
	if !strings.Contains(p.text(), "Too many failed sign-ins") {
		t.Errorf("the right password after five bad ones: %q, want the lock-out", p.text())
	}
}

func writePNG(t *testing.T, path string, w, h int) {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{uint8(200 + 55*y/h), uint8(60 + 100*y/h), uint8(40 * x / w), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// addComment adds a pending comment to the entry at path, as the intake
// would after holding it.
func addComment(t *testing.T, dataDir, path string) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dataDir, "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e, err := db.EntryByPath(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*gazette.Comment{
		{EntryID: e.ID, Name: "Mary Reader", Email: "mary@example.org", Body: "A thoughtful comment on this fine entry.", Status: gazette.CommentPending, IP: "192.0.2.7"},
		{EntryID: e.ID, Name: "Cheap pills", Email: "x@spam.example", URL: "http://spam.example/", Body: "Buy now http://spam.example/", Status: gazette.CommentPending, IP: "198.51.100.9"},
	} {
		if err := db.CreateComment(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
}

func addAuthor(t *testing.T, dataDir, name, email, password string, role gazette.Role) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dataDir, "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateAuthor(ctx, &gazette.Author{Name: name, Slug: gazette.Slugify(name), Email: email, Role: role, PasswordHash: h}); err != nil {
		t.Fatal(err)
	}
}
