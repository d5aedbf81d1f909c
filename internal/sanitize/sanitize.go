// Package sanitize makes untrusted HTML safe to show: readers' comments and the
// entries of authors who are not trusted with raw HTML.
//
// Both policies are allow-lists (bluemonday), built once by New. Whatever a
// policy does not name is dropped: scripts, styles, event handlers, frames,
// forms, and URLs other than http, https and mailto.
package sanitize

import (
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// Sanitizer holds the sanitising policies. It is safe for concurrent use.
type Sanitizer struct {
	comment *bluemonday.Policy
	author  *bluemonday.Policy

	// recent holds the safe HTML of the comments made safe last, by
	// body: a comment is shown on its entry's page, in the entry's
	// comment feed and among the blog's latest comments, and a static
	// build makes the first two one after the other.
	mu     sync.Mutex
	recent map[string]string
}

// mostRecent bounds the comments remembered: a few entries' worth.
const mostRecent = 512

// New returns a Sanitizer with its policies built.
func New() *Sanitizer {
	return &Sanitizer{comment: commentPolicy(), author: authorPolicy(), recent: map[string]string{}}
}

// commentPolicy is the small allow-list for readers: links, emphasis, quotes
// and code, and the paragraphs and breaks that Comment makes.
func commentPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.RequireParseableURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(false)
	p.AllowAttrs("href").OnElements("a")
	// rel is not allowed from the reader: every link gets the policy's own.
	p.RequireNoFollowOnLinks(true)
	p.AllowElements("b", "strong", "i", "em", "blockquote", "code", "pre", "br", "p")
	return p
}

// authorPolicy is the wider allow-list for blog posts.
func authorPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.RequireParseableURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")
	// Authors link to their own entries and media by path.
	p.AllowRelativeURLs(true)
	p.AllowStandardAttributes()
	p.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).Globally()
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^[a-z-]+$`)).Globally()

	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(bluemonday.SpaceSeparatedTokens).OnElements("a")
	p.AllowAttrs("cite").OnElements("blockquote", "q", "del", "ins")
	p.AllowAttrs("datetime").Matching(bluemonday.ISO8601).OnElements("time", "del", "ins")

	p.AllowElements(
		"h1", "h2", "h3", "h4", "h5", "h6",
		"p", "br", "hr", "div", "span", "wbr",
		"article", "aside", "section", "figure", "figcaption", "details", "summary",
		"b", "strong", "i", "em", "u", "s", "strike", "del", "ins", "mark", "small",
		"sub", "sup", "abbr", "cite", "dfn", "q", "time",
		"code", "pre", "kbd", "samp", "var", "tt",
		"blockquote",
	)
	p.AllowAttrs("open").Matching(regexp.MustCompile(`(?i)^(|open)$`)).OnElements("details")
	p.AllowLists()
	p.AllowTables()

	p.AllowAttrs("src").OnElements("img")
	p.AllowAttrs("alt").Matching(bluemonday.Paragraph).OnElements("img")
	p.AllowAttrs("height", "width").Matching(bluemonday.NumberOrPercent).OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^(lazy|eager)$`)).OnElements("img")
	return p
}

// AuthorHTML returns the HTML of an entry by an author who is not trusted with
// raw HTML, reduced to what a blog post needs.
func (s *Sanitizer) AuthorHTML(html string) string {
	return s.author.Sanitize(html)
}

// Comment returns the safe HTML for a reader's comment, given as the reader
// typed it: paragraphs from blank lines, <br> from single newlines, bare URLs
// made links, and the reader's own HTML kept only where the small allow-list
// names it. Every link carries rel="nofollow ugc".
//
// The sanitiser runs after every transform, so nothing a transform makes can
// slip past it.
func (s *Sanitizer) Comment(body string) string {
	s.mu.Lock()
	out, ok := s.recent[body]
	s.mu.Unlock()
	if ok {
		return out
	}
	out = s.comment.Sanitize(format(body))
	// The policy gives every link rel="nofollow" and allows no rel of the
	// reader's, so this is the only spelling there is; a literal quote cannot
	// occur in text or other attribute values, which the policy escapes.
	out = strings.ReplaceAll(out, ` rel="nofollow"`, ` rel="nofollow ugc"`)
	s.mu.Lock()
	if len(s.recent) >= mostRecent {
		clear(s.recent)
	}
	s.recent[body] = out
	s.mu.Unlock()
	return out
}
