package postgres_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/postgres"
	"github.com/gazette-blog/gazette/internal/postgres/pgtest"
	"github.com/gazette-blog/gazette/internal/storetest"
)

func open(t testing.TB, url string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) gazette.Store { return open(t, pgtest.URL(t)) })
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	db := open(t, url)
	first, err := db.Migrations(ctx)
	if err != nil || len(first) == 0 || first[0] != "migrations/0001_init.sql" {
		t.Fatalf("Migrations after the first Open: %v, %v", first, err)
	}
	s := gazette.DefaultSettings()
	s.Title = "Kept"
	must(t, db.SaveSettings(ctx, s))
	must(t, db.Close())

	db = open(t, url)
	defer db.Close()
	second, err := db.Migrations(ctx)
	if err != nil || !reflect.DeepEqual(first, second) {
		t.Errorf("Migrations after a second Open: %v (%v), want %v unchanged", second, err, first)
	}
	if s, err := db.Settings(ctx); err != nil || s.Title != "Kept" {
		t.Errorf("Settings after reopening: %q, %v; want the saved title", s.Title, err)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestNotify sends notifications from one store and hears them on another,
// as two instances on one database do.
func TestNotify(t *testing.T) {
	url := pgtest.URL(t)
	a, b := open(t, url), open(t, url)
	defer a.Close()
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	heard := make(chan string, 100)
	done := make(chan struct{})
	go func() {
		b.Listen(ctx, "gazette_test", func(p string) { heard <- p }, func() { heard <- "resync" })
		close(done)
	}()
	// LISTEN takes effect a moment after Listen starts: send until heard.
	for i := 0; ; i++ {
		must(t, a.Notify(ctx, "gazette_test", "entry:1"))
		select {
		case p := <-heard:
			if p != "entry:1" {
				t.Fatalf("heard %q, want entry:1", p)
			}
			cancel()
			<-done
			return
		case <-time.After(100 * time.Millisecond):
		}
		if i == 100 {
			t.Fatal("no notification heard")
		}
	}
}

// TestChangeVersionOncePerTransaction holds the content version to one
// step for a transaction of many writes, whether it journals its keys or
// not, and one whose first write was taken back: at a step a statement, one transaction updated change_state's row
// once for each, and each update walked past the row's versions the
// transaction had left before it, so an import of a blog in one
// transaction slowed with every row it wrote.
func TestChangeVersionOncePerTransaction(t *testing.T) {
	ctx := context.Background()
	db := open(t, pgtest.URL(t))
	defer db.Close()
	a := &gazette.Author{Name: "Ann", Slug: "ann", Role: gazette.RoleAuthor}
	must(t, db.CreateAuthor(ctx, a))
	tp := &gazette.Topic{Name: "News", Slug: "news"}
	must(t, db.CreateTopic(ctx, tp))
	at := time.Date(2007, 3, 1, 12, 0, 0, 0, time.UTC)
	e := &gazette.Entry{Title: "One", Basename: "one", Path: gazette.EntryPath(at, time.UTC, "one"), Format: gazette.FormatConvertBreaks,
		Status: gazette.StatusPublished, PublishedAt: at, AuthorID: a.ID}
	must(t, db.CreateEntry(ctx, e))
	for _, journal := range []bool{false, true} {
		before, err := db.LatestChange(ctx)
		must(t, err)
		must(t, db.Atomic(ctx, func(tx gazette.Tx) error {
			// The first write, the entry's row, bumps the version and is
			// taken back with the savepoint of the entry, refused for its
			// second, unknown topic: the bump goes with it, and the next
			// write bumps again.
			refused := &gazette.Entry{Title: "Refused", Basename: "refused", Path: "/refused.html", Format: gazette.FormatConvertBreaks,
				Status: gazette.StatusPublished, PublishedAt: at, AuthorID: a.ID, Topics: []gazette.Topic{*tp, {ID: 999_999}}}
			if err := tx.CreateEntry(ctx, refused); !errors.Is(err, gazette.ErrInvalid) {
				t.Fatalf("an entry under an unknown topic: %v, want ErrInvalid", err)
			}
			for i := range 20 {
				c := &gazette.Comment{EntryID: e.ID, Name: "Reader", Body: "Hi", Status: gazette.CommentApproved, CreatedAt: at.Add(time.Duration(i) * time.Minute)}
				if err := tx.CreateComment(ctx, c); err != nil {
					return err
				}
			}
			if !journal {
				return nil
			}
			return tx.(gazette.ChangeRecorder).RecordChanges(ctx, []string{"comments"})
		}))
		after, err := db.LatestChange(ctx)
		must(t, err)
		if after.Version != before.Version+1 {
			t.Errorf("journaled %v: 20 comments in one transaction moved the version from %d to %d, want one step",
				journal, before.Version, after.Version)
		}
		keys, _, complete, err := db.ChangesSince(ctx, before)
		must(t, err)
		if complete != journal || (journal && !reflect.DeepEqual(keys, []string{"comments"})) {
			t.Errorf("journaled %v: ChangesSince = %q, complete %v", journal, keys, complete)
		}
	}
}
