package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/sqlite"
	"github.com/gazette-blog/gazette/internal/storetest"
)

func open(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) gazette.Store {
		return open(t, filepath.Join(t.TempDir(), "gazette.db"))
	})
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gazette.db")
	db := open(t, path)
	first, err := db.Migrations(ctx)
	if err != nil || len(first) == 0 || first[0] != "migrations/0001_init.sql" {
		t.Fatalf("Migrations after the first Open: %v, %v", first, err)
	}
	must(t, db.SaveSettings(ctx, gazette.Settings{Title: "Kept", TimeZone: "UTC", EntriesPerPage: 5, BasenameLimit: 30, Moderation: gazette.ModerateNone}))
	must(t, db.Close())

	db = open(t, path)
	defer db.Close()
	second, err := db.Migrations(ctx)
	if err != nil || !reflect.DeepEqual(first, second) {
		t.Errorf("Migrations after a second Open: %v (%v), want %v unchanged", second, err, first)
	}
	if s, err := db.Settings(ctx); err != nil || s.Title != "Kept" {
		t.Errorf("Settings after reopening: %q, %v; want the saved title", s.Title, err)
	}
}

func TestOpenRefusesBadPath(t *testing.T) {
	for _, p := range []string{"", "a?b.db", filepath.Join(t.TempDir(), "no", "such", "dir", "g.db")} {
		if db, err := sqlite.Open(context.Background(), p); err == nil {
			db.Close()
			t.Errorf("Open(%q): no error", p)
		}
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "gazette.db"))
	defer db.Close()
	a := &gazette.Author{Slug: "r", Name: "Richard", Role: gazette.RoleAdmin}
	must(t, db.CreateAuthor(ctx, a))
	e := &gazette.Entry{Title: "Backed up", Path: "/archives/2007/03/b.html", Basename: "b", Format: gazette.FormatHTML,
		Status: gazette.StatusPublished, AuthorID: a.ID, BodyHTML: "<p>zeppelin</p>", PublishedAt: time.Date(2007, 3, 11, 0, 0, 0, 0, time.UTC)}
	must(t, db.CreateEntry(ctx, e))

	copyPath := filepath.Join(dir, "backup.db")
	must(t, db.Backup(ctx, copyPath))
	if err := db.Backup(ctx, copyPath); err == nil {
		t.Error("Backup over an existing file: no error")
	}
	cp := open(t, copyPath)
	defer cp.Close()
	got, err := cp.EntryByPath(ctx, e.Path)
	if err != nil || got.Title != "Backed up" {
		t.Fatalf("entry in the backup: %v, %v", got, err)
	}
	if _, n, err := cp.Search(ctx, gazette.SearchQuery{Text: "zeppelin"}); err != nil || n != 1 {
		t.Errorf("search in the backup: %d, %v; want 1", n, err)
	}
}

// TestConcurrentWriters checks that writers queue on the one writer instead
// of failing with SQLITE_BUSY, while readers read.
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "gazette.db"))
	defer db.Close()
	a := &gazette.Author{Slug: "r", Name: "Richard", Role: gazette.RoleAdmin}
	must(t, db.CreateAuthor(ctx, a))
	const writers, each = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each*2)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				err := db.Atomic(ctx, func(tx gazette.Tx) error {
					e := &gazette.Entry{Title: "t", Path: fmt.Sprintf("/%d/%d.html", w, i), Basename: "b", Format: gazette.FormatHTML,
						Status: gazette.StatusPublished, AuthorID: a.ID, PublishedAt: time.Now()}
					if err := tx.CreateEntry(ctx, e); err != nil {
						return err
					}
					return tx.CreateComment(ctx, &gazette.Comment{EntryID: e.ID, Status: gazette.CommentApproved})
				})
				errs <- err
				_, _, err = db.Entries(ctx, gazette.EntryFilter{Limit: 5})
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, n, err := db.Entries(ctx, gazette.EntryFilter{}); err != nil || n != writers*each {
		t.Errorf("entries: %d (%v), want %d", n, err, writers*each)
	}
}

// TestWAL checks the journal mode and that a refused write says why.
func TestWAL(t *testing.T) {
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "gazette.db"))
	defer db.Close()
	if _, err := os.Stat(filepath.Join(dir, "gazette.db-wal")); err != nil {
		t.Errorf("no WAL file beside the database: %v", err)
	}
	var ge *gazette.Error
	if err := db.SaveSettings(context.Background(), gazette.Settings{}); !errors.As(err, &ge) {
		t.Errorf("SaveSettings(zero): got %v, want a *gazette.Error", err)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestEntriesNoText: with NoText the texts stay empty and everything else
// reads as without it; with NoTerms too, the topics and tags stay empty.
func TestEntriesNoText(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "gazette.db"))
	defer db.Close()
	a := &gazette.Author{Name: "Richard", Slug: "richard", Role: gazette.RoleAuthor}
	if err := db.CreateAuthor(ctx, a); err != nil {
		t.Fatal(err)
	}
	e := &gazette.Entry{Title: "T", Path: "/archives/2007/03/t.html", Basename: "t", Body: "b", BodyHTML: "<p>b</p>",
		ExtendedBody: "x", ExtendedHTML: "x", Excerpt: "e", Format: gazette.FormatConvertBreaks,
		Status: gazette.StatusPublished, PublishedAt: time.Date(2007, 3, 11, 13, 5, 0, 0, time.UTC), AuthorID: a.ID,
		Tags: []string{"defectors"}}
	iran := &gazette.Topic{Name: "Iran", Slug: "iran"}
	if err := db.CreateTopic(ctx, iran); err != nil {
		t.Fatal(err)
	}
	e.Topics = []gazette.Topic{{ID: iran.ID}}
	if err := db.CreateEntry(ctx, e); err != nil {
		t.Fatal(err)
	}
	full, _, err := db.Entries(ctx, gazette.EntryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	titles, _, err := db.Entries(ctx, gazette.EntryFilter{NoText: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(full) != 1 || len(titles) != 1 {
		t.Fatalf("got %d and %d entries, want 1 and 1", len(full), len(titles))
	}
	if full[0].BodyHTML != "<p>b</p>" || full[0].ExtendedHTML != "x" || full[0].Body != "b" {
		t.Errorf("full entry texts: %q %q %q", full[0].Body, full[0].BodyHTML, full[0].ExtendedHTML)
	}
	want := *full[0]
	want.Body, want.ExtendedBody, want.Excerpt, want.Keywords, want.BodyHTML, want.ExtendedHTML = "", "", "", "", "", ""
	if !reflect.DeepEqual(*titles[0], want) {
		t.Errorf("NoText entry:\n got %+v\nwant %+v", *titles[0], want)
	}
	links, _, err := db.Entries(ctx, gazette.EntryFilter{NoText: true, NoTerms: true})
	if err != nil || len(links) != 1 {
		t.Fatalf("NoText and NoTerms: %v, %v", links, err)
	}
	if len(want.Topics) != 1 || len(want.Tags) != 1 {
		t.Fatalf("the entry reads back with topics %v and tags %v, want one of each", want.Topics, want.Tags)
	}
	want.Topics, want.Tags = nil, nil
	if !reflect.DeepEqual(*links[0], want) {
		t.Errorf("NoText and NoTerms entry:\n got %+v\nwant %+v", *links[0], want)
	}
}

// TestEntriesWindows checks every window of the listings against the whole
// listing, with pages and drafts among the entries: a window is chosen among
// the entries' IDs in the indexes, and pages are kept out by their own
// index, not by each entry's kind.
func TestEntriesWindows(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "gazette.db"))
	defer db.Close()
	var authors []int64
	for _, slug := range []string{"ann", "bob"} {
		a := &gazette.Author{Name: slug, Slug: slug, Role: gazette.RoleAuthor}
		if err := db.CreateAuthor(ctx, a); err != nil {
			t.Fatal(err)
		}
		authors = append(authors, a.ID)
	}
	var topics []gazette.Topic
	for _, slug := range []string{"red", "blue"} {
		tp := &gazette.Topic{Name: slug, Slug: slug}
		if err := db.CreateTopic(ctx, tp); err != nil {
			t.Fatal(err)
		}
		topics = append(topics, *tp)
	}
	start := time.Date(2007, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 30 {
		at := start.Add(time.Duration(i/2) * time.Hour) // pairs at the same time: ordered by ID
		e := &gazette.Entry{Title: fmt.Sprint("E", i), Basename: fmt.Sprint("e", i), Format: gazette.FormatConvertBreaks,
			Status: gazette.StatusPublished, PublishedAt: at, AuthorID: authors[i%2], BodyHTML: "<p>b</p>",
			Topics: []gazette.Topic{topics[i%3%2]}}
		e.Path = gazette.EntryPath(at, time.UTC, e.Basename)
		switch i % 7 {
		case 3:
			e.Kind, e.Path = gazette.KindPage, gazette.PagePath(e.Basename)
		case 5:
			e.Status = gazette.StatusDraft
		}
		if err := db.CreateEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	now := start.AddDate(0, 1, 0)
	for _, f := range []struct {
		name string
		f    gazette.EntryFilter
	}{
		{"visible", gazette.EntryFilter{VisibleAt: now}},
		{"entries, oldest first", gazette.EntryFilter{VisibleAt: now, Kind: gazette.KindEntry, OldestFirst: true}},
		{"author", gazette.EntryFilter{VisibleAt: now, AuthorID: authors[1]}},
		{"topic", gazette.EntryFilter{VisibleAt: now, TopicID: topics[0].ID}},
		{"primary topic, before a time", gazette.EntryFilter{VisibleAt: now, PrimaryTopicID: topics[1].ID, To: start.Add(10 * time.Hour)}},
		{"pages", gazette.EntryFilter{Kind: gazette.KindPage}},
		{"any kind, drafts too", gazette.EntryFilter{Kind: gazette.AnyKind}},
	} {
		t.Run(f.name, func(t *testing.T) {
			all, total, err := db.Entries(ctx, f.f)
			if err != nil {
				t.Fatal(err)
			}
			if total != len(all) || total == 0 {
				t.Fatalf("whole listing: %d entries, total %d", len(all), total)
			}
			for _, e := range all {
				if e.Kind == gazette.KindPage && f.f.Kind != gazette.KindPage && f.f.Kind != gazette.AnyKind {
					t.Errorf("page %q listed", e.Title)
				}
			}
			for limit := 1; limit <= 4; limit++ {
				for offset := 0; offset <= len(all); offset++ {
					w := f.f
					w.Limit, w.Offset = limit, offset
					got, n, err := db.Entries(ctx, w)
					if err != nil {
						t.Fatal(err)
					}
					want := all[offset:min(offset+limit, len(all))]
					if !slices.EqualFunc(got, want, func(a, b *gazette.Entry) bool { return reflect.DeepEqual(a, b) }) || n != total {
						t.Errorf("limit %d offset %d: %v (total %d), want %v (total %d)", limit, offset, titles(got), n, titles(want), total)
					}
					w.NoTotal = true
					got, n, err = db.Entries(ctx, w)
					if err != nil {
						t.Fatal(err)
					}
					if len(got) != len(want) || (n != total && n != -1) {
						t.Errorf("limit %d offset %d, NoTotal: %d entries, total %d; want %d entries, total %d or -1",
							limit, offset, len(got), n, len(want), total)
					}
				}
			}
		})
	}
}

func titles(list []*gazette.Entry) []string {
	var out []string
	for _, e := range list {
		out = append(out, e.Title)
	}
	return out
}

// TestAtomicCancelled: statements in a transaction run without watching
// their context, but a cancelled context stops the transaction at its next
// statement and nothing of it is kept.
func TestAtomicCancelled(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "gazette.db"))
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	err := db.Atomic(ctx, func(tx gazette.Tx) error {
		if err := tx.CreateAuthor(ctx, &gazette.Author{Name: "Ann", Slug: "ann", Role: gazette.RoleAuthor}); err != nil {
			return err
		}
		cancel()
		return tx.CreateAuthor(ctx, &gazette.Author{Name: "Bob", Slug: "bob", Role: gazette.RoleAuthor})
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Atomic after cancel: %v, want context.Canceled", err)
	}
	authors, err := db.Authors(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(authors) != 0 {
		t.Errorf("%d authors kept from a cancelled transaction, want 0", len(authors))
	}
}
