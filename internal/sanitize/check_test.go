package sanitize_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// forbiddenElements can run code, load it, restyle the page or submit data.
var forbiddenElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true,
	"object": true, "embed": true, "applet": true, "form": true, "input": true,
	"button": true, "textarea": true, "select": true, "svg": true, "math": true,
	"link": true, "meta": true, "base": true, "template": true, "noscript": true,
}

// urlAttributes are the attributes a browser reads as a URL.
var urlAttributes = map[string]bool{
	"href": true, "src": true, "cite": true, "action": true, "formaction": true,
	"background": true, "poster": true, "data": true, "srcset": true, "longdesc": true,
	"usemap": true, "xlink:href": true, "dynsrc": true, "lowsrc": true,
}

// unsafeContent parses out as a browser would and returns what in it could
// run code, or "" if nothing: a forbidden element, an event handler or style
// attribute, or a URL whose scheme is not http, https or mailto. With
// comment set it also requires the comment allow-list, absolute URLs and
// rel="nofollow ugc" on every link.
func unsafeContent(out string, comment bool) string {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(out), body)
	if err != nil {
		return fmt.Sprintf("output does not parse: %v", err)
	}
	var problems []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			problems = append(problems, checkElement(n, comment)...)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return strings.Join(problems, "; ")
}

var commentElements = map[string]bool{
	"a": true, "b": true, "strong": true, "i": true, "em": true, "blockquote": true,
	"code": true, "pre": true, "br": true, "p": true,
}

func checkElement(n *html.Node, comment bool) []string {
	var problems []string
	if forbiddenElements[n.Data] || n.Namespace != "" {
		problems = append(problems, fmt.Sprintf("element <%s>", n.Data))
	}
	if comment && !commentElements[n.Data] {
		problems = append(problems, fmt.Sprintf("element <%s> outside the comment allow-list", n.Data))
	}
	rel, href := "", false
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		switch {
		case strings.HasPrefix(key, "on"):
			problems = append(problems, fmt.Sprintf("event handler %s=%q", a.Key, a.Val))
		case key == "style":
			problems = append(problems, fmt.Sprintf("style=%q", a.Val))
		case key == "rel":
			rel = a.Val
		case urlAttributes[key]:
			href = href || key == "href"
			if p := checkURL(a.Val, comment); p != "" {
				problems = append(problems, fmt.Sprintf("<%s %s=%q>: %s", n.Data, a.Key, a.Val, p))
			}
		}
	}
	if comment && n.Data == "a" && href && rel != "nofollow ugc" {
		problems = append(problems, fmt.Sprintf("link with rel=%q, want \"nofollow ugc\"", rel))
	}
	return problems
}

// checkURL reads v as a browser reads a URL attribute: surrounding spaces and
// controls stripped, tabs and newlines inside removed.
func checkURL(v string, requireScheme bool) string {
	v = strings.TrimFunc(v, func(r rune) bool { return r <= ' ' })
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, v)
	u, err := url.Parse(v)
	if err != nil {
		return fmt.Sprintf("unparseable URL: %v", err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "mailto":
		return ""
	case "":
		if requireScheme {
			return "relative URL"
		}
		if strings.Contains(v, ":") && !strings.ContainsAny(v[:strings.Index(v, ":")], "/?#") {
			return "colon before any path: a browser may read a scheme"
		}
		return ""
	}
	return fmt.Sprintf("scheme %q", u.Scheme)
}

// TestUnsafeContent shows that the checker the other tests rely on finds
// what it looks for.
func TestUnsafeContent(t *testing.T) {
	tests := []struct {
		out     string
		comment bool
		unsafe  bool
	}{
		{`<p>fine <a href="https://example.com" rel="nofollow ugc">x</a></p>`, true, false},
		{`<a href="/relative">x</a>`, false, false},
		{`<script>alert(1)</script>`, false, true},
		{`<p onclick="x()">x</p>`, false, true},
		{`<p style="color:red">x</p>`, false, true},
		{`<a href="javascript:alert(1)">x</a>`, false, true},
		{`<a href="java&#x09;script:alert(1)">x</a>`, false, true},
		{`<a href=" data:text/html,x">x</a>`, false, true},
		{`<img src="vbscript:x">`, false, true},
		{`<svg><g/></svg>`, false, true},
		{`<iframe></iframe>`, false, true},
		{`<form></form>`, false, true},
		{`<a href="/relative" rel="nofollow ugc">x</a>`, true, true},
		{`<a href="https://example.com">x</a>`, true, true},
		{`<a href="https://example.com" rel="nofollow">x</a>`, true, true},
		{`<span>x</span>`, true, true},
	}
	for _, tt := range tests {
		if got := unsafeContent(tt.out, tt.comment) != ""; got != tt.unsafe {
			t.Errorf("unsafeContent(%q, comment=%v) = %q, want unsafe=%v", tt.out, tt.comment, unsafeContent(tt.out, tt.comment), tt.unsafe)
		}
	}
}
