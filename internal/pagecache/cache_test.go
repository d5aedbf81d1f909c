package pagecache_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/gazette-blog/gazette/internal/pagecache"
)

// site is a handler whose pages depend on the key named by their path's
// first segment, and counts its renders.
type site struct {
	renders atomic.Int64
	body    atomic.Value // string
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.renders.Add(1)
	switch {
	case r.URL.Path == "/missing":
		pagecache.Depend(r.Context(), "k")
		http.NotFound(w, r)
		return
	case r.URL.Path == "/nodeps":
		io.WriteString(w, "no keys")
		return
	}
	key := strings.Split(strings.Trim(r.URL.Path, "/"), "/")[0]
	pagecache.Depend(r.Context(), key)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Last-Modified", "Sun, 11 Mar 2007 17:05:00 GMT")
	w.Header().Set("X-Pingback", "https://blog.example.com/xmlrpc")
	body, _ := s.body.Load().(string)
	io.WriteString(w, "<p>"+r.URL.Path+"</p>"+body+strings.Repeat(" padding", 100))
}

func newSite(t *testing.T, cfg pagecache.Config) (*site, *pagecache.Cache, *httptest.Server) {
	t.Helper()
	s := &site{}
	c := pagecache.New(cfg)
	srv := httptest.NewServer(c.Handler(s))
	t.Cleanup(srv.Close)
	return s, c, srv
}

func do(t *testing.T, method, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	tr := &http.Transport{DisableCompression: true}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func TestVariants(t *testing.T) {
	s, _, srv := newSite(t, pagecache.Config{})
	_, plain := do(t, "GET", srv.URL+"/a/1")
	tags := map[string]bool{}
	for _, tc := range []struct {
		accept, encoding string
		decode           func(io.Reader) (io.Reader, error)
	}{
		{"", "", func(r io.Reader) (io.Reader, error) { return r, nil }},
		{"gzip, deflate", "gzip", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
		{"gzip, deflate, br, zstd", "br", func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }},
		{"br;q=0, gzip", "gzip", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
		{"identity", "", func(r io.Reader) (io.Reader, error) { return r, nil }},
	} {
		t.Run(tc.accept, func(t *testing.T) {
			resp, body := do(t, "GET", srv.URL+"/a/1", "Accept-Encoding", tc.accept)
			if got := resp.Header.Get("Content-Encoding"); got != tc.encoding {
				t.Errorf("Content-Encoding = %q, want %q", got, tc.encoding)
			}
			if got := resp.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary = %q", got)
			}
			if got := resp.Header.Get("X-Pingback"); got != "https://blog.example.com/xmlrpc" {
				t.Errorf("the handler's header X-Pingback = %q", got)
			}
			if got := resp.Header.Get("Last-Modified"); got != "Sun, 11 Mar 2007 17:05:00 GMT" {
				t.Errorf("Last-Modified = %q", got)
			}
			r, err := tc.decode(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, plain) {
				t.Errorf("decoded body differs from the plain one")
			}
			tags[tc.encoding+" "+resp.Header.Get("Etag")] = true
		})
	}
	if len(tags) != 3 {
		t.Errorf("ETags by encoding = %v, want one per encoding", tags)
	}
	if n := s.renders.Load(); n != 1 {
		t.Errorf("rendered %d times, want 1", n)
	}
}

func TestConditionalAndHead(t *testing.T) {
	s, _, srv := newSite(t, pagecache.Config{})
	resp, _ := do(t, "GET", srv.URL+"/a/", "Accept-Encoding", "gzip")
	etag := resp.Header.Get("Etag")
	tests := []struct {
		name   string
		method string
		header []string
		status int
		body   bool
	}{
		{"If-None-Match of the same encoding", "GET", []string{"Accept-Encoding", "gzip", "If-None-Match", etag}, 304, false},
		{"If-None-Match of another encoding", "GET", []string{"If-None-Match", `"x", ` + etag}, 304, false},
		{"If-None-Match of another page", "GET", []string{"If-None-Match", `"other"`}, 200, true},
		{"If-None-Match star", "GET", []string{"If-None-Match", "*"}, 304, false},
		{"weak If-None-Match", "GET", []string{"If-None-Match", "W/" + etag}, 304, false},
		{"If-Modified-Since equal", "GET", []string{"If-Modified-Since", "Sun, 11 Mar 2007 17:05:00 GMT"}, 304, false},
		{"If-Modified-Since earlier", "GET", []string{"If-Modified-Since", "Sun, 11 Mar 2007 17:04:59 GMT"}, 200, true},
		{"HEAD", "HEAD", nil, 200, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, tc.method, srv.URL+"/a/", tc.header...)
			if resp.StatusCode != tc.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.status)
			}
			if (len(body) > 0) != tc.body {
				t.Errorf("body of %d bytes, want body %v", len(body), tc.body)
			}
			if resp.Header.Get("Etag") == "" {
				t.Errorf("no ETag")
			}
		})
	}
	resp, _ = do(t, "HEAD", srv.URL+"/a/")
	if resp.ContentLength <= 0 {
		t.Errorf("HEAD Content-Length = %d, want the body's length", resp.ContentLength)
	}
	if n := s.renders.Load(); n != 1 {
		t.Errorf("rendered %d times, want 1", n)
	}
}

func TestPassesThrough(t *testing.T) {
	tests := []struct {
		name, method, path string
		header             []string
	}{
		{"query", "GET", "/a/?q=1", nil},
		{"gazette cookie", "GET", "/a/", []string{"Cookie", "theme=dark; gazette_commenter=x"}},
		{"POST", "POST", "/a/", nil},
		{"range", "GET", "/a/", []string{"Range", "bytes=0-3"}},
		{"not found", "GET", "/missing", nil},
		{"no keys", "GET", "/nodeps", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, c, srv := newSite(t, pagecache.Config{})
			for range 2 {
				do(t, tc.method, srv.URL+tc.path, tc.header...)
			}
			if n := s.renders.Load(); n != 2 {
				t.Errorf("rendered %d times for 2 requests, want 2", n)
			}
			if st := c.Stats(); st.Pages != 0 {
				t.Errorf("cache holds %d pages, want 0", st.Pages)
			}
		})
	}
}

func TestInvalidate(t *testing.T) {
	s, c, srv := newSite(t, pagecache.Config{})
	for _, p := range []string{"/a/1", "/a/2", "/b/1"} {
		do(t, "GET", srv.URL+p)
	}
	s.body.Store("changed")
	c.Invalidate(context.Background(), "a", "unknown")
	_, a := do(t, "GET", srv.URL+"/a/1")
	_, b := do(t, "GET", srv.URL+"/b/1")
	if !strings.Contains(string(a), "changed") {
		t.Errorf("/a/1 was not rendered again after its key changed")
	}
	if strings.Contains(string(b), "changed") {
		t.Errorf("/b/1 was rendered again although its key did not change")
	}
	do(t, "GET", srv.URL+"/a/2")
	if n := s.renders.Load(); n != 5 {
		t.Errorf("renders = %d, want 5 (3, then the 2 pages of key a)", n)
	}
}

func TestExpiry(t *testing.T) {
	clock := time.Date(2007, 3, 11, 12, 0, 0, 0, time.UTC)
	var renders atomic.Int64
	c := pagecache.New(pagecache.Config{Now: func() time.Time { return clock }})
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renders.Add(1)
		pagecache.Depend(r.Context(), "k")
		pagecache.ExpireAt(r.Context(), time.Date(2007, 3, 11, 13, 0, 0, 0, time.UTC))
		pagecache.ExpireAt(r.Context(), time.Date(2007, 3, 12, 0, 0, 0, 0, time.UTC)) // later: ignored
		io.WriteString(w, "page")
	}))
	get := func() {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	}
	get()
	clock = clock.Add(59 * time.Minute)
	get()
	if n := renders.Load(); n != 1 {
		t.Fatalf("renders before expiry = %d, want 1", n)
	}
	clock = clock.Add(time.Minute)
	get()
	if n := renders.Load(); n != 2 {
		t.Errorf("renders at expiry = %d, want 2", n)
	}
}

func TestEvictsLeastRecentlyUsed(t *testing.T) {
	s, c, srv := newSite(t, pagecache.Config{MaxBytes: 28 << 10})
	// Each page holds about 1.4 KB with its variants and bookkeeping, and
	// some 1.9 KB of ready header bytes: 8 fit.
	for i := range 12 {
		do(t, "GET", srv.URL+"/p"+string(rune('a'+i))+"/")
		do(t, "GET", srv.URL+"/pa/") // keep the first one in use
	}
	st := c.Stats()
	if st.Bytes > 28<<10 {
		t.Errorf("cache holds %d bytes, over its budget", st.Bytes)
	}
	if st.Pages < 4 || st.Pages >= 12 {
		t.Errorf("cache holds %d pages, want some evicted, some kept", st.Pages)
	}
	before := s.renders.Load()
	do(t, "GET", srv.URL+"/pa/")
	do(t, "GET", srv.URL+"/pl/")
	if n := s.renders.Load() - before; n != 0 {
		t.Errorf("the pages used last were evicted (%d renders)", n)
	}
	do(t, "GET", srv.URL+"/pb/")
	if n := s.renders.Load() - before; n != 1 {
		t.Errorf("the page used least recently was kept")
	}
}

// TestRenderDuringWrite checks that a page rendered while a write
// invalidates is served but not kept: it may show what the write replaced.
func TestRenderDuringWrite(t *testing.T) {
	var renders atomic.Int64
	c := pagecache.New(pagecache.Config{})
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if renders.Add(1) == 1 {
			c.Invalidate(r.Context(), "k") // a write commits mid-render
		}
		pagecache.Depend(r.Context(), "k")
		io.WriteString(w, "page")
	}))
	for range 3 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	}
	if n := renders.Load(); n != 2 {
		t.Errorf("renders = %d, want 2: the overlapping render is not kept, the next is", n)
	}
}

type flagWatcher struct{ changed, seen atomic.Int64 }

func (w *flagWatcher) Changed() bool { return w.changed.Swap(0) > 0 }
func (w *flagWatcher) Seen()         { w.seen.Add(1) }

func TestWatcher(t *testing.T) {
	w := &flagWatcher{}
	s, c, srv := newSite(t, pagecache.Config{Watch: w})
	do(t, "GET", srv.URL+"/a/")
	do(t, "GET", srv.URL+"/a/")
	w.changed.Store(1) // another process wrote
	do(t, "GET", srv.URL+"/a/")
	if n := s.renders.Load(); n != 2 {
		t.Errorf("renders = %d, want 2: the write of another process drops the page", n)
	}
	c.Invalidate(context.Background(), "x")
	if w.seen.Load() != 1 {
		t.Errorf("Invalidate did not tell the watcher that the store is known")
	}
}

func BenchmarkHit(b *testing.B) {
	for _, enc := range []string{"", "gzip", "br"} {
		b.Run("encoding="+enc, func(b *testing.B) {
			c := pagecache.New(pagecache.Config{})
			h := c.Handler(&site{})
			req := httptest.NewRequest("GET", "/archives/2007/03/iranian_general.html", nil)
			if enc != "" {
				req.Header.Set("Accept-Encoding", "gzip, deflate, "+enc)
			}
			w := &discard{h: http.Header{}}
			h.ServeHTTP(w, req)
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.ServeHTTP(w, req)
			}
		})
	}
}

// discard is a ResponseWriter that keeps nothing, so that the benchmark
// measures the cache alone.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(int)             {}
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }

func BenchmarkCompress(b *testing.B) {
	page := bytes.Repeat([]byte(`<article class="entry"><h2><a href="/archives/2007/03/x.html">An entry</a></h2><p>Text of the entry, with words that repeat as prose does. </p></article>`+"\n"), 130)
	for _, c := range []struct {
		name string
		fn   func([]byte) []byte
	}{{"gzip", pagecache.Gzip}, {"brotli", pagecache.Brotli}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				c.fn(page)
			}
		})
	}
}
