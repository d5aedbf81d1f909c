package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/postgres"
	"github.com/gazette-blog/gazette/internal/postgres/pgtest"
)

// TestPostgresUnreachable checks that a database that cannot be reached
// stops a command with a reason that names the server and hides the
// password, whether nothing listens or the password is wrong.
func TestPostgresUnreachable(t *testing.T) {
	const password = "s3cret-pw-8461"
	cases := []struct {
		name, url, want string
	}{
		{"nothing listens", "postgres://gazette:" + password + "@127.0.0.1:1/blog", "cannot reach the database at postgres://gazette:xxxxx@127.0.0.1:1/blog"},
		{"bad URL", "postgres://gazette:" + password + "@127.0.0.1:port/blog", "database URL"},
	}
	if base := pgtest.URLIfSet(); base != "" {
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword(u.User.Username(), password)
		cases = append(cases, struct{ name, url, want string }{"wrong password", u.String(), "password authentication failed"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := gazetteRun(t, t.TempDir(), "--db", c.url, "comments", "list")
			if err == nil {
				t.Fatal("no error")
			}
			if msg := err.Error(); !strings.Contains(msg, c.want) || strings.Contains(msg, password) {
				t.Errorf("error %q: want it to say %q and to hide the password", msg, c.want)
			}
		})
	}
}

// TestTwoInstancesOnPostgres runs two gazette instances on one PostgreSQL
// database, each with its page cache: a comment posted on A shows on B,
// which had the page cached, as soon as A's notification reaches B.
func TestTwoInstancesOnPostgres(t *testing.T) {
	db := pgtest.URL(t)
	baseA, stopA := startServe(t, t.TempDir(), "--db", db, "--demo")
	defer stopA()
	baseB, stopB := startServe(t, t.TempDir(), "--db", db)
	defer stopB()
	ctx := context.Background()
	store, err := postgres.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	s, err := store.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.TokenMinAge, s.Moderation = 0, gazette.ModerateNone
	if err := store.SaveSettings(ctx, s); err != nil {
		t.Fatal(err)
	}

	const words = "Seen from both instances"
	if _, page := get(t, baseB+seedPath); strings.Contains(page, words) {
		t.Fatal("the comment is on B before it was posted")
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	postComment(t, c, baseA, url.Values{"name": {"Reader"}, "email": {"r@example.com"}, "body": {words}})
	if _, page := get(t, baseA+seedPath); !strings.Contains(page, words) {
		t.Fatal("the comment is not on A, where it was posted")
	}
	eventually(t, "the comment showing on B", func() bool {
		_, page := get(t, baseB+seedPath)
		return strings.Contains(page, words)
	})
}
