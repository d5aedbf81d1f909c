package export_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/export"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/server"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// blog is a small blog in a real SQLite file, written through the publish
// package as the server writes it, and its public site.
type blog struct {
	t      *testing.T
	ctx    context.Context
	file   string
	store  *sqlite.DB
	pub    *publish.Publisher
	site   http.Handler
	author *gazette.Author
	topics []*gazette.Topic
	ids    []int64
	mu     sync.Mutex
	asked  []string // the pages the last build rendered
}

const baseURL = "https://blog.example.com"

func newBlog(t *testing.T) *blog {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "gazette.db")
	store, err := sqlite.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	b := &blog{t: t, ctx: ctx, file: file, store: store, pub: publish.New(markdown.New(), sanitize.New())}
	// A server's publisher names the keys of its writes; none is listening.
	b.pub.SetInvalidator(pagecache.Fanout{})
	s := gazette.DefaultSettings()
	s.Title, s.BaseURL, s.CommentIntake.TokenMinAge = "Watch", baseURL, 0
	s.Moderation, s.CommentsCloseAfterDays = gazette.ModerateNone, 0
	must(t, store.SaveSettings(ctx, s))
	b.author = &gazette.Author{Name: "Richard", Slug: "richard", Role: gazette.RoleAdmin}
	must(t, store.CreateAuthor(ctx, b.author))
	for _, name := range []string{"Iran", "Press"} {
		tp := &gazette.Topic{Name: name, Slug: strings.ToLower(name)}
		must(t, store.CreateTopic(ctx, tp))
		b.topics = append(b.topics, tp)
	}
	at := time.Date(2007, 3, 11, 13, 5, 0, 0, time.UTC)
	for i := range 6 {
		b.newEntry(at.AddDate(0, 0, 10*i), "Entry "+string(rune('A'+i)), b.topics[i%2])
	}
	// Old addresses, as an import leaves them: a file and a folder of a
	// page of their own, a query and an old .php that no file can stand
	// for, the home page's own file, and one where an entry will come.
	for _, r := range []gazette.Redirect{
		{Path: "/archives/000004.html", EntryID: b.ids[3]},
		{Path: "/2007/04/10/entry-e/", EntryID: b.ids[4]},
		{Path: "/?p=5", EntryID: b.ids[4]},
		{Path: "/archives/000005.php", EntryID: b.ids[4]},
		{Path: "/index.html", Target: "/"},
		{Path: "/archives/2007/06/entry_of_june.html", EntryID: b.ids[5]},
		{Path: "/2007/03/21/%e6%97%a5%e6%9c%ac/", EntryID: b.ids[1]}, // kept escaped, as WordPress does
		// A chain, a circle, an old address that leads to a query, and
		// an old feed.
		{Path: "/old-a.html", Target: "/old-b.html"},
		{Path: "/old-b.html", EntryID: b.ids[2]},
		{Path: "/loop-1.html", Target: "/loop-2.html"},
		{Path: "/loop-2.html", Target: "/loop-1.html"},
		{Path: "/old-p.html", Target: "/?p=5"},
		{Path: "/feed/", Target: "/atom.xml"},
		{Path: "/n/index.html", Target: "/archives/"}, // /n/'s file, which a redirect of /n/ would write
	} {
		must(t, store.AddRedirect(ctx, r))
	}
	site, err := server.New(server.Config{Store: store, Sanitizer: sanitize.New()})
	if err != nil {
		t.Fatal(err)
	}
	b.site = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") == "" {
			b.mu.Lock()
			b.asked = append(b.asked, r.URL.Path)
			b.mu.Unlock()
		}
		site.ServeHTTP(w, r)
	})
	return b
}

func (b *blog) settings() gazette.Settings {
	s, err := b.store.Settings(b.ctx)
	must(b.t, err)
	return s
}

func (b *blog) newEntry(at time.Time, title string, tp *gazette.Topic) int64 {
	e := &gazette.Entry{Title: title, Body: "Text of " + title + ".", Format: gazette.FormatHTML,
		Status: gazette.StatusPublished, PublishedAt: at, AuthorID: b.author.ID, AllowComments: true, Topics: []gazette.Topic{*tp}}
	must(b.t, b.store.Atomic(b.ctx, func(tx gazette.Tx) error { return b.pub.CreateEntry(b.ctx, tx, b.settings(), e) }))
	b.ids = append(b.ids, e.ID)
	return e.ID
}

// editEntry changes the entry id with edit and saves it as the admin does.
func (b *blog) editEntry(id int64, edit func(e *gazette.Entry)) {
	must(b.t, b.store.Atomic(b.ctx, func(tx gazette.Tx) error {
		e, err := tx.Entry(b.ctx, id)
		if err != nil {
			return err
		}
		edit(e)
		return b.pub.UpdateEntry(b.ctx, tx, b.settings(), e)
	}))
}

func (b *blog) comment(entryID int64) *gazette.Comment {
	token, err := b.pub.FormToken(b.ctx, b.store, entryID, time.Now().Add(-time.Minute))
	must(b.t, err)
	c, err := b.pub.SubmitComment(b.ctx, b.store, b.settings(), publish.CommentForm{
		EntryID: entryID, Name: "Ann", Email: "ann@example.com", Body: "A word.", Token: token}, time.Now())
	must(b.t, err)
	return c
}

func (b *blog) build(out string, full bool) export.Result {
	b.t.Helper()
	b.mu.Lock()
	b.asked = nil
	b.mu.Unlock()
	redirects, err := b.store.Redirects(b.ctx)
	must(b.t, err)
	var old []string
	for _, r := range redirects {
		old = append(old, r.Path)
	}
	res, err := export.Build(b.ctx, export.Config{Handler: b.site, BaseURL: baseURL, Workers: 2,
		Journal: b.store, Fingerprint: "test", Full: full, Redirects: old}, out)
	if err != nil {
		b.t.Fatalf("Build: %v", err)
	}
	return res
}

// TestIncrementalBuildIsFullBuild makes each kind of write and checks that
// an incremental build leaves the same files, byte for byte, as a full
// build into an empty folder, and that a new comment renders only the
// pages that show it.
func TestIncrementalBuildIsFullBuild(t *testing.T) {
	b := newBlog(t)
	out := t.TempDir()
	if res := b.build(out, false); res.Full == "" || res.Written != res.Pages {
		t.Fatalf("first build: %+v, want a full build writing every page", res)
	}
	// The page an old address leads to is rendered once, for itself,
	// not again to learn that it leads nowhere further.
	if n := strings.Count(strings.Join(b.asked, " ")+" ", "/archives/2007/04/entry_d.html "); n != 1 {
		t.Errorf("the entry an old address leads to was rendered %d times, want once", n)
	}
	if res := b.build(out, false); res.Full != "" || res.Written != 0 || res.Removed != 0 {
		t.Errorf("build with nothing changed: %+v, want an incremental build writing nothing", res)
	}
	// moved says where the page at an old address leads, "" for a page of
	// its own, or none.
	moved := func(name string) (string, bool) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			return "", false
		}
		_, to, ok := strings.Cut(string(data), `<meta http-equiv="refresh" content="0; url=`)
		if !ok {
			return "", true
		}
		to, _, _ = strings.Cut(to, `"`)
		return to, true
	}
	for name, want := range map[string]string{
		"archives/000004.html":                baseURL + "/archives/2007/04/entry_d.html",
		"2007/04/10/entry-e/index.html":       baseURL + "/archives/2007/04/entry_e.html",
		"archives/2007/06/entry_of_june.html": baseURL + "/archives/2007/04/entry_f.html",
		"2007/03/21/日本/index.html":            baseURL + "/archives/2007/03/entry_b.html",
		"old-a.html":                          baseURL + "/archives/2007/03/entry_c.html",
		"old-p.html":                          baseURL + "/archives/2007/04/entry_e.html",
		"feed/index.html":                     baseURL + "/atom.xml",
		"n/index.html":                        baseURL + "/archives/", // no page at /n/
	} {
		if to, ok := moved(name); !ok || to != want {
			t.Errorf("%s leads to %q (there: %v), want %q", name, to, ok, want)
		}
	}
	if to, ok := moved("index.html"); !ok || to != "" {
		t.Errorf("index.html is no longer the home page: it leads to %q", to)
	}
	for _, name := range []string{"archives/000005.php", "loop-1.html", "loop-2.html"} {
		if _, ok := moved(name); ok {
			t.Errorf("%s written: an old .php would be sent as a download, and a circle leads nowhere", name)
		}
	}
	if feed, err := os.ReadFile(filepath.Join(out, "feed", "index.html")); err != nil ||
		!bytes.Contains(feed, []byte(`<link rel="alternate" type="application/atom+xml" href="`+baseURL+`/atom.xml">`)) {
		t.Errorf("the old feed's page names no feed for a feed reader to find: %v\n%s", err, feed)
	}
	var c *gazette.Comment
	for _, tt := range []struct {
		name  string
		write func()
		full  bool // the write names no keys: the build renders everything
		check func()
	}{
		{"new comment", func() { c = b.comment(b.ids[2]) }, false, nil},
		{"unapprove a comment", func() { must(t, b.pub.ModerateComment(b.ctx, b.store, c.ID, gazette.CommentPending)) }, false, nil},
		{"approve a comment", func() { must(t, b.pub.ModerateComment(b.ctx, b.store, c.ID, gazette.CommentApproved)) }, false, nil},
		{"delete a comment", func() { must(t, b.pub.DeleteComment(b.ctx, b.store, c.ID)) }, false, nil},
		{"edit an entry's title", func() {
			b.editEntry(b.ids[1], func(e *gazette.Entry) { e.Title = "Entry B, retitled" })
		}, false, nil},
		{"new entry in a new month, at an old address", func() {
			b.newEntry(time.Date(2007, 6, 2, 9, 0, 0, 0, time.UTC), "Entry of June", b.topics[1])
		}, false, func() {
			if to, ok := moved("archives/2007/06/entry_of_june.html"); !ok || to != "" {
				t.Errorf("the new entry's permalink still leads to %q", to)
			}
		}},
		{"delete an entry", func() {
			must(t, b.store.Atomic(b.ctx, func(tx gazette.Tx) error { return b.pub.DeleteEntry(b.ctx, tx, b.ids[3]) }))
		}, false, nil},
		{"empty a topic", func() {
			// Every entry left in Press moves to Iran: the topic's page
			// and feeds are gone.
			must(t, b.store.Atomic(b.ctx, func(tx gazette.Tx) error {
				press, _, err := tx.Entries(b.ctx, gazette.EntryFilter{TopicID: b.topics[1].ID})
				if err != nil {
					return err
				}
				for _, e := range press {
					e.Topics = []gazette.Topic{*b.topics[0]}
					if err := b.pub.UpdateEntry(b.ctx, tx, b.settings(), e); err != nil {
						return err
					}
				}
				return nil
			}))
		}, false, nil},
		{"move an entry", func() {
			b.editEntry(b.ids[4], func(e *gazette.Entry) { e.Basename = "entry_e_moved" })
		}, false, func() {
			// The entry's old permalink leads to its new one, and so do
			// its older addresses, at once.
			for _, name := range []string{"archives/2007/04/entry_e.html", "2007/04/10/entry-e/index.html"} {
				if to, _ := moved(name); to != baseURL+"/archives/2007/04/entry_e_moved.html" {
					t.Errorf("%s leads to %q, want the moved entry", name, to)
				}
			}
		}},
		{"delete an entry with an old address", func() {
			must(t, b.store.Atomic(b.ctx, func(tx gazette.Tx) error { return b.pub.DeleteEntry(b.ctx, tx, b.ids[4]) }))
		}, false, func() {
			for _, name := range []string{"archives/2007/04/entry_e.html", "2007/04/10/entry-e/index.html"} {
				if _, ok := moved(name); ok {
					t.Errorf("%s still leads to the deleted entry", name)
				}
			}
		}},
		{"add a redirect", func() {
			must(t, b.store.AddRedirect(b.ctx, gazette.Redirect{Path: "/archives/000001.html", EntryID: b.ids[0]}))
		}, true, func() {
			if to, _ := moved("archives/000001.html"); to != baseURL+"/archives/2007/03/entry_a.html" {
				t.Errorf("the new redirect's page leads to %q", to)
			}
		}},
		{"rename a topic", func() {
			tp := *b.topics[0]
			tp.Name = "Persia"
			must(t, b.store.UpdateTopic(b.ctx, &tp))
		}, true, nil},
		{"change a setting", func() {
			s := b.settings()
			s.Title = "The Watch"
			must(t, b.store.SaveSettings(b.ctx, s))
		}, true, nil},
		{"raw SQL", func() {
			db, err := sql.Open("sqlite", b.file)
			must(t, err)
			defer db.Close()
			_, err = db.Exec(`UPDATE entries SET title = 'Raw' WHERE id = ?`, b.ids[0])
			must(t, err)
		}, true, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.write()
			res := b.build(out, false)
			if got := res.Full != ""; got != tt.full {
				t.Errorf("full = %v (%q), want %v", got, res.Full, tt.full)
			}
			if tt.name == "new comment" {
				// Old addresses that lead nowhere are no page, and those
				// whose file another page holds (/index.html, the home
				// page's) are asked again at every build.
				asked := slices.DeleteFunc(slices.Clone(b.asked), func(p string) bool {
					return strings.HasPrefix(p, "/loop-") || p == "/index.html"
				})
				slices.Sort(asked)
				// The entry's page and comment feed, and the lists that
				// show its count of comments.
				want := []string{"/", "/archives/2007/03/entry_c.html", "/archives/2007/03/entry_c.atom",
					"/archives/2007/03/", "/authors/richard/", "/topics/iran/", "/comments/", "/comments/atom.xml"}
				slices.Sort(want)
				if !slices.Equal(asked, want) {
					t.Errorf("after a new comment the build rendered %q, want %q", asked, want)
				}
				if res.Written == 0 || res.Written > len(want) {
					t.Errorf("after a new comment: %d written, want a few", res.Written)
				}
			}
			fresh := t.TempDir()
			b.build(fresh, true)
			sameTree(t, out, fresh)
			if tt.check != nil {
				tt.check()
			}
		})
	}
}

// countingStore counts the reads of entries by path that reach the store.
type countingStore struct {
	gazette.Store
	mu     sync.Mutex
	byPath map[string]int
}

func (c *countingStore) EntryByPath(ctx context.Context, path string) (*gazette.Entry, error) {
	c.mu.Lock()
	c.byPath[path]++
	c.mu.Unlock()
	return c.Store.EntryByPath(ctx, path)
}

// TestBuildOrder checks that an entry's comment feed is built right after
// its page, and that with ReadOnce the two read the entry from the store
// once between them.
func TestBuildOrder(t *testing.T) {
	b := newBlog(t)
	counting := &countingStore{Store: b.store, byPath: map[string]int{}}
	site, err := server.New(server.Config{Store: export.ReadOnce(counting), Sanitizer: sanitize.New()})
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	one := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") == "" {
			asked = append(asked, r.URL.Path) // one worker: no lock needed
		}
		site.ServeHTTP(w, r)
	})
	if _, err := export.Build(b.ctx, export.Config{Handler: one, BaseURL: baseURL, Workers: 1}, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	pages := 0
	for i, p := range asked {
		if feed, ok := strings.CutSuffix(p, ".html"); ok && strings.HasPrefix(p, "/archives/") {
			pages++
			if i+1 >= len(asked) || asked[i+1] != feed+".atom" {
				t.Errorf("after %s the build asked for %q, want its comment feed", p, asked[min(i+1, len(asked)-1)])
			}
		}
	}
	if pages != len(b.ids) {
		t.Errorf("built %d entry pages, want %d", pages, len(b.ids))
	}
	for path, n := range counting.byPath {
		if n != 1 {
			t.Errorf("entry %s read %d times from the store, want once", path, n)
		}
	}
	if len(counting.byPath) != len(b.ids) {
		t.Errorf("%d entries read by path, want %d", len(counting.byPath), len(b.ids))
	}
}

// TestStoppedBuild stops a build with compressed copies half way between
// two builds without them: the build after it must be full, and leave no
// copy behind, though its settings are those of the last complete build.
func TestStoppedBuild(t *testing.T) {
	b := newBlog(t)
	out := t.TempDir()
	build := func(ctx context.Context, uncompressed bool, handler http.Handler) (export.Result, error) {
		return export.Build(ctx, export.Config{Handler: handler, BaseURL: baseURL, Workers: 1,
			Journal: b.store, Fingerprint: "test", Uncompressed: uncompressed}, out)
	}
	if _, err := build(b.ctx, true, b.site); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(b.ctx)
	defer cancel()
	pages := 0
	stopping := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if pages++; pages == 8 {
			cancel()
		}
		b.site.ServeHTTP(w, r)
	})
	if _, err := build(ctx, false, stopping); err == nil {
		t.Fatal("the stopped build reported no error")
	}
	copies := func() []string {
		var found []string
		filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err == nil && (strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".br")) {
				found = append(found, p)
			}
			return err
		})
		return found
	}
	if len(copies()) == 0 {
		t.Fatal("the stopped build wrote no copy: the test shows nothing")
	}
	b.comment(b.ids[0])
	res, err := build(b.ctx, true, b.site)
	if err != nil {
		t.Fatal(err)
	}
	if res.Full == "" {
		t.Errorf("build after a stopped one: %+v, want a full build", res)
	}
	if got := copies(); len(got) != 0 {
		t.Errorf("copies left by a stopped build: %q", got)
	}
}

// TestReadOnceForgets checks that ReadOnce keeps a bounded number of
// entries read by path: an entry read again after many others is read
// from the store again.
func TestReadOnceForgets(t *testing.T) {
	b := newBlog(t)
	for i := len(b.ids); i < 70; i++ {
		b.newEntry(time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Hour), fmt.Sprint("More ", i), b.topics[0])
	}
	counting := &countingStore{Store: b.store, byPath: map[string]int{}}
	store := export.ReadOnce(counting)
	var paths []string
	for _, id := range b.ids {
		e, err := b.store.Entry(b.ctx, id)
		must(t, err)
		paths = append(paths, e.Path)
	}
	read := func(p string) {
		t.Helper()
		if _, err := store.EntryByPath(b.ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	read(paths[0])
	read(paths[0])
	if n := counting.byPath[paths[0]]; n != 1 {
		t.Errorf("an entry read twice in a row reached the store %d times, want once", n)
	}
	for _, p := range paths[1:] {
		read(p)
	}
	read(paths[0])
	if n := counting.byPath[paths[0]]; n != 2 {
		t.Errorf("an entry read again after %d others reached the store %d times, want twice", len(paths)-1, n)
	}
}

// sameTree compares two builds file by file, the compressed copies by
// their content.
func sameTree(t *testing.T, got, want string) {
	t.Helper()
	g, w := readTree(t, got), readTree(t, want)
	for name, data := range w {
		if have, ok := g[name]; !ok {
			t.Errorf("%s: missing from the incremental build", name)
		} else if !bytes.Equal(have, data) {
			t.Errorf("%s differs: incremental %d bytes, full %d bytes", name, len(have), len(data))
		}
	}
	for name := range g {
		if _, ok := w[name]; !ok {
			t.Errorf("%s: in the incremental build only", name)
		}
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == export.ManifestName {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var r io.Reader
		switch filepath.Ext(path) {
		case ".gz":
			if r, err = gzip.NewReader(bytes.NewReader(data)); err != nil {
				return err
			}
		case ".br":
			r = brotli.NewReader(bytes.NewReader(data))
		}
		if r != nil {
			if data, err = io.ReadAll(r); err != nil {
				return err
			}
		}
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestScheduledEntryAppears schedules entries a moment ahead and builds
// before and after their times: the incremental builds leave what a full
// build leaves. The first entry's scheduling alone must tell the pages
// built before it (the banner, the neighbours' links) when to change; the
// second is reached from an old address through another, which answers
// 404 until the entry is due.
func TestScheduledEntryAppears(t *testing.T) {
	b := newBlog(t)
	out := t.TempDir()
	at := time.Now().Add(1500 * time.Millisecond).Truncate(time.Second).Add(time.Second)
	soonPath := gazette.EntryPath(at, time.UTC, "soon")
	must(t, b.store.AddRedirect(b.ctx, gazette.Redirect{Path: "/hop-a.html", Target: "/hop-b.html"}))
	must(t, b.store.AddRedirect(b.ctx, gazette.Redirect{Path: "/hop-b.html", Target: soonPath}))
	b.build(out, false)
	b.newEntry(at, "Soon", b.topics[0])
	if res := b.build(out, false); res.Full != "" {
		t.Fatalf("build after scheduling an entry: full (%s), want incremental", res.Full)
	}
	time.Sleep(time.Until(at) + 100*time.Millisecond)
	if res := b.build(out, false); res.Full != "" {
		t.Fatalf("build once the entry is due: full (%s), want incremental", res.Full)
	}
	fresh := t.TempDir()
	b.build(fresh, true)
	sameTree(t, out, fresh)

	at = time.Now().Add(1500 * time.Millisecond).Truncate(time.Second).Add(time.Second)
	second := b.newEntry(at, "Second", b.topics[1])
	must(t, b.store.AddRedirect(b.ctx, gazette.Redirect{Path: "/hop-c.html", Target: "/hop-d.html"}))
	must(t, b.store.AddRedirect(b.ctx, gazette.Redirect{Path: "/hop-d.html", EntryID: second}))
	b.build(out, false)
	time.Sleep(time.Until(at) + 100*time.Millisecond)
	b.build(out, false)
	data, err := os.ReadFile(filepath.Join(out, "hop-c.html"))
	if err != nil || !bytes.Contains(data, []byte(`url=`+baseURL+`/archives/`)) {
		t.Errorf("hop-c.html does not lead to the entry now due: %v\n%s", err, data)
	}
	fresh = t.TempDir()
	b.build(fresh, true)
	sameTree(t, out, fresh)
}

// TestOldAddressOfAFolder: the old address /about/index.html names the
// file of /about/, which is a page's while the blog has one there and the
// old address's own once it is gone, in incremental builds as in full ones.
func TestOldAddressOfAFolder(t *testing.T) {
	b := newBlog(t)
	page := &gazette.Entry{Title: "About", Basename: "about", Kind: gazette.KindPage, Body: "About this blog.",
		Format: gazette.FormatHTML, Status: gazette.StatusPublished, PublishedAt: time.Date(2007, 3, 1, 9, 0, 0, 0, time.UTC),
		AuthorID: b.author.ID}
	must(t, b.store.Atomic(b.ctx, func(tx gazette.Tx) error { return b.pub.CreateEntry(b.ctx, tx, b.settings(), page) }))
	must(t, b.store.AddRedirect(b.ctx, gazette.Redirect{Path: "/about/index.html", Target: "/archives/"}))
	link := &gazette.Entry{Title: "Read about us", Body: `<a href="/about/">About</a>`, Format: gazette.FormatHTML,
		Status: gazette.StatusPublished, PublishedAt: time.Date(2007, 3, 2, 9, 0, 0, 0, time.UTC), AuthorID: b.author.ID,
		Topics: []gazette.Topic{*b.topics[0]}}
	must(t, b.store.Atomic(b.ctx, func(tx gazette.Tx) error { return b.pub.CreateEntry(b.ctx, tx, b.settings(), link) }))
	out := t.TempDir()
	b.build(out, false)
	file := filepath.Join(out, "about", "index.html")
	if data, err := os.ReadFile(file); err != nil || !bytes.Contains(data, []byte("About this blog.")) {
		t.Fatalf("about/index.html is not the page: %v\n%.300s", err, data)
	}
	// Unlinked, the page is left out, and its old address does not take
	// the file: it would send the readers of /about/ away.
	must(t, b.store.Atomic(b.ctx, func(tx gazette.Tx) error { return b.pub.DeleteEntry(b.ctx, tx, link.ID) }))
	if res := b.build(out, false); res.Full != "" {
		t.Fatalf("build after unlinking the page: full (%s), want incremental", res.Full)
	}
	if _, err := os.Stat(file); err == nil {
		t.Error("about/index.html is still there, though no page links to /about/")
	}
	fresh := t.TempDir()
	b.build(fresh, true)
	sameTree(t, out, fresh)

	must(t, b.store.Atomic(b.ctx, func(tx gazette.Tx) error { return b.pub.DeleteEntry(b.ctx, tx, page.ID) }))
	if res := b.build(out, false); res.Full != "" {
		t.Fatalf("build after deleting the page: full (%s), want incremental", res.Full)
	}
	if data, err := os.ReadFile(file); err != nil || !bytes.Contains(data, []byte(`url=`+baseURL+`/archives/"`)) {
		t.Errorf("about/index.html does not lead on from the old address: %v\n%.300s", err, data)
	}
	fresh = t.TempDir()
	b.build(fresh, true)
	sameTree(t, out, fresh)
}
