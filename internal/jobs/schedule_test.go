package jobs

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// TestSchedulerPublishesOnceAcrossRestarts schedules an entry, reopens the
// database as a restart would, and runs two schedulers at once after the
// entry's time: it is published, by one of them.
func TestSchedulerPublishesOnceAcrossRestarts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gazette.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	pub := publish.New(markdown.New(), sanitize.New())
	author := &gazette.Author{Name: "Ann", Slug: "ann", Role: gazette.RoleAdmin}
	if err := db.CreateAuthor(ctx, author); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2030, 5, 1, 9, 0, 0, 0, time.UTC)
	e := &gazette.Entry{Title: "Later", Body: "Soon.", Format: gazette.FormatMarkdown, Status: gazette.StatusScheduled,
		PublishedAt: at, AuthorID: author.ID}
	if err := db.Atomic(ctx, func(tx gazette.Tx) error {
		return pub.CreateEntry(ctx, tx, gazette.DefaultSettings(), e)
	}); err != nil {
		t.Fatal(err)
	}
	early := &Scheduler{Store: db, Publisher: pub, Now: func() time.Time { return at.Add(-time.Second) }}
	if n, err := early.PublishDue(ctx); err != nil || n != 0 {
		t.Fatalf("PublishDue before the time = %d, %v; want 0", n, err)
	}
	db.Close()

	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var wg sync.WaitGroup
	counts := make([]int, 2)
	changed := 0
	var mu sync.Mutex
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := &Scheduler{Store: db, Publisher: pub, Now: func() time.Time { return at.Add(30 * time.Second) },
				Changed: func(context.Context) { mu.Lock(); changed++; mu.Unlock() }}
			n, err := s.PublishDue(ctx)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		}()
	}
	wg.Wait()
	if counts[0]+counts[1] != 1 || changed != 1 {
		t.Errorf("two schedulers published %v times (and called Changed %d times), want once in all", counts, changed)
	}
	got, err := db.Entry(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != gazette.StatusPublished || !got.PublishedAt.Equal(at) {
		t.Errorf("entry is %s at %v, want published at its scheduled time %v", got.Status, got.PublishedAt, at)
	}
}
