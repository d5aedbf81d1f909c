// Package fastpath answers the requests that the page cache holds without
// net/http, in front of an http.Server that answers the rest.
//
// net/http costs about twice what writing a cached page takes: on two cores
// it cannot serve a page as fast as nginx serves a file. Each connection
// starts here: a request is read from a buffer without being consumed and,
// when it is a plain GET or HEAD whose page is cached, answered with the
// cache's ready bytes in one write. A plain request that misses goes to the
// http.Server alone, through an in-memory pipe, and the connection comes
// back to the fast path after it; anything else (a body, HTTP/1.0, a
// protocol change, syntax the fast path does not read the way net/http
// does) hands the connection, with every byte read so far, to the
// http.Server for good.
package fastpath

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gazette-blog/gazette/internal/pagecache"
)

// readBufferSize bounds a request the fast path reads: larger ones (long
// cookies) go to net/http.
const readBufferSize = 4096

// Config sets up a Server.
type Config struct {
	// HTTP answers what the fast path does not. Its ReadHeaderTimeout,
	// IdleTimeout and WriteTimeout (ReadTimeout where those are zero)
	// apply to the fast path's connections too. New wraps its ConnState.
	HTTP *http.Server
	// Cache holds the pages the fast path answers; it must be the cache of
	// HTTP's handler, configured with the header fields of the handlers in
	// front of it (pagecache.Config.Header).
	Cache *pagecache.Cache
	// AccessLog, when set, receives a line for each request the fast path
	// answers, as web.AccessLog writes it.
	AccessLog *slog.Logger
}

// Server serves connections, the page cache's hits itself and everything
// else through an http.Server.
type Server struct {
	http     *http.Server
	cache    *pagecache.Cache
	log      *slog.Logger
	handoff  *handoffListener
	date     dateCache
	idle     time.Duration
	header   time.Duration
	write    time.Duration
	shutdown atomic.Bool

	mu    sync.Mutex
	ln    net.Listener
	conns map[*conn]struct{}
	wg    sync.WaitGroup
}

// New returns a Server. It sets cfg.HTTP.ConnState to learn when net/http
// has answered a request passed to it alone, calling the one set before.
func New(cfg Config) *Server {
	s := &Server{
		http:   cfg.HTTP,
		cache:  cfg.Cache,
		log:    cfg.AccessLog,
		idle:   cfg.HTTP.IdleTimeout,
		header: cfg.HTTP.ReadHeaderTimeout,
		write:  cfg.HTTP.WriteTimeout,
		conns:  map[*conn]struct{}{},
	}
	if s.idle == 0 {
		s.idle = cfg.HTTP.ReadTimeout
	}
	if s.header == 0 {
		s.header = cfg.HTTP.ReadTimeout
	}
	s.handoff = newHandoffListener()
	prev := cfg.HTTP.ConnState
	cfg.HTTP.ConnState = func(c net.Conn, st http.ConnState) {
		if pc, ok := c.(*pipeConn); ok {
			pc.state(st)
		}
		if prev != nil {
			prev(c, st)
		}
	}
	return s
}

// Serve accepts connections on ln until Shutdown, and returns
// http.ErrServerClosed then; any other error of ln ends it too.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	s.handoff.addr = ln.Addr()
	httpDone := make(chan error, 1)
	go func() { httpDone <- s.http.Serve(s.handoff) }()
	var delay time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.shutdown.Load() {
				return http.ErrServerClosed
			}
			if errors.Is(err, net.ErrClosed) {
				s.handoff.Close()
				<-httpDone
				return err
			}
			// Out of file descriptors, a connection reset before it was
			// accepted: wait a little, as net/http does.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			time.Sleep(delay)
			continue
		}
		delay = 0
		c := s.newConn(nc)
		if c == nil {
			nc.Close()
			continue
		}
		go c.serve()
	}
}

// Shutdown stops accepting, closes idle connections and waits for the busy
// ones to finish their answers (or for ctx), on the fast path and in the
// http.Server alike.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shutdown.Store(true)
	if s.ln != nil {
		s.ln.Close()
	}
	s.mu.Unlock()
	httpErr := make(chan error, 1)
	go func() { httpErr <- s.http.Shutdown(ctx) }()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		s.closeIdle()
		select {
		case <-done:
			return <-httpErr
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

func (s *Server) newConn(nc net.Conn) *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shutdown.Load() {
		return nil
	}
	c := &conn{s: s, nc: nc, br: bufio.NewReaderSize(nc, readBufferSize), remote: nc.RemoteAddr().String()}
	c.state.Store(stateActive)
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	return c
}

// forget drops c from the connections Shutdown waits for.
func (s *Server) forget(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.conns[c]; ok {
		delete(s.conns, c)
		s.wg.Done()
	}
}

func (s *Server) closeIdle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if c.state.CompareAndSwap(stateIdle, stateClosed) {
			c.nc.Close()
		}
	}
}

// dateCache holds the Date field of the current second, formatted once.
type dateCache struct {
	cur atomic.Pointer[dateLine]
}

type dateLine struct {
	sec  int64
	line []byte
}

// line returns "Date: …\r\n" for now.
func (d *dateCache) line(now time.Time) []byte {
	sec := now.Unix()
	if l := d.cur.Load(); l != nil && l.sec == sec {
		return l.line
	}
	b := make([]byte, 0, len("Date: \r\n")+len(http.TimeFormat))
	b = append(b, "Date: "...)
	b = now.UTC().AppendFormat(b, http.TimeFormat)
	b = append(b, "\r\n"...)
	d.cur.Store(&dateLine{sec: sec, line: b})
	return b
}
