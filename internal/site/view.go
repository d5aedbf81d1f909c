package site

import (
	"html"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/theme"
)

// The seed page's formats for dates and times.
const (
	dateFormat  = "January 2, 2006"
	timeFormat  = "3:04 PM"
	monthFormat = "January 2006"
)

// entryView returns e as pages show it, its dates in the blog's zone.
func (q *request) entryView(e *gazette.Entry) theme.Entry {
	q.seeEntry(e)
	dependOnEntry(q.ctx, e)
	pagecache.Depend(q.ctx, pagecache.Comments(e.ID)) // its count
	t := e.PublishedAt.In(q.loc)
	v := theme.Entry{
		Title:         e.Title,
		URL:           e.Path,
		Date:          t.Format(dateFormat),
		Time:          t.Format(timeFormat),
		ISOTime:       t.Format(time.RFC3339),
		Body:          template.HTML(e.BodyHTML),     // rendered and, where needed, sanitised on write
		Extended:      template.HTML(e.ExtendedHTML), // idem
		Author:        authorLink(&e.Author),
		CommentCount:  e.CommentCount,
		AllowComments: e.AllowComments,
	}
	for _, tp := range e.Topics {
		v.Topics = append(v.Topics, topicLink(&tp))
	}
	return v
}

// entryViews returns es as a list, marking the first entry of each day.
func (q *request) entryViews(es []*gazette.Entry, summaries bool) []theme.Entry {
	vs := make([]theme.Entry, len(es))
	for i, e := range es {
		vs[i] = q.entryView(e)
		vs[i].NewDay = i == 0 || vs[i].Date != vs[i-1].Date
		if summaries {
			vs[i].Summary = summary(e)
		}
	}
	return vs
}

// commentView returns an approved comment as pages show it, its body made
// safe by the sanitizer.
func (s *Site) commentView(q *request, c *gazette.Comment, entryTitle, entryURL string) theme.Comment {
	q.seeTime(c.CreatedAt)
	pagecache.Depend(q.ctx, pagecache.EntryLink(c.EntryID))
	t := c.CreatedAt.In(q.loc)
	return theme.Comment{
		ID:         c.ID,
		Name:       c.Name,
		URL:        webURL(c.URL),
		Body:       template.HTML(s.san.Comment(c.Body)),
		Date:       t.Format(dateFormat),
		Time:       t.Format(timeFormat),
		ISOTime:    t.Format(time.RFC3339),
		EntryTitle: entryTitle,
		EntryURL:   entryURL,
	}
}

// webURL returns u if it is an absolute http or https URL, else "": a
// commenter's link goes nowhere else.
func webURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return p.String()
}

func authorLink(a *gazette.Author) theme.Link {
	return theme.Link{Title: a.Name, URL: "/authors/" + url.PathEscape(a.Slug) + "/"}
}

func topicLink(t *gazette.Topic) theme.Link {
	return theme.Link{Title: t.Name, URL: topicURL(t.Slug)}
}

func topicURL(slug string) string { return "/topics/" + url.PathEscape(slug) + "/" }

func monthURL(year int, month time.Month) string {
	return "/archives/" + strconv.Itoa(year) + "/" + twoDigits(int(month)) + "/"
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func monthCount(m gazette.MonthCount) theme.Count {
	return theme.Count{
		Link:  theme.Link{Title: time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC).Format(monthFormat), URL: monthURL(m.Year, m.Month)},
		Count: m.Count,
	}
}

// topicCounts returns the topics that have visible entries.
func topicCounts(ts []gazette.TopicCount) []theme.Count {
	var out []theme.Count
	for _, t := range ts {
		if t.Count > 0 {
			out = append(out, theme.Count{Link: topicLink(&t.Topic), Count: t.Count})
		}
	}
	return out
}

// summary returns the entry's excerpt or, without one, the start of its
// text, cut at a word and marked with an ellipsis.
func summary(e *gazette.Entry) string {
	text := gazette.PlainText(e.Excerpt)
	if text == "" {
		text = gazette.PlainText(e.BodyHTML)
	}
	return gazette.Shorten(text, summaryMaxLength)
}

// highlight escapes a search snippet and turns the store's markers into
// <mark> elements, closing one a cut left open and dropping strays.
func highlight(snippet string) template.HTML {
	var b strings.Builder
	open := false
	for len(snippet) > 0 {
		i := strings.IndexAny(snippet, gazette.HighlightStart+gazette.HighlightEnd)
		if i < 0 {
			b.WriteString(html.EscapeString(snippet))
			break
		}
		b.WriteString(html.EscapeString(snippet[:i]))
		switch snippet[i : i+1] {
		case gazette.HighlightStart:
			if !open {
				b.WriteString("<mark>")
				open = true
			}
		case gazette.HighlightEnd:
			if open {
				b.WriteString("</mark>")
				open = false
			}
		}
		snippet = snippet[i+1:]
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

// pageNumber parses the page number of a path or query: a positive decimal
// with no sign or leading zero. Absent means page 1.
func pageNumber(s string, absent bool) (int, bool) {
	if absent {
		return 1, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, true
}

// pages returns the number of pages a list of total items fills, at least 1.
func pages(total, size int) int {
	if total <= 0 {
		return 1
	}
	return (total + size - 1) / size
}

// pager links page n of pages, whose URLs come from url.
func pager(n, pages int, url func(int) string) theme.Pager {
	p := theme.Pager{Page: n, Pages: pages}
	if n > 1 {
		p.NewerURL = url(n - 1)
	}
	if n < pages {
		p.OlderURL = url(n + 1)
	}
	return p
}

// mentionView returns an approved mention as pages show it. Its text is
// plain text, escaped by the template; its links go only to web pages.
func (q *request) mentionView(m *gazette.Mention) theme.Mention {
	q.seeTime(m.CreatedAt)
	q.seeTime(m.UpdatedAt)
	t := m.CreatedAt.In(q.loc)
	kind := string(m.Type)
	if kind == "" {
		kind = string(gazette.MentionPlain)
	}
	name := m.AuthorName
	if name == "" {
		name = m.BlogName
	}
	return theme.Mention{
		Kind:        kind,
		URL:         webURL(m.SourceURL),
		Title:       m.Title,
		Excerpt:     m.Excerpt,
		AuthorName:  name,
		AuthorURL:   webURL(m.AuthorURL),
		AuthorPhoto: webURL(m.AuthorPhoto),
		Date:        t.Format(dateFormat),
		Time:        t.Format(timeFormat),
		ISOTime:     t.Format(time.RFC3339),
	}
}
