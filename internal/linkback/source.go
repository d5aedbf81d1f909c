package linkback

import (
	"bytes"
	"net/url"
	"slices"
	"strings"

	"github.com/gazette-blog/gazette"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// excerptLength is the longest excerpt kept of a source, in bytes.
const excerptLength = 500

// source is what a linking page says of itself, as far as a mention shows
// it: the microformats2 h-entry it holds, or its title and the words
// around its link for a page without one.
type source struct {
	links       bool // the page links to the target
	kind        gazette.MentionType
	title       string
	excerpt     string
	authorName  string
	authorURL   string
	authorPhoto string
}

// readSource reads an HTML page fetched from pageURL and what it says of
// target. It reads only the parts of microformats2 a mention shows:
// the first h-entry's name, content or summary, author h-card, and the
// in-reply-to, like-of and repost-of links that make it a reply, like or
// repost of target.
func readSource(body []byte, pageURL, target string) source {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return source{} // html.Parse fails only on reader errors
	}
	base, _ := url.Parse(pageURL)
	if b := findTag(doc, atom.Base); b != nil {
		if u, err := base.Parse(attr(b, "href")); err == nil && attr(b, "href") != "" {
			base = u
		}
	}
	want := sameURL(target)
	var s source
	var around *html.Node
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		for _, key := range []string{"href", "src"} {
			if v := attr(n, key); v != "" && resolve(base, v) == want {
				s.links = true
				if around == nil {
					around = n
				}
			}
		}
	}
	if !s.links {
		return s
	}
	s.kind = gazette.MentionPlain
	if t := findTag(doc, atom.Title); t != nil {
		s.title = clean(text(t), 200)
	}
	entry := findClass(doc, "h-entry")
	if entry == nil {
		// A page without microformats: the words around the link, as
		// TrackBack and pingback excerpts have always been.
		block := around
		for block.Parent != nil && !isBlock(block) {
			block = block.Parent
		}
		s.excerpt = clean(text(block), excerptLength)
		return s
	}
	props := properties(entry)
	if n := first(props, "p-name"); n != nil {
		if name := clean(text(n), 200); name != "" {
			s.title = name
		}
	}
	content := first(props, "e-content")
	if content == nil {
		content = first(props, "p-summary")
	}
	if content != nil {
		s.excerpt = clean(text(content), excerptLength)
	}
	if a := first(props, "p-author"); a != nil {
		s.authorName, s.authorURL, s.authorPhoto = card(a, base)
	}
	for _, k := range []struct {
		class string
		kind  gazette.MentionType
	}{{"u-in-reply-to", gazette.MentionReply}, {"u-like-of", gazette.MentionLike}, {"u-repost-of", gazette.MentionRepost}} {
		for _, n := range props[k.class] {
			if propertyURL(n, base) == want {
				s.kind = k.kind
			}
		}
	}
	return s
}

// properties returns the elements of item's properties by class name
// (p-name, u-url, …), in document order. The properties of a nested
// microformat belong to it, so the walk does not descend into one; the
// nested item itself is listed under its property class.
func properties(item *html.Node) map[string][]*html.Node {
	props := map[string][]*html.Node{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			nested := false
			for _, class := range strings.Fields(attr(c, "class")) {
				switch {
				case strings.HasPrefix(class, "h-"):
					nested = true
				case strings.HasPrefix(class, "p-"), strings.HasPrefix(class, "u-"),
					strings.HasPrefix(class, "e-"), strings.HasPrefix(class, "dt-"):
					props[class] = append(props[class], c)
				}
			}
			if !nested {
				walk(c)
			}
		}
	}
	walk(item)
	return props
}

func first(props map[string][]*html.Node, class string) *html.Node {
	if ns := props[class]; len(ns) > 0 {
		return ns[0]
	}
	return nil
}

// card reads an author: an h-card's name, url and photo, or the text and
// link of a plain p-author.
func card(n *html.Node, base *url.URL) (name, link, photo string) {
	if !hasClass(n, "h-card") {
		return clean(text(n), 100), webURL(base, attr(n, "href")), ""
	}
	props := properties(n)
	if p := first(props, "p-name"); p != nil {
		name = clean(text(p), 100)
	}
	if p := first(props, "u-url"); p != nil {
		link = propertyURL(p, base)
	} else if n.DataAtom == atom.A {
		link = webURL(base, attr(n, "href"))
	}
	if p := first(props, "u-photo"); p != nil {
		photo = propertyURL(p, base)
	}
	if name == "" {
		name = clean(text(n), 100)
	}
	return name, link, photo
}

// propertyURL returns the URL a u-* property holds: its href or src, the
// u-url of a nested h-cite, or its text.
func propertyURL(n *html.Node, base *url.URL) string {
	if hasClass(n, "h-cite") || hasClass(n, "h-entry") {
		if u := first(properties(n), "u-url"); u != nil {
			return propertyURL(u, base)
		}
	}
	for _, key := range []string{"href", "src"} {
		if v := attr(n, key); v != "" {
			return webURL(base, v)
		}
	}
	return webURL(base, strings.TrimSpace(text(n)))
}

// webURL resolves ref against base and returns it if it is an http or https
// URL, else "".
func webURL(base *url.URL, ref string) string {
	u := resolve(base, ref)
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return ""
	}
	return u
}

// resolve returns ref resolved against base, without its fragment, in the
// form sameURL compares.
func resolve(base *url.URL, ref string) string {
	u, err := base.Parse(strings.TrimSpace(ref))
	if err != nil {
		return ""
	}
	return sameURL(u.String())
}

// sameURL normalises a URL for comparison: no fragment, lower-case scheme
// and host, an empty path as "/".
func sameURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return s
	}
	u.Fragment, u.RawFragment = "", ""
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

func findTag(n *html.Node, a atom.Atom) *html.Node {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.DataAtom == a {
			return d
		}
	}
	return nil
}

func findClass(n *html.Node, class string) *html.Node {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && hasClass(d, class) {
			return d
		}
	}
	return nil
}

func hasClass(n *html.Node, class string) bool {
	return slices.Contains(strings.Fields(attr(n, "class")), class)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// text returns the text of n and its descendants, scripts and styles left
// out, with a space where a block element separates words.
func text(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type != html.ElementNode || c.DataAtom == atom.Script || c.DataAtom == atom.Style:
			case isBlock(c) || c.DataAtom == atom.Br:
				b.WriteByte(' ')
				walk(c)
				b.WriteByte(' ')
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

func isBlock(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Li, atom.Blockquote, atom.Div, atom.Article, atom.Section, atom.Td, atom.Dd, atom.Body,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Footer, atom.Ul, atom.Ol, atom.Pre:
		return true
	}
	return false
}

// clean folds white space and cuts s to at most max bytes.
func clean(s string, max int) string {
	return gazette.Shorten(strings.Join(strings.Fields(s), " "), max)
}
