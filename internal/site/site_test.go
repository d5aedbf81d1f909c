package site_test

import (
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

type response struct {
	status int
	header http.Header
	body   string
}

func do(t testing.TB, method, url string, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := noRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, string(b)}
}

var assetRE = regexp.MustCompile(`/static/[0-9a-f]+/`)

// TestGolden renders every page kind in both themes and compares it with
// its golden file. Asset hashes are masked, so that a change of style sheet
// does not rewrite every page.
func TestGolden(t *testing.T) {
	b := newBlog(t)
	pages := []struct{ name, path string }{
		{"home", "/"},
		{"home-page2", "/page/2/"},
		{"entry", b.paths[b.seed.title]},
		{"month", "/archives/2007/03/"},
		{"months", "/archives/"},
		{"topic", "/topics/iran/"},
		{"topics", "/topics/"},
		{"author", "/authors/guest-writer/"},
		{"comments", "/comments/"},
		{"search", "/search?q=nuclear+talks"},
		{"search-empty", "/search"},
		{"search-none", "/search?q=%3Cb%3Enothing%3C%2Fb%3E"},
		{"notfound", "/no/such/page"},
	}
	for _, themeName := range []string{"default", "classic"} {
		srv := b.serve(t, themeName)
		for _, p := range pages {
			t.Run(themeName+"/"+p.name, func(t *testing.T) {
				r := do(t, "GET", srv.URL+p.path, nil)
				want := http.StatusOK
				if p.name == "notfound" {
					want = http.StatusNotFound
				}
				if r.status != want {
					t.Fatalf("GET %s: status %d, want %d\n%s", p.path, r.status, want, r.body)
				}
				got := assetRE.ReplaceAllString(r.body, "/static/HASH/")
				file := filepath.Join("testdata", "golden", themeName+"-"+p.name+".html")
				if *update {
					if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				wantBody, err := os.ReadFile(file)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if got != string(wantBody) {
					t.Errorf("GET %s differs from %s (run go test -update and review the diff):\n%s", p.path, file, firstDiff(string(wantBody), got))
				}
			})
		}
	}
}

// firstDiff shows the first line where got differs from want.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + "\n want: " + w + "\n  got: " + g
		}
	}
	return ""
}

// TestSeedPageOrder checks that the entry page shows every element of the
// seed page, in the seed page's order, in both themes.
func TestSeedPageOrder(t *testing.T) {
	b := newBlog(t)
	for _, themeName := range []string{"default", "classic"} {
		t.Run(themeName, func(t *testing.T) {
			srv := b.serve(t, themeName)
			r := do(t, "GET", srv.URL+b.paths[b.seed.title], nil)
			if r.status != 200 {
				t.Fatalf("status %d", r.status)
			}
			text := gazette.PlainText(r.body)
			// The banner line holds two elements, split where the seed
			// page has a run of spaces.
			var want []string
			for _, l := range b.seed.lines {
				want = append(want, regexp.MustCompile(`\s{2,}`).Split(l, -1)...)
			}
			pos := strings.Index(text, "Latest Entry:")
			if pos < 0 {
				t.Fatal("no banner")
			}
			for _, w := range want {
				i := strings.Index(text[pos:], w)
				if i < 0 {
					if strings.Contains(text, w) {
						t.Errorf("%q is out of the seed's order", w)
					} else {
						t.Errorf("page lacks %q", w)
					}
					continue
				}
				pos += i + len(w)
			}
			for _, want := range []string{
				`<a href="` + b.paths[b.seed.latestTitle] + `">American Pravda and New York&#39;s Sixth Crime Family</a>`,
				`Latest Comments: <a href="/comments/">Talk Back Here</a>`,
				`<a href="` + b.paths[b.seed.prevTitle] + `" rel="prev">`,
				`<a href="` + b.paths[b.seed.nextTitle] + `" rel="next">`,
				`<a href="/">Main</a>`,
				`<a href="/topics/iran/" rel="tag" class="p-category">Iran</a>`,
				`<a href="/authors/richard/" class="p-author h-card">Richard</a>`,
				`<time class="dt-published" datetime="2007-03-11T13:05:00-04:00">March 11, 2007 1:05 PM</time>`,
				`<div id="more" class="entry-more">`,
				`<blockquote><p>A daring getaway`,
				`<a href="http://www.example.org/captainsquarters/2007/03/asgari_mole.html">Captain Ed points out</a>`,
			} {
				if !strings.Contains(r.body, want) {
					t.Errorf("entry page lacks %s", want)
				}
			}
		})
	}
}

// TestEntryPage checks the comments and related entries of the seed page.
func TestEntryPage(t *testing.T) {
	b := newBlog(t)
	srv := b.serve(t, "default")
	r := do(t, "GET", srv.URL+b.paths[b.seed.title], nil)
	body := r.body
	names := []string{"NahnCee", "Lisa B.", "Mallory", "Bob", "Carol", "Dave", "Erin", "Frank"}
	last := 0
	for _, n := range names {
		i := strings.Index(body, "Posted by: "+strings.ReplaceAll(n, ".", "."))
		if i < 0 {
			i = strings.Index(body, ">"+n+"</a> at")
		}
		if i < last {
			t.Errorf("comment by %s is missing or out of time order", n)
		}
		last = i
	}
	if got := strings.Count(body, `<article class="comment" id="comment-`); got != 8 {
		t.Errorf("%d comments shown, want the 8 approved ones", got)
	}
	for _, want := range []string{
		`<a href="http://nahncee.example.net/" rel="nofollow ugc">NahnCee</a>`,
		`Posted by: Mallory at`, // a javascript: URL is no link
		`<p>A gold mine indeed.</p>`,
		`<em>Mossad</em> again.`,
		`Articles Related to Iran:`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("entry page lacks %s", want)
		}
	}
	// The page's own script is its schema.org data, which holds no markup.
	ownScript := regexp.MustCompile(`<script type="application/ld\+json">[^<]*</script>`)
	for _, bad := range []string{"<script", "javascript:", "onclick", "steal()", "alert("} {
		if strings.Contains(ownScript.ReplaceAllString(body, ""), bad) {
			t.Errorf("entry page contains %q from a comment", bad)
		}
	}
	// Related: earlier entries whose primary topic is Iran, newest first;
	// not the later "next" entry, not the entry filed under Iran second.
	related := body[strings.Index(body, "Articles Related to Iran:"):]
	var got []string
	for _, m := range regexp.MustCompile(`<li><a href="[^"]*">([^<]*)</a></li>`).FindAllStringSubmatch(related, -1) {
		got = append(got, m[1])
	}
	if want := "Earlier Iran Story 1,Earlier Iran Story 2,Earlier Iran Story 3,Earlier Iran Story 4"; strings.Join(got, ",") != want {
		t.Errorf("related = %s, want %s", strings.Join(got, ","), want)
	}
}

// TestInvisible checks that drafts, scheduled and future entries, and
// comments that are not approved or sit on invisible entries, show nowhere.
func TestInvisible(t *testing.T) {
	b := newBlog(t)
	for _, themeName := range []string{"default", "classic"} {
		srv := b.serve(t, themeName)
		paths := []string{"/", "/page/2/", "/page/3/", b.paths[b.seed.title], b.paths[b.seed.prevTitle],
			b.paths["Earlier Iran Story 1"], "/archives/", "/archives/2007/03/", "/archives/2007/02/",
			"/topics/", "/topics/iran/", "/authors/richard/", "/authors/guest-writer/",
			"/comments/", "/search?q=zanzibar", "/search?q=nuclear+talks", "/search?q=secret"}
		for _, p := range paths {
			r := do(t, "GET", srv.URL+p, nil)
			if r.status != 200 {
				t.Errorf("%s GET %s: status %d", themeName, p, r.status)
			}
			for _, bad := range []string{"SECRET", "zanzibar.", "March 22", "March 23", "2007/03/secret"} {
				if strings.Contains(r.body, bad) {
					t.Errorf("%s GET %s shows %q", themeName, p, bad)
				}
			}
		}
		// A topic whose only entry is not visible yet, and an author who
		// has published nothing, have no page and no feeds, as months and
		// tags without entries have none: nothing links to them, so a
		// static build has none either, and an account that never
		// published stays private.
		for _, p := range []string{"/topics/empty-topic/", "/topics/empty-topic/atom.xml", "/topics/empty-topic/index.xml",
			"/topics/empty-topic/feed.json", "/authors/quiet-editor/", "/authors/quiet-editor/atom.xml"} {
			r := do(t, "GET", srv.URL+p, nil)
			if r.status != http.StatusNotFound || strings.Contains(r.body, "SECRET") || strings.Contains(r.body, "Quiet Editor") {
				t.Errorf("%s GET %s: status %d, want 404 showing neither the entry nor the author", themeName, p, r.status)
			}
		}
		for _, title := range []string{"SECRET draft on Iran", "SECRET scheduled on Iran", "SECRET future on Iran"} {
			if r := do(t, "GET", srv.URL+b.paths[title], nil); r.status != 404 {
				t.Errorf("%s permalink of %q: status %d, want 404", themeName, title, r.status)
			}
		}
		if r := do(t, "GET", srv.URL+"/search?q=zanzibar", nil); !strings.Contains(r.body, "No entries match") {
			t.Errorf("search for a word only invisible entries hold found something")
		}
	}
}

// TestConditional checks HEAD, ETag, Last-Modified and 304 on every page kind.
func TestConditional(t *testing.T) {
	b := newBlog(t)
	srv := b.serve(t, "default")
	for _, p := range []string{"/", b.paths[b.seed.title], "/archives/2007/03/", "/archives/", "/topics/iran/",
		"/topics/", "/authors/richard/", "/comments/", "/search?q=iran"} {
		t.Run(p, func(t *testing.T) {
			get := do(t, "GET", srv.URL+p, nil)
			etag, lm := get.header.Get("ETag"), get.header.Get("Last-Modified")
			if get.status != 200 || etag == "" || lm == "" {
				t.Fatalf("GET: status %d, ETag %q, Last-Modified %q", get.status, etag, lm)
			}
			if got := get.header.Get("Content-Security-Policy"); got != "" {
				t.Logf("site sets CSP itself: %s", got)
			}
			head := do(t, "HEAD", srv.URL+p, nil)
			if head.status != 200 || head.body != "" || head.header.Get("ETag") != etag {
				t.Errorf("HEAD: status %d, %d bytes, ETag %q", head.status, len(head.body), head.header.Get("ETag"))
			}
			if r := do(t, "GET", srv.URL+p, map[string]string{"If-None-Match": etag}); r.status != 304 || r.body != "" {
				t.Errorf("If-None-Match: status %d", r.status)
			}
			if r := do(t, "GET", srv.URL+p, map[string]string{"If-Modified-Since": lm}); r.status != 304 {
				t.Errorf("If-Modified-Since: status %d", r.status)
			}
			if r := do(t, "GET", srv.URL+p, map[string]string{"If-None-Match": `"stale"`}); r.status != 200 {
				t.Errorf("stale If-None-Match: status %d", r.status)
			}
		})
	}
}

// TestLastModifiedFollowsComments checks that a new approved comment on an
// entry changes its page's validators.
func TestValidatorsChange(t *testing.T) {
	b := newBlog(t)
	srv := b.serve(t, "default")
	p := srv.URL + b.paths[b.seed.title]
	before := do(t, "GET", p, nil)
	err := b.store.CreateComment(context.Background(), &gazette.Comment{EntryID: b.seedID, Name: "Late", Body: "A late word.",
		Status: gazette.CommentApproved, CreatedAt: now.Add(-time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	after := do(t, "GET", p, map[string]string{"If-None-Match": before.header.Get("ETag")})
	if after.status != 200 || !strings.Contains(after.body, "A late word.") {
		t.Errorf("after a new comment: status %d", after.status)
	}
	if after.header.Get("Last-Modified") == before.header.Get("Last-Modified") {
		t.Errorf("Last-Modified stayed %s", after.header.Get("Last-Modified"))
	}
}

// TestSettingsShowAtOnce checks that the site reads settings per request.
func TestSettingsShowAtOnce(t *testing.T) {
	b := newBlog(t)
	srv := b.serve(t, "default")
	ctx := context.Background()
	st, err := b.store.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.Title = "A Brand New Name"
	st.Theme = "classic"
	if err := b.store.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	r := do(t, "GET", srv.URL+"/", nil)
	if !strings.Contains(r.body, "A Brand New Name") || !strings.Contains(r.body, `id="links"`) {
		t.Error("the new title and theme do not show on the next request")
	}
}

func TestRedirects(t *testing.T) {
	b := newBlog(t)
	srv := b.serve(t, "default")
	tests := []struct {
		path       string
		wantStatus int
		wantTo     string
	}{
		{"/archives/000123.html", 301, b.paths[b.seed.title]},
		{"/2007/03/11/iranian-general/", 301, b.paths[b.seed.title]},
		{"/?p=77", 301, b.paths[b.seed.prevTitle]},
		{"/?p=78", 200, ""},                // an unknown query on / is the home page
		{"/archives/000999.html", 404, ""}, // to a draft
		{"/archives/000124.html", 404, ""},
		{"/topics/persia/", 301, "/topics/iran/"},
		{"/archives/1999/12/", 301, "/archives/"},
		{"/topics/persia/atom.xml", 404, ""},                            // redirects are of exact addresses
		{"/topics/empty-topic/", 404, ""},                               // the topic's own address, though empty
		{"/2007/03/11/%E6%97%A5%E6%9C%AC/", 301, b.paths[b.seed.title]}, // as browsers send it
		{"/2007/03/11/%e6%97%a5%e6%9c%ac/", 301, b.paths[b.seed.title]},
		{"/2007/03/11/日本/", 301, b.paths[b.seed.title]},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := do(t, "GET", srv.URL+tt.path, nil)
			if r.status != tt.wantStatus || r.header.Get("Location") != tt.wantTo {
				t.Errorf("status %d to %q, want %d to %q", r.status, r.header.Get("Location"), tt.wantStatus, tt.wantTo)
			}
		})
	}
}

// TestArchiveOfPagesOnly checks that a topic and an author with no entry
// but a page (an About page), which links to them, keep their archives and
// feeds, empty of entries.
func TestArchiveOfPagesOnly(t *testing.T) {
	b := newBlog(t)
	ctx := context.Background()
	tp := &gazette.Topic{Name: "Colophon", Slug: "colophon"}
	if err := b.store.CreateTopic(ctx, tp); err != nil {
		t.Fatal(err)
	}
	page := &gazette.Entry{Title: "About", Basename: "about", Path: gazette.PagePath("about"), Kind: gazette.KindPage,
		Format: gazette.FormatHTML, Body: "<p>About this blog.</p>", Status: gazette.StatusPublished,
		PublishedAt: now.Add(-time.Hour), AuthorID: b.authors["Quiet Editor"].ID, Topics: []gazette.Topic{*tp}}
	if err := b.store.CreateEntry(ctx, page); err != nil {
		t.Fatal(err)
	}
	srv := b.serve(t, "default")
	about := do(t, "GET", srv.URL+page.Path, nil)
	for _, p := range []string{"/topics/colophon/", "/authors/quiet-editor/"} {
		if !strings.Contains(about.body, `href="`+p+`"`) {
			t.Errorf("the page does not link to %s", p)
		}
		for _, q := range []string{p, p + "atom.xml"} {
			if r := do(t, "GET", srv.URL+q, nil); r.status != http.StatusOK {
				t.Errorf("GET %s: status %d, want 200", q, r.status)
			}
		}
	}
}

// TestNotFound checks that addresses with no page, invalid numbers
// included, get the themed 404 and never a 500.
func TestNotFound(t *testing.T) {
	b := newBlog(t)
	for _, themeName := range []string{"default", "classic"} {
		srv := b.serve(t, themeName)
		for _, p := range []string{
			"/nope", "/page/0/", "/page/1/", "/page/01/", "/page/-1/", "/page/x/", "/page/99/", "/page/99999999999999999999/",
			"/archives/2007/13/", "/archives/2007/00/", "/archives/2007/3/", "/archives/07/03/", "/archives/1999/01/",
			"/archives/2007/03/nope.html", "/archives/2007/03/", // the last is found: checked below
			"/topics/nope/", "/topics/iran/page/0/", "/topics/iran/page/1/", "/topics/iran/page/9/", "/topics/iran/page/two/",
			"/authors/nobody/", "/authors/richard/page/5/",
			"/search?q=iran&page=0", "/search?q=iran&page=99", "/search?q=iran&page=x", "/search?q=iran&page=", "/search?page=2",
			b.paths["SECRET draft on Iran"], b.paths["SECRET scheduled on Iran"], b.paths["SECRET future on Iran"],
		} {
			r := do(t, "GET", srv.URL+p, nil)
			if p == "/archives/2007/03/" {
				if r.status != 200 {
					t.Errorf("%s: status %d", p, r.status)
				}
				continue
			}
			if r.status != 404 {
				t.Errorf("%s GET %s: status %d, want 404", themeName, p, r.status)
				continue
			}
			if !strings.Contains(r.body, "Page not found") || !strings.Contains(r.body, "Talk Back &amp; Read") ||
				!strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				t.Errorf("%s GET %s: the 404 is not the themed page", themeName, p)
			}
			if h := do(t, "HEAD", srv.URL+p, nil); h.status != 404 || h.body != "" {
				t.Errorf("HEAD %s: status %d, body %d bytes", p, h.status, len(h.body))
			}
		}
	}
}

// TestSearch checks ranking output, highlighting, escaping and paging.
func TestSearch(t *testing.T) {
	b := newBlog(t)
	srv := b.serve(t, "default")
	r := do(t, "GET", srv.URL+"/search?q=nuclear", nil)
	if !strings.Contains(r.body, "<mark>") || !strings.Contains(r.body, `value="nuclear"`) {
		t.Errorf("search page lacks highlights or the query in its box")
	}
	r = do(t, "GET", srv.URL+`/search?q=%22%3E%3Cscript%3E`, nil)
	if strings.Contains(r.body, "<script>") {
		t.Error("the query reached the page unescaped")
	}
	if r := do(t, "GET", srv.URL+"/search", nil); !strings.Contains(r.body, "Type one or more words") {
		t.Error("the empty query has no message")
	}
}

func TestStatic(t *testing.T) {
	b := newBlog(t)
	srv := b.serve(t, "default")
	home := do(t, "GET", srv.URL+"/", nil)
	css := regexp.MustCompile(`href="(/static/[0-9a-f]+/style\.css)"`).FindStringSubmatch(home.body)
	if css == nil {
		t.Fatal("home page links no style sheet")
	}
	r := do(t, "GET", srv.URL+css[1], nil)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") ||
		!strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("style sheet: status %d, type %q, cache %q", r.status, r.header.Get("Content-Type"), r.header.Get("Cache-Control"))
	}
}

// BenchmarkEntryPage renders the seed entry page, with 8 comments and 10
// related entries, from the store each time (no page cache).
func BenchmarkEntryPage(bm *testing.B) {
	b := newBlog(bm)
	for i := range 6 {
		b.add(bm, "Older Iran Story "+strconv.Itoa(i+1), b.seed.author, gazette.StatusPublished,
			b.seed.published.AddDate(0, 0, -30-i), []string{b.seed.topic}, "<p>More about Iran.</p>", "", "")
	}
	srv := b.serve(bm, "default")
	h := srv.Config.Handler
	path := b.paths[b.seed.title]
	check := httptest.NewRecorder()
	h.ServeHTTP(check, httptest.NewRequest("GET", path, nil))
	if n := strings.Count(check.Body.String(), "Older Iran Story") + strings.Count(check.Body.String(), "Earlier Iran Story"); n != 10 {
		bm.Fatalf("%d related entries, want 10", n)
	}
	bm.ReportAllocs()
	bm.ResetTimer()
	for bm.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 {
			bm.Fatal(rec.Code)
		}
	}
}
