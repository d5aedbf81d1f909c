package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/postgres"
	"github.com/gazette-blog/gazette/internal/postgres/pgtest"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// TestCopyToPostgres fills a SQLite blog with the demo blog, a redirect to a
// path, a nested topic, a mention, media and a revision, copies it into
// PostgreSQL with gazette copy, and reads the copy back.
func TestCopyToPostgres(t *testing.T) {
	dbURL := pgtest.URL(t)
	ctx := context.Background()
	dir := t.TempDir()
	src, err := sqlite.Open(ctx, filepath.Join(dir, "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := fillDemo(ctx, src, sanitize.New(), slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	seed, err := src.EntryByPath(ctx, seedPath)
	if err != nil {
		t.Fatal(err)
	}
	parent, err := src.TopicBySlug(ctx, seed.Topics[0].Slug)
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(src.CreateTopic(ctx, &gazette.Topic{Slug: "child", Name: "Child", ParentID: parent.ID}))
	must(src.AddRedirect(ctx, gazette.Redirect{Path: "/category/x/", Target: "/topics/x/"}))
	must(src.CreateMention(ctx, &gazette.Mention{EntryID: seed.ID, Kind: gazette.MentionWebmention,
		SourceURL: "https://other.example/a", Status: gazette.CommentApproved, Type: gazette.MentionReply}))
	must(src.CreateMedia(ctx, &gazette.Media{Path: "/media/a.png", Type: "image/png", Size: 3, Alt: "A", AuthorID: seed.AuthorID}))
	must(src.AddRevision(ctx, &gazette.Revision{EntryID: seed.ID, AuthorID: seed.AuthorID, Title: "Old title", Format: gazette.FormatHTML}))
	must(src.Close())

	out, err := gazetteRun(t, dir, "copy", "--to", dbURL)
	if err != nil {
		t.Fatalf("copy: %v", err)
	}
	if !strings.HasPrefix(out, "copied ") || !strings.Contains(out, "1 media, 1 revisions") {
		t.Errorf("copy said %q", out)
	}
	src, err = sqlite.Open(ctx, filepath.Join(dir, "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	want, err := countStore(ctx, src)
	must(err)
	got, err := countStore(ctx, dst)
	must(err)
	if got != want || want.Entries < 40 || want.Comments == 0 {
		t.Errorf("copy holds %s; the blog %s", got, want)
	}
	// The seed entry, its comments and its neighbours read the same.
	copied, err := dst.EntryByPath(ctx, seedPath)
	must(err)
	if copied.Title != seed.Title || copied.BodyHTML != seed.BodyHTML || copied.CommentCount != seed.CommentCount ||
		!copied.PublishedAt.Equal(seed.PublishedAt) || copied.Author.Name != seed.Author.Name ||
		len(copied.Topics) != len(seed.Topics) || copied.Topics[0].Name != seed.Topics[0].Name || !reflect.DeepEqual(copied.Tags, seed.Tags) {
		t.Errorf("the seed entry in the copy:\n got %+v\nwant %+v", copied, seed)
	}
	now := time.Now()
	for name, s := range map[string]gazette.Store{"sqlite": src, "postgres": dst} {
		e, err := s.EntryByPath(ctx, seedPath)
		must(err)
		prev, next, err := s.AdjacentEntries(ctx, e, now)
		must(err)
		cs, _, err := s.Comments(ctx, gazette.CommentFilter{EntryID: e.ID, Status: gazette.CommentApproved})
		must(err)
		t.Logf("%s: previous %q, next %q, %d comments", name, prev.Title, next.Title, len(cs))
		if name == "postgres" {
			p2, n2, _ := src.AdjacentEntries(ctx, seed, now)
			c2, _, _ := src.Comments(ctx, gazette.CommentFilter{EntryID: seed.ID, Status: gazette.CommentApproved})
			if prev.Title != p2.Title || next.Title != n2.Title || len(cs) != len(c2) || cs[0].Body != c2[0].Body {
				t.Errorf("neighbours or comments differ in the copy")
			}
		}
	}
	child, err := dst.TopicBySlug(ctx, "child")
	must(err)
	if p, err := dst.Topic(ctx, child.ParentID); err != nil || p.Slug != parent.Slug {
		t.Errorf("the child topic's parent in the copy: %v, %v", p, err)
	}

	if _, err := gazetteRun(t, dir, "copy", "--to", dbURL); err == nil || !strings.Contains(err.Error(), "holds a blog already") {
		t.Errorf("a second copy into the same database: %v, want a refusal", err)
	}
}
