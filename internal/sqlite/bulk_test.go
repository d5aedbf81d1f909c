package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

type bulkLoader interface {
	BeginBulkLoad(ctx context.Context) error
}

// TestBulkLoadCounts checks that the comment counts come out right after a
// bulk load, for new entries and for one that had comments before, and that
// the counting trigger is back afterwards and after a rollback.
func TestBulkLoadCounts(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "gazette.db"))
	defer db.Close()
	author := &gazette.Author{Name: "Ann", Slug: "ann", Role: gazette.RoleAuthor}
	must(t, db.CreateAuthor(ctx, author))
	at := time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC)
	newEntry := func(i int) *gazette.Entry {
		return &gazette.Entry{Title: fmt.Sprintf("Entry %d", i), Path: fmt.Sprintf("/archives/e%d.html", i),
			Basename: fmt.Sprintf("e%d", i), Body: "Body", BodyHTML: "Body", Format: gazette.FormatHTML,
			Status: gazette.StatusPublished, PublishedAt: at, AuthorID: author.ID}
	}
	comment := func(entry int64, s gazette.CommentStatus) *gazette.Comment {
		return &gazette.Comment{EntryID: entry, Name: "C", Body: "Hi", Status: s, CreatedAt: at}
	}
	old := newEntry(0)
	must(t, db.CreateEntry(ctx, old))
	must(t, db.CreateComment(ctx, comment(old.ID, gazette.CommentApproved)))

	var fresh [2]*gazette.Entry
	var deleted int64
	must(t, db.Atomic(ctx, func(tx gazette.Tx) error {
		b, ok := tx.(bulkLoader)
		if !ok {
			t.Fatal("the transaction has no BeginBulkLoad")
		}
		if err := b.BeginBulkLoad(ctx); err != nil {
			return err
		}
		for i := range fresh {
			fresh[i] = newEntry(i + 1)
			if err := tx.CreateEntry(ctx, fresh[i]); err != nil {
				return err
			}
		}
		for _, c := range []*gazette.Comment{
			comment(fresh[0].ID, gazette.CommentApproved),
			comment(fresh[0].ID, gazette.CommentApproved),
			comment(fresh[0].ID, gazette.CommentPending),
			comment(fresh[1].ID, gazette.CommentSpam),
			comment(old.ID, gazette.CommentApproved),
			comment(old.ID, gazette.CommentApproved),
		} {
			if err := tx.CreateComment(ctx, c); err != nil {
				return err
			}
			deleted = c.ID
		}
		return tx.DeleteComment(ctx, deleted)
	}))
	counts := func(step string, want ...int) {
		t.Helper()
		for i, e := range []*gazette.Entry{old, fresh[0], fresh[1]} {
			got, err := db.Entry(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.CommentCount != want[i] {
				t.Errorf("%s: entry %q: CommentCount %d, want %d", step, e.Title, got.CommentCount, want[i])
			}
		}
	}
	counts("after the bulk load", 2, 2, 0)

	must(t, db.CreateComment(ctx, comment(fresh[1].ID, gazette.CommentApproved)))
	counts("after a comment outside it", 2, 2, 1)

	failed := errors.New("stop")
	err := db.Atomic(ctx, func(tx gazette.Tx) error {
		if err := tx.(bulkLoader).BeginBulkLoad(ctx); err != nil {
			return err
		}
		if err := tx.CreateComment(ctx, comment(old.ID, gazette.CommentApproved)); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("Atomic: %v, want the function's error", err)
	}
	must(t, db.CreateComment(ctx, comment(old.ID, gazette.CommentApproved)))
	counts("after a rolled-back bulk load", 3, 2, 1)
}

// TestIndexBatches checks that entries written in one transaction, more than
// a batch of the search index, can all be found, inside the transaction and
// after it, and that a rolled-back one cannot.
func TestIndexBatches(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "gazette.db"))
	defer db.Close()
	author := &gazette.Author{Name: "Ann", Slug: "ann", Role: gazette.RoleAuthor}
	must(t, db.CreateAuthor(ctx, author))
	const n = 600
	entry := func(i int, word string) *gazette.Entry {
		return &gazette.Entry{Title: fmt.Sprintf("Entry %d", i), Path: fmt.Sprintf("/archives/%s%d.html", word, i),
			Body: "<p>Some <b>" + word + "</b> text</p>", BodyHTML: "<p>Some <b>" + word + "</b> text</p>",
			Format: gazette.FormatHTML, Status: gazette.StatusPublished,
			PublishedAt: time.Date(2006, 1, 2, 0, 0, i, 0, time.UTC), AuthorID: author.ID}
	}
	search := func(s gazette.SearchStore, text string) int {
		t.Helper()
		_, total, err := s.Search(ctx, gazette.SearchQuery{Text: text, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return total
	}
	must(t, db.Atomic(ctx, func(tx gazette.Tx) error {
		for i := range n {
			if err := tx.CreateEntry(ctx, entry(i, "marmalade")); err != nil {
				return err
			}
		}
		if got := search(tx, "marmalade"); got != n {
			t.Errorf("inside the transaction: %d matches, want %d", got, n)
		}
		return nil
	}))
	if got := search(db, "marmalade"); got != n {
		t.Errorf("after the transaction: %d matches, want %d", got, n)
	}
	err := db.Atomic(ctx, func(tx gazette.Tx) error {
		for i := range n {
			if err := tx.CreateEntry(ctx, entry(i, "quince")); err != nil {
				return err
			}
		}
		return errors.New("stop")
	})
	if err == nil {
		t.Fatal("Atomic: no error")
	}
	if got := search(db, "quince"); got != 0 {
		t.Errorf("after a rollback: %d matches, want 0", got)
	}
}
