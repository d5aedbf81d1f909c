package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette/internal/sanitize/naughtytest"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// changeSettings changes the blog's settings through the store, as the admin
// will, while the server runs.
func changeSettings(t *testing.T, dataDir string, mod func(s *gazette.Settings)) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dataDir, "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mod(&s)
	if err := db.SaveSettings(ctx, s); err != nil {
		t.Fatal(err)
	}
}

var formTokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// postComment opens the seed entry, fills its form and posts it, as a
// browser without script would, and returns the redirect's target.
func postComment(t *testing.T, c *http.Client, base string, form url.Values) string {
	t.Helper()
	_, body := get(t, base+seedPath)
	m := formTokenRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no comment form on the seed entry")
	}
	form.Set("token", html.UnescapeString(m[1]))
	resp, err := c.PostForm(base+seedPath, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("post: status %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

func gazetteRun(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), append([]string{"--data", dir}, args...), nil, &out, io.Discard)
	return out.String(), err
}

// TestCommentsCommands moderates a comment posted to the running server
// with gazette comments list, approve, spam and delete.
func TestCommentsCommands(t *testing.T) {
	dir := t.TempDir()
	base, stop := startServe(t, dir, "--demo")
	defer stop()
	changeSettings(t, dir, func(s *gazette.Settings) { s.TokenMinAge = 0 })
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	loc := postComment(t, c, base, url.Values{"name": {"New\treader"}, "email": {"new@example.com"},
		"body": {"A first comment\nthat waits for approval, with more words than the list shows at all."}})
	id := strings.TrimPrefix(loc[strings.Index(loc, "#"):], "#comment-")

	out, err := gazetteRun(t, dir, "comments", "list", "--status", "pending")
	if err != nil {
		t.Fatal(err)
	}
	want := id + "\tpending\t" + seedPath + "\tNew reader\tA first comment that waits for approval, with more words than the …\n"
	if out != want {
		t.Errorf("comments list --status pending:\n got %q\nwant %q", out, want)
	}
	if _, page := get(t, base+seedPath); strings.Contains(page, "A first comment") {
		t.Fatal("a held comment is on the public page")
	}
	if out, err := gazetteRun(t, dir, "comments", "approve", id); err != nil || out != id+" approved\n" {
		t.Fatalf("comments approve: %q, %v", out, err)
	}
	if _, page := get(t, base+seedPath); !strings.Contains(page, "A first comment") {
		t.Error("an approved comment is not on the public page")
	}
	all, err := gazetteRun(t, dir, "comments", "list")
	if err != nil || !strings.Contains(all, id+"\tapproved\t") || strings.Count(all, "\n") < 2 {
		t.Errorf("comments list: %v\n%s", err, all)
	}
	if _, err := gazetteRun(t, dir, "comments", "spam", id); err != nil {
		t.Fatal(err)
	}
	if out, _ := gazetteRun(t, dir, "comments", "list", "--status", "spam"); !strings.HasPrefix(out, id+"\tspam\t") {
		t.Errorf("after comments spam: %q", out)
	}
	if _, err := gazetteRun(t, dir, "comments", "delete", id); err != nil {
		t.Fatal(err)
	}
	if out, _ := gazetteRun(t, dir, "comments", "list", "--status", "spam"); out != "" {
		t.Errorf("after comments delete: %q", out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"comments"}, "want list, approve, spam or delete"},
		{[]string{"comments", "approve"}, "want one or more comment IDs"},
		{[]string{"comments", "approve", "x1"}, `"x1" is not a comment ID`},
		{[]string{"comments", "approve", "999999"}, "comment 999999 not found"},
		{[]string{"comments", "list", "--status", "odd"}, `"odd" is not pending`},
		{[]string{"comments", "frob"}, "unknown subcommand"},
	} {
		if _, err := gazetteRun(t, dir, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("gazette %s: %v, want an error saying %q", strings.Join(tc.args, " "), err, tc.want)
		}
	}
}

// TestCommentInBrowser posts a comment through the form in Chromium, sees
// it awaiting moderation, approves it with the command line and sees it
// published, in both themes.
func TestCommentInBrowser(t *testing.T) {
	ctx := browser(t)
	dir := t.TempDir()
	base, stop := startServe(t, dir, "--demo")
	defer stop()
	for _, th := range []string{"default", "classic"} {
		t.Run(th, func(t *testing.T) {
			changeSettings(t, dir, func(s *gazette.Settings) { s.Theme = th; s.TokenMinAge = time.Second })
			tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			words := "Posted from Chromium in the " + th + " theme."
			if err := chromedp.Do(tctx,
				chromedp.EmulateViewport(1280, 1400, chromedp.EmulateScale(1)),
				chromedp.Navigate(base+seedPath),
				chromedp.SendKeys("#comment-name", "Browser Reader"),
				chromedp.SendKeys("#comment-email", "browser-"+th+"@example.com"),
				chromedp.SendKeys("#comment-body", words),
				chromedp.Sleep(1200*time.Millisecond), // the form's minimum age
				chromedp.Click(`button[name="post"]`),
				chromedp.WaitVisible(".moderation-notice"),
			); err != nil {
				t.Fatal(err)
			}
			notice, err := chromedp.Run(tctx, chromedp.Evaluate[string](
				`document.querySelector('.comment-pending').innerText`))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(notice, "awaiting moderation") || !strings.Contains(notice, words) {
				t.Fatalf("the held comment shows %q", notice)
			}
			if shots := os.Getenv("GAZETTE_SCREENSHOTS"); shots != "" {
				if err := chromedp.Do(tctx, chromedp.EmulateViewport(1280, 1000, chromedp.EmulateScale(1)), chromedp.ScrollIntoView(".comment-pending")); err != nil {
					t.Fatal(err)
				}
				png, err := chromedp.Run(tctx, chromedp.CaptureScreenshot())
				if err == nil {
					_ = os.WriteFile(filepath.Join(shots, th+"-comment-form.png"), png, 0o644)
				}
			}
			href, err := chromedp.Run(tctx, chromedp.Evaluate[string](`location.hash`))
			if err != nil {
				t.Fatal(err)
			}
			id := strings.TrimPrefix(href, "#comment-")
			if _, err := gazetteRun(t, dir, "comments", "approve", id); err != nil {
				t.Fatalf("comments approve %s: %v", id, err)
			}
			if err := chromedp.Do(tctx, chromedp.Reload(), chromedp.WaitVisible("#comment-"+id)); err != nil {
				t.Fatal(err)
			}
			state, err := chromedp.Run(tctx, chromedp.Evaluate[string](
				`(e => e.className + '|' + e.innerText)(document.getElementById('comment-`+id+`'))`))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(state, "pending") || strings.Contains(state, "awaiting") || !strings.Contains(state, words) {
				t.Errorf("after approval the comment shows as %q", state)
			}
		})
	}
}

// TestNaughtyCommentsInBrowser posts every hostile string of the sanitiser's
// fixtures as a comment and opens the page in Chromium: no script runs (an
// injected alert, confirm or prompt would set window.__xss or open a
// dialog) and no element carries an event handler.
func TestNaughtyCommentsInBrowser(t *testing.T) {
	ctx := browser(t)
	dir := t.TempDir()
	base, stop := startServe(t, dir, "--demo")
	defer stop()
	changeSettings(t, dir, func(s *gazette.Settings) {
		s.Moderation = gazette.ModerateNone
		s.MaxLinks = 1000
		s.RatePerMinute = 0
		s.SpamFilter = false
	})
	posted := postNaughty(t, dir, base)

	tctx, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	var mu sync.Mutex
	dialogs := 0
	if err := chromedp.Listen(tctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			mu.Lock()
			dialogs++
			mu.Unlock()
			go chromedp.Call(tctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}); err != nil {
		t.Fatal(err)
	}
	trap := `for (const f of ['alert', 'confirm', 'prompt']) { window[f] = () => { window.__xss = f; }; }`
	if _, err := chromedp.Call(tctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: trap}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{seedPath, "/comments/"} {
		if err := chromedp.Do(tctx, chromedp.Navigate(base+path), chromedp.Sleep(500*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		xss, err := chromedp.Run(tctx, chromedp.Evaluate[string](`String(window.__xss)`))
		if err != nil {
			t.Fatal(err)
		}
		handlers, err := chromedp.Run(tctx, chromedp.Evaluate[int](
			`[...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length`))
		if err != nil {
			t.Fatal(err)
		}
		scripts, err := chromedp.Run(tctx, chromedp.Evaluate[int](
			`[...document.querySelectorAll('script')].filter(s => s.type !== 'application/ld+json').length`))
		if err != nil {
			t.Fatal(err)
		}
		shown, err := chromedp.Run(tctx, chromedp.Evaluate[int](`document.querySelectorAll('.comment').length`))
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		n := dialogs
		mu.Unlock()
		if xss != "undefined" || n > 0 || handlers > 0 || scripts > 0 {
			t.Errorf("%s: window.__xss = %s, %d dialogs, %d elements with event handlers, %d scripts", path, xss, n, handlers, scripts)
		}
		t.Logf("%s: %d comments shown, no script ran", path, shown)
	}
	t.Logf("%d hostile strings posted", posted)
}

// postNaughty posts each hostile string over HTTP with a form token made by
// a second Publisher on the same store, as a second instance of the blog
// would make it, and returns how many were stored byte-exact.
func postNaughty(t *testing.T, dir, base string) int {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e, err := db.EntryByPath(ctx, seedPath)
	if err != nil {
		t.Fatal(err)
	}
	pub := publish.New(markdown.New(), sanitize.New())
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	n := 0
	for i, in := range naughtyStrings(t) {
		tok, err := pub.FormToken(ctx, db, e.ID, time.Now().Add(-10*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.PostForm(base+seedPath, url.Values{"name": {fmt.Sprintf("Naughty %d", i)}, "email": {"n@example.com"},
			"body": {in}, "token": {tok}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		var id int64
		if _, err := fmt.Sscanf(loc[strings.LastIndex(loc, "#comment-")+len("#comment-"):], "%d", &id); err != nil || resp.StatusCode != http.StatusSeeOther {
			t.Errorf("input %d %q: status %d", i, in, resp.StatusCode)
			continue
		}
		got, err := db.Comment(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Body != in {
			t.Errorf("input %d stored as %q, want %q", i, got.Body, in)
			continue
		}
		n++
	}
	return n
}

// naughtyStrings reads the hostile strings kept with the sanitiser's tests.
func naughtyStrings(t *testing.T) []string {
	t.Helper()
	out, err := naughtytest.Comments(filepath.Join("..", "..", "internal", "sanitize", "testdata", "naughty"), 5000)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
