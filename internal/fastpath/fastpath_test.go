package fastpath_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/fastpath"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/server"
	"github.com/gazette-blog/gazette/internal/sqlite"
	"github.com/gazette-blog/gazette/internal/web"
)

// entryPath is an entry without a comment form, whose renders (a miss,
// a request passed to net/http) are the same bytes each time; commentPath
// has one, with a new token in each render.
const (
	entryPath   = "/archives/2007/03/second.html"
	commentPath = "/archives/2007/03/general.html"
)

// blog is one blog served twice over real TCP, with one page cache: by
// net/http alone (ref) and by the fast path in front of net/http (fast).
type blog struct {
	store *sqlite.DB
	cache *pagecache.Cache
	ref   string // address
	fast  string
	front *fastpath.Server
	done  chan error

	mu     sync.Mutex
	passed []string // the types of the connections net/http got, in order
}

// via returns how the fast path took the requests since the last call:
// "fast" when it passed nothing to net/http, else the kind of connection
// it passed first: "alone" for one request, "handed over" for the rest of
// the connection.
func (b *blog) via() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	defer func() { b.passed = nil }()
	if len(b.passed) == 0 {
		return "fast"
	}
	switch b.passed[0] {
	case "*fastpath.pipeConn":
		return "alone"
	case "*fastpath.replayConn":
		return "handed over"
	}
	return b.passed[0]
}

func newBlog(t testing.TB) *blog {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st := gazette.DefaultSettings()
	st.Moderation = gazette.ModerateNone
	st.TokenMinAge, st.RatePerMinute, st.Honeypot, st.SpamFilter = 0, 0, false, false
	if err := db.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	a := &gazette.Author{Slug: "richard", Name: "Richard", Role: gazette.RoleAdmin}
	if err := db.CreateAuthor(ctx, a); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2007, 3, 11, 13, 5, 0, 0, time.UTC)
	for i, name := range []string{"general", "second", "third"} {
		e := &gazette.Entry{Basename: name, Title: "The " + name, Body: "<p>About the " + name + ".</p>",
			Format: gazette.FormatHTML, Status: gazette.StatusPublished, AllowComments: name == "general",
			PublishedAt: at.Add(time.Duration(i) * time.Hour), AuthorID: a.ID, Path: gazette.EntryPath(at, time.UTC, name)}
		if err := db.CreateEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	cache := pagecache.New(pagecache.Config{Header: web.SecurityHeader()})
	pub := publish.New(markdown.New(), sanitize.New())
	pub.SetInvalidator(cache)
	h, err := server.New(server.Config{Store: db, Sanitizer: sanitize.New(), Publisher: pub, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	b := &blog{store: db, cache: cache, done: make(chan error, 1)}

	refLn := listen(t)
	ref := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: 64 << 10}
	go ref.Serve(refLn)
	t.Cleanup(func() { ref.Close() })
	b.ref = refLn.Addr().String()

	fastLn := listen(t)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: 64 << 10}
	srv.ConnState = func(c net.Conn, st http.ConnState) {
		if st == http.StateNew {
			b.mu.Lock()
			b.passed = append(b.passed, fmt.Sprintf("%T", c))
			b.mu.Unlock()
		}
	}
	b.front = fastpath.New(fastpath.Config{HTTP: srv, Cache: cache})
	go func() { b.done <- b.front.Serve(fastLn) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		b.front.Shutdown(ctx)
	})
	b.fast = fastLn.Addr().String()
	return b
}

func listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// rawConn is a client connection that keeps the bytes of each response.
type rawConn struct {
	t   testing.TB
	c   net.Conn
	rec bytes.Buffer
	br  *bufio.Reader
}

func dial(t testing.TB, addr string) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	// Against a hang, not a timed assertion.
	c.SetDeadline(time.Now().Add(20 * time.Second))
	rc := &rawConn{t: t, c: c}
	rc.br = bufio.NewReader(io.TeeReader(c, &rc.rec))
	return rc
}

func (rc *rawConn) send(req string) {
	rc.t.Helper()
	if _, err := io.WriteString(rc.c, req); err != nil {
		rc.t.Fatal(err)
	}
}

// next reads one response to a request of method and returns its bytes,
// or "EOF" when the server closed the connection.
func (rc *rawConn) next(method string) string {
	rc.t.Helper()
	start := rc.rec.Len() - rc.br.Buffered()
	resp, err := http.ReadResponse(rc.br, &http.Request{Method: method})
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "reset") {
			return "EOF"
		}
		rc.t.Fatalf("reading a response: %v", err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		rc.t.Fatalf("reading a response's body: %v", err)
	}
	resp.Body.Close()
	end := rc.rec.Len() - rc.br.Buffered()
	return string(rc.rec.Bytes()[start:end])
}

var dateRE = regexp.MustCompile(`\r\nDate: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT\r\n`)

// undated replaces the Date field, which may differ by a second.
func undated(resp string) string {
	return dateRE.ReplaceAllString(resp, "\r\nDate: (date)\r\n")
}

func get(path, fields string) string {
	return "GET " + path + " HTTP/1.1\r\nHost: blog.test\r\n" + fields + "\r\n"
}

// exchange sends req on a new connection to addr, then a plain GET of the
// home page, and returns the responses (the second one "EOF" when the
// server closed after the first).
func exchange(t *testing.T, addr, req, method string) []string {
	t.Helper()
	rc := dial(t, addr)
	rc.send(req)
	first := rc.next(method)
	if first == "EOF" {
		return []string{first}
	}
	rc.send(get("/", ""))
	return []string{undated(first), undated(rc.next("GET"))}
}

// warm renders the pages the tests ask for into the cache.
func (b *blog) warm(t testing.TB) (etag, lastMod string) {
	t.Helper()
	rc := dial(t, b.ref)
	for _, p := range []string{entryPath, commentPath, "/"} {
		rc.send(get(p, ""))
		resp := rc.next("GET")
		if !strings.HasPrefix(resp, "HTTP/1.1 200 OK") {
			t.Fatalf("GET %s: %.200s", p, resp)
		}
		if p == entryPath {
			etag = field(resp, "Etag")
			lastMod = field(resp, "Last-Modified")
		}
	}
	return etag, lastMod
}

func field(resp, name string) string {
	m := regexp.MustCompile(`\r\n` + name + `: ([^\r]*)\r\n`).FindStringSubmatch(resp)
	if m == nil {
		return ""
	}
	return m[1]
}

// TestSameBytes: for cache hits, requests the fast path passes to net/http
// alone and requests that hand it the connection, the fast path sends
// exactly what net/http alone sends.
func TestSameBytes(t *testing.T) {
	b := newBlog(t)
	etag, lastMod := b.warm(t)
	if etag == "" || lastMod == "" {
		t.Fatalf("the entry page has no Etag (%q) or Last-Modified (%q)", etag, lastMod)
	}
	gzTag := strings.TrimSuffix(etag, `"`) + `-gz"`
	long := strings.Repeat("x", 5000)
	tests := []struct {
		name   string
		req    string
		method string // HEAD when the request is one
		via    string // set for each group below
	}{
		{name: "plain", req: get(entryPath, "")},
		{name: "gzip", req: get(entryPath, "Accept-Encoding: gzip\r\n")},
		{name: "br", req: get(entryPath, "Accept-Encoding: gzip, deflate, br, zstd\r\n")},
		{name: "br refused", req: get(entryPath, "Accept-Encoding: br;q=0, gzip;q=0.5\r\n")},
		{name: "all refused", req: get(entryPath, "Accept-Encoding: br;q=0.0, GZIP; q=0\r\n")},
		{name: "two lines", req: get(entryPath, "Accept-Encoding: identity\r\nAccept-Encoding: gzip\r\n")},
		{name: "empty encoding", req: get(entryPath, "Accept-Encoding:\r\n")},
		{name: "HEAD", req: "HEAD " + entryPath + " HTTP/1.1\r\nHost: blog.test\r\n\r\n", method: "HEAD"},
		{name: "HEAD gzip", req: "HEAD " + entryPath + " HTTP/1.1\r\nHost: blog.test\r\nAccept-Encoding: gzip\r\n\r\n", method: "HEAD"},
		{name: "If-None-Match", req: get(entryPath, "If-None-Match: "+etag+"\r\n")},
		{name: "If-None-Match other variant", req: get(entryPath, "Accept-Encoding: br\r\nIf-None-Match: \"x\", W/"+gzTag+"\r\n")},
		{name: "If-None-Match star", req: get(entryPath, "If-None-Match: *\r\n")},
		{name: "If-None-Match stale", req: get(entryPath, "If-None-Match: \"old\"\r\nIf-Modified-Since: "+lastMod+"\r\n")},
		{name: "If-Modified-Since same", req: get(entryPath, "If-Modified-Since: "+lastMod+"\r\n")},
		{name: "If-Modified-Since later", req: get(entryPath, "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\n")},
		{name: "If-Modified-Since earlier", req: get(entryPath, "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n")},
		{name: "If-Modified-Since bad", req: get(entryPath, "If-Modified-Since: yesterday\r\n")},
		{name: "HEAD 304", req: "HEAD " + entryPath + " HTTP/1.1\r\nHost: blog.test\r\nIf-None-Match: " + etag + "\r\n\r\n", method: "HEAD"},
		{name: "other cookie", req: get(entryPath, "Cookie: theme=dark\r\n")},
		{name: "keep-alive", req: get(entryPath, "Connection: keep-alive\r\nUser-Agent: test\r\n")},
		{name: "empty Range", req: get(entryPath, "Range:\r\n")},
		// a page of its own, which the request to ref renders first
		{name: "other host", req: "GET " + entryPath + " HTTP/1.1\r\nHost: Other.test:80\r\n\r\n"},

		// Passed to net/http alone.
		{name: "gazette cookie", req: get(entryPath, "Cookie: a=1; gazette_reader=x\r\n")},
		{name: "Range", req: get(entryPath, "Range: bytes=0-99\r\n")},
		{name: "query", req: get(entryPath+"?x=1", "")},
		{name: "empty query", req: get(entryPath+"?", "")},
		{name: "escaped", req: get("/archives/2007/03/gen%65ral.html", "")},
		{name: "double slash", req: get("/archives//2007/03/general.html", "")},
		{name: "dot segment", req: get("/archives/./2007/03/general.html", "")},
		{name: "dot dot", req: get("/archives/x/../2007/03/general.html", "")},
		{name: "not found", req: get("/nothing-here", "")},
		{name: "too many encodings", req: get(entryPath, strings.Repeat("Accept-Encoding: gzip\r\n", 5))},

		// Handed to net/http.
		{name: "POST", req: "POST /nothing HTTP/1.1\r\nHost: blog.test\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"},
		{name: "HTTP/1.0", req: "GET " + entryPath + " HTTP/1.0\r\nHost: blog.test\r\n\r\n"},
		{name: "Connection close", req: get(entryPath, "Connection: close\r\n")},
		{name: "no Host", req: "GET " + entryPath + " HTTP/1.1\r\n\r\n"},
		{name: "two Hosts", req: get(entryPath, "Host: evil.test\r\n")},
		{name: "bad Host", req: "GET " + entryPath + " HTTP/1.1\r\nHost: a b\r\n\r\n"},
		{name: "bare LF", req: "GET " + entryPath + " HTTP/1.1\nHost: blog.test\n\n"},
		{name: "bare LF field", req: "GET " + entryPath + " HTTP/1.1\r\nHost: blog.test\nX: y\r\n\r\n"},
		{name: "folded", req: get(entryPath, "X-A: b\r\n c\r\n")},
		{name: "space before colon", req: get(entryPath, "Accept-Encoding : gzip\r\n")},
		{name: "control character", req: get(entryPath, "X-A: b\x01c\r\n")},
		{name: "obs-text", req: get(entryPath, "X-A: caf\xe9\r\n")},
		{name: "lower-case method", req: "get " + entryPath + " HTTP/1.1\r\nHost: blog.test\r\n\r\n"},
		{name: "absolute form", req: "GET http://blog.test" + entryPath + " HTTP/1.1\r\nHost: blog.test\r\n\r\n"},
		{name: "asterisk", req: "OPTIONS * HTTP/1.1\r\nHost: blog.test\r\n\r\n"},
		{name: "CL and TE", req: get(entryPath, "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n"},
		{name: "TE chunked GET", req: get(entryPath, "Transfer-Encoding: chunked\r\n") + "5\r\nhello\r\n0\r\n\r\n"},
		{name: "zero length", req: get(entryPath, "Content-Length: 0\r\n")},
		{name: "Expect", req: get(entryPath, "Expect: 100-continue\r\nContent-Length: 0\r\n")},
		{name: "Upgrade", req: get(entryPath, "Connection: Upgrade\r\nUpgrade: websocket\r\n")},
		{name: "long cookie", req: get(entryPath, "Cookie: a="+long+"\r\n")},
		{name: "oversize", req: get(entryPath, strings.Repeat("X-Long: "+long+"\r\n", 14))},
	}
	via := "fast"
	for i := range tests {
		switch tests[i].name {
		case "gazette cookie":
			via = "alone"
		case "POST":
			via = "handed over"
		}
		tests[i].via = via
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = "GET"
			}
			want := exchange(t, b.ref, tt.req, method)
			b.via()
			got := exchange(t, b.fast, tt.req, method)
			if v := b.via(); v != tt.via {
				t.Errorf("answered %s, want %s", v, tt.via)
			}
			if len(got) != len(want) {
				t.Fatalf("%d responses, want %d:\n%q\nwant\n%q", len(got), len(want), got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("response %d:\n%.2000q\nwant\n%.2000q", i+1, got[i], want[i])
				}
			}
		})
	}
}

// TestPipelined: requests sent at once, hits among requests for net/http,
// are answered in order, as net/http answers them.
func TestPipelined(t *testing.T) {
	b := newBlog(t)
	etag, _ := b.warm(t)
	reqs := []struct{ req, method string }{
		{get(entryPath, ""), "GET"},
		{get(entryPath, "Accept-Encoding: gzip\r\n"), "GET"},
		{get("/nothing-here", ""), "GET"},
		{"HEAD / HTTP/1.1\r\nHost: blog.test\r\n\r\n", "HEAD"},
		{get(entryPath+"?q=1", ""), "GET"},
		{get(entryPath, "If-None-Match: "+etag+"\r\n"), "GET"},
		{get("/", "Accept-Encoding: br\r\n"), "GET"},
		{"POST /nothing HTTP/1.1\r\nHost: blog.test\r\nContent-Length: 2\r\n\r\nhi", "POST"},
		{get(entryPath, ""), "GET"},
	}
	var all strings.Builder
	for _, r := range reqs {
		all.WriteString(r.req)
	}
	answers := func(addr string) []string {
		rc := dial(t, addr)
		rc.send(all.String())
		var out []string
		for _, r := range reqs {
			out = append(out, undated(rc.next(r.method)))
		}
		return out
	}
	want := answers(b.ref)
	got := answers(b.fast)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("response %d:\n%.1000q\nwant\n%.1000q", i+1, got[i], want[i])
		}
	}
}

var tokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// TestInvalidation: a comment posted through the site shows on the next
// request of a connection that was served from the cache.
func TestInvalidation(t *testing.T) {
	b := newBlog(t)
	b.warm(t)
	rc := dial(t, b.fast)
	rc.send(get(commentPath, ""))
	before := rc.next("GET")
	if hits := b.cache.Stats().Hits; hits == 0 || !strings.HasPrefix(before, "HTTP/1.1 200 OK") {
		t.Fatalf("the entry page was not a hit (%d hits): %.200q", hits, before)
	}

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	base := "http://" + b.fast
	resp, err := c.Get(base + commentPath)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := tokenRE.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no comment form on the entry page")
	}
	const words = "A comment seen at once."
	form := url.Values{"name": {"Reader"}, "email": {"reader@example.com"}, "body": {words}, "post": {"1"}, "token": {html.UnescapeString(string(m[1]))}}
	resp, err = c.PostForm(base+commentPath, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("posting a comment: %s", resp.Status)
	}

	rc.send(get(commentPath, ""))
	after := rc.next("GET")
	if !strings.Contains(after, words) {
		t.Errorf("the next request on the connection does not show the comment:\n%.300q", after)
	}
	rc.send(get(commentPath, ""))
	if again := rc.next("GET"); undated(again) != undated(after) {
		t.Errorf("the page changed again without a write")
	}
}

// TestShutdown: Shutdown closes idle connections, lets a busy one finish
// its answer (with Connection: close), and leaves no goroutine behind.
func TestShutdown(t *testing.T) {
	before := runtime.NumGoroutine()
	b := newBlog(t)
	b.warm(t)

	idle := dial(t, b.fast)
	idle.send(get(entryPath, ""))
	if resp := idle.next("GET"); !strings.HasPrefix(resp, "HTTP/1.1 200") {
		t.Fatalf("idle: %.100q", resp)
	}
	handed := dial(t, b.fast)
	handed.send("GET / HTTP/1.0\r\nHost: blog.test\r\nConnection: keep-alive\r\n\r\n")
	if resp := handed.next("GET"); !strings.HasPrefix(resp, "HTTP/1.0 200") {
		t.Fatalf("handed over: %.100q", resp)
	}
	// A request, and the start of the next in the same write: once the
	// first is answered the server has read the second's start, so the
	// connection is busy.
	busy := dial(t, b.fast)
	req := get(entryPath, "")
	busy.send(req + req[:len(req)-2])
	if resp := busy.next("GET"); !strings.HasPrefix(resp, "HTTP/1.1 200") {
		t.Fatalf("busy: %.100q", resp)
	}

	shut := make(chan error, 1)
	go func() { shut <- b.front.Shutdown(context.Background()) }()
	if got := idle.next("GET"); got != "EOF" {
		t.Errorf("idle connection: got %.100q, want it closed", got)
	}
	if got := handed.next("GET"); got != "EOF" {
		t.Errorf("handed-over idle connection: got %.100q, want it closed", got)
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) while a request was in flight", err)
	default:
	}
	busy.send("\r\n")
	resp := busy.next("GET")
	if !strings.HasPrefix(resp, "HTTP/1.1 200 OK") || field(resp, "Connection") != "close" {
		t.Errorf("busy connection: %.600q", resp)
	}
	if got := busy.next("GET"); got != "EOF" {
		t.Errorf("busy connection after its answer: %.100q, want it closed", got)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-b.done; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve: %v, want http.ErrServerClosed", err)
	}
	if _, err := net.Dial("tcp", b.fast); err == nil {
		t.Errorf("the listener still accepts")
	}

	// The ref server and the store's goroutines end with the test's
	// cleanup; close what this test made and count.
	idle.c.Close()
	handed.c.Close()
	busy.c.Close()
	leaked := func() int { return runtime.NumGoroutine() - before }
	for i := 0; i < 200 && leaked() > 8; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if n := leaked(); n > 8 {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines more than at the start:\n%s", n, buf[:runtime.Stack(buf, true)])
	}
}

// BenchmarkHit: one keep-alive connection asks for a cached page, over
// loopback TCP; the allocations counted are the server's and the client's.
func BenchmarkHit(b *testing.B) {
	for _, enc := range []string{"", "gzip"} {
		b.Run("encoding="+enc, func(b *testing.B) {
			bl := newBlog(b)
			bl.warm(b)
			rc := dial(b, bl.fast)
			req := get(entryPath, "Accept-Encoding: "+enc+"\r\n")
			rc.send(req)
			resp := rc.next("GET")
			if bl.via() != "fast" {
				b.Fatal("the request is not answered by the fast path")
			}
			wire := []byte(req)
			buf := make([]byte, len(resp))
			b.SetBytes(int64(len(resp)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := rc.c.Write(wire); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(rc.c, buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
