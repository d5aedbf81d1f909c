package sanitize

import (
	"strings"

	"golang.org/x/net/html"
)

// format turns a comment as the reader typed it into HTML for the comment
// policy: paragraphs at blank lines, <br> at single newlines (except inside
// <pre>), and bare URLs made links (except inside <pre> and <a>). The reader's
// tags and entities are passed through untouched, so that text the reader
// escaped stays escaped and the policy alone decides which tags survive.
func format(body string) string {
	if strings.IndexByte(body, '\r') >= 0 {
		body = strings.ReplaceAll(body, "\r\n", "\n")
		body = strings.ReplaceAll(body, "\r", "\n")
	}
	f := formatter{}
	f.b.Grow(len(body) + len(body)/4 + 16)
	if strings.IndexByte(body, '<') < 0 {
		// Most comments hold no tag: the whole body is one text token, and
		// the tokenizer's 4 KB buffer would cost more than the rest.
		f.text(body)
		f.closeParagraph()
		return f.b.String()
	}
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			f.closeParagraph()
			return f.b.String()
		}
		// Raw must be read before TagName, which lower-cases in place.
		raw := string(z.Raw())
		switch tt {
		case html.TextToken:
			f.text(raw)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			f.startTag(string(name), raw)
		case html.EndTagToken:
			name, _ := z.TagName()
			f.endTag(string(name), raw)
		}
		// Comments and doctypes are dropped: they show nothing.
	}
}

// formatter holds the state of format between tokens.
type formatter struct {
	b strings.Builder
	// open says whether a <p> of ours is open.
	open bool
	// newlines counts the newlines seen since the last content; -1 just
	// after a <br>, so that the newline a reader types after one adds nothing.
	newlines int
	pre      int    // depth of <pre>: no breaks or links inside
	anchor   int    // depth of <a>: no links inside
	rawText  string // the element (script, style...) whose text is not HTML
}

// blockElements end a paragraph: a <br> or <p> around them would be invalid
// or empty.
var blockElements = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "dd": true,
	"details": true, "dir": true, "div": true, "dl": true, "dt": true, "fieldset": true,
	"figcaption": true, "figure": true, "footer": true, "form": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "header": true, "hr": true, "li": true,
	"main": true, "menu": true, "nav": true, "ol": true, "p": true, "pre": true,
	"section": true, "summary": true, "table": true, "tbody": true, "td": true,
	"tfoot": true, "th": true, "thead": true, "tr": true, "ul": true,
}

// rawTextElements are the elements whose content the tokenizer reads as text
// up to their end tag; it is not reformatted.
var rawTextElements = map[string]bool{
	"iframe": true, "noembed": true, "noframes": true, "noscript": true, "plaintext": true,
	"script": true, "style": true, "textarea": true, "title": true, "xmp": true,
}

func (f *formatter) text(s string) {
	if f.rawText != "" || f.pre > 0 {
		f.b.WriteString(s)
		return
	}
	for i := 0; ; i++ {
		line, rest, more := strings.Cut(s, "\n")
		if i > 0 {
			f.newlines++
		}
		if strings.TrimSpace(line) == "" {
			// Space between inline tags on one line is kept; space
			// around line breaks and at a paragraph's start is not.
			if f.newlines == 0 && f.open {
				f.b.WriteString(line)
			}
		} else {
			if f.flow() {
				line = strings.TrimLeft(line, " \t\f")
			}
			if f.anchor > 0 {
				f.b.WriteString(line)
			} else {
				writeLinked(&f.b, line)
			}
		}
		if !more {
			return
		}
		s = rest
	}
}

// flow prepares for inline content: it ends the paragraph after a blank
// line, writes a <br> after a single newline, and opens a paragraph when none
// is open, reporting whether it did.
func (f *formatter) flow() (opened bool) {
	switch {
	case f.newlines >= 2:
		f.closeParagraph()
	case f.newlines == 1 && f.open:
		f.b.WriteString("<br>\n")
	}
	f.newlines = 0
	if f.open {
		return false
	}
	f.b.WriteString("<p>")
	f.open = true
	return true
}

func (f *formatter) closeParagraph() {
	if f.open {
		f.b.WriteString("</p>\n")
		f.open = false
	}
	f.newlines = 0
}

func (f *formatter) startTag(name, raw string) {
	switch {
	case f.rawText != "":
		// Not reached: the tokenizer reads raw text up to its end tag.
		f.b.WriteString(raw)
	case f.pre > 0:
		if name == "pre" {
			f.pre++
		}
		f.b.WriteString(raw)
	case blockElements[name]:
		f.closeParagraph()
		switch name {
		case "p":
			// The reader's paragraphs become ours.
		case "pre":
			f.pre++
			f.b.WriteString(raw)
		default:
			f.b.WriteString(raw)
		}
	default:
		f.flow()
		f.b.WriteString(raw)
		switch {
		case name == "a":
			f.anchor++
		case name == "br":
			f.newlines = -1
		case rawTextElements[name]:
			f.rawText = name
		}
	}
}

func (f *formatter) endTag(name, raw string) {
	switch {
	case f.rawText != "":
		if name == f.rawText {
			f.rawText = ""
		}
		f.b.WriteString(raw)
	case f.pre > 0:
		if name == "pre" {
			f.pre--
		}
		f.b.WriteString(raw)
		if f.pre == 0 {
			f.newlines = 0
		}
	case blockElements[name]:
		f.closeParagraph()
		if name != "p" {
			f.b.WriteString(raw)
		}
	default:
		if name == "a" && f.anchor > 0 {
			f.anchor--
		}
		f.b.WriteString(raw)
	}
}

// writeLinked writes the raw text s with its bare URLs made links.
func writeLinked(b *strings.Builder, s string) {
	last := 0
	for i := 0; ; {
		start, end := findURL(s, i)
		if start < 0 {
			break
		}
		i = end
		u := trimURL(s[start:end])
		if !hasHost(u) {
			continue
		}
		b.WriteString(s[last:start])
		href := u
		if !hasSchemePrefix(u) {
			href = "http://" + u
		}
		b.WriteString(`<a href="`)
		b.WriteString(href)
		b.WriteString(`">`)
		b.WriteString(u)
		b.WriteString(`</a>`)
		last = start + len(u)
	}
	b.WriteString(s[last:])
}

// findURL returns the bounds of the first bare URL in s at or after i, or
// -1, -1: "http://", "https://" or "www." in any case, at the start of a word,
// and what follows up to white space or a character that cannot be in an
// attribute value unescaped. (It is the regular expression
// (?i)\b(?:https?://|www\.)[^\s<>"]+ by hand, several times faster.)
func findURL(s string, i int) (start, end int) {
	for ; i < len(s); i++ {
		if c := s[i] | 0x20; c != 'h' && c != 'w' || i > 0 && isWordByte(s[i-1]) {
			continue
		}
		n := 0
		switch {
		case hasPrefixFold(s[i:], "http://"):
			n = 7
		case hasPrefixFold(s[i:], "https://"):
			n = 8
		case hasPrefixFold(s[i:], "www."):
			n = 4
		default:
			continue
		}
		j := i + n
		for j < len(s) && !isURLEnd(s[j]) {
			j++
		}
		if j > i+n {
			return i, j
		}
		i = j - 1
	}
	return -1, -1
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isURLEnd(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\f', '\r', '<', '>', '"':
		return true
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// trimURL cuts what is more likely the sentence's than the URL's: escaped
// brackets and quotes, trailing punctuation, and a closing parenthesis that
// has no opening one in the URL.
func trimURL(u string) string {
	for _, esc := range [...]string{"&lt;", "&gt;", "&quot;", "&#34;", "&#39;", "&apos;"} {
		if i := strings.Index(u, esc); i >= 0 {
			u = u[:i]
		}
	}
	for len(u) > 0 {
		c := u[len(u)-1]
		switch {
		case strings.IndexByte(".,:;!?'*_~]}", c) >= 0:
			u = u[:len(u)-1]
			continue
		case c == ')' && strings.Count(u, "(") < strings.Count(u, ")"):
			u = u[:len(u)-1]
			continue
		}
		break
	}
	return u
}

func hasSchemePrefix(u string) bool {
	return hasPrefixFold(u, "http://") || hasPrefixFold(u, "https://")
}

// hasHost reports whether u has something after its scheme or "www.".
func hasHost(u string) bool {
	switch {
	case hasPrefixFold(u, "https://"):
		return len(u) > 8
	case hasPrefixFold(u, "http://"):
		return len(u) > 7
	}
	return len(u) > 4
}
