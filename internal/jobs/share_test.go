package jobs_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/jobs"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/postgres"
	"github.com/gazette-blog/gazette/internal/postgres/pgtest"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
)

// openTwice opens a new test schema twice, as two instances would.
func openTwice(t *testing.T) (a, b *postgres.DB) {
	url := pgtest.URL(t)
	open := func() *postgres.DB {
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	return open(), open()
}

// TestSchedulersShareOnePostgres races two Schedulers, each with its own
// pool, over entries scheduled on one PostgreSQL database: each entry is
// published by one of them.
func TestSchedulersShareOnePostgres(t *testing.T) {
	a, b := openTwice(t)
	ctx := context.Background()
	pub := publish.New(markdown.New(), sanitize.New())
	au := &gazette.Author{Slug: "r", Name: "R", Role: gazette.RoleAdmin}
	if err := a.CreateAuthor(ctx, au); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2030, 5, 1, 9, 0, 0, 0, time.UTC)
	const entries = 12
	for i := range entries {
		e := &gazette.Entry{Title: fmt.Sprintf("Later %d", i), Body: "Soon.", Format: gazette.FormatMarkdown,
			Status: gazette.StatusScheduled, PublishedAt: at.Add(time.Duration(i) * time.Second), AuthorID: au.ID}
		if err := a.Atomic(ctx, func(tx gazette.Tx) error {
			return pub.CreateEntry(ctx, tx, gazette.DefaultSettings(), e)
		}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i, db := range []*postgres.DB{a, b} {
		s := &jobs.Scheduler{Store: db, Publisher: pub, Now: func() time.Time { return at.Add(time.Minute) }}
		wg.Go(func() {
			for range 3 {
				n, err := s.PublishDue(ctx)
				if err != nil {
					t.Error(err)
				}
				counts[i] += n
			}
		})
	}
	wg.Wait()
	if counts[0]+counts[1] != entries {
		t.Errorf("two schedulers published %v times, want %d in all", counts, entries)
	}
	list, _, err := a.Entries(ctx, gazette.EntryFilter{Status: gazette.StatusPublished, Kind: gazette.AnyKind})
	if err != nil || len(list) != entries {
		t.Errorf("%d entries published, %v; want %d", len(list), err, entries)
	}
}

// TestSendersShareOnePostgres runs two Senders, each with its own pool as
// two instances have, on one PostgreSQL database: every page an entry links
// to is told once, by one of them.
func TestSendersShareOnePostgres(t *testing.T) {
	a, b := openTwice(t)
	ctx := context.Background()
	st := gazette.DefaultSettings()
	st.BaseURL = "https://blog.example.com"
	if err := a.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	au := &gazette.Author{Slug: "r", Name: "R", Role: gazette.RoleAdmin}
	if err := a.CreateAuthor(ctx, au); err != nil {
		t.Fatal(err)
	}
	r := newReceivers(t)
	now := time.Now()
	const entries, links = 8, 4
	want := map[string]bool{}
	for i := range entries {
		e := &gazette.Entry{Basename: fmt.Sprintf("e%d", i), Title: "E", Format: gazette.FormatHTML,
			Status: gazette.StatusPublished, PublishedAt: now.Add(-time.Hour), AuthorID: au.ID,
			Path: fmt.Sprintf("/archives/e%d.html", i)}
		for j := range links {
			target := fmt.Sprintf("%s/%d/%d", r.srv.URL, i, j)
			e.BodyHTML += `<a href="` + target + `">x</a>`
			want[st.BaseURL+e.Path+" "+target] = true
		}
		if err := a.CreateEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
		if err := a.QueueEntryPings(ctx, e.ID, now); err != nil {
			t.Fatal(err)
		}
	}

	var wg sync.WaitGroup
	for _, db := range []*postgres.DB{a, b} {
		s := jobs.NewSender(jobs.SenderConfig{Store: db, Fetch: private, Batch: 3})
		wg.Go(func() {
			for range 2 * entries * links / 3 {
				if err := s.RunOnce(ctx); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	sent := map[string]int{}
	for _, g := range r.got() {
		sent[g]++
	}
	for g, n := range sent {
		if n != 1 || !want[g] {
			t.Errorf("%s: sent %d times, want once (expected: %v)", g, n, want[g])
		}
	}
	if len(sent) != len(want) {
		t.Errorf("%d pages told, want %d", len(sent), len(want))
	}
}
