package main

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// TestCommentNotification posts a comment to the running server and reads
// the mail its entry's author gets, from a mail server on loopback that
// keeps what it is sent.
func TestCommentNotification(t *testing.T) {
	mails := make(chan string, 4)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go receiveMail(c, mails)
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port

	dir := t.TempDir()
	base, stop := startServe(t, dir, "--demo")
	defer stop()
	changeSettings(t, dir, func(s *gazette.Settings) {
		s.TokenMinAge = 0
		s.SMTP = gazette.SMTP{Host: "127.0.0.1", Port: port, From: "blog@example.org"}
	})
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	richard, err := db.AuthorByName(ctx, "Richard")
	if err != nil {
		t.Fatal(err)
	}
	richard.Email = "richard@example.org"
	if err := db.UpdateAuthor(ctx, richard); err != nil {
		t.Fatal(err)
	}
	db.Close()

	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	postComment(t, c, base, url.Values{"name": {"Mary Reader"}, "email": {"mary@example.org"},
		"body": {"Mossad or not, this reads like a novel."}})
	select {
	case m := <-mails:
		for _, want := range []string{
			"RCPT TO:<richard@example.org>",
			"awaiting moderation",
			"Iranian General That Defected Was Spy For West",
			"Mary Reader",
			"Mossad or not, this reads like a novel.",
			"gazette comments approve",
		} {
			if !strings.Contains(m, want) {
				t.Errorf("the author's mail lacks %q:\n%s", want, m)
			}
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the entry's author got no mail within 15 s of the comment")
	}
}

// receiveMail speaks just enough SMTP to take one conversation's mail and
// sends its envelope and data, as one string, to mails.
func receiveMail(c net.Conn, mails chan<- string) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(s string) { c.Write([]byte(s + "\r\n")) }
	say("220 test")
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 test")
		case strings.HasPrefix(cmd, "MAIL"), strings.HasPrefix(cmd, "RCPT"):
			b.WriteString(strings.TrimSpace(line) + "\n")
			say("250 ok")
		case cmd == "DATA":
			say("354 go ahead")
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
			say("250 queued")
			mails <- b.String()
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}
