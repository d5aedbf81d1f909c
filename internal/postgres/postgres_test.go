package postgres_test

import (
	"context"
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
