package site_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/mmcdole/gofeed"
)

// feedPaths are every feed the site serves, in every format.
var feedPaths = []string{
	"/atom.xml", "/index.xml", "/feed.json",
	"/topics/iran/atom.xml", "/topics/iran/index.xml", "/topics/iran/feed.json",
	"/authors/richard/atom.xml", "/authors/richard/index.xml", "/authors/richard/feed.json",
}

// TestFeeds reads every feed over HTTP with gofeed: its entries are the
// newest visible ones, all links absolute on the blog's base URL, and
// conditional requests get a 304.
func TestFeeds(t *testing.T) {
	b := newBlog(t)
	srv := b.serve(t, "default")
	want := map[string][]string{
		"/atom.xml": {b.seed.latestTitle, b.seed.nextTitle, b.seed.title, b.seed.prevTitle, "Earlier Iran Story 1",
			"Earlier Iran Story 2", "Media Story Mentioning Iran", "Earlier Iran Story 3", "Earlier Iran Story 4"},
		"/topics/iran/atom.xml":     {b.seed.nextTitle, b.seed.title, "Earlier Iran Story 1", "Earlier Iran Story 2", "Media Story Mentioning Iran", "Earlier Iran Story 3", "Earlier Iran Story 4"},
		"/authors/richard/atom.xml": {b.seed.nextTitle, b.seed.title, b.seed.prevTitle, "Earlier Iran Story 1", "Earlier Iran Story 2", "Earlier Iran Story 3", "Earlier Iran Story 4"},
	}
	for _, p := range feedPaths {
		t.Run(p, func(t *testing.T) {
			r := do(t, "GET", srv.URL+p, nil)
			if r.status != http.StatusOK {
				t.Fatalf("status %d\n%s", r.status, r.body)
			}
			f, err := gofeed.NewParser().ParseString(r.body)
			if err != nil {
				t.Fatalf("gofeed: %v\n%.500s", err, r.body)
			}
			var titles []string
			for _, it := range f.Items {
				titles = append(titles, it.Title)
				if !strings.HasPrefix(it.Link, baseURL+"/archives/") {
					t.Errorf("item %q links to %q, not an absolute permalink", it.Title, it.Link)
				}
				// An RSS item without a written excerpt has its full
				// text in its description.
				for _, text := range []string{it.Content, it.Description} {
					if strings.Contains(text, `href="/`) || strings.Contains(text, `src="/`) {
						t.Errorf("item %q has relative links in its text", it.Title)
					}
				}
				if it.Content == "" && !strings.Contains(it.Description, "<p>") {
					t.Errorf("item %q carries no full text: description %.200q", it.Title, it.Description)
				}
			}
			if strings.Contains(r.body, "SECRET") {
				t.Error("feed shows a draft, scheduled or future entry")
			}
			dir := p[:strings.LastIndexByte(p, '/')+1]
			if w, ok := want[dir+"atom.xml"]; ok && strings.Join(titles, "|") != strings.Join(w, "|") {
				t.Errorf("items:\n got %q\nwant %q", titles, w)
			}
			if f.FeedLink != "" && f.FeedLink != baseURL+p {
				t.Errorf("self link %q, want %q", f.FeedLink, baseURL+p)
			}
			etag := r.header.Get("ETag")
			if etag == "" || r.header.Get("Content-Type") == "" {
				t.Fatalf("no ETag or Content-Type: %v", r.header)
			}
			if r.header.Get("Last-Modified") == "" {
				t.Error("no Last-Modified")
			}
			if c := do(t, "GET", srv.URL+p, map[string]string{"If-None-Match": etag}); c.status != http.StatusNotModified {
				t.Errorf("conditional GET: status %d, want 304", c.status)
			}
		})
	}
	if r := do(t, "GET", srv.URL+"/topics/no-such-topic/atom.xml", nil); r.status != http.StatusNotFound {
		t.Errorf("feed of an unknown topic: status %d, want 404", r.status)
	}
}

// TestFeedLength checks that a feed stops at 15 entries.
func TestFeedLength(t *testing.T) {
	b := newBlog(t)
	for i := range 20 {
		b.add(t, "Filler "+string(rune('a'+i)), "Guest Writer", gazette.StatusPublished, now.Add(-30*24*time.Hour), []string{"Media"}, "<p>filler</p>", "", "")
	}
	srv := b.serve(t, "classic")
	f, err := gofeed.NewParser().ParseURL(srv.URL + "/index.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 15 {
		t.Errorf("%d items, want 15", len(f.Items))
	}
}

// TestFeedBaseURLFromRequest checks the fallback of a blog with no base
// URL: the address the request came to.
func TestFeedBaseURLFromRequest(t *testing.T) {
	b := newBlog(t)
	ctx := context.Background()
	st, err := b.store.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.BaseURL = ""
	if err := b.store.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	srv := b.serve(t, "default")
	f, err := gofeed.NewParser().ParseURL(srv.URL + "/atom.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) == 0 || !strings.HasPrefix(f.Items[0].Link, srv.URL+"/archives/") {
		t.Errorf("without a base URL, links should be on %s: %+v", srv.URL, f.Items)
	}
}

// TestFeedparserOverHTTP reads every XML feed as served with Debian's
// python3-feedparser and wants bozo == 0.
func TestFeedparserOverHTTP(t *testing.T) {
	python := "/usr/bin/python3"
	if exec.Command(python, "-c", "import feedparser").Run() != nil {
		t.Skip("no /usr/bin/python3 with feedparser (Debian: apt-get install python3-feedparser)")
	}
	b := newBlog(t)
	srv := b.serve(t, "default")
	dir := t.TempDir()
	var files []string
	for _, p := range feedPaths {
		if strings.HasSuffix(p, ".json") {
			continue // feedparser 6 reads no JSON Feed; gofeed checks those
		}
		r := do(t, "GET", srv.URL+p, nil)
		file := filepath.Join(dir, strings.ReplaceAll(strings.Trim(p, "/"), "/", "_"))
		if err := os.WriteFile(file, []byte(r.body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	script := `
import json, sys, feedparser
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    print(json.dumps({"path": path, "bozo": int(d.bozo), "exception": str(d.get("bozo_exception", "")), "entries": len(d.entries)}))
`
	out, err := exec.Command(python, append([]string{"-c", script}, files...)...).Output()
	if err != nil {
		t.Fatalf("feedparser: %v", err)
	}
	n := 0
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		var res struct {
			Path, Exception string
			Bozo, Entries   int
		}
		if err := json.Unmarshal(line, &res); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		n++
		if res.Bozo != 0 {
			t.Errorf("%s: bozo %d: %s", filepath.Base(res.Path), res.Bozo, res.Exception)
		}
	}
	if n != len(files) {
		t.Errorf("feedparser read %d feeds, want %d", n, len(files))
	}
}
