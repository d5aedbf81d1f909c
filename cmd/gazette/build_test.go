package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/chromedp/chromedp"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/export"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// TestBuildIsWhatServeSends builds the demo blog and compares every file,
// and its .gz and .br copies, with what serve --read-only answers for the
// same address, byte for byte; then builds again after a comment and after
// a deletion, and checks that only the changed files are written and the
// deleted page's files removed.
func TestBuildIsWhatServeSends(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	base, stop := startServe(t, dir, "--demo", "--read-only")
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.BaseURL = "https://blog.example.com"
	if err := db.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}

	res := build(t, dir, out)
	if res.written != res.pages || res.pages < 100 || res.moved == 0 {
		t.Fatalf("first build: %+v, want every page written, the old addresses' pages among them", res)
	}
	if notFound, err := os.ReadFile(filepath.Join(out, "404.html")); err != nil || !bytes.Contains(notFound, []byte("Page not found")) {
		t.Errorf("404.html: %v, want the themed page for an address with none\n%.300s", err, notFound)
	}
	files := compareWithServe(t, base, out)
	for _, loc := range sitemapLocs(t, base) {
		name := strings.TrimPrefix(loc, st.BaseURL+"/")
		if strings.HasSuffix(loc, "/") {
			name += "index.html"
		}
		if _, ok := files[name]; !ok {
			t.Errorf("the sitemap's %s was not built", loc)
		}
	}

	// A topic and an author with nothing published, linked from nowhere:
	// serve has no page for either, and neither has the build.
	empty := &gazette.Topic{Name: "Nothing Yet", Slug: "nothing-yet"}
	if err := db.CreateTopic(ctx, empty); err != nil {
		t.Fatal(err)
	}
	quiet := &gazette.Author{Name: "Quiet Editor", Slug: "quiet-editor", Email: "quiet@example.org", Role: gazette.RoleEditor}
	if err := db.CreateAuthor(ctx, quiet); err != nil {
		t.Fatal(err)
	}
	if res := build(t, dir, out); res.written != 0 || res.unchanged != res.pages {
		t.Errorf("build with nothing changed: %+v, want nothing written", res)
	}
	authors, err := db.Authors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pages := []string{"topics/nothing-yet/"}
	for _, a := range authors {
		pages = append(pages, "authors/"+a.Slug+"/")
	}
	for _, p := range pages {
		resp, err := http.Get(base + "/" + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		_, statErr := os.Stat(filepath.Join(out, filepath.FromSlash(p), "index.html"))
		if built := statErr == nil; built != (resp.StatusCode == http.StatusOK) {
			t.Errorf("/%s: serve answers %d, built %v", p, resp.StatusCode, built)
		}
	}

	entries, _, err := db.Entries(ctx, gazette.EntryFilter{VisibleAt: time.Now(), Limit: 1})
	if err != nil || len(entries) == 0 {
		t.Fatalf("no entry to comment on: %v", err)
	}
	c := &gazette.Comment{EntryID: entries[0].ID, Name: "Late Reader", Email: "late@example.org", Body: "Built again?",
		Status: gazette.CommentApproved, CreatedAt: time.Now().UTC()}
	if err := db.CreateComment(ctx, c); err != nil {
		t.Fatal(err)
	}
	res = build(t, dir, out)
	if res.written == 0 || res.written > 12 || res.removed != 0 {
		t.Errorf("build after one comment: %+v, want the few pages that show it written", res)
	}
	compareWithServe(t, base, out)

	gone := entries[0]
	if err := publish.New(markdown.New(), sanitize.New()).DeleteEntry(ctx, db, gone.ID); err != nil {
		t.Fatal(err)
	}
	res = build(t, dir, out)
	if res.removed < 2 { // the page and its comment feed
		t.Errorf("build after a deletion: %+v, want the deleted entry's files removed", res)
	}
	for _, ext := range []string{"", ".gz", ".br"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(gone.Path, "/"))+ext)); err == nil {
			t.Errorf("the deleted entry's file %s%s is still there", gone.Path, ext)
		}
	}
	compareWithServe(t, base, out)

	// For a host that compresses as it sends: the pages alone, the last
	// build's copies removed.
	res = build(t, dir, out, "--precompress=false")
	if res.pages < 100 || res.written != 0 || res.removed != 0 {
		t.Errorf("build without copies: %+v, want every page kept as it was", res)
	}
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && (strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".br")) {
			t.Errorf("%s left by a build without copies", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

type buildResult struct{ pages, written, unchanged, removed, moved int }

var summaryRE = regexp.MustCompile(`built (\d+) pages \([^;)]*(?:; (\d+) of them lead from old addresses)?\) into .*: (\d+) written, (\d+) unchanged, (\d+) removed`)

func build(t *testing.T, dir, out string, flags ...string) buildResult {
	t.Helper()
	var stdout bytes.Buffer
	args := append(append([]string{"--data", dir, "build"}, flags...), out)
	if err := run(context.Background(), args, nil, &stdout, io.Discard); err != nil {
		t.Fatalf("build: %v", err)
	}
	m := summaryRE.FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("build printed %q, want a summary", stdout.String())
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	return buildResult{pages: n(m[1]), moved: n(m[2]), written: n(m[3]), unchanged: n(m[4]), removed: n(m[5])}
}

// compareWithServe checks every file of the build's manifest against
// serve's answers and returns the manifest's files.
func compareWithServe(t *testing.T, base, out string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, export.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Files map[string]string
		Build struct {
			Pages map[string]struct {
				Redirect bool `json:"r"`
			}
		}
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	for name := range m.Files {
		path := "/" + strings.TrimSuffix(name, "index.html")
		if m.Build.Pages[name].Redirect {
			movedLikeServe(t, tr, base, out, name, path, m.Files)
			continue
		}
		for _, v := range []struct{ coding, ext string }{{"", ""}, {"gzip", ".gz"}, {"br", ".br"}} {
			req, err := http.NewRequest("GET", base+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if v.coding != "" {
				req.Header.Set("Accept-Encoding", v.coding)
			}
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			served, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			built, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)+v.ext))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			// The build compresses at its own levels: the copies must hold
			// the same page, not the same compressed bytes.
			if served, err = decode(resp.Header.Get("Content-Encoding"), served); err != nil {
				t.Errorf("serve's answer to GET %s (Accept-Encoding %q): %v", path, v.coding, err)
			}
			if built, err = decode(v.coding, built); err != nil {
				t.Errorf("%s%s: %v", name, v.ext, err)
			}
			status, coding := http.StatusOK, v.coding
			if "/"+name == export.NotFoundPath {
				// The page static hosts send for an address with none;
				// serve sends it uncompressed.
				status, coding = http.StatusNotFound, ""
			}
			if resp.StatusCode != status || resp.Header.Get("Content-Encoding") != coding || !bytes.Equal(served, built) {
				t.Errorf("%s%s differs from serve's answer to GET %s (Accept-Encoding %q: %d %q, %d bytes; built %d bytes)",
					name, v.ext, path, v.coding, resp.StatusCode, resp.Header.Get("Content-Encoding"), len(served), len(built))
			}
		}
	}
	return m.Files
}

// movedLikeServe checks that the page built for an old address leads
// where serve's 301 does, to a page of the build, and has no copies.
func movedLikeServe(t *testing.T, tr *http.Transport, base, out, name, path string, files map[string]string) {
	t.Helper()
	resp, err := tr.RoundTrip(httptest.NewRequest("GET", base+path, nil))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	built, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	to := resp.Header.Get("Location")
	want := `<meta http-equiv="refresh" content="0; url=https://blog.example.com` + to + `">`
	if resp.StatusCode != http.StatusMovedPermanently || !bytes.Contains(built, []byte(want)) ||
		!bytes.Contains(built, []byte(`<link rel="canonical" href="https://blog.example.com`+to+`">`)) {
		t.Errorf("%s: serve answers %d to %q; the page built there says\n%s", name, resp.StatusCode, to, built)
	}
	if target := strings.TrimPrefix(to, "/"); files[target] == "" && files[target+"index.html"] == "" {
		t.Errorf("%s leads to %s, which was not built", name, to)
	}
	for _, ext := range []string{".gz", ".br"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(name)+ext)); err == nil {
			t.Errorf("%s%s: a copy a static server would send instead of the page", name, ext)
		}
	}
}

// decode returns data decompressed from the content coding ("" for none).
func decode(coding string, data []byte) ([]byte, error) {
	var r io.Reader
	switch coding {
	case "":
		return data, nil
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(data))
	}
	return io.ReadAll(r)
}

func sitemapLocs(t *testing.T, base string) []string {
	t.Helper()
	status, body := get(t, base+"/sitemap.xml")
	if status != http.StatusOK {
		t.Fatalf("sitemap: %d", status)
	}
	var sm struct {
		Locs []string `xml:"url>loc"`
	}
	if err := xml.Unmarshal([]byte(body), &sm); err != nil {
		t.Fatal(err)
	}
	if len(sm.Locs) == 0 {
		t.Fatal("the sitemap lists no address")
	}
	return sm.Locs
}

// TestMovedPagesInBrowser serves a build from a plain static file server,
// as a host without redirects would, and opens the old address of an entry
// in Chromium: it lands on the entry's page.
func TestMovedPagesInBrowser(t *testing.T) {
	ctx := browser(t)
	dir, out := t.TempDir(), t.TempDir()
	_, stop := startServe(t, dir, "--demo", "--read-only") // fills the blog
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	static := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer static.Close()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := db.Settings(context.Background())
	if err == nil {
		st.BaseURL = static.URL
		err = db.SaveSettings(context.Background(), st)
	}
	var old string
	if err == nil {
		var redirects []gazette.Redirect
		redirects, err = db.Redirects(context.Background())
		for _, r := range redirects {
			if r.EntryID != 0 && strings.HasSuffix(r.Path, ".html") {
				old = r.Path
				break
			}
		}
	}
	db.Close()
	if err != nil || old == "" {
		t.Fatalf("no old .html address of an entry in the demo blog: %v", err)
	}
	build(t, dir, out)

	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(static.URL+old)); err != nil {
		t.Fatal(err)
	}
	var landed string
	for range 50 {
		if landed, err = chromedp.Run(tctx, chromedp.Evaluate[string](`location.pathname`)); err == nil && landed != old {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if landed == old || !strings.HasPrefix(landed, "/archives/") {
		t.Fatalf("the browser stayed at %s (or went to %s), not at the entry's permalink", old, landed)
	}
	if err := chromedp.Do(tctx, chromedp.WaitVisible(".entry-title, h1, h2")); err != nil {
		t.Fatal(err)
	}
	page, err := chromedp.Run(tctx, chromedp.Evaluate[string](`document.querySelector('link[rel=canonical]') ? document.querySelector('link[rel=canonical]').href : ''`))
	if err != nil || page != static.URL+landed {
		t.Errorf("landed on a page whose canonical address is %q (%v), want %s", page, err, static.URL+landed)
	}
}
