package sqlite

import (
	"context"
	"path/filepath"
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
