package exporter_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/demo"
	"github.com/gazette-blog/gazette/internal/exporter"
	"github.com/gazette-blog/gazette/internal/exporter/mt"
	"github.com/gazette-blog/gazette/internal/exporter/wxr"
	"github.com/gazette-blog/gazette/internal/importer"
	"github.com/gazette-blog/gazette/internal/importer/movabletype"
	wxrreader "github.com/gazette-blog/gazette/internal/importer/wxr"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/site"
	"github.com/gazette-blog/gazette/internal/sqlite"
	"github.com/gazette-blog/gazette/internal/theme"
)

// now is the clock of both sites: after every date of the fixtures, so that
// scheduled entries of the past show as they would on a live blog.
var now = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// source is an export a round trip starts from.
type source struct {
	name     string
	path     string // a file, or "" for the demo blog
	format   string // "mt" or "wxr"
	settings gazette.Settings
}

func mtSources(t *testing.T) []source {
	files, err := filepath.Glob("../importer/movabletype/testdata/*/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	var list []source
	for _, f := range files {
		if filepath.Base(f) == "LICENSE.txt" {
			continue
		}
		list = append(list, source{name: filepath.Base(f), path: f, format: "mt", settings: gazette.DefaultSettings()})
	}
	return append(list, source{name: "demo", format: "mt", settings: demo.Settings()})
}

func wxrSources(t *testing.T) []source {
	files, err := filepath.Glob("testdata/wxr/*/*.*")
	if err != nil {
		t.Fatal(err)
	}
	// The theme unit test data declares no licence, so it is not copied
	// here; it is read from the shared fixtures when they are present.
	files = append(files, "../../../shared/testdata/wxr/theme-test-data/themeunittestdata.wordpress.xml")
	var list []source
	for _, f := range files {
		if filepath.Base(f) == "LICENSE.txt" {
			continue
		}
		list = append(list, source{name: filepath.Base(f), path: f, format: "wxr", settings: gazette.DefaultSettings()})
	}
	return append(list, source{name: "demo", format: "mt", settings: demo.Settings()})
}

// TestRoundTripMT imports each Movable Type export, exports the blog as
// Movable Type, imports that into an empty blog, and finds every public
// page of the two blogs the same.
func TestRoundTripMT(t *testing.T) {
	for _, src := range mtSources(t) {
		t.Run(src.name, func(t *testing.T) {
			roundTrip(t, src, "mt")
		})
	}
}

// TestRoundTripWXR does the same through WXR, from WordPress exports and
// from the demo blog.
func TestRoundTripWXR(t *testing.T) {
	for _, src := range wxrSources(t) {
		t.Run(src.name, func(t *testing.T) {
			roundTrip(t, src, "wxr")
		})
	}
}

func roundTrip(t *testing.T, src source, format string) {
	ctx := context.Background()
	start := time.Now().Add(-time.Second)
	var in io.Reader = demo.Export()
	name := demo.FileName
	if src.path != "" {
		f, err := os.Open(src.path)
		if os.IsNotExist(err) {
			t.Skipf("%s is absent (../shared/testdata is not part of the repository)", src.path)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		in, name = f, src.path
	}
	first := newStore(t, src.settings)
	importFrom(t, first, src.format, in, name, src.settings)

	var out bytes.Buffer
	write := mt.Write
	if format == "wxr" {
		write = wxr.Write
	}
	sum, err := write(ctx, &out, first, exporter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(sum)
	second := newStore(t, src.settings)
	importFrom(t, second, format, &out, "export", src.settings)

	imported := importTimes(start, time.Now().Add(time.Second))
	a, b := serve(t, first), serve(t, second)
	paths := crawl(t, a)
	if len(paths) < 5 {
		t.Fatalf("crawled only %d pages: %v", len(paths), paths)
	}
	for _, p := range paths {
		wantCode, want := get(t, a, p)
		gotCode, got := get(t, b, p)
		want, got = imported(renumber(want)), imported(renumber(got))
		if gotCode != wantCode || got != want {
			t.Errorf("GET %s: the re-imported blog answers %d, the original %d; first difference:\n%s", p, gotCode, wantCode, firstDiff(want, got))
		}
	}
	t.Logf("%d pages compared", len(paths))
}

func newStore(t *testing.T, st gazette.Settings) gazette.Store {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// Settings are not part of either format: both blogs get the same.
	if err := db.SaveSettings(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return db
}

func importFrom(t *testing.T, store gazette.Store, format string, r io.Reader, name string, st gazette.Settings) {
	t.Helper()
	var rd importer.Reader = movabletype.New(r, name, st.Location())
	if format == "wxr" {
		rd = wxrreader.New(r, name, st.Location())
	}
	pub := publish.New(markdown.New(), sanitize.New())
	if _, err := importer.Import(context.Background(), store, pub, rd, importer.Options{}); err != nil {
		t.Fatal(err)
	}
}

// site is a blog served over real HTTP.
type blogServer struct{ url string }

func serve(t *testing.T, store gazette.Store) blogServer {
	t.Helper()
	themes, err := theme.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	// No Publisher: pages have no comment form, and so no form token, the
	// one part of a page that differs between two identical blogs.
	srv := httptest.NewServer(site.New(site.Config{
		Store: store, Themes: themes, Sanitizer: sanitize.New(),
		Now: func() time.Time { return now },
	}))
	t.Cleanup(srv.Close)
	return blogServer{url: srv.URL}
}

// get returns a page's status and body, with the server's own address
// masked: the one thing that legitimately differs between the two blogs,
// since each is served on a port of its own. Asset URLs carry hashes of
// the theme's files, the same for both, so they need no mask.
func get(t *testing.T, s blogServer, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(s.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, strings.ReplaceAll(string(body), s.url, "http://blog.example")
}

// rowIDRE finds the row numbers of the database that pages show: comment
// anchors and TrackBack addresses.
var rowIDRE = regexp.MustCompile(`(comment-|/trackback/)([0-9]+)`)

// renumber replaces each row number of a page by the order of its first
// appearance on the page, the second mask besides the address. Rows are
// numbered in the order they are written: the export is oldest first, as
// Movable Type's is, so a blog first imported from a file in another order
// numbers its entries and comments differently. The mask keeps which
// anchor and link name which comment or entry, so a changed order or
// threading still shows.
func renumber(page string) string {
	seen := map[string]string{}
	return rowIDRE.ReplaceAllStringFunc(page, func(m string) string {
		sub := rowIDRE.FindStringSubmatch(m)
		n, ok := seen[m]
		if !ok {
			n = fmt.Sprintf("#%d", len(seen)+1)
			seen[m] = n
		}
		return sub[1] + n
	})
}

// stampRE finds the times pages show in machine-readable form: RFC 3339
// and, in RSS, RFC 1123.
var stampRE = regexp.MustCompile(`[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})|[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}`)

// importTimes returns the third mask: it replaces the times between from
// and to, when the test imported its blogs, by "IMPORT-TIME". An imported
// entry was last modified when it was imported, as neither format carries
// the time an entry was last changed (gazette's WXR reader does not read
// wp:post_modified), so pages that show it (article:modified_time, feeds'
// updated, sitemaps' lastmod) show the time of each import (and feeds' lastBuildDate, the time of the
// latest change). Every other time
// must be the same.
func importTimes(from, to time.Time) func(string) string {
	return func(page string) string {
		return stampRE.ReplaceAllStringFunc(page, func(m string) string {
			t, err := time.Parse(time.RFC3339, m)
			if err != nil {
				t, err = time.Parse(time.RFC1123Z, m)
			}
			if err == nil && !t.Before(from) && !t.After(to) {
				return "IMPORT-TIME"
			}
			return m
		})
	}
}

var (
	hrefRE = regexp.MustCompile(`href="([^"#]*)`)
	locRE  = regexp.MustCompile(`<loc>([^<]*)</loc>`)
)

// crawl returns every path of the blog's sitemap and every page reachable
// from its home page and sitemap through its own links: home pages, entries,
// pages, archives by month, topic, tag and author, the comments page and
// the feeds. Search and the theme's static files are left out.
func crawl(t *testing.T, s blogServer) []string {
	t.Helper()
	seen := map[string]bool{}
	queue := []string{"/", "/sitemap.xml", "/archives/", "/topics/", "/comments/", "/atom.xml", "/index.xml", "/feed.json", "/comments/atom.xml"}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		_, body := get(t, s, p)
		links := hrefRE.FindAllStringSubmatch(body, -1)
		links = append(links, locRE.FindAllStringSubmatch(body, -1)...)
		for _, m := range links {
			u := strings.ReplaceAll(m[1], "&amp;", "&")
			u = strings.TrimPrefix(u, "http://blog.example")
			if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") || strings.HasPrefix(u, "/search") ||
				strings.HasPrefix(u, theme.StaticPrefix) || seen[u] {
				continue
			}
			queue = append(queue, u)
		}
	}
	paths := make([]string, 0, len(seen))
	for p := range seen {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// firstDiff shows where two pages part, with some context.
func firstDiff(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-200)
	return "original:    …" + want[from:min(len(want), i+200)] + "…\nre-imported: …" + got[from:min(len(got), i+200)] + "…"
}
