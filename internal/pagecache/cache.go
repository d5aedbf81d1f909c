// Package pagecache keeps rendered pages as bytes, with their gzip and
// Brotli variants made once, and serves them with ETag, Last-Modified,
// conditional requests, HEAD and Vary: Accept-Encoding.
//
// A page records what it shows as dependency keys while it is rendered
// (Depend); a write names the keys it changes (Invalidate) and exactly the
// pages that depend on them are dropped, so a reader sees a change on the
// next request. Memory is bounded by a byte budget with least-recently-used
// eviction.
package pagecache

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
)

// ReaderCookiePrefix begins the names of gazette's cookies (a reader's held
// comments, a remembered commenter, a session): a request that carries one
// is rendered for its reader, never answered from the cache.
const ReaderCookiePrefix = "gazette_"

// DefaultMaxBytes is the default budget of a Cache: enough for the pages a
// blog's readers actually visit, small beside the process's other memory.
const DefaultMaxBytes = 64 << 20

// Compression levels: chosen for speed of the first render as much as for
// size, since every page is compressed once per change.
const (
	gzipLevel   = gzip.DefaultCompression
	brotliLevel = 5
)

// pageOverhead approximates the bookkeeping of a page beyond its bytes.
const pageOverhead = 512

// Cache is a page cache. It is safe for concurrent use.
type Cache struct {
	max      int64
	now      func() time.Time
	onRender func(path string)
	watch    Watcher
	header   http.Header

	mu    sync.Mutex
	pages map[string]*page
	lru   list.List // of *page, most recent first
	deps  map[string]map[*page]struct{}
	size  int64
	// gen counts invalidations, so a render that overlapped one is served
	// but not kept: it may have read what the write replaced.
	gen uint64

	renders atomic.Int64
	hits    atomic.Int64
}

// Config sets up a Cache.
type Config struct {
	// MaxBytes bounds the bytes held (pages and their variants); zero
	// means DefaultMaxBytes.
	MaxBytes int64
	// Now is the clock for expiry; nil means time.Now.
	Now func() time.Time
	// Watch, when set, tells of writes to the store that no Invalidate
	// named (another process's, or a writer that names no keys): they drop
	// every page.
	Watch Watcher
	// OnRender, when set, is called with the path of each page about to be
	// rendered, for metrics and for tests that count renders.
	OnRender func(path string)
	// Header holds the fields that the handlers in front of Handler set on
	// every response (web.SecurityHeader): the answers of Lookup, written
	// without those handlers, carry them too.
	Header http.Header
}

// New returns an empty cache.
func New(cfg Config) *Cache {
	c := &Cache{max: cfg.MaxBytes, now: cfg.Now, onRender: cfg.OnRender, watch: cfg.Watch, header: cfg.Header.Clone(), pages: map[string]*page{}, deps: map[string]map[*page]struct{}{}}
	if c.max <= 0 {
		c.max = DefaultMaxBytes
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// page is one cached response and its variants.
type page struct {
	key     string
	elem    *list.Element
	deps    []string
	expires time.Time
	size    int64

	header   http.Header // from the handler, less what the cache sets
	lastMod  []string
	mod      time.Time // lastMod parsed; zero when there is none or it is bad
	ctype    []string
	cc       []string
	variants [3]variant // identity, gzip, br
	// wire holds the answers' status lines and header fields as Lookup
	// writes them, made with the page: [variant][not modified].
	wire [3][2][]byte
}

type variant struct {
	body   []byte
	etag   string
	etags  []string
	length []string
}

const (
	identity = iota
	gzipped
	brotlied
)

var encodings = [3][]string{nil, {"gzip"}, {"br"}}

// Stats are a cache's counters.
type Stats struct {
	Pages   int
	Bytes   int64
	Renders int64
	Hits    int64
}

// Stats returns the cache's counters now.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Pages: len(c.pages), Bytes: c.size, Renders: c.renders.Load(), Hits: c.hits.Load()}
}

// Watcher tells whether a store has been written since it last looked,
// whoever wrote it.
type Watcher interface {
	// Changed reports whether the store changed since the last call to
	// Changed or Seen.
	Changed() bool
	// Seen takes the store as it is now as known: the writes so far have
	// been named to Invalidate.
	Seen()
}

// Invalidate drops every page that depends on any of keys. It implements
// Invalidator. The caller's write has committed, so the store as it is now
// is known to the cache.
func (c *Cache) Invalidate(_ context.Context, keys ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, k := range keys {
		for p := range c.deps[k] {
			c.remove(p)
		}
	}
	if c.watch != nil {
		c.watch.Seen()
	}
}

// Clear drops every page.
func (c *Cache) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, p := range c.pages {
		c.remove(p)
	}
}

// remove drops p; c.mu is held.
func (c *Cache) remove(p *page) {
	if c.pages[p.key] != p {
		return
	}
	delete(c.pages, p.key)
	c.lru.Remove(p.elem)
	c.size -= p.size
	for _, k := range p.deps {
		set := c.deps[k]
		delete(set, p)
		if len(set) == 0 {
			delete(c.deps, k)
		}
	}
}

// Handler returns next behind the cache. GET and HEAD requests without a
// query string or a gazette cookie are answered from the cache; on a miss
// next renders the page, and a 200 response whose render recorded at least
// one dependency key is kept. Everything else passes through to next.
func (c *Cache) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cacheable(r) {
			next.ServeHTTP(w, r)
			return
		}
		var buf [256]byte
		key := append(append(buf[:0], r.Host...), r.URL.Path...)
		if p := c.find(key); p != nil {
			p.serve(w, r)
			return
		}
		c.render(w, r, next, string(key))
	})
}

// cacheable reports whether r may be answered from the cache: a page that
// depends on nothing but its address.
func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if r.URL.RawQuery != "" || r.Header.Get("Range") != "" {
		return false
	}
	// gazette's cookies (a reader's held comments, a remembered
	// commenter, a session) change the page for that reader alone.
	for _, v := range r.Header["Cookie"] {
		if strings.Contains(v, ReaderCookiePrefix) {
			return false
		}
	}
	return true
}

// find returns the page kept for key, or nil, after dropping every page if
// the store changed behind the cache's back; it counts a hit.
func (c *Cache) find(key []byte) *page {
	if c.watch != nil && c.watch.Changed() {
		c.Clear()
	}
	p := c.lookup(key)
	if p != nil {
		c.hits.Add(1)
	}
	return p
}

func (c *Cache) lookup(key []byte) *page {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.pages[string(key)]
	if p == nil {
		return nil
	}
	if !p.expires.IsZero() && !c.now().Before(p.expires) {
		c.remove(p)
		return nil
	}
	c.lru.MoveToFront(p.elem)
	return p
}

// render runs next for r on a plain GET, keeps the result when it may, and
// answers r from it.
func (c *Cache) render(w http.ResponseWriter, r *http.Request, next http.Handler, key string) {
	c.mu.Lock()
	gen := c.gen
	c.mu.Unlock()

	ctx, deps := WithDeps(r.Context())
	plain := r.Clone(ctx)
	plain.Method = http.MethodGet
	for _, h := range []string{"If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "Accept-Encoding"} {
		plain.Header.Del(h)
	}
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	c.renders.Add(1)
	if c.onRender != nil {
		c.onRender(r.URL.Path)
	}
	next.ServeHTTP(rec, plain)

	keys := deps.Keys()
	if rec.status != http.StatusOK || len(keys) == 0 {
		rec.replay(w, r)
		return
	}
	p := newPage(key, rec, keys, deps.Expires())
	// The fast path's header bytes are made now, so that the budget counts
	// them (some 3.6 KB a page) and no request waits for them.
	p.wire = p.makeWire(c.header)
	for _, answers := range p.wire {
		for _, b := range answers {
			p.size += int64(len(b))
		}
	}
	c.mu.Lock()
	if c.gen == gen && p.size <= c.max/8 {
		c.insert(p)
	}
	c.mu.Unlock()
	p.serve(w, r)
}

// insert keeps p, evicting the least recently used pages over budget; c.mu
// is held.
func (c *Cache) insert(p *page) {
	if old := c.pages[p.key]; old != nil {
		c.remove(old)
	}
	c.pages[p.key] = p
	p.elem = c.lru.PushFront(p)
	c.size += p.size
	for _, k := range p.deps {
		set := c.deps[k]
		if set == nil {
			set = map[*page]struct{}{}
			c.deps[k] = set
		}
		set[p] = struct{}{}
	}
	for c.size > c.max {
		c.remove(c.lru.Back().Value.(*page))
	}
}

// ownHeaders are the headers the cache sets itself on every answer.
var ownHeaders = []string{"Etag", "Last-Modified", "Content-Length", "Content-Type", "Cache-Control", "Vary", "Content-Encoding", "Date"}

func newPage(key string, rec *recorder, keys []string, expires time.Time) *page {
	p := &page{key: key, deps: keys, expires: expires}
	h := rec.header.Clone()
	p.ctype = full(h.Get("Content-Type"), "text/html; charset=utf-8")
	p.cc = full(h.Get("Cache-Control"), "public, no-cache")
	if lm := h.Get("Last-Modified"); lm != "" {
		p.lastMod = []string{lm}
		p.mod, _ = http.ParseTime(lm) // zero when bad: never "not modified"
	}
	for _, k := range ownHeaders {
		delete(h, k)
	}
	for k, v := range h {
		h[k] = v[:len(v):len(v)] // an Add by a later handler copies rather than writes into ours
	}
	p.header = h
	body := rec.body.Bytes()
	sum := sha256.Sum256(body)
	tag := base64.RawURLEncoding.EncodeToString(sum[:18])
	p.variants[identity] = makeVariant(clip(body), `"`+tag+`"`)
	p.variants[gzipped] = makeVariant(clip(Gzip(body)), `"`+tag+`-gz"`)
	p.variants[brotlied] = makeVariant(clip(Brotli(body)), `"`+tag+`-br"`)
	p.size = pageOverhead + int64(len(key))
	for _, v := range p.variants {
		p.size += int64(len(v.body))
	}
	return p
}

// clip returns b in an array of its own size when the one it grew in is
// much larger: a kept page should cost the budget what it holds (a buffer
// can be twice its contents).
func clip(b []byte) []byte {
	if cap(b)-len(b) <= len(b)/16 {
		return b
	}
	return bytes.Clone(b)
}

func full(v, fallback string) []string {
	if v == "" {
		v = fallback
	}
	return []string{v}
}

func makeVariant(body []byte, etag string) variant {
	return variant{body: body, etag: etag, etags: []string{etag}, length: []string{strconv.Itoa(len(body))}}
}

// Compressors are kept for reuse: a Brotli writer's hash tables are
// several megabytes, which a fresh writer for every page would allocate and
// clear each time.
var (
	gzipWriters = sync.Pool{New: func() any {
		zw, err := gzip.NewWriterLevel(io.Discard, gzipLevel)
		if err != nil {
			panic(fmt.Sprintf("pagecache: gzip level: %v", err)) // a constant that is valid
		}
		return zw
	}}
	brotliWriters = sync.Pool{New: func() any {
		return brotli.NewWriterLevel(io.Discard, brotliLevel)
	}}
)

// Gzip returns body compressed with gzip, with no name or time in its
// header so that the same body always gives the same bytes.
func Gzip(body []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(body)/3 + 64)
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&b)
	_, _ = zw.Write(body) // writes to a bytes.Buffer do not fail
	_ = zw.Close()
	return b.Bytes()
}

// Brotli returns body compressed with Brotli.
func Brotli(body []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(body)/3 + 64)
	bw := brotliWriters.Get().(*brotli.Writer)
	defer brotliWriters.Put(bw)
	bw.Reset(&b)
	_, _ = bw.Write(body)
	_ = bw.Close()
	return b.Bytes()
}

var (
	varyHeader   = []string{"Accept-Encoding"}
	gzipEncoding = encodings[gzipped]
	brEncoding   = encodings[brotlied]
)

// serve answers r from p.
func (p *page) serve(w http.ResponseWriter, r *http.Request) {
	enc := chooseEncoding(r.Header["Accept-Encoding"])
	var ims string
	if v := r.Header["If-Modified-Since"]; len(v) > 0 {
		ims = v[0]
	}
	notModified := notModified(p, r.Header["If-None-Match"], ims)
	p.fill(w.Header(), enc, notModified)
	if notModified {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(p.variants[enc].body)
	}
}

// fill sets the header fields of p's answer in variant enc, or of a 304
// for it.
func (p *page) fill(h http.Header, enc int, notModified bool) {
	v := &p.variants[enc]
	for k, vals := range p.header {
		h[k] = vals
	}
	h["Content-Type"] = p.ctype
	h["Cache-Control"] = p.cc
	h["Vary"] = varyHeader
	h["Etag"] = v.etags
	if p.lastMod != nil {
		h["Last-Modified"] = p.lastMod
	}
	if notModified {
		delete(h, "Content-Type")
		return
	}
	if enc == gzipped {
		h["Content-Encoding"] = gzipEncoding
	} else if enc == brotlied {
		h["Content-Encoding"] = brEncoding
	}
	h["Content-Length"] = v.length
}

// chooseEncoding returns the variant for a request's Accept-Encoding
// lines: Brotli, else gzip, else the page as it is.
func chooseEncoding[S string | []byte](ae []S) int {
	switch {
	case len(ae) == 0:
		return identity
	case accepts(ae, "br"):
		return brotlied
	case accepts(ae, "gzip"):
		return gzipped
	}
	return identity
}

// notModified answers the conditional headers of a request (RFC 9110
// §13.2.2): an If-None-Match that names any variant of p, or, without one,
// an If-Modified-Since (ims, its first line) no earlier than p's
// Last-Modified.
func notModified[S string | []byte](p *page, inm []S, ims S) bool {
	if len(inm) > 0 {
		for _, line := range inm {
			for i := range p.variants {
				if etagListHas(line, p.variants[i].etag) {
					return true
				}
			}
		}
		return false
	}
	if len(ims) == 0 || p.mod.IsZero() {
		return false
	}
	if same(ims, p.lastMod[0]) {
		return true // a browser sends back the Last-Modified it was given
	}
	since, err := http.ParseTime(string(ims))
	return err == nil && !p.mod.After(since)
}

// etagListHas reports whether the If-None-Match list names etag, weakly
// compared as the header requires, or is "*".
func etagListHas[S string | []byte](list S, etag string) bool {
	for len(list) > 0 {
		for len(list) > 0 && (list[0] == ' ' || list[0] == ',' || list[0] == '\t') {
			list = list[1:]
		}
		if len(list) == 0 {
			break
		}
		if list[0] == '*' {
			return true
		}
		if len(list) > 2 && list[0] == 'W' && list[1] == '/' {
			list = list[2:]
		}
		end := 0
		if len(list) > 0 && list[0] == '"' {
			end = 1
			for end < len(list) && list[end] != '"' {
				end++
			}
			if end < len(list) {
				end++
			}
		} else {
			for end < len(list) && list[end] != ',' {
				end++
			}
		}
		if same(list[:end], etag) {
			return true
		}
		list = list[end:]
	}
	return false
}

// accepts reports whether the Accept-Encoding lines name coding with a
// non-zero weight.
func accepts[S string | []byte](lines []S, coding string) bool {
	for _, line := range lines {
		for len(line) > 0 {
			i := 0
			for i < len(line) && line[i] != ',' {
				i++
			}
			item := trimSpace(line[:i])
			if i < len(line) {
				line = line[i+1:]
			} else {
				line = line[:0]
			}
			name, params := item, item[:0]
			for j := 0; j < len(item); j++ {
				if item[j] == ';' {
					name, params = trimSpace(item[:j]), item[j+1:]
					break
				}
			}
			if !equalFold(name, coding) {
				continue
			}
			return !zeroWeight(params)
		}
	}
	return false
}

// zeroWeight reports whether the parameters are q=0 (q=0.0, q=0.000).
func zeroWeight[S string | []byte](params S) bool {
	params = trimSpace(params)
	if len(params) < 3 || (params[0] != 'q' && params[0] != 'Q') || params[1] != '=' {
		return false
	}
	v := params[2:]
	if v[0] != '0' {
		return false
	}
	for i := 1; i < len(v); i++ {
		if v[i] != '.' && v[i] != '0' {
			return false
		}
	}
	return true
}

func trimSpace[S string | []byte](s S) S {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

func equalFold[S string | []byte](a S, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}

// same reports whether a holds the bytes of b.
func same[S string | []byte](a S, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(b); i++ {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// recorder holds a response while the cache decides what to do with it.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (rec *recorder) Header() http.Header { return rec.header }

func (rec *recorder) WriteHeader(status int) {
	if !rec.wrote {
		rec.status, rec.wrote = status, true
	}
}

func (rec *recorder) Write(b []byte) (int, error) {
	rec.wrote = true
	return rec.body.Write(b)
}

// replay writes a response that is not kept as it was made; a 200 is
// answered with the validators of http.ServeContent.
func (rec *recorder) replay(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, v := range rec.header {
		h[k] = v
	}
	if rec.status == http.StatusOK && h.Get("Etag") != "" {
		mod, _ := http.ParseTime(h.Get("Last-Modified"))
		http.ServeContent(w, r, "", mod, bytes.NewReader(rec.body.Bytes()))
		return
	}
	w.WriteHeader(rec.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(rec.body.Bytes())
	}
}
