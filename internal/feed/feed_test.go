package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/mmcdole/gofeed"
)

type format struct {
	name  string
	write func(*Feed, io.Writer) error
}

var formats = []format{
	{"atom", (*Feed).WriteAtom},
	{"rss", (*Feed).WriteRSS},
	{"json", (*Feed).WriteJSON},
}

func write(t testing.TB, f *Feed, fm format) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fm.write(f, &buf); err != nil {
		t.Fatalf("%s: %v", fm.name, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, fm := range formats {
		t.Run(fm.name, func(t *testing.T) {
			golden(t, "entries."+fm.name, write(t, testFeed(t), fm))
			golden(t, "comments."+fm.name, write(t, testCommentFeed(t), fm))
		})
	}
}

// TestGofeed reads every format back with gofeed and checks what a reader
// gets: titles, links, dates, ids, authors, categories and content.
func TestGofeed(t *testing.T) {
	for _, fm := range formats {
		t.Run(fm.name, func(t *testing.T) {
			f := testFeed(t)
			got, err := gofeed.NewParser().Parse(bytes.NewReader(write(t, f, fm)))
			if err != nil {
				t.Fatalf("gofeed: %v", err)
			}
			if got.Title != f.Title {
				t.Errorf("feed title %q, want %q", got.Title, f.Title)
			}
			if got.Link != f.HomeURL {
				t.Errorf("feed link %q, want %q", got.Link, f.HomeURL)
			}
			if got.FeedLink != f.FeedURL {
				t.Errorf("feed self link %q, want %q", got.FeedLink, f.FeedURL)
			}
			if len(got.Items) != len(f.Items) {
				t.Fatalf("%d items, want %d", len(got.Items), len(f.Items))
			}
			for i, want := range f.Items {
				it := got.Items[i]
				wantTitle := xmlText(want.Title)
				if fm.name == "json" {
					wantTitle = want.Title
				}
				if it.Title != wantTitle {
					t.Errorf("item %d title %q, want %q", i, it.Title, wantTitle)
				}
				if it.Link != want.URL {
					t.Errorf("item %d link %q, want %q", i, it.Link, want.URL)
				}
				wantID := want.ID
				if fm.name == "rss" {
					wantID = want.URL // guid is the permalink
				}
				if it.GUID != wantID {
					t.Errorf("item %d id %q, want %q", i, it.GUID, wantID)
				}
				if it.PublishedParsed == nil || !it.PublishedParsed.Equal(want.Published) {
					t.Errorf("item %d published %v, want %v", i, it.PublishedParsed, want.Published)
				}
				if fm.name != "rss" && (it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(want.Updated)) {
					t.Errorf("item %d updated %v, want %v", i, it.UpdatedParsed, want.Updated)
				}
				if !strings.Contains(it.Published, "-04") && !strings.Contains(it.Published, "-05") {
					t.Errorf("item %d published %q, want it in the blog's zone (New York)", i, it.Published)
				}
				if len(it.Authors) != 1 || it.Authors[0].Name != want.Authors[0].Name {
					t.Errorf("item %d authors %v, want %q", i, it.Authors, want.Authors[0].Name)
				}
				var cats []string
				for _, c := range want.Categories {
					cats = append(cats, c.Label) // gofeed prefers Atom's label to its term
				}
				if strings.Join(it.Categories, "|") != strings.Join(cats, "|") {
					t.Errorf("item %d categories %q, want %q", i, it.Categories, cats)
				}
				content := it.Content
				if fm.name == "rss" {
					content = fullText(it.Content, it.Description)
				}
				if content != want.ContentHTML {
					t.Errorf("item %d content\n%q, want\n%q", i, content, want.ContentHTML)
				}
			}
		})
	}
}

// xmlText is what a reader gets back from escape: the string without the
// characters XML cannot carry.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, s)
}

func TestEntryItem(t *testing.T) {
	b := testBlog(t)
	es := testEntries()
	it := b.Entry(es[1])
	if want := "tag:blog.example.com,2007-03-11:/archives/2007/03/iranian_general_that_defected.html"; it.ID != want {
		t.Errorf("ID %q, want %q", it.ID, want)
	}
	// The same entry edited, retitled and re-filed keeps its ID.
	edited := *es[1]
	edited.Title, edited.BodyHTML, edited.Topics = "New title", "<p>new</p>", nil
	edited.UpdatedAt = edited.UpdatedAt.Add(48 * time.Hour)
	if id := b.Entry(&edited).ID; id != it.ID {
		t.Errorf("edited entry has ID %q, want %q", id, it.ID)
	}
	// Its publication day is the blog's: 00:30 in New York is 04:30 UTC.
	if id := b.Entry(es[0]).ID; !strings.HasPrefix(id, "tag:blog.example.com,2007-03-12:/archives/2007/03/a%C3%A7%C3%A3o_&_%E6%97%A5%E6%9C%AC.html") {
		t.Errorf("ID %q: want the New York date and a percent-encoded path", id)
	}
	if it.URL != "https://blog.example.com/archives/2007/03/iranian_general_that_defected.html" {
		t.Errorf("URL %q", it.URL)
	}
	if !strings.Contains(it.ContentHTML, `<p>The rest of the story, with <img src="https://blog.example.com/media/map.png" alt="map">.</p>`) {
		t.Errorf("content lacks the extended body with an absolute image URL:\n%s", it.ContentHTML)
	}
	if want := (Category{Term: "middle-east", Label: "Middle East & Gulf", Scheme: "https://blog.example.com/topics/"}); it.Categories[1] != want {
		t.Errorf("category %+v, want %+v", it.Categories[1], want)
	}
	if want := (Person{Name: "Richard", URL: "https://blog.example.com/authors/richard/"}); it.Authors[0] != want {
		t.Errorf("author %+v, want %+v", it.Authors[0], want)
	}
	if it.Updated.Location() != newYork || it.Published.Location() != newYork {
		t.Errorf("times not in the blog's zone: %v, %v", it.Published, it.Updated)
	}
	first := b.Entry(es[2])
	if !first.Updated.Equal(first.Published) {
		t.Errorf("entry edited before publication: updated %v, want its publication %v", first.Updated, first.Published)
	}
	if first.Summary != "The very first entry." || !first.SummaryWritten {
		t.Errorf("summary %q (written %v), want the excerpt as text, written", first.Summary, first.SummaryWritten)
	}
	// An excerpt that only repeats the text's first words was cut.
	cut := *es[2]
	cut.Excerpt = "Hello, ..."
	if it := b.Entry(&cut); it.Summary != "Hello, ..." || it.SummaryWritten {
		t.Errorf("summary %q (written %v), want the excerpt, not written", it.Summary, it.SummaryWritten)
	}
}

// TestCutFrom tells an excerpt cut from an entry's first words from one
// its author wrote.
func TestCutFrom(t *testing.T) {
	text := "Of who bloggers newspaper because senate. Has intelligence like we."
	for _, tc := range []struct {
		excerpt string
		cut     bool
	}{
		{"Of who bloggers newspaper ...", true},
		{"Of who bloggers newspaper…", true},
		{"Of  who\nbloggers news [...]", true},
		{"Of who bloggers newspaper because senate...", true},
		{"Of who bloggers newspaper because senate", true},
		{"Of who bloggers newspaper because senate. Has intelligence like we.", true},
		{"Of who bloggers", true},
		{"Of who blog", false}, // a word of its own, not one cut short
		{"Of who blog ...", true},
		{"Of whom bloggers ...", false},
		{"A general defects.", false},
		{"Of who bloggers newspaper because senate. Has intelligence like we. And more", false},
		{"...", false},
		{"", false},
	} {
		if got := cutFrom(tc.excerpt, text); got != tc.cut {
			t.Errorf("cutFrom(%q) = %v, want %v", tc.excerpt, got, tc.cut)
		}
	}
	// Excerpts an author wrote that happen to begin as the text does.
	for _, tc := range []struct{ excerpt, text string }{
		{"Part 1", "Part 12 of my series"},
		{"Today I went to the park.", "Today I went to the parking garage and back."},
		{"I love cats.", "I love catsup on everything."},
		{"A", "An apple a day."},
	} {
		if cutFrom(tc.excerpt, tc.text) {
			t.Errorf("cutFrom(%q, %q) = true, want false: the author wrote it", tc.excerpt, tc.text)
		}
	}
}

func TestCommentItem(t *testing.T) {
	f := testCommentFeed(t)
	c := f.Items[0]
	if want := "Comment on Iranian General That Defected Was Spy For West by Captain Ed"; c.Title != want {
		t.Errorf("title %q, want %q", c.Title, want)
	}
	if want := "https://blog.example.com/archives/2007/03/iranian_general_that_defected.html#comment-42"; c.URL != want {
		t.Errorf("URL %q, want %q", c.URL, want)
	}
	if want := "tag:blog.example.com,2007-03-11:/archives/2007/03/iranian_general_that_defected.html#comment-42"; c.ID != want {
		t.Errorf("ID %q, want %q", c.ID, want)
	}
	if want := (Person{Name: "Captain Ed", URL: "https://captainsquarters.example/"}); c.Authors[0] != want {
		t.Errorf("author %+v, want %+v", c.Authors[0], want)
	}
	if !strings.Contains(c.ContentHTML, `href="https://blog.example.com/archives/2007/03/captain.html"`) {
		t.Errorf("comment link not made absolute: %s", c.ContentHTML)
	}
	anon := f.Items[1]
	if !strings.HasSuffix(anon.Title, " by Anonymous") || anon.Authors[0] != (Person{Name: "Anonymous"}) {
		t.Errorf("nameless comment: title %q, author %+v; want Anonymous and no javascript: URL", anon.Title, anon.Authors[0])
	}
}

func TestAbsoluteHTML(t *testing.T) {
	b := testBlog(t)
	base := "/archives/2007/03/entry.html"
	const h = "https://blog.example.com"
	for _, tc := range []struct{ name, in, want string }{
		{"root-relative", `<a href="/x">`, `<a href="` + h + `/x">`},
		{"relative", `<a href="x.html">`, `<a href="` + h + `/archives/2007/03/x.html">`},
		{"parent", `<a href="../x">`, `<a href="` + h + `/archives/2007/x">`},
		{"dot segments", `<a href="./a/../b">`, `<a href="` + h + `/archives/2007/03/b">`},
		{"fragment", `<a href="#c">`, `<a href="` + h + base + `#c">`},
		{"query", `<a href="?p=2">`, `<a href="` + h + base + `?p=2">`},
		{"scheme-relative", `<img src="//cdn.example.net/i.png">`, `<img src="https://cdn.example.net/i.png">`},
		{"absolute kept byte for byte", `<A HREF='https://x.example/a?b=1&amp;c=2' class=k>`, `<A HREF='https://x.example/a?b=1&amp;c=2' class=k>`},
		{"mailto kept", `<a href="mailto:a@b.example">`, `<a href="mailto:a@b.example">`},
		{"javascript kept for the sanitiser to judge", `<a href="javascript:x()">`, `<a href="javascript:x()">`},
		{"space trimmed", `<a href=" /x ">`, `<a href="` + h + `/x">`},
		{"entity in value", `<a href="/x?a=1&amp;b=2">t</a>`, `<a href="` + h + `/x?a=1&amp;b=2">t</a>`},
		{"poster and src", `<video poster="p.png" src="/v.mp4">`, `<video poster="` + h + `/archives/2007/03/p.png" src="` + h + `/v.mp4">`},
		{"cite", `<blockquote cite="/q">`, `<blockquote cite="` + h + `/q">`},
		{"srcset", `<img srcset="a.jpg 1x, /b.jpg 2x,https://c.example/c.jpg 3x">`,
			`<img srcset="` + h + `/archives/2007/03/a.jpg 1x, ` + h + `/b.jpg 2x, https://c.example/c.jpg 3x">`},
		{"srcset widths", `<img srcset="a.jpg 100w,b.jpg 200w" sizes="(max-width: 600px) 100px, 200px">`,
			`<img srcset="` + h + `/archives/2007/03/a.jpg 100w, ` + h + `/archives/2007/03/b.jpg 200w" sizes="(max-width: 600px) 100px, 200px">`},
		{"srcset absolute kept", `<img srcset="https://x.example/a.jpg 1x,https://x.example/b.jpg 2x">`, `<img srcset="https://x.example/a.jpg 1x,https://x.example/b.jpg 2x">`},
		{"self-closing", `<img src="i.png"/>`, `<img src="` + h + `/archives/2007/03/i.png"/>`},
		{"text untouched", `<p>href="/x" &amp; 1 < 2</p>`, `<p>href="/x" &amp; 1 < 2</p>`},
		{"script untouched", `<script>var s = '<a href="/x">';</script>`, `<script>var s = '<a href="/x">';</script>`},
		{"comment untouched", `<!-- <a href="/x"> -->`, `<!-- <a href="/x"> -->`},
		{"unclosed tag at end kept", `<p>x</p><a href="/x"`, `<p>x</p><a href="/x"`},
		{"empty href kept", `<a href="">`, `<a href="">`},
		{"no attributes", `<p>plain</p>`, `<p>plain</p>`},
		{"svg xlink", `<svg><a xlink:href="/x"></a></svg>`, `<svg><a xlink:href="` + h + `/x"></a></svg>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := testBlogURL(t, b, base)
			if got := absoluteHTML(tc.in, u); got != tc.want {
				t.Errorf("absoluteHTML(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFeedErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Feed)
		want   string
	}{
		{"relative feed URL", func(f *Feed) { f.FeedURL = "/atom.xml" }, "FeedURL"},
		{"no home", func(f *Feed) { f.HomeURL = "" }, "HomeURL"},
		{"bad language", func(f *Feed) { f.Language = "en_US" }, "Language"},
		{"item without ID", func(f *Feed) { f.Items[1].ID = "" }, "item 1"},
		{"item without date", func(f *Feed) { f.Items[2].Published = time.Time{} }, "item 2"},
		{"item with relative URL", func(f *Feed) { f.Items[0].URL = "x.html" }, "item 0"},
		{"no items, no updated", func(f *Feed) { f.Items = nil }, "no Updated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, fm := range formats {
				if fm.name == "json" && tc.want == "no Updated" {
					continue // JSON Feed has no feed-level date
				}
				f := testFeed(t)
				tc.change(f)
				err := fm.write(f, io.Discard)
				if !errors.Is(err, gazette.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: error %v, want ErrInvalid naming %s", fm.name, err, tc.want)
				}
			}
		})
	}
	if _, err := NewBlog("blog.example.com", nil); !errors.Is(err, gazette.ErrInvalid) {
		t.Errorf("NewBlog without a scheme: %v, want ErrInvalid", err)
	}
}

// TestEmptyFeed: a blog with nothing published yet still has valid feeds.
func TestEmptyFeed(t *testing.T) {
	f := testFeed(t)
	f.Items = nil
	f.Updated = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, fm := range formats {
		out := write(t, f, fm)
		if _, err := gofeed.NewParser().Parse(bytes.NewReader(out)); err != nil {
			t.Errorf("%s: %v\n%s", fm.name, err, out)
		}
	}
	var jf map[string]any
	if err := json.Unmarshal(write(t, f, formats[2]), &jf); err != nil || jf["items"] == nil {
		t.Errorf("JSON Feed without items must still have an items array: %v %v", jf, err)
	}
}

// wellFormed parses doc strictly as XML and fails on any error.
func wellFormed(t *testing.T, doc []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
	}
}

func TestRFC822Dates(t *testing.T) {
	out := string(write(t, testFeed(t), formats[1]))
	for _, tag := range []string{"pubDate", "lastBuildDate"} {
		for _, part := range strings.Split(out, "<"+tag+">")[1:] {
			date, _, _ := strings.Cut(part, "<")
			got, err := mail.ParseDate(date)
			if err != nil {
				t.Errorf("%s %q is not an RFC 822 date: %v", tag, date, err)
				continue
			}
			if _, off := got.Zone(); off != -4*3600 && off != -5*3600 {
				t.Errorf("%s %q is not in the blog's zone", tag, date)
			}
		}
	}
}
