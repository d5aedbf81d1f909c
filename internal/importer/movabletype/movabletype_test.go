package movabletype

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/importer"
)

// readAll reads every item of an export, failing the test on an error.
func readAll(t *testing.T, name, src string, loc *time.Location) []*importer.Item {
	t.Helper()
	items, err := readAllErr(name, src, loc)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func readAllErr(name, src string, loc *time.Location) ([]*importer.Item, error) {
	r := New(strings.NewReader(src), name, loc)
	var items []*importer.Item
	for {
		it, err := r.Next()
		if err == io.EOF {
			return items, nil
		}
		if err != nil {
			return items, err
		}
		items = append(items, it)
	}
}

func readFile(t *testing.T, path string) []*importer.Item {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	return readAll(t, filepath.Base(path), string(b), time.UTC)
}

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05", s)
	if err != nil {
		panic(err)
	}
	return t
}

func topicNames(e gazette.Entry) []string {
	var names []string
	for _, t := range e.Topics {
		names = append(names, t.Name)
	}
	return names
}

func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func TestMultiplePosts(t *testing.T) {
	items := readFile(t, "MovableTypeParser.NET/MultiplePosts.txt")
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3", len(items))
	}
	first := items[0]
	e := first.Entry
	eq(t, "AttachToExisting", first.AttachToExisting, true)
	eq(t, "Author", e.Author, gazette.Author{Name: "Joe Bloggs", Email: "joe@bloggs.com"}) // after the BOM
	eq(t, "Title", e.Title, "Foo post title")
	eq(t, "Format", e.Format, gazette.FormatHTML) // wysiwyg
	eq(t, "Basename", e.Basename, "foo-post-basename")
	eq(t, "Tags", e.Tags, []string{"Foo bar", "Foo", "Bar"})
	eq(t, "Topics", topicNames(e), []string{"Foo primary category", "Foo category", "Bar category", "Foo bar category"})
	eq(t, "PublishedAt", e.PublishedAt, date("2020-01-01 09:50:00"))
	eq(t, "OldPaths", first.OldPaths, []string(nil)) // NO ENTRY: not numbered
	eq(t, "Keywords", e.Keywords, "Foo keywords")
	eq(t, "Excerpt", e.Excerpt, "Foo excerpt")
	eq(t, "ExtendedBody", e.ExtendedBody, "<p>Foo extended body</p>")
	if len(first.Comments) != 2 || len(first.Mentions) != 2 {
		t.Fatalf("got %d comments and %d pings, want 2 and 2", len(first.Comments), len(first.Mentions))
	}
	c := first.Comments[1]
	c.ImportKey = ""
	eq(t, "comment 2", c, gazette.Comment{
		Name: "Mr Smith", Email: "mrsmith@example.com", URL: "https://example.com/foo/bar", IP: "127.0.0.1",
		Body: "Great article!", Status: gazette.CommentApproved, CreatedAt: date("2019-05-20 05:00:00"),
	})
	p := first.Mentions[0]
	p.ImportKey = ""
	eq(t, "ping 1", p, gazette.Mention{
		Kind: gazette.MentionTrackback, SourceURL: "http://example.com/ping/foo", Title: "Foo ping 1",
		Excerpt: "Ping 1 excerpt text", BlogName: "Foo blog name 1", IP: "127.0.0.1",
		Status: gazette.CommentApproved, CreatedAt: date("2020-01-02 09:50:00"),
	})

	second := items[1].Entry
	eq(t, "2nd Status", second.Status, gazette.StatusPublished) // no STATUS key
	eq(t, "2nd Format", second.Format, gazette.FormatConvertBreaks)
	eq(t, "2nd AllowComments", second.AllowComments, true)
	eq(t, "2nd PublishedAt", second.PublishedAt, date("2019-01-30 03:30:00")) // 24-hour
	eq(t, "2nd OldPaths", items[1].OldPaths, []string{"/archives/000001.html",
		"/archives/2019/01/here-is-a-second-entry.html"})
	eq(t, "3rd Line", items[2].Line, 77)
	eq(t, "3rd Body", items[2].Entry.Body, "<p>This is the body of the third entry.</p>") // no final newline
	eq(t, "3rd OldPaths", items[2].OldPaths, []string{"/archives/000002.html", "/archives/2019/01/here-is-a-third-entry.html"})
}

func TestAerealOK(t *testing.T) {
	items := readFile(t, "aereal-mt/ok.txt")
	if len(items) != 2 {
		t.Fatalf("got %d items, want 2", len(items))
	}
	e := items[0].Entry
	eq(t, "Tags", e.Tags, []string{"Movable Type", "foo", "bar"})
	eq(t, "Topics", topicNames(e), []string{"News", "Product"})
	eq(t, "Body", e.Body, "これは本文です。")
	eq(t, "AllowPings", e.AllowPings, true)
	eq(t, "comment count", len(items[0].Comments), 2)
	eq(t, "comment 1 date", items[0].Comments[0].CreatedAt, date("2002-01-31 15:47:06")) // 24-hour
	eq(t, "comment 1 body", items[0].Comments[0].Body, "ここに\nこのコメントの本文が来ます。")
	eq(t, "comment 2 email", items[0].Comments[1].Email, "me@bar.com")
	eq(t, "comment 2 date", items[0].Comments[1].CreatedAt, date("2002-02-01 04:02:07"))

	e2 := items[1].Entry
	eq(t, "2nd Title", e2.Title, "2件目の記事") // trailing space trimmed
	eq(t, "2nd Basename", e2.Basename, "filename")
	eq(t, "2nd ExtendedBody", e2.ExtendedBody, "")
	eq(t, "2nd Excerpt", e2.Excerpt, "この記事は追記がありませんが、\n概要はあります。 特殊な例です。")
	eq(t, "anchor URL", items[1].Comments[0].URL, "http://www.quux.com/")
	if e.ImportKey == e2.ImportKey {
		t.Errorf("two entries share ImportKey %s", e.ImportKey)
	}
}

func TestSample2(t *testing.T) {
	items := readFile(t, "google-blog-converters/movabletype-sample2.txt")
	if len(items) != 1 {
		t.Fatalf("got %d items, want 1", len(items))
	}
	e := items[0].Entry
	eq(t, "Title", e.Title, "My first post")
	eq(t, "Basename", e.Basename, "my_first_post")
	eq(t, "Tags", e.Tags, []string{"first", "goodtag"})
	eq(t, "Topics", topicNames(e), []string{"New", "published"})
	eq(t, "Keywords", e.Keywords, "keyword, post")
	eq(t, "Excerpt", e.Excerpt, "")
	eq(t, "PublishedAt", e.PublishedAt, date("2008-11-13 14:16:10"))
	// The first comment's keyword line is "COMMENT: ", which MT would drop.
	if len(items[0].Comments) != 3 {
		t.Fatalf("got %d comments, want 3", len(items[0].Comments))
	}
	c := items[0].Comments[0]
	eq(t, "comment 1", [5]string{c.Name, c.Email, c.IP, c.URL, c.Body},
		[5]string{"JumpBox Admin User", "jlueck@google.com", "172.31.47.193", "", "This is the first comment."})
	eq(t, "comment 3 date", items[0].Comments[2].CreatedAt, date("2008-11-13 15:06:35"))
}

func TestTypePad(t *testing.T) {
	items := readFile(t, "typepad_to_jekyll/typepad_multiple_posts.txt")
	if len(items) != 2 {
		t.Fatalf("got %d items, want 2", len(items))
	}
	eq(t, "1st Status", items[0].Entry.Status, gazette.StatusDraft)
	eq(t, "1st Format", items[0].Entry.Format, gazette.FormatConvertBreaks) // __default__
	eq(t, "1st OldPaths", items[0].OldPaths, []string{"/2003/05/first_post.html", "/archives/000001.html",
		"/archives/2003/05/first_post.html"})
	eq(t, "1st comments", len(items[0].Comments), 1)
	eq(t, "1st comment body", items[0].Comments[0].Body, "Easy, ain't it? :)\nlaters")
	eq(t, "2nd comments", len(items[1].Comments), 5)
	eq(t, "2nd comment 1 author", items[1].Comments[0].Name, "Fred Mike Jones")
	eq(t, "2nd comment 1 body", items[1].Comments[0].Body,
		"Yeah, wireless is the way to go. Mrs. Noded has here own laptop. It makes it so much easier. Here, there and everywhere. \n\nYou posting from the backyard?")
	eq(t, "2nd Topics", topicNames(items[1].Entry), []string{"Hardware"})
	if !strings.Contains(items[1].Entry.Body, "grid=33&scid=35") {
		t.Errorf("Body lost its raw &: %q", items[1].Entry.Body)
	}

	items = readFile(t, "typepad_to_jekyll/typepad_posts_yaml.txt")
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3", len(items))
	}
	eq(t, "titles", []string{items[0].Entry.Title, items[1].Entry.Title, items[2].Entry.Title}, []string{
		"Junk Faxes: Redux", `All about Frank's "MIDI" Files`, `Comment Spam: Here it comes again, Sue's List of "Crazy" Items`,
	})
	eq(t, "Topics", topicNames(items[1].Entry), []string{"General IT", "Programming"})
	if !strings.HasSuffix(items[2].Entry.Body, "<p>Marvelous<br />") {
		t.Errorf("unclosed body ends %q", items[2].Entry.Body[len(items[2].Entry.Body)-30:])
	}
}

func TestFeedBurnerSample(t *testing.T) {
	items := readFile(t, "google-blog-converters/movabletype-sample.txt")
	if len(items) != 451 {
		t.Fatalf("got %d items, want 451", len(items))
	}
	counts := map[gazette.EntryStatus]int{}
	formats := map[gazette.Format]int{}
	keys := map[string]bool{}
	for _, it := range items {
		counts[it.Entry.Status]++
		formats[it.Entry.Format]++
		keys[it.Entry.ImportKey] = true
		if len(it.Comments) != 0 {
			t.Errorf("line %d: %d comments, want none", it.Line, len(it.Comments))
		}
		for _, s := range []string{it.Entry.Title, it.Entry.Body} {
			if !utf8.ValidString(s) {
				t.Errorf("line %d: invalid UTF-8 in %q", it.Line, s)
			}
		}
	}
	eq(t, "statuses", counts, map[gazette.EntryStatus]int{gazette.StatusPublished: 294, gazette.StatusDraft: 157})
	eq(t, "formats", formats, map[gazette.Format]int{gazette.FormatHTML: 432, gazette.FormatConvertBreaks: 19})
	eq(t, "distinct keys", len(keys), 451)

	first := items[0].Entry
	eq(t, "first title", first.Title, "Richard MacManus")
	eq(t, "first date", first.PublishedAt, date("2004-12-30 13:14:33"))
	eq(t, "first topics", topicNames(first), []string{"Press"})
	eq(t, "first allow comments", first.AllowComments, false)
	last := items[450]
	eq(t, "last title", last.Entry.Title, "Game Socks")
	eq(t, "last date", last.Entry.PublishedAt, date("2008-04-24 15:55:39"))
	eq(t, "last OldPaths", last.OldPaths, []string{"/archives/000451.html"})
	eq(t, "ClickZ topics", topicNames(items[4].Entry), []string{"Press", "About", "Commercial"})

	byTitle := map[string]*importer.Item{}
	for _, it := range items {
		byTitle[it.Entry.Title] = it
	}
	// Stray Windows-1252 bytes: 0xAB is «, 0x92 is ’.
	body := byTitle["Blogging Help - draft"].Entry.Body
	for _, want := range []string{"\u00ab The paid blogging model", "You don\u2019t need", "BloggingHelp\u2019s feed"} {
		if !strings.Contains(body, want) {
			t.Errorf("Blogging Help body lacks %q", want)
		}
	}
	// U+FFFD already in the file stays as it is.
	if b := byTitle["Lista de Podcasts"].Entry.Body; !strings.HasPrefix(b, "\ufffdEstas buscando") {
		t.Errorf("Lista de Podcasts body starts %q", b[:20])
	}
	// 46-dash lines are body text, not separators.
	dashes := strings.Repeat("-", 46)
	n := 0
	for _, it := range items {
		n += strings.Count(it.Entry.Body, dashes)
	}
	if n == 0 {
		t.Error("no body kept its 46-dash lines")
	}
}

// TestFormat covers the rules of the format on small inputs.
func TestFormat(t *testing.T) {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	src := "TITLE: A\r\nAUTHOR: X\r\nDATE: 3/1/99 1:05:00 pm\r\nSTATUS: future\r\n" +
		"CONVERT BREAKS: markdown_with_smartypants\r\nTAGS: 'a, b', c ,\"d e\", c\r\n" +
		"CATEGORY: One\r\nPRIMARY CATEGORY: Two\r\nCATEGORY: Two\r\nCF50_BASENAME: x\r\n" +
		"-----\r\nBODY:\r\n    indented\r\n-----\t\r\n--------\t\r\n" + strings.Repeat("-", 9) + "\r\n-----\r\n" +
		"MYSTERY:\r\nlost\r\n-----\r\nEXTENDED BODY: same line\r\nmore\r\n-----\r\n--------\r\n" +
		"TITLE: B\nDATE: 12/31/1999 23:59:59\nCONVERT BREAKS: textile_2\nALLOW PINGS:\nALLOW COMMENTS: 2\n" +
		"-----\nBODY:\nb\n-----\nCOMMENT:\nAUTHOR: R\nURL: x\n\nURL: in the body\n-----\n--------\n" +
		"DATE: 01/02/2003 04:05:06 AM\nSTART BODY\nfirst\nsecond\n--------\n"
	items := readAll(t, "f.txt", src, loc)
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3", len(items))
	}
	a := items[0].Entry
	eq(t, "PublishedAt", a.PublishedAt, time.Date(1999, 3, 1, 18, 5, 0, 0, time.UTC)) // 2-digit year: 19YY
	eq(t, "Status", a.Status, gazette.StatusScheduled)
	eq(t, "Format", a.Format, gazette.FormatMarkdown)
	eq(t, "Tags", a.Tags, []string{"a, b", "c", "d e"})
	eq(t, "Topics", topicNames(a), []string{"Two", "One"})
	eq(t, "Body", a.Body, "    indented\n-----\n--------\n---------")
	eq(t, "ExtendedBody", a.ExtendedBody, "same line\nmore")

	b := items[1].Entry
	eq(t, "B PublishedAt", b.PublishedAt, time.Date(2000, 1, 1, 4, 59, 59, 0, time.UTC))
	eq(t, "B Format", b.Format, gazette.FormatConvertBreaks)
	eq(t, "B AllowPings", b.AllowPings, false)
	eq(t, "B AllowComments", b.AllowComments, false)
	eq(t, "B comment URL", items[1].Comments[0].URL, "x")
	eq(t, "B comment body", items[1].Comments[0].Body, "URL: in the body")

	c := items[2].Entry
	eq(t, "START BODY", c.Body, "first\nsecond")
	eq(t, "title from body", c.Title, "first second")
	eq(t, "OldPaths", items[2].OldPaths, []string{"/archives/000003.html"})
}

func TestImportKeysStable(t *testing.T) {
	src := "TITLE: A\nDATE: 01/02/2003 04:05:06 AM\n-----\nBODY:\nx\n-----\nCOMMENT:\nAUTHOR: a\nhi\n-----\n--------\n"
	utc := readAll(t, "f", src, time.UTC)
	tokyo := readAll(t, "f", src, time.FixedZone("JST", 9*3600))
	if utc[0].Entry.ImportKey != tokyo[0].Entry.ImportKey || utc[0].Comments[0].ImportKey != tokyo[0].Comments[0].ImportKey {
		t.Error("import keys depend on the blog's time zone")
	}
	if utc[0].Entry.PublishedAt.Equal(tokyo[0].Entry.PublishedAt) {
		t.Error("dates ignore the blog's time zone")
	}
}

func TestErrors(t *testing.T) {
	ok := "TITLE: fine\nDATE: 01/01/2001 01:00:00 AM\n-----\nBODY:\nx\n-----\n--------\n"
	tests := []struct {
		name, src string
		line      int
		field     string
	}{
		{"bad date", "TITLE: t\nDATE: 13/01/2001 01:00:00 AM\n", 2, "DATE"},
		{"no day 30 of February", "TITLE: t\nDATE: 02/30/2001 01:00:00\n", 2, "DATE"},
		{"hour 13 PM", "TITLE: t\nDATE: 01/01/2001 13:00:00 PM\n", 2, "DATE"},
		{"words for a date", "TITLE: t\nDATE: yesterday\n", 2, "DATE"},
		{"3-digit year", "TITLE: t\nDATE: 01/01/201 01:00:00\n", 2, "DATE"},
		{"status", "TITLE: t\n\nSTATUS: Published\n", 3, "STATUS"},
		{"empty status", "TITLE: t\nSTATUS:\n", 2, "STATUS"},
		{"allow pings", "TITLE: t\nALLOW PINGS: yes\n", 2, "ALLOW PINGS"},
		{"allow comments", "TITLE: t\nALLOW COMMENTS: open\n", 2, "ALLOW COMMENTS"},
		{"comment date", "TITLE: t\n-----\nBODY:\nb\n-----\nCOMMENT:\nAUTHOR: a\nDATE: 1/1/2001\nhi\n-----\n", 8, "COMMENT DATE"},
		{"ping date", "TITLE: t\n-----\nPING:\nDATE: 99/1/2001 1:00:00\nhi\n-----\n", 4, "PING DATE"},
		{"no title nor body", "AUTHOR: a\nDATE: 01/01/2001 01:00:00 AM\n-----\nEXCERPT:\nx\n", 1, "entry"},
		{"no entry without date", "NO ENTRY: 1\n-----\nCOMMENT:\nhi\n", 1, "NO ENTRY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The bad entry comes after a good one, so lines count from the
			// start of the file.
			offset := strings.Count(ok, "\n")
			items, err := readAllErr("blog.txt", ok+tt.src+"--------\n"+ok, time.UTC)
			if err == nil {
				t.Fatal("no error")
			}
			if len(items) != 1 {
				t.Errorf("read %d items before the error, want 1", len(items))
			}
			if !errors.Is(err, gazette.ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
			want := "blog.txt:" + strconv.Itoa(offset+tt.line) + ": " + tt.field + ": "
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q, want it to start with %q", err, want)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"caf\xe9", "café"},
		{"\x93quoted\x94 \x80", "\u201cquoted\u201d €"},
		{"\x81\x8d", "\u0081\u008d"},
		{"ok \u00e9 and bad \xe9", "ok é and bad é"},
		{"\xe2\x82", "â\u201a"}, // a cut-off UTF-8 sequence
	}
	for _, tt := range tests {
		if got := decode([]byte(tt.in)); got != tt.want {
			t.Errorf("decode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzReader(f *testing.F) {
	for _, p := range []string{"aereal-mt/ok.txt", "MovableTypeParser.NET/MultiplePosts.txt", "google-blog-converters/movabletype-sample2.txt"} {
		b, err := os.ReadFile(filepath.Join("testdata", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("TITLE: \xff\xfe\n-----\nBODY:\n\x92\n-----\t\n--------"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := New(strings.NewReader(string(b)), "fuzz", time.UTC)
		for range 10000 {
			it, err := r.Next()
			if err != nil {
				return
			}
			e := it.Entry
			for _, s := range []string{e.Title, e.Body, e.ExtendedBody, e.Excerpt, e.Keywords, e.Basename, e.Author.Name} {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 out: %q", s)
				}
			}
			for _, c := range it.Comments {
				if !utf8.ValidString(c.Name + c.Body + c.URL) {
					t.Fatalf("invalid UTF-8 in comment: %q", c.Body)
				}
			}
		}
		t.Fatal("reader did not reach the end")
	})
}
