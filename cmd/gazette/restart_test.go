package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/postgres/pgtest"
)

// outcome is one request of the load in TestPostgresRestart.
type outcome struct {
	at       time.Time
	instance int
	ok       bool
	body     string // of an acknowledged comment
	err      string
}

// TestPostgresRestart restarts PostgreSQL while load drives two gazette
// instances on it: requests fail only between the stop and the first
// success of each instance after the start, the instances recover by
// themselves, and every comment acknowledged is stored. It starts a
// cluster of its own with .ci/postgres (port 55433), so that the other
// tests' server stays up; it runs where $GAZETTE_TEST_POSTGRES is set,
// there being a PostgreSQL to start then.
func TestPostgresRestart(t *testing.T) {
	if pgtest.URLIfSet() == "" {
		t.Skipf("$%s is not set: no PostgreSQL to restart (eval \"$(.ci/postgres start)\" starts one)", pgtest.Env)
	}
	ctx := context.Background()
	script := "../../.ci/postgres"
	// Not t.TempDir: the postgres user must reach the data directory.
	parent, err := os.MkdirTemp("", "gazette-pg-restart-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(parent) })
	if err := os.Chmod(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	pgEnv := append(os.Environ(), "PGPORT=55433", "PGDIR="+parent+"/pg")
	pg := func(args ...string) string {
		cmd := exec.CommandContext(ctx, script, args...)
		cmd.Env = pgEnv
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf(".ci/postgres %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	out := pg("start")
	t.Cleanup(func() { pg("stop") })
	db := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(out), "export "+pgtest.Env+"="))
	if !strings.HasPrefix(db, "postgres://") {
		t.Fatalf(".ci/postgres start printed %q", out)
	}

	baseA, stopA := startServe(t, t.TempDir(), "--db", db, "--demo")
	defer stopA()
	baseB, stopB := startServe(t, t.TempDir(), "--db", db)
	defer stopB()
	store := openPostgres(t, db, func(s *gazette.Settings) {
		s.TokenMinAge, s.Moderation, s.CommentIntake.RatePerMinute = 0, gazette.ModerateNone, 0
	})
	bases := []string{baseA, baseB}

	// A worker for each instance posts comments to it one after another,
	// reading the entry page for a form token before each: one worker,
	// since a form token is good for one comment and a cached page
	// shows the same token to everyone until a comment changes it.
	loadCtx, stopLoad := context.WithCancel(ctx)
	var mu sync.Mutex
	var log []outcome
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for w := range 2 {
		wg.Go(func() {
			for n := 0; loadCtx.Err() == nil && n < 2000; n++ {
				i := w % 2
				body := fmt.Sprintf("restart check %d-%d", w, n)
				o := outcome{instance: i}
				o.ok, o.err = postOnce(client, bases[i], body)
				o.at = time.Now()
				if o.ok {
					o.body = body
				}
				mu.Lock()
				log = append(log, o)
				mu.Unlock()
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
	time.Sleep(time.Second)
	down := time.Now()
	pg("restart", "1")
	up := time.Now()
	time.Sleep(2 * time.Second)
	stopLoad()
	wg.Wait()

	// Failures only while it is down, or before an instance's first
	// success after the start (its pool finding its connections dead).
	recovered := [2]bool{}
	var before, during, after, failed, lateFailed int
	for _, o := range log {
		switch {
		case o.at.Before(down):
			before++
			if !o.ok {
				t.Errorf("instance %d failed before the stop: %s", o.instance, o.err)
			}
		case o.at.Before(up):
			during++
		default:
			after++
			if o.ok {
				recovered[o.instance] = true
			} else if recovered[o.instance] {
				lateFailed++
				t.Errorf("instance %d failed after it had recovered: %s", o.instance, o.err)
			}
		}
		if !o.ok {
			failed++
		}
	}
	if recovered != [2]bool{true, true} {
		t.Errorf("the instances did not both recover after the restart: %v", recovered)
	}
	stored := map[string]bool{}
	list, _, err := store.Comments(ctx, gazette.CommentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if strings.HasPrefix(c.Body, "restart check ") {
			stored[c.Body] = true
		}
	}
	acked, lost := 0, 0
	for _, o := range log {
		if o.ok {
			acked++
			if !stored[o.body] {
				lost++
				t.Errorf("acknowledged comment %q is not stored", o.body)
			}
		}
	}
	t.Logf("requests: %d before the stop, %d while down, %d after; %d failed (%d after recovery); comments acknowledged %d, stored %d, lost %d",
		before, during, after, failed, lateFailed, acked, len(stored), lost)
}

// postOnce reads the seed entry for a form token and posts a comment; the
// comment is acknowledged when the answer is the redirect to it.
func postOnce(c *http.Client, base, body string) (bool, string) {
	resp, err := c.Get(base + seedPath)
	if err != nil {
		return false, err.Error()
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		return false, fmt.Sprintf("GET: %s %v", resp.Status, err)
	}
	m := formTokenRE.FindStringSubmatch(string(page))
	if m == nil {
		return false, "GET: no comment form"
	}
	form := url.Values{"name": {"Load"}, "email": {"load@example.com"}, "body": {body}, "token": {html.UnescapeString(m[1])}}
	resp, err = c.PostForm(base+seedPath, form)
	if err != nil {
		return false, err.Error()
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return false, "POST: " + resp.Status
	}
	return true, ""
}
