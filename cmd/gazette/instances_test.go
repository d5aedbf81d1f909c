package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/postgres"
	"github.com/gazette-blog/gazette/internal/postgres/pgtest"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
)

// syncBuffer is a log several goroutines write to while a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// openPostgres opens the test database db as a command would, and changes
// its settings with mod.
func openPostgres(t *testing.T, db string, mod func(s *gazette.Settings)) *postgres.DB {
	t.Helper()
	ctx := context.Background()
	store, err := postgres.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	s, err := store.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mod(&s)
	if err := store.SaveSettings(ctx, s); err != nil {
		t.Fatal(err)
	}
	return store
}

// noRedirects is a client that shows redirects rather than following them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// TestManyInstancesOnPostgres runs two gazette instances on one PostgreSQL
// database, each with its page cache and its scheduler: a comment posted
// on A is on B, which had the page cached, once A's notification reaches
// it; an entry scheduled once is published once, though both schedulers
// look every 50 ms; a session made by signing in on A is valid on B.
func TestManyInstancesOnPostgres(t *testing.T) {
	db := pgtest.URL(t)
	var logA, logB syncBuffer
	baseA, stopA := startServeLogging(t, t.TempDir(), &logA, "--db", db, "--demo", "--schedule-interval", "50ms")
	baseB, stopB := startServeLogging(t, t.TempDir(), &logB, "--db", db, "--schedule-interval", "50ms")
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			stopA()
			stopB()
		}
	}
	defer stop()
	store := openPostgres(t, db, func(s *gazette.Settings) { s.TokenMinAge, s.Moderation = 0, gazette.ModerateNone })
	ctx := context.Background()

	t.Run("comment", func(t *testing.T) {
		const words = "Seen from both instances"
		if _, page := get(t, baseB+seedPath); strings.Contains(page, words) {
			t.Fatal("the comment is on B before it was posted")
		}
		postComment(t, noRedirects, baseA, url.Values{"name": {"Reader"}, "email": {"r@example.com"}, "body": {words}})
		if _, page := get(t, baseA+seedPath); !strings.Contains(page, words) {
			t.Fatal("the comment is not on A, where it was posted")
		}
		eventually(t, "the comment showing on B", func() bool {
			_, page := get(t, baseB+seedPath)
			return strings.Contains(page, words)
		})
	})

	t.Run("session", func(t *testing.T) {
		_, err := gazetteRunInput(t, "a long enough password\n", "--db", db, "user", "add",
			"--name", "Ann", "--email", "ann@example.com", "--role", "admin", "--password-stdin")
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, baseA+"/admin/login",
			strings.NewReader(url.Values{"email": {"ann@example.com"}, "password": {"a long enough password"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", baseA)
		resp, err := noRedirects.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		cookies := resp.Cookies()
		if resp.StatusCode != http.StatusSeeOther || len(cookies) == 0 {
			t.Fatalf("sign-in on A: %s with %d cookies", resp.Status, len(cookies))
		}
		for _, c := range []struct {
			name string
			with bool
			want int
		}{{"B with A's session", true, http.StatusOK}, {"B without it", false, http.StatusSeeOther}} {
			req, _ := http.NewRequest(http.MethodGet, baseB+"/admin/", nil)
			if c.with {
				for _, ck := range cookies {
					req.AddCookie(ck)
				}
			}
			resp, err := noRedirects.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Errorf("%s: GET /admin/ is %s, want %d", c.name, resp.Status, c.want)
			}
			if c.with && !strings.Contains(string(body), "Ann") {
				t.Errorf("%s: the dashboard does not name Ann", c.name)
			}
		}
	})

	t.Run("schedule", func(t *testing.T) {
		authors, err := store.Authors(ctx)
		if err != nil || len(authors) == 0 {
			t.Fatalf("authors: %v, %v", authors, err)
		}
		pub := publish.New(markdown.New(), sanitize.New())
		e := &gazette.Entry{Title: "Scheduled once", Body: "Published by one instance.", Format: gazette.FormatMarkdown,
			Status: gazette.StatusScheduled, PublishedAt: time.Now().Add(300 * time.Millisecond), AuthorID: authors[0].ID}
		if err := store.Atomic(ctx, func(tx gazette.Tx) error {
			s, err := tx.Settings(ctx)
			if err != nil {
				return err
			}
			return pub.CreateEntry(ctx, tx, s, e)
		}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the scheduled entry on A and B", func() bool {
			a, _ := get(t, baseA+e.Path)
			b, _ := get(t, baseB+e.Path)
			return a == http.StatusOK && b == http.StatusOK
		})
		// Both stopped, no scheduler is between its look and its write.
		stop()
		logs := logA.String() + logB.String()
		if n := strings.Count(logs, "published scheduled entry"); n != 1 {
			t.Errorf("the entry was published %d times by the two instances, want once:\n%s", n, logs)
		}
	})
}

// gazetteRunInput runs a command with stdin and returns what it printed.
func gazetteRunInput(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), append([]string{"--data", t.TempDir()}, args...), strings.NewReader(stdin), &out, io.Discard)
	return out.String(), err
}

// TestCommandsOnPostgres moderates, with the command line, a comment held
// on a running server on PostgreSQL: the server's cached page shows the
// approved comment once the command's notification reaches it. (On SQLite,
// TestCommentsCommands does the same.)
func TestCommandsOnPostgres(t *testing.T) {
	db := pgtest.URL(t)
	base, stop := startServe(t, t.TempDir(), "--db", db, "--demo")
	defer stop()
	openPostgres(t, db, func(s *gazette.Settings) { s.TokenMinAge, s.Moderation = 0, gazette.ModerateAll })
	const words = "Held until the command line approves"
	loc := postComment(t, noRedirects, base, url.Values{"name": {"Reader"}, "email": {"r@example.com"}, "body": {words}})
	id := strings.TrimPrefix(loc[strings.Index(loc, "#"):], "#comment-")
	if _, page := get(t, base+seedPath); strings.Contains(page, words) {
		t.Fatal("a held comment is on the public page")
	}
	dir := t.TempDir()
	if out, err := gazetteRun(t, dir, "--db", db, "comments", "approve", id); err != nil || out != id+" approved\n" {
		t.Fatalf("comments approve: %q, %v", out, err)
	}
	eventually(t, "the approved comment on the cached page", func() bool {
		_, page := get(t, base+seedPath)
		return strings.Contains(page, words)
	})
	if _, err := gazetteRun(t, dir, "--db", db, "comments", "delete", id); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the deleted comment gone from the cached page", func() bool {
		_, page := get(t, base+seedPath)
		return !strings.Contains(page, words)
	})
}
