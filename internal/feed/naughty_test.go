package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/mmcdole/gofeed"
)

// naughtyDir holds the Big List of Naughty Strings and XSS lists, already in
// the repository for the sanitiser's tests (see its README for provenance).
const naughtyDir = "../sanitize/testdata/naughty"

// naughtyStrings returns every string of blns.json and every line of the
// XSS and XML-attack lists.
func naughtyStrings(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(naughtyDir, "blns", "blns.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"xss/rsnake-xss.txt", "xss/jhaddix-xss.txt", "xss/xss-polyglots.txt", "xml/patt-xml-attacks.txt"} {
		b, err := os.ReadFile(filepath.Join(naughtyDir, name))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Split(string(b), "\n")...)
	}
	return out
}

// atomDoc is what TestNaughty reads back from our Atom with encoding/xml,
// which keeps strings exactly as the document carries them.
type atomDoc struct {
	Title   string `xml:"title"`
	Entries []struct {
		Title   string `xml:"title"`
		Author  string `xml:"author>name"`
		Content string `xml:"content"`
		Summary string `xml:"summary"`
		Cats    []struct {
			Label string `xml:"label,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

type rssDoc struct {
	Items []struct {
		Title       string `xml:"title"`
		Creator     string `xml:"http://purl.org/dc/elements/1.1/ creator"`
		Description string `xml:"description"`
		Content     string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	} `xml:"channel>item"`
}

// fullText is an RSS item's full text as a reader takes it: content:encoded
// when there is one, else the description.
func fullText(content, description string) string {
	if content != "" {
		return content
	}
	return description
}

// TestNaughty puts each hostile string in as a title, a body, an author
// name and a topic name, and checks that every format stays well-formed and
// gives the string back: exactly in JSON, and in XML less only the
// characters XML 1.0 cannot carry.
func TestNaughty(t *testing.T) {
	strs := naughtyStrings(t)
	for n, f := range naughtyFeeds(t) {
		start := n * 15
		batch := strs[start:min(start+15, len(strs))]
		atom, rss, js := write(t, f, formats[0]), write(t, f, formats[1]), write(t, f, formats[2])

		var ad atomDoc
		if err := xml.Unmarshal(atom, &ad); err != nil {
			t.Fatalf("Atom for strings %d..: %v\n%s", start, err, atom)
		}
		var rd rssDoc
		if err := xml.Unmarshal(rss, &rd); err != nil {
			t.Fatalf("RSS for strings %d..: %v\n%s", start, err, rss)
		}
		var jd struct {
			Title string `json:"title"`
			Items []struct {
				Title       string `json:"title"`
				ContentHTML string `json:"content_html"`
				Authors     []struct {
					Name string `json:"name"`
				} `json:"authors"`
				Tags []string `json:"tags"`
			} `json:"items"`
		}
		if err := json.Unmarshal(js, &jd); err != nil {
			t.Fatalf("JSON for strings %d..: %v", start, err)
		}
		for _, doc := range [][]byte{atom, rss, js} {
			if _, err := gofeed.NewParser().Parse(bytes.NewReader(doc)); err != nil {
				t.Fatalf("gofeed, strings %d..: %v", start, err)
			}
		}
		if ad.Title != xmlText(f.Title) || jd.Title != f.Title {
			t.Errorf("feed title %q: Atom gave %q, JSON %q", f.Title, ad.Title, jd.Title)
		}
		for i, it := range f.Items {
			s := batch[i]
			a, r, j := ad.Entries[i], rd.Items[i], jd.Items[i]
			for _, c := range []struct{ what, got, want string }{
				{"Atom title", a.Title, xmlText(s)},
				{"Atom content", a.Content, xmlText(it.ContentHTML)},
				{"Atom author", a.Author, xmlText(it.Authors[0].Name)},
				{"Atom category label", a.Cats[0].Label, xmlText(s)},
				{"Atom summary", a.Summary, xmlText(it.Summary)},
				{"RSS title", r.Title, xmlText(s)},
				{"RSS content", fullText(r.Content, r.Description), xmlText(it.ContentHTML)},
				{"RSS creator", r.Creator, xmlText(it.Authors[0].Name)},
				{"JSON title", j.Title, s},
				{"JSON content", j.ContentHTML, it.ContentHTML},
				{"JSON author", j.Authors[0].Name, it.Authors[0].Name},
				{"JSON tag", j.Tags[0], s},
			} {
				if c.got != c.want {
					t.Errorf("string %d: %s = %q, want %q", start+i, c.what, c.got, c.want)
				}
			}
		}
	}
}

// TestForbiddenCharacters checks the escaper on each kind of character XML
// 1.0 cannot hold or would change.
func TestForbiddenCharacters(t *testing.T) {
	for _, tc := range []struct{ in, text, attr, cdata string }{
		{"a\x00b", "ab", "ab", "ab"},
		{"a\x08\x0b\x0c\x1fb", "ab", "ab", "ab"},
		{"a\uFFFE\uFFFFb", "ab", "ab", "ab"},
		{"a\xffb", "a\uFFFDb", "a\uFFFDb", "a\uFFFDb"},
		{"a\rb", "a&#xD;b", "a&#xD;b", ""}, // never written as CDATA
		{"a\tb\nc", "a\tb\nc", "a&#x9;b&#xA;c", "a\tb\nc"},
		{`<&>"'`, `&lt;&amp;&gt;"'`, `&lt;&amp;&gt;&quot;'`, `<&>"'`},
		{"]]>", "]]&gt;", "]]&gt;", "]]]]><![CDATA[>"},
		{"a]]]>b]]", "a]]]&gt;b]]", "a]]]&gt;b]]", "a]]]]]><![CDATA[>b]]"},
		{"]]\x00>", "]]&gt;", "]]&gt;", "]]]]><![CDATA[>"},
		{"]\x01]\uFFFE>", "]]&gt;", "]]&gt;", "]]]]><![CDATA[>"},
		{"\U0001F600 \u0085 \u2028", "\U0001F600 \u0085 \u2028", "\U0001F600 \u0085 \u2028", "\U0001F600 \u0085 \u2028"},
	} {
		var text, attr, cdata strings.Builder
		escape(&text, tc.in, inText)
		escape(&attr, tc.in, inAttr)
		if text.String() != tc.text || attr.String() != tc.attr {
			t.Errorf("escape(%q) = %q, %q; want %q, %q", tc.in, text.String(), attr.String(), tc.text, tc.attr)
		}
		if tc.cdata == "" {
			continue
		}
		escape(&cdata, tc.in, inCDATA)
		doc := "<x><![CDATA[" + cdata.String() + "]]></x>"
		var back string
		if cdata.String() != tc.cdata || xml.Unmarshal([]byte(doc), &back) != nil || back != xmlText(string([]rune(tc.in))) {
			t.Errorf("escape(%q) in CDATA = %q, read back %q; want %q", tc.in, cdata.String(), back, tc.cdata)
		}
	}
}

// naughtyFeeds returns feeds of 15 entries, as the blog serves, whose
// titles, bodies, authors and topics are the hostile strings in order, so
// that one bad string cannot hide behind another.
func naughtyFeeds(t *testing.T) []*Feed {
	b := testBlog(t)
	strs := naughtyStrings(t)
	var feeds []*Feed
	for start := 0; start < len(strs); start += 15 {
		batch := strs[start:min(start+15, len(strs))]
		f := &Feed{Title: batch[0], Subtitle: batch[len(batch)-1], HomeURL: b.URL("/"), FeedURL: b.URL("/atom.xml")}
		for i, s := range batch {
			e := &gazette.Entry{
				Path: "/archives/2020/01/n" + string(rune('a'+i)) + ".html", Title: s, BodyHTML: s,
				PublishedAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC),
				Author: gazette.Author{Name: s, Slug: "a"}, Topics: []gazette.Topic{{Slug: "t", Name: s}},
			}
			if strings.TrimSpace(s) == "" {
				e.Author.Name = "x" // a nameless author is left out, which TestCommentItem covers
			}
			f.Items = append(f.Items, b.Entry(e))
		}
		feeds = append(feeds, f)
	}
	return feeds
}

// FuzzCDATA holds the CDATA escaping to its promise: whatever the string
// (without a carriage return, which is never written as CDATA), the
// section stays one element's text and reads back as the string less the
// characters XML cannot carry.
func FuzzCDATA(f *testing.F) {
	for _, s := range []string{"<p>x</p>", "]]>", "]]\x00>", "]\x01]>", "a]]]>b", "\xff]]>", "<![CDATA[x]]>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.Contains(s, "\r") {
			return
		}
		var b strings.Builder
		escape(&b, s, inCDATA)
		var back string
		if err := xml.Unmarshal([]byte("<x><![CDATA["+b.String()+"]]></x>"), &back); err != nil {
			t.Fatalf("escape(%q) in CDATA = %q: %v", s, b.String(), err)
		}
		if want := xmlText(string([]rune(s))); back != want {
			t.Fatalf("escape(%q) in CDATA reads back %q, want %q", s, back, want)
		}
	})
}
