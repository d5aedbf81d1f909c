package sqlite

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gazette-blog/gazette"
)

// TestReadPoolRefusesWrites checks that a write method left off DB's list of
// writes fails at once instead of writing outside the writer.
func TestReadPoolRefusesWrites(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.handle.CreateTopic(ctx, &gazette.Topic{Slug: "x", Name: "X"}); err == nil {
		t.Error("CreateTopic on the read pool: no error")
	}
	if err := db.CreateTopic(ctx, &gazette.Topic{Slug: "x", Name: "X"}); err != nil {
		t.Errorf("CreateTopic through the writer: %v", err)
	}
}

func TestFTSQuery(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`iran spy`, `"iran" "spy"`},
		{`"general election" oil`, `"general election" "oil"`},
		{`"open quote words`, `"open" "quote" "words"`},
		{`NEAR(a b)`, `"NEAR(a" "b)"`},
		{`a"b`, `"a" "b"`},
		{`* - ^ :`, ``},
		{`"  spaced   phrase "`, `"spaced phrase"`},
	} {
		if got := ftsQuery(c.in); got != c.want {
			t.Errorf("ftsQuery(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestBulkLoadSchema checks that a bulk load leaves the schema as the
// migrations made it, after a commit and after a rollback.
func TestBulkLoadSchema(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	schema := func() string {
		var s string
		err := db.writer.QueryRowContext(ctx, `SELECT group_concat(name || ':' || ifnull(sql, ''), '|')
			FROM (SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'comments' ORDER BY name)`).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := schema()
	for _, fail := range []bool{false, true} {
		err := db.Atomic(ctx, func(tx gazette.Tx) error {
			if err := tx.(*handle).BeginBulkLoad(ctx); err != nil {
				return err
			}
			if fail {
				return context.Canceled
			}
			return nil
		})
		if (err != nil) != fail {
			t.Fatalf("Atomic: %v", err)
		}
		if got := schema(); got != before {
			t.Errorf("after a bulk load (failed: %v) the schema of comments is\n%s\nwant\n%s", fail, got, before)
		}
	}
	for _, name := range bulkIndexes {
		if !strings.Contains(before, name+":") {
			t.Errorf("the schema has no index %s to drop during a bulk load", name)
		}
	}
}

// TestCommentQueryPlans checks how SQLite plans the comment lookups that
// each comment a reader posts makes: each must search an index on what it
// filters by, never walk the blog's comments in order of time to find a
// few (as the first-time check did, reading every approved comment for a
// new commenter's first one).
func TestCommentQueryPlans(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct {
		name  string
		f     gazette.CommentFilter
		index string
	}{
		{"first-time check", gazette.CommentFilter{Email: "a@example.com", Status: gazette.CommentApproved, Limit: 1}, "comments_by_email (email=? AND status=?)"},
		{"duplicate check", gazette.CommentFilter{EntryID: 1, Email: "a@example.com", Body: "Hi.", Limit: 1}, "comments_by_entry (entry_id=?)"},
		{"an entry's comments", gazette.CommentFilter{EntryID: 1, Status: gazette.CommentApproved}, "comments_by_entry (entry_id=?)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			query, _, args := commentQuery(tc.f)
			rows, err := db.handle.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, append(args, 1, 0)...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			want := []string{"SEARCH c USING INDEX " + tc.index, "SEARCH e USING INTEGER PRIMARY KEY (rowid=?)"}
			if !slices.Equal(plan, want) {
				t.Errorf("plan %q, want %q: no scan, no sort", plan, want)
			}
		})
	}
}
