// Package exporter holds what gazette's export formats share: reading a
// blog's entries oldest first, a page at a time so that memory stays flat
// however large the blog, and the summary an export ends with. The writers
// of each format live in its subpackages (mt, wxr).
package exporter

import (
	"context"
	"fmt"
	"strings"

	"github.com/gazette-blog/gazette"
)

// pageSize is how many entries are read from the store at once.
const pageSize = 100

// Progress is how far an export has come.
type Progress struct {
	Entries int // entries and pages read so far
	Total   int // entries and pages in the blog
}

// Options tune an export.
type Options struct {
	// Progress, when set, is called after each entry is written.
	Progress func(Progress)
}

// Summary counts what an export wrote and what the format could not carry.
type Summary struct {
	Format   string // "mt" or "wxr"
	Entries  int    // entries written, pages included
	Pages    int    // pages among Entries
	Comments int    // comments written
	Mentions int    // mentions written (pings, pingbacks, trackbacks)
	Topics   int    // topics defined (WXR) or named (MT)
	Authors  int    // authors defined (WXR)

	// What the format has no place for.
	SkippedPages    int // pages not written (MT has no pages)
	SkippedComments int // comments not approved, not written (MT has no statuses)
	SkippedMentions int // mentions not approved, not written
	FlatReplies     int // replies written without the comment they answer (MT has no threads)
}

// String returns the summary as one line for the terminal.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "exported %s, %s, %s, %s",
		plural(s.Entries-s.Pages, "entry", "entries"), plural(s.Pages, "page", "pages"),
		plural(s.Comments, "comment", "comments"), plural(s.Mentions, "mention", "mentions"))
	if s.Format == "wxr" {
		fmt.Fprintf(&b, ", %s, %s", plural(s.Topics, "topic", "topics"), plural(s.Authors, "author", "authors"))
	}
	var notes []string
	if s.SkippedPages > 0 {
		notes = append(notes, plural(s.SkippedPages, "page", "pages")+" (the format has no pages)")
	}
	if s.SkippedComments > 0 {
		notes = append(notes, plural(s.SkippedComments, "comment", "comments")+" not approved (the format has approved comments only)")
	}
	if s.SkippedMentions > 0 {
		notes = append(notes, plural(s.SkippedMentions, "mention", "mentions")+" not approved")
	}
	if len(notes) > 0 {
		b.WriteString("; skipped " + strings.Join(notes, ", "))
	}
	if s.FlatReplies > 0 {
		fmt.Fprintf(&b, "; %s written without their thread (the format has none)", plural(s.FlatReplies, "reply", "replies"))
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Entries calls fn with every entry and page of the blog, oldest first (by
// PublishedAt, then ID), with its text, reading them a page at a time. An
// entry written while the export runs may be missed or met twice; export a
// blog that is not being written to, or a backup of it.
func Entries(ctx context.Context, store gazette.Store, opts Options, fn func(e *gazette.Entry) error) error {
	done := 0
	for offset := 0; ; offset += pageSize {
		list, total, err := store.Entries(ctx, gazette.EntryFilter{
			Kind: gazette.AnyKind, OldestFirst: true, Limit: pageSize, Offset: offset,
		})
		if err != nil {
			return fmt.Errorf("export: read entries: %w", err)
		}
		for _, e := range list {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(e); err != nil {
				return err
			}
			done++
			if opts.Progress != nil {
				opts.Progress(Progress{Entries: done, Total: total})
			}
		}
		if len(list) < pageSize {
			return nil
		}
	}
}

// Replies returns every comment and mention of an entry, oldest first, in
// any status.
func Replies(ctx context.Context, store gazette.Store, e *gazette.Entry) ([]*gazette.Comment, []*gazette.Mention, error) {
	comments, _, err := store.Comments(ctx, gazette.CommentFilter{EntryID: e.ID})
	if err != nil {
		return nil, nil, fmt.Errorf("export: comments of entry %d: %w", e.ID, err)
	}
	mentions, err := store.Mentions(ctx, e.ID, "")
	if err != nil {
		return nil, nil, fmt.Errorf("export: mentions of entry %d: %w", e.ID, err)
	}
	return comments, mentions, nil
}
