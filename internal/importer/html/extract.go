package html

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/importer"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Reasons a page is not an entry, as the import summary names them.
const (
	skipIndex  = "index or archive page"
	skipNoDate = "page without a readable date"
	skipEmpty  = "page without an entry"
	skipDup    = "duplicate entry page"
)

// footerClasses mark the lines under (or over) an entry that say who wrote it
// and when, in the classic layouts of Movable Type, Blogger and WordPress.
var footerClasses = []string{"posted", "post-footers", "post-footer", "entry-footer", "postmeta",
	"postmetabox", "postdata", "poststatus", "byline", "postmetadata", "post-info", "entry-meta", "asset-meta"}

// containerClasses mark the element holding one entry in classic layouts.
var containerClasses = []string{"post", "singlepost", "entry", "blogpost", "entry-asset"}

var entryID = regexp.MustCompile(`^(entry|post)-?\d+$`)

// byAuthor finds the name in "Posted by NAME at|on …" and "by NAME |".
var byAuthor = regexp.MustCompile(`(?i)\bby:?\s+(.+?)(?:\s+(?:at|on|@|in)\s|\s*[|,(—–]|\s+-\s|\s*$)`)

// page is one parsed page and what the reader knows of it.
type page struct {
	doc  *xhtml.Node
	path string // the page's path: from its URL, or relative to the folder
	loc  *time.Location
}

// extract turns a page into an entry Item, or names why it is skipped.
func (p *page) extract() (*importer.Item, string) {
	scope, skip := p.entryScope()
	if skip != "" {
		return nil, skip
	}
	it := &importer.Item{}
	e := &it.Entry
	e.Status = gazette.StatusPublished
	e.Format = gazette.FormatHTML
	e.AllowComments = true
	titleNode := p.title(scope)
	if titleNode != nil {
		e.Title = text(titleNode)
	} else {
		e.Title = p.headTitle()
	}
	e.Body = p.body(scope, titleNode)
	if e.Title == "" && strings.TrimSpace(gazette.PlainText(e.Body)) == "" {
		return nil, skipEmpty
	}
	published, ok := p.published(scope)
	if !ok {
		return nil, skipNoDate
	}
	e.PublishedAt = published.UTC()
	e.Author.Name = p.author(scope)
	for _, t := range p.topics(scope) {
		e.Topics = append(e.Topics, gazette.Topic{Name: t})
	}
	e.ImportKey = key(e.Title, e.PublishedAt.Truncate(time.Minute).Format(time.RFC3339), e.Author.Name)
	it.Comments = p.comments(scope, e)
	if old := p.oldPath(scope); old != "" {
		it.OldPaths = []string{old}
	}
	return it, ""
}

func key(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return "html:" + hex.EncodeToString(h.Sum(nil)[:16])
}

// isCommentish reports whether n is, or is inside, the comments of a page,
// whose microformats and classes are not the entry's.
func isCommentish(n *xhtml.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type != xhtml.ElementNode {
			continue
		}
		id := attr(p, "id")
		if id == "comments" || id == "mentions" || strings.HasPrefix(id, "comment-") ||
			hasClass(p, "comments", "comment", "commentlist", "mentions", "h-cite", "sidebar") || id == "sidebar" {
			return true
		}
	}
	return false
}

// entryScope finds the element holding the page's one entry: an h-entry
// or hentry, else a classic container, else the content column. A page
// with several is an index or archive.
func (p *page) entryScope() (scope *xhtml.Node, skip string) {
	scopes, several := p.entryScopes()
	switch {
	case several:
		return nil, skipIndex
	case len(scopes) == 0:
		return nil, skipEmpty
	}
	return scopes[0], ""
}

// entryScopes returns the elements holding the page's entries, and whether
// it holds several. Movable Type's first default templates put every entry
// of an archive in one content column, which is then the one scope.
func (p *page) entryScopes() (scopes []*xhtml.Node, several bool) {
	var entries []*xhtml.Node
	for _, n := range find(p.doc, byClass("h-entry", "hentry"), false) {
		if !isCommentish(n) {
			entries = append(entries, n)
		}
	}
	if len(entries) > 0 {
		return entries, len(entries) > 1
	}
	containers := find(p.doc, func(n *xhtml.Node) bool {
		return (hasClass(n, containerClasses...) || entryID.MatchString(attr(n, "id"))) &&
			n.DataAtom != atom.Body && !isCommentish(n)
	}, false)
	if len(containers) > 0 {
		return containers, len(containers) > 1
	}
	// Movable Type's first default templates: a content column holding a
	// date heading, an h3 title, paragraphs and "Posted by".
	col := first(p.doc, func(n *xhtml.Node) bool {
		return hasClass(n, "content", "blogbody") || attr(n, "id") == "content"
	})
	if col == nil {
		col = first(p.doc, byTag(atom.Body))
	}
	if col == nil {
		return nil, false
	}
	titles := find(col, byTag(atom.H3), false)
	var real int
	for _, t := range titles {
		if !isCommentish(t) {
			real++
		}
	}
	return []*xhtml.Node{col}, real > 1
}

func (p *page) title(scope *xhtml.Node) *xhtml.Node {
	for _, cls := range []string{"p-name", "entry-title", "post-title", "asset-name", "entry-header", "title"} {
		if n := first(scope, byClass(cls)); n != nil && !isCommentish(n) {
			return n
		}
	}
	for _, n := range find(scope, byTag(atom.H1, atom.H2, atom.H3), false) {
		if isCommentish(n) || hasClass(n, "date-header", "date") || attr(n, "id") == "comments" {
			continue
		}
		if _, _, ok := parseDate(text(n), p.loc); ok {
			continue
		}
		if text(n) != "" {
			return n
		}
	}
	return nil
}

// headTitle is the title from the page's <title>, without the blog's name.
func (p *page) headTitle() string {
	t := text(first(p.doc, byTag(atom.Title)))
	for _, sep := range []string{": ", " » ", " | ", " - "} {
		if i := strings.Index(t, sep); i >= 0 {
			return strings.TrimSpace(t[i+len(sep):])
		}
	}
	return t
}

func (p *page) body(scope, titleNode *xhtml.Node) string {
	for _, cls := range [][]string{{"e-content", "entry-content"}, {"post-body"}, {"text", "entry", "storycontent", "asset-body"}} {
		if n := first(scope, byClass(cls...)); n != nil && !isCommentish(n) {
			return inner(n)
		}
	}
	if n := first(scope, byClass("entry-body")); n != nil {
		b := inner(n)
		if more := first(scope, byClass("entry-more")); more != nil {
			if m := inner(more); m != "" {
				b += "\n" + m
			}
		}
		return b
	}
	// Classic Movable Type: the paragraphs after the title, up to the
	// footer, with the extended entry in div#more.
	if titleNode == nil {
		return ""
	}
	var b strings.Builder
	for n := titleNode.NextSibling; n != nil; n = n.NextSibling {
		if n.Type == xhtml.ElementNode && (hasClass(n, footerClasses...) || attr(n, "id") == "comments" || n.DataAtom == atom.Form) {
			if strings.TrimSpace(b.String()) == "" && hasClass(n, footerClasses...) {
				continue // a by-line above the text
			}
			break
		}
		if n.Type == xhtml.ElementNode && strings.HasSuffix(attr(n, "id"), "more") {
			if more := first(n, byID("more")); more != nil {
				n = more
			}
			if m := inner(n); m != "" {
				b.WriteString(m + "\n")
			}
			continue
		}
		var s strings.Builder
		_ = xhtml.Render(&s, n)
		b.WriteString(s.String())
	}
	return strings.TrimSpace(b.String())
}

// footers are the by-lines of the entry: those inside its element, then
// those outside it (some themes put the date and time after the entry's
// element), never a comment's.
func (p *page) footers(scope *xhtml.Node) []*xhtml.Node {
	var in, out []*xhtml.Node
	for _, n := range find(p.doc, byClass(footerClasses...), false) {
		switch {
		case isCommentish(n):
		case inside(n, scope):
			in = append(in, n)
		default:
			out = append(out, n)
		}
	}
	return append(in, out...)
}

func (p *page) published(scope *xhtml.Node) (time.Time, bool) {
	// Microformats and machine-readable times first.
	for _, n := range find(scope, func(n *xhtml.Node) bool {
		return hasClass(n, "dt-published", "published") || n.DataAtom == atom.Time
	}, false) {
		if isCommentish(n) {
			continue
		}
		for _, v := range []string{attr(n, "datetime"), attr(n, "title"), text(n)} {
			if t, hasTime, ok := parseDate(v, p.loc); ok && hasTime {
				return t, true
			}
		}
	}
	var day time.Time
	var haveDay bool
	for _, f := range p.footers(scope) {
		s := text(f)
		if t, hasTime, ok := findDate(s, p.loc); ok {
			if hasTime {
				return t, true
			}
			day, haveDay = t, true
		}
	}
	if t, ok := p.rdfDate(); ok {
		return t, true
	}
	if !haveDay {
		if h := first(p.doc, byClass("date-header")); h != nil {
			day, _, haveDay = findDate(text(h), p.loc)
		}
	}
	if !haveDay {
		for _, h := range find(p.doc, byTag(atom.H2), false) {
			if t, _, ok := parseDate(text(h), p.loc); ok {
				day, haveDay = t, true
				break
			}
		}
	}
	if !haveDay {
		return time.Time{}, false
	}
	for _, f := range p.footers(scope) {
		if h, m, s, ok := findClock(text(f)); ok {
			return onDay(day, h, m, s), true
		}
	}
	return day, true
}

// rdfMeta finds a field of the TrackBack RDF block Movable Type hides in
// a comment of each entry page.
var rdfMeta = regexp.MustCompile(`dc:(date|subject|creator)="([^"]*)"`)

func (p *page) rdf() map[string]string {
	out := map[string]string{}
	for _, n := range find(p.doc, func(*xhtml.Node) bool { return true }, true) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == xhtml.CommentNode && strings.Contains(c.Data, "rdf:RDF") {
				for _, m := range rdfMeta.FindAllStringSubmatch(c.Data, -1) {
					if _, ok := out[m[1]]; !ok {
						out[m[1]] = xhtml.UnescapeString(m[2])
					}
				}
			}
		}
	}
	return out
}

func (p *page) rdfDate() (time.Time, bool) {
	t, hasTime, ok := parseDate(p.rdf()["date"], p.loc)
	return t, ok && hasTime
}

func (p *page) author(scope *xhtml.Node) string {
	if a := first(scope, byClass("p-author", "author")); a != nil && !isCommentish(a) {
		if fn := first(a, byClass("fn", "p-name")); fn != nil {
			return text(fn)
		}
		if s := text(a); s != "" {
			return strings.TrimPrefix(s, "by ")
		}
	}
	for _, f := range p.footers(scope) {
		if m := byAuthor.FindStringSubmatch(text(f)); m != nil {
			return strings.TrimSpace(m[1])
		}
	}
	return p.rdf()["creator"]
}

func (p *page) topics(scope *xhtml.Node) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[strings.ToLower(s)] {
			seen[strings.ToLower(s)] = true
			out = append(out, s)
		}
	}
	for _, n := range find(scope, func(n *xhtml.Node) bool {
		return hasClass(n, "p-category") || (n.DataAtom == atom.A && hasWord(attr(n, "rel"), "tag"))
	}, false) {
		if !isCommentish(n) {
			add(text(n))
		}
	}
	if len(out) == 0 {
		add(p.rdf()["subject"])
	}
	return out
}

// oldPath is where the page was on the old blog: its canonical address, else
// the permalink the entry in scope gives itself (none for a nil scope), else
// where the file was found.
func (p *page) oldPath(scope *xhtml.Node) string {
	var candidates []string
	for _, n := range find(p.doc, byTag(atom.Link), false) {
		if hasWord(attr(n, "rel"), "canonical") {
			candidates = append(candidates, attr(n, "href"))
		}
	}
	for _, n := range find(scope, func(n *xhtml.Node) bool {
		return n.DataAtom == atom.A && (hasClass(n, "u-url", "permalink") || attr(n, "title") == "permanent link" ||
			hasWord(attr(n, "rel"), "bookmark"))
	}, false) {
		if !isCommentish(n) {
			candidates = append(candidates, attr(n, "href"))
		}
	}
	for _, c := range candidates {
		u, err := url.Parse(strings.TrimSpace(c))
		if err != nil || u.Fragment != "" || u.Path == "" || !strings.HasPrefix(u.Path, "/") {
			continue
		}
		return u.RequestURI()
	}
	return p.path
}
