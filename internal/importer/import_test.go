package importer_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/importer"
	"github.com/gazette-blog/gazette/internal/importer/movabletype"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

var corpusFlag = flag.String("corpus", "", "Movable Type export for BenchmarkImportCorpus (else $GAZETTE_CORPUS)")

const mtData = "movabletype/testdata"

func openStore(t testing.TB) gazette.Store {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newPublisher() *publish.Publisher { return publish.New(markdown.New(), sanitize.New()) }

func importString(t testing.TB, store gazette.Store, name, src string) (importer.Summary, error) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r := movabletype.New(strings.NewReader(src), name, s.Location())
	return importer.Import(ctx, store, newPublisher(), r, importer.Options{})
}

func importFile(t testing.TB, store gazette.Store, path string) importer.Summary {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := importString(t, store, filepath.Base(path), string(b))
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestImportRealFiles(t *testing.T) {
	tests := []struct {
		file string
		want importer.Summary
	}{
		{"google-blog-converters/movabletype-sample.txt", importer.Summary{Entries: 451, Authors: 3, Topics: 6, Redirects: 451}},
		{"google-blog-converters/movabletype-sample2.txt", importer.Summary{Entries: 1, Comments: 3, Authors: 1, Topics: 2, Redirects: 1, Tags: 2}},
		{"typepad_to_jekyll/typepad_multiple_posts.txt", importer.Summary{Entries: 2, Comments: 6, Authors: 2, Topics: 1, Redirects: 4}},
		{"typepad_to_jekyll/typepad_posts_yaml.txt", importer.Summary{Entries: 3, Authors: 2, Topics: 3, Redirects: 6}},
		{"MovableTypeParser.NET/MultiplePosts.txt", importer.Summary{Entries: 2, Authors: 2, Topics: 2, Redirects: 2, Unattached: 1}},
		{"aereal-mt/ok.txt", importer.Summary{Entries: 2, Comments: 3, Authors: 1, Topics: 2, Redirects: 3, Tags: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			store := openStore(t)
			path := filepath.Join(mtData, tt.file)
			got := importFile(t, store, path)
			if got != tt.want {
				t.Errorf("first import: %+v, want %+v", got, tt.want)
			}
			// A second import finds everything and adds nothing.
			again := importFile(t, store, path)
			want := importer.Summary{Skipped: tt.want.Entries, RepliesPresent: tt.want.Comments + tt.want.Mentions, Unattached: tt.want.Unattached}
			if again != want {
				t.Errorf("second import: %+v, want %+v", again, want)
			}
			_, n, err := store.Entries(context.Background(), gazette.EntryFilter{})
			if err != nil || n != tt.want.Entries {
				t.Errorf("store holds %d entries (%v), want %d", n, err, tt.want.Entries)
			}
		})
	}
}

func TestImportDetails(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	importFile(t, store, filepath.Join(mtData, "typepad_to_jekyll/typepad_multiple_posts.txt"))

	// Both old addresses lead to the entry at its new permalink.
	e, err := store.EntryByPath(ctx, "/archives/2003/01/home_wifi.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, old := range []string{"/2003/01/home_wifi.html", "/archives/000002.html"} {
		got, err := store.RedirectTarget(ctx, old)
		if err != nil || got.ID != e.ID {
			t.Errorf("redirect %s: %v, %v; want entry %d", old, got, err, e.ID)
		}
	}
	if e.Title != "Home Wi-Fi" || e.Author.Name != "John Franklin McEnroe" || e.Status != gazette.StatusPublished {
		t.Errorf("entry: %q by %q, %s", e.Title, e.Author.Name, e.Status)
	}
	if !strings.Contains(e.BodyHTML, "<p>") {
		t.Errorf("BodyHTML not rendered: %q", e.BodyHTML)
	}
	comments, n, err := store.Comments(ctx, gazette.CommentFilter{EntryID: e.ID})
	if err != nil || n != 5 {
		t.Fatalf("%d comments (%v), want 5", n, err)
	}
	if c := comments[0]; c.Name != "Fred Mike Jones" || c.Status != gazette.CommentApproved || c.IP != "68.166.91.157" {
		t.Errorf("first comment: %+v", c)
	}
	a, err := store.AuthorByName(ctx, "John Franklin McEnroe")
	if err != nil || a.Slug != "john-franklin-mcenroe" || a.Role != gazette.RoleAuthor || a.PasswordHash != "" {
		t.Errorf("author: %+v, %v", a, err)
	}
}

func TestImportBasenameCollision(t *testing.T) {
	// Both entries of ok.txt say BASENAME: filename, in the same month.
	ctx := context.Background()
	store := openStore(t)
	importFile(t, store, filepath.Join(mtData, "aereal-mt/ok.txt"))
	for path, title := range map[string]string{
		"/archives/2007/08/filename.html":   "A dummy title",
		"/archives/2007/08/filename_1.html": "2件目の記事",
	} {
		e, err := store.EntryByPath(ctx, path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if e.Title != title {
			t.Errorf("%s holds %q, want %q", path, e.Title, title)
		}
	}
	// A derived basename collides too.
	src := "TITLE: Same Title\nDATE: 01/05/2010 10:00:00 AM\n-----\nBODY:\na\n-----\n--------\n" +
		"TITLE: Same Title!\nDATE: 01/20/2010 10:00:00 AM\n-----\nBODY:\nb\n-----\n--------\n"
	if _, err := importString(t, store, "x.txt", src); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/archives/2010/01/same_title.html", "/archives/2010/01/same_title_1.html"} {
		if _, err := store.EntryByPath(ctx, p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func TestImportMalformedLeavesStoreEmpty(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	good := "TITLE: Fine\nAUTHOR: A\nCATEGORY: C\nDATE: 01/05/2010 10:00:00 AM\n-----\nBODY:\na\n-----\nCOMMENT:\nAUTHOR: r\nhi\n-----\n--------\n"
	src := strings.Repeat(good, 3) + "TITLE: Bad\nDATE: 01/05/2010 10:00:00 XM\n--------\n" + good
	_, err := importString(t, store, "broken.txt", src)
	if !errors.Is(err, gazette.ErrInvalid) || !strings.HasPrefix(err.Error(), "broken.txt:41: DATE: ") {
		t.Fatalf("error %v, want broken.txt:41: DATE: …", err)
	}
	if msg := gazette.ErrorMessage(err); !strings.Contains(msg, "broken.txt:41") {
		t.Errorf("message for the user: %q", msg)
	}
	_, n, _ := store.Entries(ctx, gazette.EntryFilter{})
	authors, _ := store.Authors(ctx)
	topics, _ := store.Topics(ctx, time.Time{})
	_, nc, _ := store.Comments(ctx, gazette.CommentFilter{})
	if n+len(authors)+len(topics)+nc != 0 {
		t.Errorf("store holds %d entries, %d authors, %d topics, %d comments; want nothing", n, len(authors), len(topics), nc)
	}
}

func TestImportTimeZone(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	s := gazette.DefaultSettings()
	s.TimeZone = "America/Los_Angeles"
	if err := store.SaveSettings(ctx, s); err != nil {
		t.Fatal(err)
	}
	// 9 PM on 31 March in California is 1 April in UTC; the entry belongs to March.
	src := "TITLE: Late Night\nDATE: 03/31/2007 09:30:00 PM\n-----\nBODY:\nx\n-----\n--------\n"
	if _, err := importString(t, store, "tz.txt", src); err != nil {
		t.Fatal(err)
	}
	e, err := store.EntryByPath(ctx, "/archives/2007/03/late_night.html")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2007, 4, 1, 4, 30, 0, 0, time.UTC); !e.PublishedAt.Equal(want) {
		t.Errorf("PublishedAt = %v, want %v", e.PublishedAt, want)
	}
}

func TestImportNoEntryAttaches(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	src := "TITLE: Host\nDATE: 02/03/2009 04:05:06 PM\n-----\nBODY:\nx\n-----\n--------\n" +
		"NO ENTRY: 1\nDATE: 02/03/2009 04:05:06 PM\n-----\nCOMMENT:\nAUTHOR: late\nlate comment\n-----\nPING:\nURL: http://example.com/\nTITLE: t\nping\n-----\n--------\n"
	sum, err := importString(t, store, "n.txt", src)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Entries != 1 || sum.Comments != 1 || sum.Mentions != 1 {
		t.Errorf("summary %+v", sum)
	}
	e, err := store.EntryByPath(ctx, "/archives/2009/02/host.html")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := store.Mentions(ctx, e.ID, "")
	if err != nil || len(ms) != 1 || ms[0].Kind != gazette.MentionTrackback {
		t.Errorf("mentions %v, %v", ms, err)
	}
	if e.CommentCount != 1 {
		t.Errorf("CommentCount = %d, want 1", e.CommentCount)
	}
}

// gencorpus writes a corpus of n entries with the shared generator and
// returns the export's path and the generator's manifest.
func gencorpus(t testing.TB, n int) (string, map[string]any) {
	t.Helper()
	script := filepath.Join("..", "..", "..", "shared", "bench", "gencorpus.py")
	if _, err := os.Stat(script); err != nil {
		t.Skip("the corpus generator ../shared/bench/gencorpus.py is not here:", err)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is needed to generate the corpus:", err)
	}
	dir := t.TempDir()
	mt, manifest := filepath.Join(dir, "mt.txt"), filepath.Join(dir, "manifest.json")
	out, err := exec.Command("python3", script, "--entries", strconv.Itoa(n), "--seed", "1", "--mt", mt, "--manifest", manifest).CombinedOutput()
	if err != nil {
		t.Fatalf("gencorpus: %v\n%s", err, out)
	}
	b, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return mt, m
}

func TestImportCorpus(t *testing.T) {
	ctx := context.Background()
	path, m := gencorpus(t, 300)
	store := openStore(t)
	var last importer.Progress
	calls := 0
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := movabletype.New(strings.NewReader(string(b)), "mt.txt", time.UTC)
	sum, err := importer.Import(ctx, store, newPublisher(), r, importer.Options{Progress: func(p importer.Progress) { last = p; calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	want := importer.Summary{
		Entries:  int(m["entries"].(float64)),
		Comments: int(m["comments"].(float64)),
		Authors:  len(m["authors"].([]any)),
		Topics:   len(m["topics"].([]any)),
		// Each entry's /archives/NNNNNN.html; its MT permalink is its
		// permalink here, and the .php and dash-or-underscore variants are
		// the site's to derive.
		Redirects: int(m["entries"].(float64)),
	}
	if sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	if !last.Done || last.Items != want.Entries || last.Bytes != int64(len(b)) || calls < 2 {
		t.Errorf("last progress %+v after %d calls", last, calls)
	}
	seed := m["seed"].(map[string]any)
	e, err := store.EntryByPath(ctx, seed["path_mt"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if e.Title != seed["title"] || e.CommentCount != int(seed["comments"].(float64)) {
		t.Errorf("seed entry %q with %d comments", e.Title, e.CommentCount)
	}
	if p, ok := e.PrimaryTopic(); !ok || p.Name != "Iran" {
		t.Errorf("seed primary topic %v", p)
	}
	sizes := m["topic_sizes"].(map[string]any)
	iran, err := store.TopicByName(ctx, "Iran")
	if err != nil {
		t.Fatal(err)
	}
	if _, n, err := store.Entries(ctx, gazette.EntryFilter{TopicID: iran.ID}); err != nil || n != int(sizes["Iran"].(float64)) {
		t.Errorf("Iran has %d entries (%v), want %v", n, err, sizes["Iran"])
	}
}

// BenchmarkImportCorpus imports the export named by -corpus or
// $GAZETTE_CORPUS (make one with gencorpus.py --mt) into a new store.
func BenchmarkImportCorpus(b *testing.B) {
	path := *corpusFlag
	if path == "" {
		path = os.Getenv("GAZETTE_CORPUS")
	}
	if path == "" {
		b.Skip("no corpus: pass -corpus FILE or set GAZETTE_CORPUS")
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	pub := newPublisher()
	b.SetBytes(st.Size())
	for b.Loop() {
		b.StopTimer()
		store := openStore(b)
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		sum, err := importer.Import(ctx, store, pub, movabletype.New(f, path, time.UTC), importer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		f.Close()
		b.ReportMetric(float64(sum.Entries), "entries")
		b.ReportMetric(float64(sum.Comments), "comments")
		b.StartTimer()
	}
}

// TestImportRepeatedEntry checks that an entry the export holds twice is
// imported once, with the comments of both copies, whether the blog was
// empty or not.
func TestImportRepeatedEntry(t *testing.T) {
	const entry = `AUTHOR: Ann
TITLE: Twice
BASENAME: twice
STATUS: Publish
CONVERT BREAKS: 0
DATE: 01/02/2006 03:04:05 PM
-----
BODY:
<p>Said twice.</p>
-----
COMMENT:
AUTHOR: %s
DATE: 01/02/2006 04:04:05 PM
Hello.
-----
--------
`
	src := fmt.Sprintf(entry, "Bob") + fmt.Sprintf(entry, "Carol")
	for _, c := range []struct {
		name  string
		first string // imported before src, "" for none
	}{
		{"empty blog", ""},
		{"blog with entries", fmt.Sprintf(strings.NewReplacer("Twice", "Other", "twice", "other").Replace(entry), "Dan")},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			store := openStore(t)
			if c.first != "" {
				if _, err := importString(t, store, "first.txt", c.first); err != nil {
					t.Fatal(err)
				}
			}
			sum, err := importString(t, store, "twice.txt", src)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Entries != 1 || sum.Skipped != 1 || sum.Comments != 2 {
				t.Errorf("summary: %d entries, %d skipped, %d comments; want 1, 1, 2", sum.Entries, sum.Skipped, sum.Comments)
			}
			e, err := store.EntryByPath(ctx, "/archives/2006/01/twice.html")
			if err != nil {
				t.Fatal(err)
			}
			if e.CommentCount != 2 {
				t.Errorf("CommentCount %d, want 2", e.CommentCount)
			}
		})
	}
}
