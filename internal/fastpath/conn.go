package fastpath

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gazette-blog/gazette/internal/web"
)

// A connection's states, for Shutdown: it closes idle connections (waiting
// for a request) and waits for active ones.
const (
	stateActive int32 = iota
	stateIdle
	stateClosed
)

// conn is a connection on the fast path.
type conn struct {
	s      *Server
	nc     net.Conn
	br     *bufio.Reader
	remote string
	state  atomic.Int32

	req    request
	keyBuf [256]byte
	iov    net.Buffers
	iovArr [4][]byte
}

var (
	crlf       = []byte("\r\n")
	closeTrail = []byte("Connection: close\r\n\r\n")
)

// serve answers the connection's requests until it closes, an error, or a
// request that hands it to net/http.
func (c *conn) serve() {
	defer c.s.forget(c)
	for {
		if c.br.Buffered() == 0 {
			if c.s.shutdown.Load() || !c.state.CompareAndSwap(stateActive, stateIdle) {
				c.nc.Close()
				return
			}
			if c.s.idle > 0 {
				_ = c.nc.SetReadDeadline(time.Now().Add(c.s.idle))
			}
			_, err := c.br.Peek(1)
			if !c.state.CompareAndSwap(stateIdle, stateActive) || err != nil {
				c.nc.Close() // closed by Shutdown, by the client, or idle too long
				return
			}
		}
		start := time.Now()
		v, err := c.read(start)
		if err != nil {
			c.nc.Close()
			return
		}
		if v == other {
			c.handOver()
			return
		}
		answered, keep := c.answer(start)
		if !answered {
			keep = c.viaHTTP()
		}
		if !keep {
			c.nc.Close()
			return
		}
		_, _ = c.br.Discard(c.req.size)
	}
}

// read reads until the buffer holds a whole request or enough to tell that
// the fast path will not take it.
func (c *conn) read(start time.Time) (verdict, error) {
	deadline := false
	for {
		b, _ := c.br.Peek(c.br.Buffered())
		v := c.req.parse(b)
		if v != needMore {
			return v, nil
		}
		if len(b) == c.br.Size() {
			return other, nil // too long for the fast path
		}
		if !deadline && c.s.header > 0 {
			_ = c.nc.SetReadDeadline(start.Add(c.s.header))
			deadline = true
		}
		if _, err := c.br.Peek(len(b) + 1); err != nil {
			return other, err
		}
	}
}

// answer writes the cache's answer to the request when it has one, and
// reports whether the connection stays open.
func (c *conn) answer(start time.Time) (answered, keep bool) {
	r := &c.req
	if !r.cacheable {
		return false, true
	}
	key := append(append(c.keyBuf[:0], r.host...), r.target...)
	a, ok := c.s.cache.Lookup(key, &r.cache)
	if !ok {
		return false, true
	}
	now := time.Now()
	if c.s.write > 0 {
		_ = c.nc.SetWriteDeadline(now.Add(c.s.write))
	}
	closing := c.s.shutdown.Load()
	c.iov = append(c.iovArr[:0], a.Header, c.s.date.line(now), crlf)
	if closing {
		// As net/http does when it is shutting down.
		c.iov[2] = closeTrail
	}
	if len(a.Body) > 0 {
		c.iov = append(c.iov, a.Body)
	}
	_, err := c.iov.WriteTo(c.nc)
	if c.s.log != nil {
		method := http.MethodGet
		if r.head {
			method = http.MethodHead
		}
		web.LogRequest(context.Background(), c.s.log, method, string(r.target), a.Status, int64(len(a.Body)), time.Since(start), c.remote)
	}
	return true, err == nil && !closing
}

// handOver gives the connection, with the bytes read so far, to net/http.
func (c *conn) handOver() {
	c.s.forget(c)
	if !c.s.handoff.give(&replayConn{Conn: c.nc, br: c.br}) {
		c.nc.Close()
	}
}
