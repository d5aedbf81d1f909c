// Package feed writes a blog's syndication and crawler files: Atom 1.0
// (RFC 4287), RSS 2.0, JSON Feed 1.1, sitemaps (sitemaps.org 0.9) and
// robots.txt. It turns domain values into bytes and knows nothing of HTTP or
// the store, so a handler lists what to show, builds a Feed and writes it.
//
// Everything is written by hand rather than through encoding/xml, so that
// the output is the same byte for byte on every run (golden tests and ETags
// rely on it) and so that every string goes through one escaper that drops
// the characters XML 1.0 forbids. HTML content is written as escaped text
// (type="html"), never as CDATA, which has no way to hold "]]>".
package feed

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
)

// Media types of the formats, with the charset every writer uses.
const (
	AtomType = "application/atom+xml; charset=utf-8"
	RSSType  = "application/rss+xml; charset=utf-8"
	JSONType = "application/feed+json; charset=utf-8"
	// SitemapType is the type of sitemaps and sitemap indexes.
	SitemapType = "application/xml; charset=utf-8"
	RobotsType  = "text/plain; charset=utf-8"
)

// Feed is one feed: the blog's newest entries, a topic's, an author's, or
// comments. The same Feed writes as Atom, RSS and JSON Feed.
type Feed struct {
	Title    string
	Subtitle string // the blog's description; optional
	// ID is the Atom feed id, which must never change; empty means FeedURL.
	ID string
	// HomeURL is the blog's home page, absolute.
	HomeURL string
	// AlternateURL is the HTML page this feed follows (a topic archive, an
	// entry for its comments); empty means HomeURL.
	AlternateURL string
	// FeedURL is this feed's own absolute address, its rel="self" link.
	FeedURL string
	// Updated is when anything in the feed last changed; zero means the
	// newest Updated of the items. A feed without items must set it.
	Updated time.Time
	// Language is a language tag such as "en" or "pt-BR"; optional.
	Language string
	Items    []Item
}

// Item is one entry or comment in a feed. Times are written in the zone they
// carry, so an Item made by Blog is dated in the blog's time zone.
type Item struct {
	// ID is the item's permanent identifier: a tag URI (see Blog.Entry).
	ID    string
	Title string // plain text
	// URL is the item's absolute permalink.
	URL string
	// ContentHTML is the full text as HTML whose links are all absolute.
	ContentHTML string
	// Summary is a short plain-text excerpt; optional.
	Summary string
	// SummaryWritten says the author wrote Summary, rather than it being
	// the content's first words. RSS has one element for both, so an RSS
	// item carries a cut summary only as the full text it was cut from.
	SummaryWritten bool
	Published      time.Time
	Updated        time.Time
	Authors        []Person
	Categories     []Category
}

// Person is an author of an item.
type Person struct {
	Name string
	URL  string // optional, absolute
}

// Category is a topic an item is filed under.
type Category struct {
	Term   string // the topic's slug
	Label  string // the topic's name, for people
	Scheme string // the address of the taxonomy: the blog's /topics/
}

// updated returns the feed's Updated, or the newest of its items'.
func (f *Feed) updated() (time.Time, error) {
	if !f.Updated.IsZero() {
		return f.Updated, nil
	}
	var t time.Time
	for _, it := range f.Items {
		if it.Updated.After(t) || t.IsZero() {
			t = it.Updated
		}
	}
	if t.IsZero() {
		return t, gazette.Errorf(gazette.ErrInvalid, "feed %q: no Updated time and no items to take it from", f.Title)
	}
	return t, nil
}

func (f *Feed) alternate() string {
	if f.AlternateURL != "" {
		return f.AlternateURL
	}
	return f.HomeURL
}

// check reports the first field a reader could not use: links must be
// absolute http(s) URLs and items need an id, a link and a date.
func (f *Feed) check() error {
	for _, u := range []struct{ field, v string }{{"HomeURL", f.HomeURL}, {"FeedURL", f.FeedURL}, {"AlternateURL", f.alternate()}} {
		if err := checkURL(u.v); err != nil {
			return gazette.Errorf(gazette.ErrInvalid, "feed %q: %s: %v", f.Title, u.field, err)
		}
	}
	if f.Language != "" && !validLanguage(f.Language) {
		return gazette.Errorf(gazette.ErrInvalid, "feed %q: Language %q is not a language tag such as en or pt-BR", f.Title, f.Language)
	}
	for i, it := range f.Items {
		switch {
		case it.ID == "":
			return gazette.Errorf(gazette.ErrInvalid, "feed %q: item %d (%q): no ID", f.Title, i, it.Title)
		case it.Published.IsZero() || it.Updated.IsZero():
			return gazette.Errorf(gazette.ErrInvalid, "feed %q: item %d (%q): no Published or Updated time", f.Title, i, it.Title)
		}
		if err := checkURL(it.URL); err != nil {
			return gazette.Errorf(gazette.ErrInvalid, "feed %q: item %d (%q): URL: %v", f.Title, i, it.Title, err)
		}
	}
	return nil
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http or https URL", s)
	}
	return nil
}

// validLanguage accepts the shape of a BCP 47 tag: a primary subtag of two
// to eight letters, then subtags of one to eight letters or digits.
func validLanguage(s string) bool {
	for i, sub := range strings.Split(s, "-") {
		if len(sub) < 1 || len(sub) > 8 || i == 0 && len(sub) < 2 {
			return false
		}
		for _, c := range []byte(sub) {
			letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
			if !letter && (i == 0 || c < '0' || c > '9') {
				return false
			}
		}
	}
	return true
}
