package site

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/theme"
)

// Paths of the endpoints that take other sites' links, served by their own
// packages (internal/api/…) and advertised here.
const (
	WebmentionPath = "/webmention"
	PingbackPath   = "/xmlrpc"
	TrackbackPath  = "/trackback/" // followed by the entry's ID
)

// addFeeds links the feeds of the archive at dir (such as /topics/iran/)
// for autodiscovery, after the blog's own.
func (q *request) addFeeds(title, dir string) {
	for _, f := range []struct{ name, file, mediaType string }{
		{"Atom", atom.file, "application/atom+xml"},
		{"RSS", rss.file, "application/rss+xml"},
		{"JSON Feed", jsonFeed.file, "application/feed+json"},
	} {
		q.site.Feeds = append(q.site.Feeds, theme.Feed{Title: title + " (" + f.name + ")", Type: f.mediaType, URL: q.url(dir + f.file)})
	}
}

// url returns the absolute URL of a path of the blog.
func (q *request) url(path string) string {
	return q.site.BaseURL + path
}

// ldJSON returns v as JSON fit for a script element of type
// application/ld+json: encoding/json escapes <, > and &, so the text can
// neither end the element nor open a comment.
func ldJSON(v any) template.JS {
	b, err := json.Marshal(v)
	if err != nil {
		return "" // v is built here of strings and maps; it always encodes
	}
	return template.JS(b)
}

// blogLD is the schema.org description of the blog, for its home page.
func (q *request) blogLD() template.JS {
	ld := map[string]any{
		"@context": "https://schema.org",
		"@type":    "Blog",
		"name":     q.settings.Title,
		"url":      q.url("/"),
	}
	if q.settings.Description != "" {
		ld["description"] = q.settings.Description
	}
	return ldJSON(ld)
}

// entryMeta describes an entry page: OpenGraph's article, and a schema.org
// BlogPosting.
func (q *request) entryMeta(e *gazette.Entry) theme.Meta {
	published := e.PublishedAt.In(q.loc).Format(time.RFC3339)
	modified := published
	if e.UpdatedAt.After(e.PublishedAt) {
		modified = e.UpdatedAt.In(q.loc).Format(time.RFC3339)
	}
	m := theme.Meta{
		Type:        "article",
		Title:       e.Title,
		Description: summary(e),
		Published:   published,
		Modified:    modified,
	}
	permalink := q.url(e.Path)
	ld := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "BlogPosting",
		"headline":         e.Title,
		"url":              permalink,
		"mainEntityOfPage": permalink,
		"datePublished":    published,
		"dateModified":     modified,
		"description":      m.Description,
		"author": map[string]any{
			"@type": "Person",
			"name":  e.Author.Name,
			"url":   q.url(authorLink(&e.Author).URL),
		},
		"isPartOf": map[string]any{"@type": "Blog", "name": q.settings.Title, "url": q.url("/")},
	}
	var topics []string
	for _, t := range e.Topics {
		topics = append(topics, t.Name)
	}
	if len(topics) > 0 {
		ld["articleSection"] = topics[0]
		ld["keywords"] = topics
	}
	m.JSONLD = ldJSON(ld)
	return m
}

// advertise names the endpoints that take other sites' links to entry e:
// in the page head (filled here) and in HTTP headers, for the senders that
// read only those.
func (q *request) advertise(w http.ResponseWriter, e *gazette.Entry) string {
	q.site.Webmention = q.url(WebmentionPath)
	q.site.Pingback = q.url(PingbackPath)
	h := w.Header()
	h.Add("Link", "<"+q.site.Webmention+`>; rel="webmention"`)
	h.Set("X-Pingback", q.site.Pingback)
	return q.url(TrackbackPath + strconv.FormatInt(e.ID, 10))
}
