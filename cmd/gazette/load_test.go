package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/postgres"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// BenchmarkCommentPosts posts b.N comments over HTTP to running servers,
// spread over them, for docs/PERFORMANCE.md: the servers are started
// beforehand on the database the benchmark is told, which it opens to
// turn the rate limit and moderation off and to sign form tokens.
//
//	GAZETTE_BENCH_DB      a postgres:// URL or the SQLite file
//	GAZETTE_BENCH_URLS    the servers' base URLs, comma-separated
//	GAZETTE_BENCH_PATH    the path of the entry to comment on
//	GAZETTE_BENCH_CLIENTS concurrent clients (default 16)
func BenchmarkCommentPosts(b *testing.B) {
	dbURL, urls, path := os.Getenv("GAZETTE_BENCH_DB"), os.Getenv("GAZETTE_BENCH_URLS"), os.Getenv("GAZETTE_BENCH_PATH")
	if dbURL == "" || urls == "" || path == "" {
		b.Skip("set GAZETTE_BENCH_DB, GAZETTE_BENCH_URLS and GAZETTE_BENCH_PATH to measure running servers")
	}
	clients := 16
	if n := os.Getenv("GAZETTE_BENCH_CLIENTS"); n != "" {
		fmt.Sscan(n, &clients)
	}
	ctx := context.Background()
	var store gazette.Store
	var err error
	if isPostgres(dbURL) {
		store, err = postgres.Open(ctx, dbURL)
	} else {
		store, err = sqlite.Open(ctx, dbURL)
	}
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	s, err := store.Settings(ctx)
	if err != nil {
		b.Fatal(err)
	}
	s.TokenMinAge, s.Moderation, s.CommentIntake.RatePerMinute = 0, gazette.ModerateNone, 0
	if err := store.SaveSettings(ctx, s); err != nil {
		b.Fatal(err)
	}
	e, err := store.EntryByPath(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	pub := publish.New(markdown.New(), sanitize.New())
	bases := strings.Split(urls, ",")
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				tok, err := pub.FormToken(ctx, store, e.ID, time.Now().Add(-time.Minute))
				if err != nil {
					b.Error(err)
					return
				}
				form := url.Values{"name": {fmt.Sprintf("Reader %d", i%50)}, "email": {fmt.Sprintf("r%d@example.com", i%50)},
					"body": {fmt.Sprintf("Load comment %d at %d.", i, start.UnixNano())}, "token": {tok}}
				resp, err := hc.PostForm(bases[int(i)%len(bases)]+path, form)
				if err != nil {
					failed.Add(1)
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusSeeOther {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "comments/s")
	if n := failed.Load(); n > 0 {
		b.Errorf("%d of %d posts not acknowledged", n, b.N)
	}
}
