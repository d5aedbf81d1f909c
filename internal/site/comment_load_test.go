package site_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

// TestCommentLoad has 64 clients post 2,000 comments at once over HTTP to a
// blog on an SQLite file, with the rate limit off: every acknowledged
// comment must be stored exactly once. It logs the throughput and latency
// that docs/PERFORMANCE.md reports (go test -run TestCommentLoad -v
// ./internal/site/); GAZETTE_LOAD_COMMENTS changes the number of comments.
func TestCommentLoad(t *testing.T) {
	const clients = 64
	total := 2000
	if n, err := strconv.Atoi(os.Getenv("GAZETTE_LOAD_COMMENTS")); err == nil && n > 0 {
		total = n
	}
	if testing.Short() {
		total = 200
	}
	cb := newCommentBlog(t, "default", func(s *gazette.Settings) { s.Moderation = gazette.ModerateNone; s.RatePerMinute = 0 })
	ctx := context.Background()
	cb.clock.advance(time.Minute)
	issued := cb.clock.now().Add(-30 * time.Second)
	before := cb.count(t)

	type result struct {
		id      int64
		body    string
		latency time.Duration
	}
	jobs := make(chan int)
	results := make(chan result, total)
	failures := make(chan string, total)
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				tok, err := cb.pub.FormToken(ctx, cb.store, cb.seedID, issued)
				if err != nil {
					failures <- err.Error()
					continue
				}
				body := fmt.Sprintf("Load comment %d: the general's defection, seen from reader %d.", i, i%clients)
				form := url.Values{"name": {"Reader " + strconv.Itoa(i%clients)}, "email": {fmt.Sprintf("r%d@example.com", i%clients)},
					"body": {body}, "token": {tok}, "post": {"1"}}
				t0 := time.Now()
				resp, err := hc.PostForm(cb.entry, form)
				lat := time.Since(t0)
				if err != nil {
					failures <- err.Error()
					continue
				}
				resp.Body.Close()
				m := commentIDRE.FindStringSubmatch(resp.Header.Get("Location"))
				if resp.StatusCode != http.StatusSeeOther || m == nil {
					failures <- fmt.Sprintf("comment %d: status %d", i, resp.StatusCode)
					continue
				}
				id, _ := strconv.ParseInt(m[1], 10, 64)
				results <- result{id, body, lat}
			}
		}()
	}
	for i := 0; i < total; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	close(results)
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	var lats []time.Duration
	ids := map[int64]string{}
	for r := range results {
		lats = append(lats, r.latency)
		if other, dup := ids[r.id]; dup {
			t.Errorf("comment %d acknowledged twice (%q and %q)", r.id, other, r.body)
		}
		ids[r.id] = r.body
	}
	// Every acknowledged comment is stored, once, as posted.
	stored, _, err := cb.store.Comments(ctx, gazette.CommentFilter{EntryID: cb.seedID})
	if err != nil {
		t.Fatal(err)
	}
	byBody := map[string]int{}
	for _, c := range stored {
		byBody[c.Body]++
		if want, ok := ids[c.ID]; ok && want != c.Body {
			t.Errorf("comment %d stored as %q, acknowledged as %q", c.ID, c.Body, want)
		}
	}
	for _, body := range ids {
		if byBody[body] != 1 {
			t.Errorf("%q stored %d times", body, byBody[body])
		}
	}
	if len(stored)-before != len(ids) {
		t.Errorf("%d comments stored, %d acknowledged", len(stored)-before, len(ids))
	}
	slices.Sort(lats)
	pct := func(p float64) time.Duration { return lats[min(len(lats)-1, int(p*float64(len(lats))))] }
	if len(lats) > 0 {
		t.Logf("%d clients, %d comments acknowledged and stored once in %v: %.0f comments/s; latency p50 %v, p90 %v, p99 %v, max %v",
			clients, len(lats), elapsed.Round(time.Millisecond), float64(len(lats))/elapsed.Seconds(),
			pct(.5).Round(time.Microsecond*100), pct(.9).Round(time.Microsecond*100), pct(.99).Round(time.Microsecond*100), lats[len(lats)-1].Round(time.Microsecond*100))
	}
}
