package mail

import (
	"bufio"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

// smtpServer is a tiny SMTP server on 127.0.0.1 that keeps the messages it
// receives. It answers the first failFirst MAIL commands with a temporary
// failure, to exercise retries.
type smtpServer struct {
	ln        net.Listener
	mu        sync.Mutex
	failFirst int
	received  []string
	got       chan struct{}
}

func startSMTP(t *testing.T, failFirst int) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, failFirst: failFirst, got: make(chan struct{}, 16)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { c.Write([]byte(line + "\r\n")) }
	say("220 test ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 test")
		case strings.HasPrefix(cmd, "MAIL"):
			s.mu.Lock()
			fail := s.failFirst > 0
			s.failFirst--
			s.mu.Unlock()
			if fail {
				say("451 try again later")
				continue
			}
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT"), strings.HasPrefix(cmd, "RSET"), strings.HasPrefix(cmd, "NOOP"):
			say("250 ok")
		case cmd == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.received = append(s.received, b.String())
			s.mu.Unlock()
			say("250 queued")
			s.got <- struct{}{}
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 unknown")
		}
	}
}

func (s *smtpServer) config() gazette.SMTP {
	_, port, _ := net.SplitHostPort(s.ln.Addr().String())
	p, _ := strconv.Atoi(port)
	return gazette.SMTP{Host: "127.0.0.1", Port: p, From: "blog@example.org"}
}

func TestSendDeliversAfterRetry(t *testing.T) {
	srv := startSMTP(t, 1)
	m := New(nil)
	m.retries = []time.Duration{10 * time.Millisecond}
	defer m.Close()
	if !m.Send(srv.config(), Message{To: "richard@example.org", Subject: "New comment\r\nBcc: victim@example.org", Body: "Hello.\nSecond line."}) {
		t.Fatal("Send did not queue the message")
	}
	select {
	case <-srv.got:
	case <-time.After(10 * time.Second):
		t.Fatal("no message arrived")
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	got := srv.received[0]
	for _, want := range []string{"To: richard@example.org\r\n", "Subject: New comment Bcc: victim@example.org\r\n", "Hello.\r\nSecond line.\r\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("message lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\r\nBcc:") {
		t.Error("a line break in the subject added a header")
	}
}

func TestSendWithoutServer(t *testing.T) {
	m := New(nil)
	defer m.Close()
	if m.Send(gazette.SMTP{}, Message{To: "a@example.org"}) {
		t.Error("Send queued a message with no SMTP host set")
	}
}

// TestSendNeverBlocks: with the worker stuck on an unreachable server, a
// full queue drops messages instead of blocking the sender.
func TestSendNeverBlocks(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close() // accepts nothing: the worker waits in the SMTP greeting
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	m := New(nil)
	defer m.Close()
	queued := 0
	for range QueueLength + 10 {
		if m.Send(gazette.SMTP{Host: "127.0.0.1", Port: p}, Message{To: "a@example.org"}) {
			queued++
		}
	}
	if queued > QueueLength+1 || queued < QueueLength {
		t.Errorf("queued %d messages, want the queue length %d (+1 in the worker's hands)", queued, QueueLength)
	}
}
