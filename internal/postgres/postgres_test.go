package postgres_test

import (
	"context"
	"reflect"
	"testing"

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
