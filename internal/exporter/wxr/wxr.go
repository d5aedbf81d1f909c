// Package wxr writes a blog as a WordPress eXtended RSS (WXR 1.2) export,
// which WordPress's importer and gazette's own reader take back.
//
// Texts are written as they were written, not rendered: content:encoded
// holds the body, then <!--more--> and the extended body, in the entry's own
// format, and a wp:postmeta named _gazette_format says which format that is,
// so that gazette renders it the same on re-import (WordPress ignores it and
// shows the text as its own). Keywords, which WordPress has no field for,
// travel in the wp:postmeta _gazette_keywords. Titles and names are
// HTML-escaped, as WordPress stores them. Every text is well-formed XML
// whatever it holds: CDATA sections are split around "]]>", and characters
// XML 1.0 forbids are dropped.
package wxr

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/exporter"
)

// The wp:postmeta keys gazette writes and reads back.
const (
	MetaFormat   = "_gazette_format"
	MetaKeywords = "_gazette_keywords"
)

// wpTime is WordPress's date format.
const wpTime = "2006-01-02 15:04:05"

// Write writes the blog in store to w: its authors, its topics (parents
// before their children), then every entry and page oldest first with all
// its comments, in every status and with their threads, and its mentions as
// pingbacks and trackbacks.
func Write(ctx context.Context, w io.Writer, store gazette.Store, opts exporter.Options) (exporter.Summary, error) {
	sum := exporter.Summary{Format: "wxr"}
	settings, err := store.Settings(ctx)
	if err != nil {
		return sum, fmt.Errorf("export: read settings: %w", err)
	}
	authors, err := store.Authors(ctx)
	if err != nil {
		return sum, fmt.Errorf("export: read authors: %w", err)
	}
	topics, err := store.Topics(ctx, time.Time{})
	if err != nil {
		return sum, fmt.Errorf("export: read topics: %w", err)
	}
	x := &xmlWriter{w: bufio.NewWriterSize(w, 64<<10), loc: settings.Location(), base: strings.TrimSuffix(settings.BaseURL, "/")}
	x.head(settings)
	for _, a := range authors {
		x.author(a)
		sum.Authors++
	}
	slugs := make(map[int64]string, len(topics))
	for _, t := range topics {
		slugs[t.ID] = t.Slug
	}
	for _, t := range parentsFirst(topics) {
		x.topic(t, slugs[t.ParentID])
		sum.Topics++
	}
	err = exporter.Entries(ctx, store, opts, func(e *gazette.Entry) error {
		comments, mentions, err := exporter.Replies(ctx, store, e)
		if err != nil {
			return err
		}
		x.item(e, comments, mentions)
		sum.Entries++
		if e.Kind == gazette.KindPage {
			sum.Pages++
		}
		sum.Comments += len(comments)
		sum.Mentions += len(mentions)
		return nil
	})
	if err != nil {
		return sum, err
	}
	x.w.WriteString("</channel>\n</rss>\n")
	if err := x.w.Flush(); err != nil {
		return sum, fmt.Errorf("export: write: %w", err)
	}
	return sum, nil
}

// parentsFirst orders topics so that each comes after its parent, as a
// reader of the file meets a parent before it is named; otherwise by name.
func parentsFirst(topics []gazette.TopicCount) []gazette.Topic {
	children := map[int64][]gazette.Topic{}
	known := map[int64]bool{}
	for _, t := range topics {
		known[t.ID] = true
	}
	for _, t := range topics {
		parent := t.ParentID
		if !known[parent] || parent == t.ID {
			parent = 0
		}
		children[parent] = append(children[parent], t.Topic)
	}
	out := make([]gazette.Topic, 0, len(topics))
	seen := map[int64]bool{}
	var walk func(id int64)
	walk = func(id int64) {
		for _, t := range children[id] {
			if seen[t.ID] {
				continue
			}
			seen[t.ID] = true
			out = append(out, t)
			walk(t.ID)
		}
	}
	walk(0)
	// Topics in a loop of parents have no way to the top; write them last,
	// at the top.
	for _, t := range topics {
		if !seen[t.ID] {
			seen[t.ID] = true
			t.ParentID = 0
			out = append(out, t.Topic)
		}
	}
	return out
}

// xmlWriter writes the export; a write error sticks in w and surfaces at its
// Flush.
type xmlWriter struct {
	w    *bufio.Writer
	loc  *time.Location
	base string // the blog's address, without a trailing slash
}

func (x *xmlWriter) head(s gazette.Settings) {
	x.w.WriteString(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
`)
	x.text(1, "title", s.Title)
	x.text(1, "link", x.base)
	x.text(1, "description", s.Description)
	x.text(1, "wp:wxr_version", "1.2")
	x.text(1, "wp:base_site_url", x.base)
	x.text(1, "wp:base_blog_url", x.base)
	x.text(1, "generator", "gazette")
}

func (x *xmlWriter) author(a *gazette.Author) {
	x.w.WriteString("\t<wp:author>\n")
	x.text(2, "wp:author_id", strconv.FormatInt(a.ID, 10))
	x.cdata(2, "wp:author_login", a.Slug)
	x.cdata(2, "wp:author_email", a.Email)
	x.cdata(2, "wp:author_display_name", html.EscapeString(a.Name))
	x.w.WriteString("\t</wp:author>\n")
}

func (x *xmlWriter) topic(t gazette.Topic, parent string) {
	x.w.WriteString("\t<wp:category>\n")
	x.text(2, "wp:term_id", strconv.FormatInt(t.ID, 10))
	x.cdata(2, "wp:category_nicename", t.Slug)
	x.cdata(2, "wp:category_parent", parent)
	x.cdata(2, "wp:cat_name", html.EscapeString(t.Name))
	x.cdata(2, "wp:category_description", t.Description)
	x.w.WriteString("\t</wp:category>\n")
}

// item writes an entry or page with its comments and mentions.
func (x *xmlWriter) item(e *gazette.Entry, comments []*gazette.Comment, mentions []*gazette.Mention) {
	id := strconv.FormatInt(e.ID, 10)
	x.w.WriteString("\t<item>\n")
	x.cdata(2, "title", html.EscapeString(e.Title))
	x.text(2, "link", x.base+e.Path)
	x.text(2, "pubDate", e.PublishedAt.UTC().Format(time.RFC1123Z))
	x.cdata(2, "dc:creator", e.Author.Slug)
	x.text(2, "guid", x.base+"/?p="+id, "isPermaLink", "false")
	x.text(2, "description", "")
	content := e.Body
	if e.ExtendedBody != "" {
		content += "<!--more-->" + e.ExtendedBody
	}
	x.cdata(2, "content:encoded", content)
	x.cdata(2, "excerpt:encoded", e.Excerpt)
	x.text(2, "wp:post_id", id)
	x.text(2, "wp:post_date", e.PublishedAt.In(x.loc).Format(wpTime))
	x.text(2, "wp:post_date_gmt", e.PublishedAt.UTC().Format(wpTime))
	x.text(2, "wp:comment_status", openClosed(e.AllowComments))
	x.text(2, "wp:ping_status", openClosed(e.AllowPings))
	x.cdata(2, "wp:post_name", url.PathEscape(e.Basename))
	x.text(2, "wp:status", status(e.Status))
	x.text(2, "wp:post_parent", "0")
	x.text(2, "wp:menu_order", "0")
	kind := "post"
	if e.Kind == gazette.KindPage {
		kind = "page"
	}
	x.text(2, "wp:post_type", kind)
	x.text(2, "wp:post_password", "")
	x.text(2, "wp:is_sticky", flag(e.Sticky))
	for _, t := range e.Topics { // the primary first, as readers take it
		x.cdata(2, "category", html.EscapeString(t.Name), "domain", "category", "nicename", t.Slug)
	}
	for _, t := range e.Tags {
		x.cdata(2, "category", html.EscapeString(t), "domain", "post_tag", "nicename", gazette.TagSlug(t))
	}
	x.meta(MetaFormat, string(e.Format))
	if e.Keywords != "" {
		x.meta(MetaKeywords, e.Keywords)
	}
	for _, c := range comments {
		x.comment(c)
	}
	for _, m := range mentions {
		x.mention(m)
	}
	x.w.WriteString("\t</item>\n")
}

func (x *xmlWriter) meta(key, value string) {
	x.w.WriteString("\t\t<wp:postmeta>\n")
	x.cdata(3, "wp:meta_key", key)
	x.cdata(3, "wp:meta_value", value)
	x.w.WriteString("\t\t</wp:postmeta>\n")
}

func (x *xmlWriter) comment(c *gazette.Comment) {
	x.w.WriteString("\t\t<wp:comment>\n")
	x.text(3, "wp:comment_id", strconv.FormatInt(c.ID, 10))
	x.cdata(3, "wp:comment_author", html.EscapeString(c.Name))
	x.cdata(3, "wp:comment_author_email", c.Email)
	x.cdata(3, "wp:comment_author_url", c.URL)
	x.cdata(3, "wp:comment_author_IP", c.IP)
	x.text(3, "wp:comment_date", c.CreatedAt.In(x.loc).Format(wpTime))
	x.text(3, "wp:comment_date_gmt", c.CreatedAt.UTC().Format(wpTime))
	x.cdata(3, "wp:comment_content", c.Body)
	x.cdata(3, "wp:comment_approved", approved(c.Status))
	x.cdata(3, "wp:comment_type", "comment")
	x.text(3, "wp:comment_parent", strconv.FormatInt(c.ParentID, 10))
	x.text(3, "wp:comment_user_id", "0")
	x.w.WriteString("\t\t</wp:comment>\n")
}

// mention writes a mention as WordPress keeps a pingback or trackback: a
// comment of that type, named by the title of the linking page. Its ID is
// not a comment's, so that no comment of the entry can be taken for it.
func (x *xmlWriter) mention(m *gazette.Mention) {
	kind := "pingback"
	if m.Kind == gazette.MentionTrackback {
		kind = "trackback"
	}
	x.w.WriteString("\t\t<wp:comment>\n")
	x.text(3, "wp:comment_id", "mention-"+strconv.FormatInt(m.ID, 10))
	x.cdata(3, "wp:comment_author", html.EscapeString(m.Title))
	x.cdata(3, "wp:comment_author_email", "")
	x.cdata(3, "wp:comment_author_url", m.SourceURL)
	x.cdata(3, "wp:comment_author_IP", m.IP)
	x.text(3, "wp:comment_date", m.CreatedAt.In(x.loc).Format(wpTime))
	x.text(3, "wp:comment_date_gmt", m.CreatedAt.UTC().Format(wpTime))
	x.cdata(3, "wp:comment_content", m.Excerpt)
	x.cdata(3, "wp:comment_approved", approved(m.Status))
	x.cdata(3, "wp:comment_type", kind)
	x.text(3, "wp:comment_parent", "0")
	x.text(3, "wp:comment_user_id", "0")
	x.w.WriteString("\t\t</wp:comment>\n")
}

func (x *xmlWriter) start(depth int, name string, attrs []string) {
	x.w.WriteString(strings.Repeat("\t", depth) + "<" + name)
	for i := 0; i+1 < len(attrs); i += 2 {
		x.w.WriteString(" " + attrs[i] + `="`)
		x.w.WriteString(escape(validXML(attrs[i+1]), true))
		x.w.WriteByte('"')
	}
	x.w.WriteByte('>')
}

// text writes an element holding escaped text; attrs are name, value pairs.
func (x *xmlWriter) text(depth int, name, s string, attrs ...string) {
	x.start(depth, name, attrs)
	x.w.WriteString(escape(validXML(s), false))
	x.w.WriteString("</" + name + ">\n")
}

// cdata writes an element holding text in CDATA sections, as WordPress
// does, split where the text holds "]]>". Text with a carriage return is
// escaped instead, since a parser reads a CDATA carriage return as a newline.
func (x *xmlWriter) cdata(depth int, name, s string, attrs ...string) {
	if strings.Contains(s, "\r") {
		x.text(depth, name, s, attrs...)
		return
	}
	x.start(depth, name, attrs)
	if s != "" {
		x.w.WriteString("<![CDATA[" + strings.ReplaceAll(validXML(s), "]]>", "]]]]><![CDATA[>") + "]]>")
	}
	x.w.WriteString("</" + name + ">\n")
}

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\r", "&#xD;", "\n", "&#xA;", "\t", "&#x9;")
)

func escape(s string, attr bool) string {
	if attr {
		return attrEscaper.Replace(s)
	}
	return textEscaper.Replace(s)
}

// validXML returns s without the characters XML 1.0 forbids (C0 controls
// but tab, newline and carriage return; U+FFFE, U+FFFF), with bytes that are
// not UTF-8 replaced by U+FFFD.
func validXML(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

func status(s gazette.EntryStatus) string {
	switch s {
	case gazette.StatusPublished:
		return "publish"
	case gazette.StatusScheduled:
		return "future"
	}
	return "draft"
}

// approved names a comment status as wp:comment_approved does.
func approved(s gazette.CommentStatus) string {
	switch s {
	case gazette.CommentApproved:
		return "1"
	case gazette.CommentSpam:
		return "spam"
	case gazette.CommentTrash:
		return "trash"
	}
	return "0"
}

func openClosed(b bool) string {
	if b {
		return "open"
	}
	return "closed"
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
