package fastpath

import (
	"bufio"
	"bytes"
	"net/http"
	"testing"
)

// FuzzParse holds the fast path's parser to net/http's: a request the fast
// path reads as plain, when net/http reads it at all, is read the same way
// (method, target, host, the fields the cache answers by), with no body,
// ending at the same byte, so that the two can never disagree on where a
// request ends (request smuggling) or on what it asks; and one the cache
// would answer is one net/http reads. Run longer with
// go test -fuzz FuzzParse ./internal/fastpath.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
		"HEAD /archives/2007/03/x.html HTTP/1.1\r\nHost: a:8080\r\nAccept-Encoding: gzip, br\r\n\r\nGET / HTTP/1.1\r\n",
		"GET /p HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"x\"\r\nIf-Modified-Since: Sun, 11 Mar 2007 13:05:00 GMT\r\nCookie: a=b\r\n\r\n",
		"GET /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
		"GET /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
		"GET /p HTTP/1.1\nHost: h\n\n",
		"GET /p HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",
		"GET /p HTTP/1.1\r\nHost : h\r\n\r\n",
		"GET /a/../b HTTP/1.1\r\nHost: h\r\nRange: bytes=0-1\r\n\r\n",
		"GET /p HTTP/1.1\r\nHost: h\r\nHost: i\r\n\r\n",
		"GET /p HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nAccept-Encoding: br;q=0\r\nAccept-Encoding: gzip\r\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var r request
		if r.parse(b) != plain {
			return
		}
		br := bufio.NewReader(bytes.NewReader(b))
		req, err := http.ReadRequest(br)
		if err != nil {
			// A plain request the cache does not answer goes to net/http
			// alone, which refuses it and closes the connection, as it
			// would have on its own; the cache must never answer one.
			if r.cacheable {
				t.Fatalf("the fast path would answer %q from the cache; net/http refuses it: %v", b[:r.size], err)
			}
			return
		}
		method := http.MethodGet
		if r.head {
			method = http.MethodHead
		}
		switch {
		case req.Method != method:
			t.Fatalf("%q: method %q, fast path %q", b, req.Method, method)
		case req.RequestURI != string(r.target):
			t.Fatalf("%q: target %q, fast path %q", b, req.RequestURI, r.target)
		case req.Host != string(r.host):
			t.Fatalf("%q: host %q, fast path %q", b, req.Host, r.host)
		case req.ContentLength != 0 || len(req.TransferEncoding) > 0 || req.Close:
			t.Fatalf("%q: net/http sees a body (%d, %v) or a close (%v)", b, req.ContentLength, req.TransferEncoding, req.Close)
		case len(b)-br.Buffered() != r.size:
			t.Fatalf("%q: net/http's request ends at byte %d, the fast path's at %d", b, len(b)-br.Buffered(), r.size)
		}
		if !r.cacheable {
			return
		}
		if req.URL.Path != string(r.target) || req.URL.RawQuery != "" || req.Header.Get("Range") != "" {
			t.Fatalf("%q: cacheable, but net/http sees path %q, query %q, range %q", b, req.URL.Path, req.URL.RawQuery, req.Header.Get("Range"))
		}
		for _, f := range []struct {
			name string
			vals [][]byte
		}{
			{"Accept-Encoding", r.cache.AcceptEncoding},
			{"If-None-Match", r.cache.IfNoneMatch},
			{"If-Modified-Since", r.cache.IfModifiedSince},
		} {
			got := req.Header.Values(f.name)
			if len(got) != len(f.vals) {
				t.Fatalf("%q: %s: net/http %q, fast path %q", b, f.name, got, f.vals)
			}
			for i := range got {
				if got[i] != string(f.vals[i]) {
					t.Fatalf("%q: %s: net/http %q, fast path %q", b, f.name, got, f.vals)
				}
			}
		}
	})
}
