package main

import (
	"net/url"
	"strings"
	"testing"

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
