package feed

import (
	"bytes"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

var newYork = mustZone("America/New_York")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func testBlog(t testing.TB) *Blog {
	b, err := NewBlog("https://Blog.Example.com", newYork)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	iran    = gazette.Topic{ID: 1, Slug: "iran", Name: "Iran"}
	mideast = gazette.Topic{ID: 2, Slug: "middle-east", Name: "Middle East & Gulf"}
	richard = gazette.Author{ID: 1, Slug: "richard", Name: "Richard"}
)

// testEntries returns, newest first, entries with the things feeds get
// wrong: relative links of every form, markup-like titles, an extended body,
// a non-ASCII basename, an edit after publication.
func testEntries() []*gazette.Entry {
	return []*gazette.Entry{
		{
			ID:    3,
			Path:  "/archives/2007/03/ação_&_日本.html",
			Title: `Tom & Jerry's <"Quotes"> ]]> and ` + "\x01control\x0bchars\uFFFE",
			BodyHTML: `<p>Links: <a href="/archives/2007/03/other.html">root</a>, <a href="sibling.html">sibling</a>, ` +
				`<a href="../02/up.html">up</a>, <a href="#frag">fragment</a>, <a href="//cdn.example.net/x.js">scheme-relative</a>, ` +
				`<a href="https://elsewhere.example/">absolute</a>, <a href="mailto:r@example.com">mail</a>.</p>` + "\n" +
				`<p><img src="/media/pic.jpg" srcset="/media/pic-2x.jpg 2x, pic-3x.jpg 3x" alt="A &amp; B"></p>` + "\n" +
				`<video poster="poster.png" src="/media/v.mp4"></video><blockquote cite="/archives/2006/01/q.html"><p>quoted ]]&gt; text</p></blockquote>`,
			Status:      gazette.StatusPublished,
			PublishedAt: time.Date(2007, 3, 12, 4, 30, 0, 0, time.UTC), // 2007-03-12 00:30 EDT
			UpdatedAt:   time.Date(2007, 3, 12, 4, 30, 0, 0, time.UTC),
			Author:      gazette.Author{ID: 2, Slug: "anne-marie", Name: `Anne-Marie "AM" O'Brien & co`},
		},
		{
			ID:           2,
			Path:         "/archives/2007/03/iranian_general_that_defected.html",
			Title:        "Iranian General That Defected Was Spy For West",
			BodyHTML:     `<p>Captain Ed has <a href="/archives/2007/03/captain.html">more</a>.</p>`,
			ExtendedHTML: `<p>The rest of the story, with <img src="/media/map.png" alt="map">.</p>`,
			Status:       gazette.StatusPublished,
			PublishedAt:  time.Date(2007, 3, 11, 18, 5, 0, 0, time.UTC), // 2:05 PM EDT, the first day of daylight saving
			UpdatedAt:    time.Date(2007, 3, 14, 9, 0, 0, 0, time.UTC),
			Author:       richard,
			Topics:       []gazette.Topic{iran, mideast},
		},
		{
			ID:          1,
			Path:        "/archives/2007/01/first.html",
			Title:       "First",
			Excerpt:     "The <em>very</em> first entry.",
			BodyHTML:    "<p>Hello, world.</p>",
			Status:      gazette.StatusPublished,
			PublishedAt: time.Date(2007, 1, 1, 12, 0, 0, 0, time.UTC),
			// Written before it was published: updated is its publication.
			UpdatedAt: time.Date(2006, 12, 31, 12, 0, 0, 0, time.UTC),
			Author:    richard,
			Topics:    []gazette.Topic{iran},
		},
	}
}

// testFeed returns the blog's main feed of testEntries.
func testFeed(t testing.TB) *Feed {
	b := testBlog(t)
	f := &Feed{
		Title:    "Captain's Log & <Notes>",
		Subtitle: "Notes from the bridge",
		HomeURL:  b.URL("/"),
		FeedURL:  b.URL("/atom.xml"),
		Language: "en-US",
	}
	for _, e := range testEntries() {
		f.Items = append(f.Items, b.Entry(e))
	}
	return f
}

// testCommentFeed returns a comments feed of two comments.
func testCommentFeed(t testing.TB) *Feed {
	b := testBlog(t)
	f := &Feed{
		Title:   "Comments on Captain's Log",
		HomeURL: b.URL("/"), AlternateURL: b.URL("/comments/"),
		FeedURL: b.URL("/comments/atom.xml"),
		Updated: time.Date(2007, 3, 15, 0, 0, 0, 0, time.UTC),
	}
	comments := []*gazette.Comment{
		{ID: 42, Name: "Captain Ed", URL: "https://captainsquarters.example/", Body: "x",
			CreatedAt:  time.Date(2007, 3, 11, 20, 0, 0, 0, time.UTC),
			EntryTitle: "Iranian General That Defected Was Spy For West", EntryPath: "/archives/2007/03/iranian_general_that_defected.html"},
		{ID: 43, Name: "", URL: "javascript:alert(1)",
			CreatedAt:  time.Date(2007, 3, 12, 1, 0, 0, 0, time.UTC),
			EntryTitle: "Iranian General That Defected Was Spy For West", EntryPath: "/archives/2007/03/iranian_general_that_defected.html"},
	}
	html := []string{
		`<p>Agreed; see <a href="/archives/2007/03/captain.html" rel="nofollow ugc">my post</a>.</p>`,
		`<p>Anonymous &lt;3 &amp; more</p>`,
	}
	for i, c := range comments {
		f.Items = append(f.Items, b.Comment(c, html[i]))
	}
	return f
}

func testBlogURL(t *testing.T, b *Blog, path string) *url.URL {
	t.Helper()
	u, err := url.Parse(b.URL(path))
	if err != nil {
		t.Fatal(err)
	}
	return u
}
