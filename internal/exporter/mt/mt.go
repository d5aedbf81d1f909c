// Package mt writes a blog in the Movable Type import/export format, the way
// Movable Type's own exporter lays it out (field order, dates written as
// %m/%d/%Y %I:%M:%S %p in the blog's time zone, a TAB after body lines that
// look like separators), so that Movable Type, TypePad's importers and
// gazette's own reader take it back.
//
// The format has no pages, no comment statuses or threads and no sticky
// flag. Pages are left out and counted in the summary rather than turned
// into entries, because as entries they would enter the chronology, the
// feeds and the home page of the blog that imports them: a different site,
// where a missing page is an honest, visible loss (WXR carries pages).
// Comments and mentions that are not approved are left out too, since every
// comment of the format is imported as approved and would be shown.
package mt

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/exporter"
)

// dateLayout is Movable Type's export date format, %m/%d/%Y %I:%M:%S %p.
const dateLayout = "01/02/2006 03:04:05 PM"

// Write writes every entry of store to w, oldest first, with its approved
// comments and mentions.
func Write(ctx context.Context, w io.Writer, store gazette.Store, opts exporter.Options) (exporter.Summary, error) {
	sum := exporter.Summary{Format: "mt"}
	settings, err := store.Settings(ctx)
	if err != nil {
		return sum, fmt.Errorf("export: read settings: %w", err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	ew := &entryWriter{w: bw, loc: settings.Location(), topics: map[int64]bool{}}
	err = exporter.Entries(ctx, store, opts, func(e *gazette.Entry) error {
		if e.Kind == gazette.KindPage {
			sum.SkippedPages++
			return nil
		}
		comments, mentions, err := exporter.Replies(ctx, store, e)
		if err != nil {
			return err
		}
		ew.entry(e, comments, mentions, &sum)
		return nil
	})
	if err != nil {
		return sum, err
	}
	if err := bw.Flush(); err != nil {
		return sum, fmt.Errorf("export: write: %w", err)
	}
	sum.Topics = len(ew.topics)
	return sum, nil
}

// entryWriter writes entries to w; a write error sticks in w and surfaces
// at its Flush.
type entryWriter struct {
	w      *bufio.Writer
	loc    *time.Location
	topics map[int64]bool // topics named so far, for the summary
}

func (ew *entryWriter) field(key, value string) {
	ew.w.WriteString(key + ": " + oneLine(value) + "\n")
}

func (ew *entryWriter) date(t time.Time) string {
	return t.In(ew.loc).Format(dateLayout)
}

// entry writes one entry in MT's own order of fields and sections.
func (ew *entryWriter) entry(e *gazette.Entry, comments []*gazette.Comment, mentions []*gazette.Mention, sum *exporter.Summary) {
	ew.field("AUTHOR", e.Author.Name)
	if e.Author.Email != "" {
		// Not written by MT itself, but by TypePad, and read by both.
		ew.field("AUTHOR EMAIL", e.Author.Email)
	}
	ew.field("TITLE", e.Title)
	ew.field("BASENAME", e.Basename)
	ew.field("STATUS", status(e.Status))
	ew.field("ALLOW COMMENTS", flag(e.AllowComments))
	ew.field("CONVERT BREAKS", convertBreaks(e.Format))
	ew.field("ALLOW PINGS", flag(e.AllowPings))
	if len(e.Topics) > 0 {
		ew.field("PRIMARY CATEGORY", e.Topics[0].Name)
	}
	for _, t := range e.Topics {
		ew.field("CATEGORY", t.Name)
		ew.topics[t.ID] = true
	}
	ew.field("DATE", ew.date(e.PublishedAt))
	if len(e.Tags) > 0 {
		ew.field("TAGS", tags(e.Tags))
	}
	ew.w.WriteString("-----\n")
	ew.section("BODY", e.Body)
	ew.section("EXTENDED BODY", e.ExtendedBody)
	ew.section("EXCERPT", e.Excerpt)
	ew.section("KEYWORDS", e.Keywords)
	for _, c := range comments {
		if c.Status != gazette.CommentApproved {
			sum.SkippedComments++
			continue
		}
		if c.ParentID != 0 {
			sum.FlatReplies++
		}
		ew.w.WriteString("\nCOMMENT:\n")
		ew.field("AUTHOR", c.Name)
		ew.field("EMAIL", c.Email)
		ew.field("IP", c.IP)
		ew.field("URL", c.URL)
		ew.field("DATE", ew.date(c.CreatedAt))
		ew.text(c.Body)
		ew.w.WriteString("-----\n")
		sum.Comments++
	}
	for _, m := range mentions {
		if m.Status != gazette.CommentApproved {
			sum.SkippedMentions++
			continue
		}
		ew.w.WriteString("\nPING:\n")
		ew.field("TITLE", m.Title)
		ew.field("URL", m.SourceURL)
		ew.field("IP", m.IP)
		// Pages show a mention's author, else its blog's name; the format
		// has the blog's name only, so it carries the name pages show.
		name := m.BlogName
		if m.AuthorName != "" {
			name = m.AuthorName
		}
		ew.field("BLOG NAME", name)
		ew.field("DATE", ew.date(m.CreatedAt))
		ew.text(m.Excerpt)
		ew.w.WriteString("-----\n")
		sum.Mentions++
	}
	ew.w.WriteString("\n--------\n")
	sum.Entries++
}

// section writes a multi-line field and its closing separator.
func (ew *entryWriter) section(keyword, text string) {
	ew.w.WriteString(keyword + ":\n")
	ew.text(text)
	ew.w.WriteString("-----\n")
}

// text writes multi-line text, with a TAB after each line that would read
// as a separator, as Movable Type's exporter does; readers remove it.
func (ew *entryWriter) text(s string) {
	if s == "" {
		return
	}
	for line := range strings.SplitSeq(s, "\n") {
		ew.w.WriteString(line)
		if l := strings.TrimSuffix(line, "\r"); l == "-----" || l == "--------" {
			ew.w.WriteByte('\t')
		}
		ew.w.WriteByte('\n')
	}
}

// oneLine returns a header value on one line, as MT's exporter strips line
// feeds from titles, authors and comment headers.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(strings.NewReplacer("\r", " ", "\n", " ").Replace(s)), " ")
}

func status(s gazette.EntryStatus) string {
	switch s {
	case gazette.StatusPublished:
		return "Publish"
	case gazette.StatusScheduled:
		return "Future"
	}
	return "Draft"
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// convertBreaks names an entry's format as MT's text filters do.
func convertBreaks(f gazette.Format) string {
	switch f {
	case gazette.FormatMarkdown:
		return "markdown"
	case gazette.FormatConvertBreaks:
		return "__default__"
	}
	return "0"
}

// tags writes a TAGS value. MT quotes a tag that holds a space; a tag
// holding a comma is quoted too, which MT's exporter forgets (and so splits
// it on import). A tag holding a double quote is wrapped in single quotes.
func tags(list []string) string {
	out := make([]string, len(list))
	for i, t := range list {
		t = oneLine(t)
		switch {
		case strings.Contains(t, `"`):
			out[i] = "'" + t + "'"
		case strings.ContainsAny(t, " ,'"):
			out[i] = `"` + t + `"`
		default:
			out[i] = t
		}
	}
	return strings.Join(out, ",")
}
