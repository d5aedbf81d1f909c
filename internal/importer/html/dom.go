package html

import (
	"bytes"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasWord(list, w string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, w) {
			return true
		}
	}
	return false
}

func hasClass(n *xhtml.Node, classes ...string) bool {
	if n.Type != xhtml.ElementNode {
		return false
	}
	c := attr(n, "class")
	for _, w := range classes {
		if hasWord(c, w) {
			return true
		}
	}
	return false
}

// find returns the elements below n (n excluded) that match, in document
// order; it does not look inside a match when nested is false.
func find(n *xhtml.Node, match func(*xhtml.Node) bool, nested bool) []*xhtml.Node {
	var out []*xhtml.Node
	var walk func(*xhtml.Node)
	walk = func(p *xhtml.Node) {
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == xhtml.ElementNode && match(c) {
				out = append(out, c)
				if !nested {
					continue
				}
			}
			walk(c)
		}
	}
	if n != nil {
		walk(n)
	}
	return out
}

func first(n *xhtml.Node, match func(*xhtml.Node) bool) *xhtml.Node {
	if l := find(n, match, false); len(l) > 0 {
		return l[0]
	}
	return nil
}

func byClass(classes ...string) func(*xhtml.Node) bool {
	return func(n *xhtml.Node) bool { return hasClass(n, classes...) }
}

func byTag(tags ...atom.Atom) func(*xhtml.Node) bool {
	return func(n *xhtml.Node) bool {
		for _, a := range tags {
			if n.DataAtom == a {
				return true
			}
		}
		return false
	}
}

func byID(id string) func(*xhtml.Node) bool {
	return func(n *xhtml.Node) bool { return attr(n, "id") == id }
}

func inside(n, ancestor *xhtml.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == ancestor {
			return true
		}
	}
	return false
}

// text returns the text of n with runs of white space made one space.
func text(n *xhtml.Node) string {
	var b strings.Builder
	var walk func(*xhtml.Node)
	walk = func(p *xhtml.Node) {
		switch {
		case p.Type == xhtml.TextNode:
			b.WriteString(p.Data)
		case p.Type == xhtml.ElementNode && (p.DataAtom == atom.Script || p.DataAtom == atom.Style):
			return
		case p.Type == xhtml.ElementNode && p.DataAtom == atom.Br:
			b.WriteByte(' ')
		}
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	if n != nil {
		walk(n)
	}
	return strings.TrimSpace(spaces.ReplaceAllString(b.String(), " "))
}

// inner renders the children of n as HTML, without scripts.
func inner(n *xhtml.Node) string {
	var b bytes.Buffer
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xhtml.ElementNode && (c.DataAtom == atom.Script || c.DataAtom == atom.Noscript || c.DataAtom == atom.Form) {
			continue
		}
		_ = xhtml.Render(&b, c)
	}
	return strings.TrimSpace(b.String())
}
