package publish_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

func setup(t *testing.T) (gazette.Store, *publish.Publisher, map[gazette.Role]int64) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ids := map[gazette.Role]int64{}
	for _, r := range []gazette.Role{gazette.RoleAdmin, gazette.RoleAuthor} {
		a := &gazette.Author{Name: string(r), Slug: string(r), Role: r}
		if err := db.CreateAuthor(ctx, a); err != nil {
			t.Fatal(err)
		}
		ids[r] = a.ID
	}
	return db, publish.New(markdown.New(), sanitize.New()), ids
}

func TestCreateEntry(t *testing.T) {
	ctx := context.Background()
	store, pub, ids := setup(t)
	s := gazette.DefaultSettings()
	at := time.Date(2007, 3, 11, 13, 5, 0, 0, time.UTC)
	body := `<p>Hi <script>alert(1)</script><b>there</b></p>`
	for _, tt := range []struct {
		role       gazette.Role
		wantScript bool
		wantPath   string
	}{
		{gazette.RoleAdmin, true, "/archives/2007/03/iranian_general_that_defected.html"},
		{gazette.RoleAuthor, false, "/archives/2007/03/iranian_general_that_defected_1.html"},
	} {
		e := &gazette.Entry{
			Title: "Iranian General That Defected Was Spy For West", Body: body,
			Format: gazette.FormatHTML, Status: gazette.StatusPublished, PublishedAt: at, AuthorID: ids[tt.role],
		}
		if err := pub.CreateEntry(ctx, store, s, e); err != nil {
			t.Fatal(err)
		}
		if e.Path != tt.wantPath {
			t.Errorf("%s: Path = %q, want %q", tt.role, e.Path, tt.wantPath)
		}
		if got := strings.Contains(e.BodyHTML, "<script>"); got != tt.wantScript {
			t.Errorf("%s: BodyHTML %q keeps <script>: %v, want %v", tt.role, e.BodyHTML, got, tt.wantScript)
		}
	}
}

func TestCreateEntryInvalid(t *testing.T) {
	ctx := context.Background()
	store, pub, ids := setup(t)
	s := gazette.DefaultSettings()
	for name, e := range map[string]gazette.Entry{
		"no title nor body": {Format: gazette.FormatHTML, Status: gazette.StatusDraft, AuthorID: ids[gazette.RoleAdmin]},
		"bad status":        {Title: "t", Format: gazette.FormatHTML, Status: "live", AuthorID: ids[gazette.RoleAdmin]},
		"bad format":        {Title: "t", Format: "rtf", Status: gazette.StatusDraft, AuthorID: ids[gazette.RoleAdmin]},
		"no author":         {Title: "t", Format: gazette.FormatHTML, Status: gazette.StatusDraft},
		"unknown author":    {Title: "t", Format: gazette.FormatHTML, Status: gazette.StatusDraft, AuthorID: 999},
	} {
		t.Run(name, func(t *testing.T) {
			if err := pub.CreateEntry(ctx, store, s, &e); !errors.Is(err, gazette.ErrInvalid) {
				t.Errorf("error %v, want ErrInvalid", err)
			}
		})
	}
}

func TestUpdateEntryMoves(t *testing.T) {
	ctx := context.Background()
	store, pub, ids := setup(t)
	s := gazette.DefaultSettings()
	e := &gazette.Entry{Title: "First Title", Body: "x", Format: gazette.FormatConvertBreaks, Status: gazette.StatusPublished,
		PublishedAt: time.Date(2010, 5, 1, 0, 0, 0, 0, time.UTC), AuthorID: ids[gazette.RoleAdmin], Basename: "given"}
	if err := pub.CreateEntry(ctx, store, s, e); err != nil {
		t.Fatal(err)
	}
	if e.Path != "/archives/2010/05/given.html" {
		t.Fatalf("Path = %q", e.Path)
	}
	e.Basename = ""
	e.PublishedAt = time.Date(2010, 6, 1, 0, 0, 0, 0, time.UTC)
	if err := pub.UpdateEntry(ctx, store, s, e); err != nil {
		t.Fatal(err)
	}
	if e.Path != "/archives/2010/06/first_title.html" {
		t.Errorf("Path = %q after update", e.Path)
	}
	got, err := store.RedirectTarget(ctx, "/archives/2010/05/given.html")
	if err != nil || got.ID != e.ID {
		t.Errorf("old path redirects to %v, %v", got, err)
	}
}

// TestImportEntryKeepsHTML: an import keeps the old blog's HTML as it was
// published, even for an author whose own new writing is sanitised.
func TestImportEntryKeepsHTML(t *testing.T) {
	ctx := context.Background()
	store, pub, ids := setup(t)
	author, err := store.Author(ctx, ids[gazette.RoleAuthor])
	if err != nil {
		t.Fatal(err)
	}
	body := `<p>Watch:</p><iframe src="https://video.example.com/embed/1"></iframe>`
	e := &gazette.Entry{
		Title: "Embedded", Body: body, Format: gazette.FormatHTML, Status: gazette.StatusPublished,
		PublishedAt: time.Date(2007, 3, 11, 13, 5, 0, 0, time.UTC), AuthorID: author.ID,
	}
	if err := pub.ImportEntry(ctx, store, gazette.DefaultSettings(), e, author); err != nil {
		t.Fatal(err)
	}
	if e.BodyHTML != body {
		t.Errorf("imported BodyHTML = %q, want the body as published, %q", e.BodyHTML, body)
	}
	e2 := &gazette.Entry{
		Title: "Embedded again", Body: body, Format: gazette.FormatHTML, Status: gazette.StatusPublished,
		PublishedAt: e.PublishedAt, AuthorID: author.ID,
	}
	if err := pub.CreateEntryBy(ctx, store, gazette.DefaultSettings(), e2, author); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e2.BodyHTML, "<iframe") {
		t.Errorf("a new entry by an author kept its iframe: %q", e2.BodyHTML)
	}
}
