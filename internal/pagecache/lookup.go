package pagecache

import (
	"bytes"
	"net/http"
)

// Request is what a cached answer depends on, as the bytes of a request
// read without net/http (package fastpath). The slices are read during
// Lookup only, so they may point into a connection's buffer.
type Request struct {
	// Head is true for a HEAD request, false for a GET.
	Head bool
	// AcceptEncoding, IfNoneMatch and IfModifiedSince hold the values of
	// the request's header fields of those names, one per line received,
	// without surrounding white space.
	AcceptEncoding  [][]byte
	IfNoneMatch     [][]byte
	IfModifiedSince [][]byte
}

// Answer is a cached page's response to one request, ready to be written.
type Answer struct {
	// Header is the status line and the header fields that Handler's
	// answer has, in net/http's order, less the Date field and the blank
	// line that end it. It is shared: the caller must not change it.
	Header []byte
	// Body is the body to send: nil for HEAD and 304. Shared likewise.
	Body []byte
	// Status is 200 or 304.
	Status int
}

// Lookup answers req for key (the request's Host followed by its path)
// when the cache holds that page, exactly as Handler would answer a
// cacheable request behind the handlers that Config.Header stands for. It
// runs the Watcher as Handler does; on a miss it reports false and the
// request is Handler's to render.
func (c *Cache) Lookup(key []byte, req *Request) (Answer, bool) {
	p := c.find(key)
	if p == nil {
		return Answer{}, false
	}
	enc := chooseEncoding(req.AcceptEncoding)
	var ims []byte
	if len(req.IfModifiedSince) > 0 {
		ims = req.IfModifiedSince[0]
	}
	nm := notModified(p, req.IfNoneMatch, ims)
	if nm {
		return Answer{Header: p.wire[enc][1], Status: http.StatusNotModified}, true
	}
	a := Answer{Header: p.wire[enc][0], Status: http.StatusOK}
	if !req.Head {
		a.Body = p.variants[enc].body
	}
	return a, true
}

// makeWire writes the status lines and header fields of p's answers with
// the same fill as serve and the same writer as net/http's server.
func (p *page) makeWire(outer http.Header) [3][2][]byte {
	var wire [3][2][]byte
	var b bytes.Buffer
	for enc := range wire {
		for i, nm := range []bool{false, true} {
			h := outer.Clone()
			if h == nil {
				h = http.Header{}
			}
			p.fill(h, enc, nm)
			b.Reset()
			if nm {
				b.WriteString("HTTP/1.1 304 Not Modified\r\n")
			} else {
				b.WriteString("HTTP/1.1 200 OK\r\n")
			}
			_ = h.Write(&b) // writes to a bytes.Buffer do not fail
			wire[enc][i] = bytes.Clone(b.Bytes())
		}
	}
	return wire
}
