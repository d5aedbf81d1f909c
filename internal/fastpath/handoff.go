package fastpath

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// handoffListener is the listener of the http.Server: it accepts the
// connections, and the single requests, the fast path passes on.
type handoffListener struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newHandoffListener() *handoffListener {
	return &handoffListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

// Accept implements net.Listener.
func (l *handoffListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close implements net.Listener.
func (l *handoffListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

// Addr implements net.Listener.
func (l *handoffListener) Addr() net.Addr { return l.addr }

// give passes c to the http.Server; false once it has closed.
func (l *handoffListener) give(c net.Conn) bool {
	select {
	case l.conns <- c:
		return true
	case <-l.done:
		return false
	}
}

// replayConn is a connection handed to net/http: its reads return first
// the bytes the fast path has buffered.
type replayConn struct {
	net.Conn
	br *bufio.Reader
}

// Read implements net.Conn.
func (c *replayConn) Read(p []byte) (int, error) {
	if c.br != nil {
		if c.br.Buffered() > 0 {
			return c.br.Read(p)
		}
		c.br = nil
	}
	return c.Conn.Read(p)
}

// CloseWrite lets net/http end its side of the connection before closing
// it, after an error answer, as it does with a TCP connection of its own.
func (c *replayConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// pipeConn is net/http's end of a pipe that carries one request to it and
// its answer back.
type pipeConn struct {
	net.Conn
	local, remote net.Addr
	// done receives, once, whether net/http answered and waits for the
	// next request (true), or closed the connection (false).
	done chan bool

	// The deadlines net/http sets run timers that keep the pipe in memory
	// until they fire (IdleTimeout), and a pipe whose other end is closed
	// can no longer clear them: finish clears them first and ignores any
	// set after.
	mu       sync.Mutex
	finished bool
}

// LocalAddr implements net.Conn: the real connection's, for the handlers.
func (c *pipeConn) LocalAddr() net.Addr { return c.local }

// RemoteAddr implements net.Conn: the real connection's.
func (c *pipeConn) RemoteAddr() net.Addr { return c.remote }

// SetDeadline implements net.Conn.
func (c *pipeConn) SetDeadline(t time.Time) error {
	return c.deadline(t, c.Conn.SetDeadline)
}

// SetReadDeadline implements net.Conn.
func (c *pipeConn) SetReadDeadline(t time.Time) error {
	return c.deadline(t, c.Conn.SetReadDeadline)
}

// SetWriteDeadline implements net.Conn.
func (c *pipeConn) SetWriteDeadline(t time.Time) error {
	return c.deadline(t, c.Conn.SetWriteDeadline)
}

func (c *pipeConn) deadline(t time.Time, set func(time.Time) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.finished {
		return nil
	}
	return set(t)
}

// finish clears the deadlines; net/http is done with the pipe.
func (c *pipeConn) finish() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.finished = true
	_ = c.Conn.SetDeadline(time.Time{})
}

// Close implements net.Conn.
func (c *pipeConn) Close() error {
	c.finish()
	return c.Conn.Close()
}

// state is told of the connection's states in net/http.
func (c *pipeConn) state(st http.ConnState) {
	var keep bool
	switch st {
	case http.StateIdle:
		keep = true
	case http.StateClosed, http.StateHijacked:
	default:
		return
	}
	select {
	case c.done <- keep:
	default: // told already
	}
}

// viaHTTP passes the plain request alone to net/http and copies its answer
// to the connection; false when net/http closed the connection after it.
func (c *conn) viaHTTP() bool {
	client, server := net.Pipe()
	pc := &pipeConn{Conn: server, local: c.nc.LocalAddr(), remote: c.nc.RemoteAddr(), done: make(chan bool, 1)}
	if !c.s.handoff.give(pc) {
		client.Close()
		server.Close()
		return false
	}
	if c.s.write > 0 {
		_ = c.nc.SetWriteDeadline(time.Now().Add(c.s.write))
	}
	copied := make(chan error, 1)
	go func() { copied <- copyAnswer(c.nc, client) }()
	b, _ := c.br.Peek(c.req.size)
	_, _ = client.Write(b) // fails only when net/http closed its end: done tells
	keep := <-pc.done
	pc.finish()
	client.Close()
	err := <-copied
	return keep && err == nil && !c.s.shutdown.Load()
}

// copyAnswer copies from the pipe to the connection until the pipe closes;
// it fails only when writing to the connection does.
func copyAnswer(dst io.Writer, src net.Conn) error {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrClosedPipe) {
				return nil
			}
			return err
		}
	}
}
