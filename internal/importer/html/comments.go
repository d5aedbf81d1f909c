package html

import (
	"regexp"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// bylineClasses mark the line of a comment that names its writer and time.
var bylineClasses = []string{"comments-post", "posted", "comment-data", "commentmeta", "commentmeta2",
	"comment-meta", "comment-footer", "commentmetadata", "comment-author", "comment-header"}

var commentID = regexp.MustCompile(`^(c\d+|comment-\d+)$`)

// commenterName reads the name in "Posted by: NAME at …", "By NAME, at …"
// and "NAME says:".
var commenterName = []*regexp.Regexp{
	regexp.MustCompile(`(?i)^\s*(?:posted\s+)?by:?\s+(.+?)(?:\s*,?\s+(?:at|on|@)\s|\s*\|)`),
	regexp.MustCompile(`(?i)^\s*(.+?)\s+(?:says|said|wrote):?`),
}

// comments finds the comments of the page: under an element with the id or
// class "comments", or after a heading with that id.
func (p *page) comments(scope *xhtml.Node, e *gazette.Entry) []gazette.Comment {
	root := first(p.doc, func(n *xhtml.Node) bool {
		return attr(n, "id") == "comments" || hasClass(n, "comments", "commentlist", "comments-content")
	})
	if root == nil {
		root = first(p.doc, byID("comments-block"))
	}
	if root == nil {
		return nil
	}
	after := root // a heading: the comments are its following siblings
	isHeading := root.DataAtom == atom.H2 || root.DataAtom == atom.H3 || root.DataAtom == atom.H4
	if isHeading {
		root = root.Parent
	}
	var items []*xhtml.Node
	for _, n := range find(root, func(n *xhtml.Node) bool {
		return hasClass(n, "comment", "altcomment", "h-cite", "h-entry", "hentry") || commentID.MatchString(attr(n, "id"))
	}, false) {
		if isHeading && !follows(n, after) {
			continue
		}
		items = append(items, n)
	}
	var out []gazette.Comment
	if len(items) == 0 {
		out = p.definitionComments(root, e)
	}
	for _, n := range items {
		c, ok := p.comment(n, e)
		if ok {
			out = append(out, c)
		}
	}
	return out
}

// follows reports whether n comes after h in the document.
func follows(n, h *xhtml.Node) bool {
	for s := h.NextSibling; s != nil; s = s.NextSibling {
		if s == n || inside(n, s) {
			return true
		}
	}
	return false
}

func (p *page) comment(n *xhtml.Node, e *gazette.Entry) (gazette.Comment, bool) {
	byline := first(n, byClass(bylineClasses...))
	if byline == nil {
		// Classic Movable Type: the by-line is the paragraph after.
		for s := n.NextSibling; s != nil; s = s.NextSibling {
			if s.Type == xhtml.ElementNode {
				if hasClass(s, bylineClasses...) {
					byline = s
				}
				break
			}
		}
	}
	bodyNode := first(n, byClass("comment-body", "comment-content", "e-content", "p-content", "comment-text"))
	var body string
	if bodyNode != nil {
		body = inner(bodyNode)
	} else {
		body = innerWithout(n, bylineClasses)
	}
	if strings.TrimSpace(gazette.PlainText(body)) == "" {
		return gazette.Comment{}, false
	}
	c := gazette.Comment{Body: body, Status: gazette.CommentApproved}
	c.Name, c.URL = p.commenter(n, byline)
	c.CreatedAt = p.commentTime(n, byline, e)
	c.ImportKey = key(e.ImportKey, "comment", c.Name, c.CreatedAt.Format(time.RFC3339), gazette.PlainText(body))
	return c, true
}

func innerWithout(n *xhtml.Node, classes []string) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasClass(c, classes...) || (c.Type == xhtml.ElementNode && (c.DataAtom == atom.Script || c.DataAtom == atom.Form)) {
			continue
		}
		_ = xhtml.Render(&b, c)
	}
	return strings.TrimSpace(b.String())
}

// commenter returns the name of the comment's writer and the address they
// gave.
func (p *page) commenter(n, byline *xhtml.Node) (name, link string) {
	nameNode := first(n, byClass("p-author", "fn", "p-name", "anon-comment-author", "comment-author", "author"))
	if nameNode != nil {
		if fn := first(nameNode, byClass("fn", "p-name")); fn != nil {
			nameNode = fn
		}
		name = text(nameNode)
	} else if byline != nil {
		s := text(byline)
		for _, re := range commenterName {
			if m := re.FindStringSubmatch(s); m != nil {
				name = strings.TrimSpace(m[1])
				break
			}
		}
	}
	name = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(name, "says:"), "says"))
	where := nameNode
	if where == nil {
		where = byline
	}
	if where != nil {
		for _, a := range append([]*xhtml.Node{where}, find(where, byTag(atom.A), false)...) {
			if a.DataAtom != atom.A {
				continue
			}
			href := attr(a, "href")
			// Movable Type sent commenters' links through a redirect
			// script and kept the address in the title.
			if t := attr(a, "title"); strings.Contains(href, "mt-comments.cgi") && strings.HasPrefix(t, "http") {
				href = t
			}
			if (strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "https://")) && !strings.Contains(href, "#") {
				link = href
				break
			}
		}
	}
	if name == "" {
		name = "Anonymous"
	}
	return name, link
}

func (p *page) commentTime(n, byline *xhtml.Node, e *gazette.Entry) time.Time {
	for _, t := range find(n, func(n *xhtml.Node) bool {
		return hasClass(n, "dt-published", "published") || n.DataAtom == atom.Time
	}, false) {
		for _, v := range []string{attr(t, "datetime"), attr(t, "title")} {
			if d, hasTime, ok := parseDate(v, p.loc); ok && hasTime {
				return d.UTC()
			}
		}
	}
	// The time may be on a line of its own below the comment (WordPress's
	// "— 4 September 2006 at 9:30 pm").
	var parts []string
	if byline != nil {
		parts = append(parts, text(byline))
	}
	for _, b := range find(n, byClass(bylineClasses...), false) {
		if b != byline {
			parts = append(parts, text(b))
		}
	}
	s := strings.Join(parts, " | ")
	if d, hasTime, ok := findDate(s, p.loc); ok && hasTime {
		return d.UTC()
	}
	if d, ok := bloggerTime(attr(n, "id")); ok {
		return d.UTC()
	}
	if d, _, ok := findDate(s, p.loc); ok {
		return d.UTC()
	}
	return e.PublishedAt
}

// definitionComments reads Blogger's Minima comments: a dl#comments-block
// of dt by-lines and dd bodies.
func (p *page) definitionComments(root *xhtml.Node, e *gazette.Entry) []gazette.Comment {
	var out []gazette.Comment
	var by *xhtml.Node
	for _, n := range find(root, byTag(atom.Dt, atom.Dd), false) {
		if n.DataAtom == atom.Dt {
			by = n
			continue
		}
		if by == nil || hasClass(n, "comment-footer") {
			continue
		}
		body := inner(n)
		if strings.TrimSpace(gazette.PlainText(body)) == "" {
			continue
		}
		c := gazette.Comment{Body: body, Status: gazette.CommentApproved}
		c.Name, c.URL = p.commenter(by, by)
		foot := n.NextSibling
		for foot != nil && foot.Type != xhtml.ElementNode {
			foot = foot.NextSibling
		}
		c.CreatedAt = e.PublishedAt
		if foot != nil && hasClass(foot, "comment-footer") {
			c.CreatedAt = p.commentTime(foot, foot, e)
		}
		c.ImportKey = key(e.ImportKey, "comment", c.Name, c.CreatedAt.Format(time.RFC3339), gazette.PlainText(body))
		out = append(out, c)
		by = nil
	}
	return out
}
