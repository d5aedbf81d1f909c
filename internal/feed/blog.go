package feed

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
)

// summaryWords is how many words of an entry's text make its summary when
// its author wrote no excerpt (Movable Type's default is 40 as well).
const summaryWords = 40

// Blog makes feed items and absolute URLs for one blog.
type Blog struct {
	base *url.URL
	loc  *time.Location
}

// NewBlog returns a Blog for the blog at baseURL (an absolute http or https
// URL, with or without a path, as gazette.Settings.BaseURL) whose dates are
// in loc (nil means UTC).
func NewBlog(baseURL string, loc *time.Location) (*Blog, error) {
	if err := checkURL(baseURL); err != nil {
		return nil, gazette.Errorf(gazette.ErrInvalid, "base URL: %v", err)
	}
	u, _ := url.Parse(baseURL)
	// Scheme and host are case-insensitive; lower case keeps ids canonical.
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath, u.RawQuery, u.Fragment = "", "", ""
	if loc == nil {
		loc = time.UTC
	}
	return &Blog{base: u, loc: loc}, nil
}

// URL returns the absolute URL of path, a path of the site such as
// /archives/2007/03/x.html or /topics/iran/ (or an already absolute URL,
// returned as it is). Characters a URL cannot hold are percent-encoded, so
// permalinks with non-ASCII basenames are valid URLs in every format.
func (b *Blog) URL(path string) string {
	if checkURL(path) == nil {
		return path
	}
	u := *b.base
	p, frag, _ := strings.Cut(path, "#")
	u.Path = b.base.Path + "/" + strings.TrimPrefix(p, "/")
	u.Fragment = frag
	return u.String()
}

// Entry returns the feed item of a published entry.
//
// Its ID is a tag URI (RFC 4151), tag:HOST,YYYY-MM-DD:PATH, from the blog's
// host, the day the entry was first published (in the blog's time zone) and
// its permalink path. Editing an entry's text, title or topics changes
// neither, and importing the same export into a new blog on the same host
// gives the same ID, so readers never see an edited entry as a new one. Only
// moving the blog to another host, or re-dating an entry into another
// month (which gives it a new permalink too), changes it.
func (b *Blog) Entry(e *gazette.Entry) Item {
	link := b.URL(e.Path)
	base, _ := url.Parse(link)
	content := e.BodyHTML
	if e.ExtendedHTML != "" {
		if content != "" {
			content += "\n"
		}
		content += e.ExtendedHTML
	}
	published := e.PublishedAt.In(b.loc)
	// An entry edited before it was published (a scheduled one) was not
	// updated after readers first saw it.
	updated := published
	if e.UpdatedAt.After(e.PublishedAt) {
		updated = e.UpdatedAt.In(b.loc)
	}
	plain := gazette.PlainText(content)
	summary := gazette.PlainText(e.Excerpt)
	// An excerpt that is only the text's first words, as other engines
	// save them and exports carry them, was cut, not written.
	written := summary != "" && !cutFrom(summary, plain)
	if summary == "" {
		summary = firstWords(plain, summaryWords)
	}
	it := Item{
		ID:             b.tag(published, e.Path),
		Title:          e.Title,
		URL:            link,
		ContentHTML:    absoluteHTML(content, base),
		Summary:        summary,
		SummaryWritten: written,
		Published:      published,
		Updated:        updated,
	}
	if e.Author.Name != "" {
		p := Person{Name: e.Author.Name}
		if e.Author.Slug != "" {
			p.URL = b.URL("/authors/" + e.Author.Slug + "/")
		}
		it.Authors = []Person{p}
	}
	for _, t := range e.Topics {
		it.Categories = append(it.Categories, Category{Term: t.Slug, Label: t.Name, Scheme: b.URL("/topics/")})
	}
	return it
}

// Comment returns the feed item of an approved comment on the entry at
// c.EntryPath titled c.EntryTitle (as gazette.CommentStore.Comments fills
// them). contentHTML is the comment's body made safe by the caller; its
// relative links are made absolute against the entry's permalink. The ID is
// the entry's tag URI form dated by the comment, with #comment-ID.
func (b *Blog) Comment(c *gazette.Comment, contentHTML string) Item {
	entry := b.URL(c.EntryPath)
	base, _ := url.Parse(entry)
	anchor := "#comment-" + strconv.FormatInt(c.ID, 10)
	name := strings.TrimSpace(c.Name)
	if name == "" {
		name = "Anonymous"
	}
	title := "Comment by " + name
	if c.EntryTitle != "" {
		title = "Comment on " + c.EntryTitle + " by " + name
	}
	created := c.CreatedAt.In(b.loc)
	p := Person{Name: name}
	if u, err := url.Parse(c.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		p.URL = u.String()
	}
	return Item{
		ID:          b.tag(created, c.EntryPath+anchor),
		Title:       title,
		URL:         entry + anchor,
		ContentHTML: absoluteHTML(contentHTML, base),
		Summary:     firstWords(gazette.PlainText(contentHTML), summaryWords),
		Published:   created,
		Updated:     created,
		Authors:     []Person{p},
	}
}

// tag returns tag:HOST,DATE:PATH with the path percent-encoded as in URL.
func (b *Blog) tag(t time.Time, path string) string {
	u, _ := url.Parse(b.URL(path))
	specific := u.EscapedPath()
	if u.Fragment != "" {
		specific += "#" + u.EscapedFragment()
	}
	return "tag:" + b.base.Hostname() + "," + t.Format("2006-01-02") + ":" + specific
}

// cutFrom reports whether excerpt is text's first words: the same words,
// the last of them cut short only where an ellipsis ("...", "…", "[...]")
// says so, and a full stop at the end of the last one not counted.
func cutFrom(excerpt, text string) bool {
	ex := strings.Fields(excerpt)
	ellipsis := false
	if n := len(ex); n > 0 {
		switch ex[n-1] {
		case "...", "…", "[...]", "[…]":
			ex, ellipsis = ex[:n-1], true
		default:
			w := strings.TrimSuffix(strings.TrimSuffix(ex[n-1], "…"), "...")
			ellipsis = w != ex[n-1]
			ex[n-1] = w
		}
	}
	if len(ex) == 0 {
		return false
	}
	words := strings.Fields(text)
	if len(words) < len(ex) {
		return false
	}
	last := len(ex) - 1
	for i, w := range ex[:last] {
		if words[i] != w {
			return false
		}
	}
	if ellipsis {
		return ex[last] != "" && strings.HasPrefix(words[last], ex[last])
	}
	return strings.TrimSuffix(words[last], ".") == strings.TrimSuffix(ex[last], ".")
}

// firstWords returns the first n words of s, with an ellipsis when it cut.
func firstWords(s string, n int) string {
	words := strings.Fields(s)
	if len(words) <= n {
		return strings.Join(words, " ")
	}
	return strings.Join(words[:n], " ") + "…"
}
