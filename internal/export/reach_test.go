package export_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/export"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// linkSite is a site of pages that show nothing but their links. Each page
// depends on the key "k" + its path, which a test writes to the change
// journal of a real SQLite file when it changes the page.
type linkSite struct {
	t     *testing.T
	db    *sqlite.DB
	mu    sync.Mutex
	pages map[string][]string
}

func newLinkSite(t *testing.T, pages map[string][]string) *linkSite {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &linkSite{t: t, db: db, pages: pages}
}

func (s *linkSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	links, ok := s.pages[r.URL.Path]
	s.mu.Unlock()
	pagecache.Depend(r.Context(), "k"+r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<p>%s</p>", r.URL.Path)
	for _, l := range links {
		fmt.Fprintf(w, `<a href="%s">%s</a>`, l, l)
	}
}

// set makes the page at p link to links (nil: remove it), and journals
// the change.
func (s *linkSite) set(p string, links ...string) {
	s.mu.Lock()
	if links == nil {
		delete(s.pages, p)
	} else {
		s.pages[p] = links
	}
	s.mu.Unlock()
	err := s.db.Atomic(context.Background(), func(tx gazette.Tx) error {
		return tx.(gazette.ChangeRecorder).RecordChanges(context.Background(), []string{"k" + p})
	})
	must(s.t, err)
}

func (s *linkSite) build(out string, full bool) export.Result {
	s.t.Helper()
	res, err := export.Build(context.Background(), export.Config{Handler: s, BaseURL: baseURL, Workers: 2,
		Journal: s.db, Fingerprint: "test", Full: full, Uncompressed: true}, out)
	if err != nil {
		s.t.Fatalf("Build: %v", err)
	}
	return res
}

// sameAsFull checks that out holds what a full build into a new folder
// writes.
func (s *linkSite) sameAsFull(out string) {
	s.t.Helper()
	fresh := s.t.TempDir()
	s.build(fresh, true)
	sameTree(s.t, out, fresh)
}

// editManifest rewrites the manifest in out with edit.
func editManifest(t *testing.T, out string, edit func(string) string) {
	t.Helper()
	file := filepath.Join(out, export.ManifestName)
	data, err := os.ReadFile(file)
	must(t, err)
	must(t, os.WriteFile(file, []byte(edit(string(data))), 0o644))
}

// TestReach changes the links between pages and checks that each
// incremental build leaves what a full build leaves: pages no page reaches
// removed, those reached again found, and the counts right.
func TestReach(t *testing.T) {
	t.Run("unlinked", func(t *testing.T) {
		s := newLinkSite(t, map[string][]string{"/": {"/a/"}, "/a/": {"/b/"}, "/b/": {}})
		out := t.TempDir()
		s.build(out, false)
		s.set("/", "/c/")
		s.set("/c/", "/d/")
		s.set("/d/", "/")
		res := s.build(out, false)
		if res.Removed != 2 || res.Written != 3 || res.Pages != 3 || res.Unchanged != 0 {
			t.Errorf("build = %+v, want a, b removed and /, c, d written", res)
		}
		s.sameAsFull(out)
	})
	t.Run("written then unreached", func(t *testing.T) {
		// a, unreached now, is rendered again and links to a new page b.
		s := newLinkSite(t, map[string][]string{"/": {"/a/"}, "/a/": {}})
		out := t.TempDir()
		s.build(out, false)
		s.set("/", "/x/")
		s.set("/x/", "/")
		s.set("/a/", "/b/")
		s.set("/b/", "/a/")
		res := s.build(out, false)
		if _, err := os.Stat(filepath.Join(out, "b", "index.html")); err == nil {
			t.Error("b/index.html, written and unreached, left behind")
		}
		if res.Pages != 2 || res.Written != 2 || res.Unchanged != 0 || res.Removed != 1 {
			t.Errorf("build = %+v, want / and x written, a removed", res)
		}
		s.sameAsFull(out)
	})
	t.Run("a link to no page, then to a page", func(t *testing.T) {
		// k links to t before t is a page; t becomes one, linked from
		// the home page too; then the home page drops its link. k,
		// never rendered again, still links to t.
		s := newLinkSite(t, map[string][]string{"/": {"/k/"}, "/k/": {"/t/"}})
		out := t.TempDir()
		s.build(out, false)
		s.set("/t/", "/")
		s.set("/", "/k/", "/t/")
		s.build(out, false)
		s.set("/", "/k/")
		s.build(out, false)
		s.sameAsFull(out)
	})
	t.Run("a page linked only from a kept page", func(t *testing.T) {
		s := newLinkSite(t, map[string][]string{"/": {"/k/"}, "/k/": {"/t/"}})
		out := t.TempDir()
		s.build(out, false)
		s.set("/t/", "/")
		if res := s.build(out, false); res.Written != 1 {
			t.Errorf("build = %+v, want t found and written", res)
		}
		s.sameAsFull(out)
	})
	t.Run("two addresses of one file", func(t *testing.T) {
		// A new page /n/ is linked also as /n/index.html, which is no
		// page, though its file is /n/'s.
		s := newLinkSite(t, map[string][]string{"/": {}})
		out := t.TempDir()
		s.build(out, false)
		s.set("/n/", "/")
		s.set("/", "/n/", "/n/index.html")
		if res := s.build(out, false); res.Pages != 2 || res.Written != 2 || res.Unchanged != 0 {
			t.Errorf("build = %+v, want / and /n/ written", res)
		}
		s.sameAsFull(out)
	})
	t.Run("damaged record", func(t *testing.T) {
		// A record found damaged half way through makes the build full,
		// with nothing of the half read.
		home := []string{"/z/"}
		pages := map[string][]string{"/z/": {}}
		for i := range 9 {
			p := fmt.Sprintf("/a%d/", i)
			home = append(home, p)
			pages[p] = []string{}
		}
		pages["/"] = home
		s := newLinkSite(t, pages)
		out := t.TempDir()
		s.build(out, false)
		for _, p := range home[1:] {
			s.set(p, nil...)
		}
		s.set("/", "/z/")
		editManifest(t, out, func(m string) string {
			lines := strings.Split(m, "\n")
			for i, l := range lines {
				if strings.HasPrefix(l, `"z/index.html":{`) {
					lines[i] = strings.Replace(l, `"l":[]`, `"l":[999]`, 1)
				}
			}
			return strings.Join(lines, "\n")
		})
		if res := s.build(out, false); res.Full == "" {
			t.Errorf("build over a damaged record = %+v, want a full one", res)
		}
		s.sameAsFull(out)
	})
	t.Run("edited manifest", func(t *testing.T) {
		s := newLinkSite(t, map[string][]string{"/": {"/a/"}, "/a/": {}})
		out := t.TempDir()
		s.build(out, false)
		editManifest(t, out, func(m string) string { return strings.ReplaceAll(m, "\n", "\n  ") })
		if res := s.build(out, false); !strings.HasPrefix(res.Full, "the record of the last build is not in") {
			t.Errorf("build over an edited manifest = %+v, want a full one", res)
		}
	})
}
