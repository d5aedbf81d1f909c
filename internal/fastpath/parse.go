package fastpath

import (
	"github.com/gazette-blog/gazette/internal/pagecache"
)

// verdict is what the parser makes of the bytes of a connection so far.
type verdict int

const (
	// needMore: the bytes are the start of a request the fast path may
	// take; read on.
	needMore verdict = iota
	// plain: a whole GET or HEAD request of HTTP/1.1, without a body and
	// of strictly valid syntax, whose end is certain: the fast path answers
	// it from the cache or passes it, alone, to net/http.
	plain
	// other: anything else; the connection goes to net/http.
	other
)

// maxFields bounds the header fields of a request the fast path reads.
const maxFields = 64

// maxValues bounds the lines of each header field Lookup reads.
const maxValues = 4

// request is a request read by the fast path. Its slices point into the
// connection's buffer and are valid until the request is discarded.
type request struct {
	head   bool
	target []byte
	host   []byte
	// size is the length of the request: line, header fields and the
	// blank line after them.
	size int
	// cacheable: pagecache's Handler would look the request up, and
	// net/http's mux would not clean or redirect its path.
	cacheable bool
	sawRange  bool

	cache pagecache.Request
	ae    [maxValues][]byte
	inm   [maxValues][]byte
	ims   [maxValues][]byte
}

// parse reads a request from b, strictly: anything that net/http might
// read otherwise than the fast path does (bare LF, folded lines, white
// space before a colon, a body, a second Host…) is other, for net/http to
// answer as it would on its own.
func (r *request) parse(b []byte) verdict {
	*r = request{cacheable: true, cache: pagecache.Request{
		AcceptEncoding: r.ae[:0], IfNoneMatch: r.inm[:0], IfModifiedSince: r.ims[:0],
	}}
	var i int
	switch {
	case hasPrefix(b, "GET "):
		i = 4
	case hasPrefix(b, "HEAD "):
		i, r.head, r.cache.Head = 5, true, true
	case prefixOf(b, "GET ") || prefixOf(b, "HEAD "):
		return needMore
	default:
		return other
	}
	start := i
	for i < len(b) && b[i] != ' ' {
		if b[i] <= ' ' || b[i] >= 0x7f {
			return other
		}
		i++
	}
	if i == len(b) {
		return needMore
	}
	r.target = b[start:i]
	if len(r.target) == 0 || r.target[0] != '/' {
		return other
	}
	const version = " HTTP/1.1\r\n"
	switch rest := b[i:]; {
	case hasPrefix(rest, version):
		i += len(version)
	case prefixOf(rest, version):
		return needMore
	default:
		return other
	}
	for n := 0; ; n++ {
		if i == len(b) {
			return needMore
		}
		if b[i] == '\r' {
			if i+1 == len(b) {
				return needMore
			}
			if b[i+1] != '\n' {
				return other
			}
			i += 2
			break
		}
		if n == maxFields {
			return other
		}
		ns := i
		for i < len(b) && isTokenChar(b[i]) {
			i++
		}
		if i == len(b) {
			return needMore
		}
		if i == ns || b[i] != ':' {
			return other
		}
		name := b[ns:i]
		i++
		for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
		vs := i
		for i < len(b) && (b[i] == '\t' || (b[i] >= ' ' && b[i] < 0x7f)) {
			i++
		}
		if i < len(b) && b[i] != '\r' {
			return other // bare LF, a control character, obs-text
		}
		if i+1 >= len(b) {
			return needMore
		}
		if b[i+1] != '\n' {
			return other
		}
		value := b[vs:i]
		for len(value) > 0 && (value[len(value)-1] == ' ' || value[len(value)-1] == '\t') {
			value = value[:len(value)-1]
		}
		i += 2
		if !r.field(name, value) {
			return other
		}
	}
	if r.host == nil {
		return other
	}
	r.size = i
	r.cacheable = r.cacheable && cleanPath(r.target)
	return plain
}

// field takes one header field; false means the request is not plain.
func (r *request) field(name, value []byte) bool {
	switch {
	case equalFold(name, "Host"):
		if r.host != nil || !validHost(value) {
			return false
		}
		r.host = value
	case equalFold(name, "Accept-Encoding"):
		r.cache.AcceptEncoding, r.cacheable = appendValue(r.cache.AcceptEncoding, value, r.cacheable)
	case equalFold(name, "If-None-Match"):
		r.cache.IfNoneMatch, r.cacheable = appendValue(r.cache.IfNoneMatch, value, r.cacheable)
	case equalFold(name, "If-Modified-Since"):
		r.cache.IfModifiedSince, r.cacheable = appendValue(r.cache.IfModifiedSince, value, r.cacheable)
	case equalFold(name, "Cookie"):
		// gazette's cookies change the page for their reader (as
		// pagecache's Handler sees them).
		if contains(value, pagecache.ReaderCookiePrefix) {
			r.cacheable = false
		}
	case equalFold(name, "Range"):
		// Handler looks at the first Range line alone (Header.Get).
		if !r.sawRange && len(value) > 0 {
			r.cacheable = false
		}
		r.sawRange = true
	case equalFold(name, "Connection"):
		// keep-alive is HTTP/1.1's default; close and the rest change
		// the answer or the connection.
		return equalFold(value, "keep-alive")
	case equalFold(name, "Content-Length"), equalFold(name, "Transfer-Encoding"),
		equalFold(name, "Expect"), equalFold(name, "Upgrade"), equalFold(name, "Trailer"):
		// A body, or a protocol change: where the request ends is for
		// net/http to say.
		return false
	}
	return true
}

// appendValue adds a line of a field Lookup reads; more lines than the
// request has room for make it one for Handler.
func appendValue(vals [][]byte, v []byte, cacheable bool) ([][]byte, bool) {
	if len(vals) == cap(vals) {
		return vals, false
	}
	return append(vals, v), cacheable
}

// cleanPath reports whether path is one that pagecache's Handler would see
// as sent: net/http's mux answers a path with empty, "." or ".." segments
// by a redirect to its cleaned form, a query is not cached, and escapes
// would make the path the mux sees differ from the bytes sent.
func cleanPath(path []byte) bool {
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '/':
			if i+1 < len(path) && path[i+1] == '/' {
				return false
			}
			rest := path[i+1:]
			if hasPrefix(rest, ".") && (len(rest) == 1 || rest[1] == '/') ||
				hasPrefix(rest, "..") && (len(rest) == 2 || rest[2] == '/') {
				return false
			}
		case c == '-' || c == '.' || c == '_' || c == '~' || c == '!' || c == '$' || c == '&' || c == '\'' ||
			c == '(' || c == ')' || c == '*' || c == '+' || c == ',' || c == ';' || c == '=' || c == ':' || c == '@':
		default:
			return false // '%', '?', '#' and the rest
		}
	}
	return true
}

// validHost reports whether h is a host name or address, with an optional
// port: a narrower set than net/http's, so that what the fast path takes
// net/http takes too.
func validHost(h []byte) bool {
	if len(h) == 0 {
		return false
	}
	for _, c := range h {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '.' || c == ':' || c == '[' || c == ']' || c == '_':
		default:
			return false
		}
	}
	return true
}

// isTokenChar reports whether c may appear in a header field name (RFC
// 9110 §5.6.2).
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

func hasPrefix(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix
}

// prefixOf reports whether b, shorter than s, is its beginning.
func prefixOf(b []byte, s string) bool {
	return len(b) < len(s) && string(b) == s[:len(b)]
}

func contains(b []byte, s string) bool {
	for i := 0; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return true
		}
	}
	return false
}

func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if b[i]|0x20 != s[i]|0x20 {
			return false
		}
	}
	return true
}
