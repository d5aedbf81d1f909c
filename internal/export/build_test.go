package export

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestFileName(t *testing.T) {
	tests := []struct {
		path, want string
		ok         bool
	}{
		{"/", "index.html", true},
		{"/archives/2007/03/", "archives/2007/03/index.html", true},
		{"/archives/2007/03/general.html", "archives/2007/03/general.html", true},
		{"/topics/caf%C3%A9/atom.xml", "topics/café/atom.xml", true},
		{"/a/../../etc/passwd", "etc/passwd", true}, // cleaned: inside OUTDIR
		{"/..", "", false},
		{"/" + ManifestName, "", false},
		{"/bad%zz", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			got, ok := fileName(tc.path)
			if got != tc.want || ok != tc.ok {
				t.Errorf("fileName(%q) = %q, %v; want %q, %v", tc.path, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// blog is a small site of linked pages whose texts a test changes.
type blog struct {
	mu    sync.Mutex
	pages map[string]string
}

func (b *blog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	body, ok := b.pages[r.URL.Path]
	b.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, body)
}

func (b *blog) set(path, body string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if body == "" {
		delete(b.pages, path)
		return
	}
	b.pages[path] = body
}

func TestIncremental(t *testing.T) {
	b := &blog{pages: map[string]string{
		"/":                `<a href="/archives/">archives</a> <a href="https://blog.example.com/a.html">a</a> <a href="https://elsewhere.example/">not ours</a> <a href="/search?q=x">search</a>`,
		"/archives/":       `<a href="/a.html">a</a> <a href="b.html">b</a> <a href="/gone/">gone</a>`,
		"/a.html":          `A`,
		"/archives/b.html": `B`,
		"/gone/":           `soon gone`,
	}}
	out := t.TempDir()
	cfg := Config{Handler: b, BaseURL: "https://blog.example.com/", Workers: 3}
	build := func() Result {
		t.Helper()
		res, err := Build(context.Background(), cfg, out)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := build(); res.Pages != 5 || res.Written != 5 {
		t.Fatalf("first build = %+v, want 5 pages written", res)
	}
	for _, f := range []string{"index.html", "archives/index.html", "archives/b.html.gz", "gone/index.html.br"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	if res := build(); res.Written != 0 || res.Unchanged != 5 {
		t.Errorf("second build = %+v, want nothing written", res)
	}
	b.set("/a.html", "A, edited")
	b.set("/gone/", "")
	res := build()
	if res.Written != 1 || res.Removed != 1 || res.Unchanged != 3 {
		t.Errorf("build after an edit and a deletion = %+v, want 1 written, 1 removed, 3 unchanged", res)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "a.html")); string(got) != "A, edited" {
		t.Errorf("a.html = %q", got)
	}
	if _, err := os.Stat(filepath.Join(out, "gone")); err == nil {
		t.Errorf("the deleted page's folder is still there")
	}
}

// TestUncompressed builds pages without copies, and removes the copies a
// compressed build left behind; a compressed build after it makes them
// again.
func TestUncompressed(t *testing.T) {
	b := &blog{pages: map[string]string{
		"/":       `<a href="/a.html">a</a>`,
		"/a.html": `A`,
	}}
	out := t.TempDir()
	build := func(uncompressed bool) Result {
		t.Helper()
		res, err := Build(context.Background(), Config{Handler: b, BaseURL: "https://blog.example.com/", Uncompressed: uncompressed}, out)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	copies := func() []string {
		t.Helper()
		var found []string
		for _, f := range []string{"index.html", "a.html"} {
			for _, ext := range []string{".gz", ".br"} {
				if _, err := os.Stat(filepath.Join(out, f+ext)); err == nil {
					found = append(found, f+ext)
				}
			}
		}
		return found
	}
	build(false)
	if got := copies(); len(got) != 4 {
		t.Fatalf("compressed build made copies %v, want all four", got)
	}
	if res := build(true); res.Pages != 2 || res.Written != 0 {
		t.Errorf("uncompressed build over a compressed one = %+v, want 2 pages, none rewritten", res)
	}
	if got := copies(); len(got) != 0 {
		t.Errorf("copies %v left by an uncompressed build", got)
	}
	if got, err := os.ReadFile(filepath.Join(out, "a.html")); err != nil || string(got) != "A" {
		t.Errorf("a.html = %q, %v", got, err)
	}
	b.set("/b.html", "B")
	b.set("/", `<a href="/a.html">a</a> <a href="/b.html">b</a>`)
	if res := build(true); res.Written != 2 || len(copies()) != 0 {
		t.Errorf("uncompressed build after a change = %+v with copies %v, want 2 written and no copies", res, copies())
	}
	if _, err := os.Stat(filepath.Join(out, "b.html.gz")); err == nil {
		t.Error("b.html has a copy")
	}
	build(false)
	if got := copies(); len(got) != 4 {
		t.Errorf("compressed build after an uncompressed one made copies %v, want all four", got)
	}
	// Copies of a build whose manifest was lost are unknown to an
	// uncompressed build, which removes them all the same.
	if err := os.Remove(filepath.Join(out, ManifestName)); err != nil {
		t.Fatal(err)
	}
	b.set("/a.html", "A, edited")
	build(true)
	if got := copies(); len(got) != 0 {
		t.Errorf("copies %v left by an uncompressed build after a build without a manifest", got)
	}
}
