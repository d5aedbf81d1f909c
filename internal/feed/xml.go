package feed

import (
	"strings"
	"time"
	"unicode/utf8"
)

// xmlWriter builds an XML document. Every string it is given passes through
// escape, so no caller can emit a forbidden character or a stray '<'.
// Each element starts a line, unindented: feeds and sitemaps are read by
// programs, fetched again and again, and indentation would be a fiftieth
// of a feed's bytes.
type xmlWriter struct {
	strings.Builder
}

func newXMLWriter() *xmlWriter {
	w := &xmlWriter{}
	w.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	return w
}

// open writes a start tag with attributes given as name, value pairs.
func (w *xmlWriter) open(name string, attrs ...string) {
	w.startTag(name, attrs)
	w.WriteString(">\n")
}

func (w *xmlWriter) close(name string) {
	w.WriteString("</" + name + ">\n")
}

// empty writes an element with attributes and no content.
func (w *xmlWriter) empty(name string, attrs ...string) {
	w.startTag(name, attrs)
	w.WriteString("/>\n")
}

// text writes an element holding text, with attributes.
func (w *xmlWriter) text(name, text string, attrs ...string) {
	w.startTag(name, attrs)
	w.WriteByte('>')
	escape(&w.Builder, text, inText)
	w.WriteString("</" + name + ">\n")
}

// html writes an element holding HTML as text: in a CDATA section, where
// markup needs no escaping and so takes a third fewer bytes, unless the
// HTML holds a carriage return, which a parser would turn into a newline
// there but keeps from a character reference.
func (w *xmlWriter) html(name, html string) {
	if strings.IndexByte(html, '\r') >= 0 || !strings.ContainsAny(html, "<>&") {
		w.text(name, html)
		return
	}
	w.startTag(name, nil)
	w.WriteString("><![CDATA[")
	escape(&w.Builder, html, inCDATA)
	w.WriteString("]]></" + name + ">\n")
}

// optional writes an element holding text unless the text is empty.
func (w *xmlWriter) optional(name, text string, attrs ...string) {
	if text != "" {
		w.text(name, text, attrs...)
	}
}

func (w *xmlWriter) startTag(name string, attrs []string) {
	w.WriteString("<" + name)
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" {
			continue
		}
		w.WriteString(" " + attrs[i] + `="`)
		escape(&w.Builder, attrs[i+1], inAttr)
		w.WriteByte('"')
	}
}

// xmlContext is where escape writes a string.
type xmlContext int

const (
	inText  xmlContext = iota // character data
	inAttr                    // an attribute value in double quotes
	inCDATA                   // a CDATA section; the string holds no '\r'
)

// escape writes s as XML character data, as an attribute value or as the
// inside of a CDATA section. Characters XML 1.0 forbids (C0 controls other
// than tab, newline and carriage return; U+FFFE and U+FFFF) are dropped,
// and bytes that are not UTF-8 become U+FFFD. A carriage return is written
// as a reference, and in attributes tab and newline too, so that a
// parser's normalisation of white space gives back exactly the string that
// was written. In a CDATA section markup is left as it is, and each "]]>"
// left once the forbidden characters are gone, which would end the
// section, is split across two.
func escape(b *strings.Builder, s string, in xmlContext) {
	if in == inCDATA {
		var clean strings.Builder
		escapeChars(&clean, s, in)
		b.WriteString(strings.ReplaceAll(clean.String(), "]]>", "]]]]><![CDATA[>"))
		return
	}
	escapeChars(b, s, in)
}

// escapeChars is escape without the CDATA section's last step.
func escapeChars(b *strings.Builder, s string, in xmlContext) {
	last := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var esc string
		switch {
		case in == inCDATA && (r == '&' || r == '<' || r == '>'):
			i += size
			continue
		case r == '&':
			esc = "&amp;"
		case r == '<':
			esc = "&lt;"
		case r == '>':
			esc = "&gt;"
		case r == '"' && in == inAttr:
			esc = "&quot;"
		case r == '\r':
			esc = "&#xD;"
		case r == '\n' && in == inAttr:
			esc = "&#xA;"
		case r == '\t' && in == inAttr:
			esc = "&#x9;"
		case r == utf8.RuneError && size == 1:
			esc = "\uFFFD"
		case r < 0x20 && r != '\t' && r != '\n', r == 0xFFFE, r == 0xFFFF:
			esc = ""
		default:
			i += size
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		i += size
		last = i
	}
	b.WriteString(s[last:])
}

// rfc3339 formats t for Atom, JSON Feed and sitemaps, in t's own zone.
func rfc3339(t time.Time) string { return t.Format(time.RFC3339) }
