package jobs_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/jobs"
	"github.com/gazette-blog/gazette/internal/postgres"
	"github.com/gazette-blog/gazette/internal/postgres/pgtest"
)

// TestSendersShareOnePostgres runs two Senders, each with its own pool as
// two instances have, on one PostgreSQL database: every page an entry links
// to is told once, by one of them.
func TestSendersShareOnePostgres(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	open := func() *postgres.DB {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(), open()
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
