package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/http"
	"strings"
	"time"
)

// Page is a rendered response body with what the caching headers need.
type Page struct {
	Body []byte
	// ContentType defaults to HTML in UTF-8.
	ContentType string
	// LastModified is when the content last changed; zero when unknown, in
	// which case no Last-Modified is sent and only the ETag validates.
	LastModified time.Time
	// CacheControl defaults to DefaultCacheControl.
	CacheControl string
}

// DefaultCacheControl lets caches keep a page but ask before each use, so a
// change to the blog shows at once while unchanged pages cost a 304.
const DefaultCacheControl = "public, no-cache"

// ImmutableCacheControl is for content-addressed files, whose URL changes
// whenever their bytes do.
const ImmutableCacheControl = "public, max-age=31536000, immutable"

// ETag returns the strong entity tag of body: a hash of its bytes.
func ETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

// ServePage writes p with ETag, Last-Modified, Content-Type and
// Cache-Control, answering conditional requests (If-None-Match,
// If-Modified-Since) with 304 and HEAD without a body.
func ServePage(w http.ResponseWriter, r *http.Request, p Page) {
	h := w.Header()
	ct := p.ContentType
	if ct == "" {
		ct = "text/html; charset=utf-8"
	}
	cc := p.CacheControl
	if cc == "" {
		cc = DefaultCacheControl
	}
	h.Set("Content-Type", ct)
	h.Set("Cache-Control", cc)
	h.Set("ETag", ETag(p.Body))
	// ServeContent checks the validators, handles HEAD and ranges, and sets
	// Last-Modified unless the time is zero.
	http.ServeContent(w, r, "", p.LastModified.UTC().Truncate(time.Second), bytes.NewReader(p.Body))
}

// BaseURL returns a blog's public address: configured, its Settings.BaseURL
// without a trailing slash, or, when the blog has not set one, the scheme
// and host the request came to. The fallback keeps a fresh install's feeds
// and links working; but the host is what the client sent, so a blog should
// set its base URL: feed IDs, sitemaps, the endpoints other sites ping and
// the webmentions it sends depend on it.
func BaseURL(r *http.Request, configured string) string {
	if configured != "" {
		return strings.TrimSuffix(configured, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// ClientIP returns the address a request came from, without its port. It is
// the peer's address; a proxy in front of gazette shows as itself.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
