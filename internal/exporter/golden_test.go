package exporter_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/exporter"
	"github.com/gazette-blog/gazette/internal/exporter/mt"
	"github.com/gazette-blog/gazette/internal/exporter/wxr"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
)

var update = flag.Bool("update", false, "rewrite the golden files of the writers")

// goldenBlog holds what the formats must carry or say they cannot: a
// page, a draft, a scheduled and a sticky entry, Markdown, nested topics,
// tags with a space, a comma and a quote, separator lines, "]]>" and a
// control character in a body, a threaded reply, a pending comment and a
// mention.
func goldenBlog(t *testing.T) gazette.Store {
	ctx := context.Background()
	st := gazette.DefaultSettings()
	st.Title, st.TimeZone, st.BaseURL = "Golden", "America/New_York", "https://blog.example"
	store := newStore(t, st)
	pub := publish.New(markdown.New(), sanitize.New())
	ann := &gazette.Author{Slug: "ann", Name: "Ann & Co", Email: "ann@example.com", Role: gazette.RoleAuthor}
	if err := store.CreateAuthor(ctx, ann); err != nil {
		t.Fatal(err)
	}
	news := &gazette.Topic{Slug: "news", Name: "News", Description: "All the news."}
	if err := store.CreateTopic(ctx, news); err != nil {
		t.Fatal(err)
	}
	local := &gazette.Topic{Slug: "local", Name: "Local <news>", ParentID: news.ID}
	if err := store.CreateTopic(ctx, local); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2007, 3, 11, 17, 5, 0, 0, time.UTC)
	entries := []*gazette.Entry{
		{Title: "First & <best>", Basename: "first", Body: "<p>One</p>\n-----\n--------\nCDATA ]]> end\x01", ExtendedBody: "<p>More</p>",
			Excerpt: "Short.", Keywords: "one, two", Format: gazette.FormatHTML, Status: gazette.StatusPublished, Sticky: true,
			Topics: []gazette.Topic{*local, *news}, Tags: []string{"go lang", "a,b", `say "hi"`}, AllowComments: true, AllowPings: true},
		{Title: "Markdown draft", Basename: "md_draft", Body: "Some *Markdown*.", Format: gazette.FormatMarkdown, Status: gazette.StatusDraft},
		{Title: "Later", Basename: "later", Body: "Line one\nline two", Format: gazette.FormatConvertBreaks, Status: gazette.StatusScheduled},
		{Title: "About", Basename: "about", Kind: gazette.KindPage, Body: "<p>About us.</p>", Format: gazette.FormatHTML, Status: gazette.StatusPublished},
	}
	for i, e := range entries {
		e.AuthorID, e.PublishedAt = ann.ID, day.Add(time.Duration(i)*24*time.Hour)
		if err := pub.ImportEntry(ctx, store, st, e, ann); err != nil {
			t.Fatal(err)
		}
	}
	first := entries[0].ID
	c1 := &gazette.Comment{EntryID: first, Name: "Bob", Email: "bob@example.com", URL: "https://bob.example", IP: "192.0.2.1", Body: "Nice.", Status: gazette.CommentApproved, CreatedAt: day.Add(time.Hour)}
	if err := store.CreateComment(ctx, c1); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*gazette.Comment{
		{EntryID: first, ParentID: c1.ID, Name: "Cat", Body: "Agreed.\n\n-----\nYes.", Status: gazette.CommentApproved, CreatedAt: day.Add(2 * time.Hour)},
		{EntryID: first, Name: "Dan", Body: "Wait for me.", Status: gazette.CommentPending, CreatedAt: day.Add(3 * time.Hour)},
	} {
		if err := store.CreateComment(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	m := &gazette.Mention{EntryID: first, Kind: gazette.MentionTrackback, SourceURL: "https://other.example/post", Title: "A reply",
		Excerpt: "They wrote back.", BlogName: "Other", Status: gazette.CommentApproved, CreatedAt: day.Add(4 * time.Hour)}
	if err := store.CreateMention(ctx, m); err != nil {
		t.Fatal(err)
	}
	return store
}

// TestGolden compares each writer's output for goldenBlog with its golden
// file; go test -update rewrites them.
func TestGolden(t *testing.T) {
	store := goldenBlog(t)
	for _, tc := range []struct {
		file  string
		write func(context.Context, *bytes.Buffer, gazette.Store) (exporter.Summary, error)
		sum   string
	}{
		{"golden.mt.txt", func(ctx context.Context, b *bytes.Buffer, s gazette.Store) (exporter.Summary, error) {
			return mt.Write(ctx, b, s, exporter.Options{})
		}, "exported 3 entries, 0 pages, 2 comments, 1 mention; skipped 1 page (the format has no pages), 1 comment not approved (the format has approved comments only); 1 reply written without their thread (the format has none)"},
		{"golden.wxr", func(ctx context.Context, b *bytes.Buffer, s gazette.Store) (exporter.Summary, error) {
			return wxr.Write(ctx, b, s, exporter.Options{})
		}, "exported 3 entries, 1 page, 3 comments, 1 mention, 2 topics, 1 author"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var b bytes.Buffer
			sum, err := tc.write(context.Background(), &b, store)
			if err != nil {
				t.Fatal(err)
			}
			if sum.String() != tc.sum {
				t.Errorf("summary = %q, want %q", sum, tc.sum)
			}
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("%s differs (go test -update rewrites it):\n%s", path, firstDiff(string(want), got))
			}
		})
	}
}
