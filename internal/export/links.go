package export

import (
	"bytes"

	"golang.org/x/net/html"
)

// htmlLinks returns the href and src attributes of the start tags of an
// HTML page, in order, as golang.org/x/net/html's tokenizer reads them. It
// follows the tokenizer's rules for tags, attributes, comments and raw text
// (script, style, title…) but jumps from one '<' to the next instead of
// reading every byte through a tokenizer: a build scans hundreds of
// megabytes. A value that holds a character reference, a carriage return
// or a NUL is read by the tokenizer itself, whose decoding of references in
// attributes has rules of its own.
func htmlLinks(body []byte) []string {
	var out []string
	s := scanner{b: body}
	for {
		i := bytes.IndexByte(s.b[s.i:], '<')
		if i < 0 || s.i+i+1 >= len(s.b) {
			return out
		}
		start := s.i + i
		s.i = start + 1
		c := s.b[s.i]
		s.i++
		switch {
		case isLetter(c):
			n := len(out)
			name, links, ok := s.tag(start, out)
			if !ok {
				return out // a tag cut off by the end of the page is no tag
			}
			out = links
			raw := rawText(name)
			if raw == "" {
				continue
			}
			text := s.i
			if !s.skipRawText(raw) {
				return out
			}
			if raw == "script" && bytes.Contains(s.b[text:s.i], []byte("<!--")) {
				// A script may hide its end tag in a comment: the rest of
				// the page is left to the tokenizer.
				return append(out[:n], tokenizerLinks(s.b[start:])...)
			}
		case c == '/':
			if s.i >= len(s.b) {
				return out
			}
			if c := s.b[s.i]; c == '>' {
				s.i++
			} else if isLetter(c) {
				s.i++
				if _, _, ok := s.tag(-1, nil); !ok {
					return out
				}
			} else {
				s.untilCloseAngle()
			}
		case c == '!':
			if bytes.HasPrefix(s.b[s.i:], []byte("--")) {
				s.i += 2
				s.comment()
			} else {
				s.untilCloseAngle() // a doctype or a bogus comment
			}
		case c == '?':
			s.i--
			s.untilCloseAngle()
		default:
			s.i-- // text: the byte after '<' may start a tag
		}
	}
}

// scanner is htmlLinks's position in a page.
type scanner struct {
	b []byte
	i int
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }

func (s *scanner) skipSpace() {
	for s.i < len(s.b) && isSpace(s.b[s.i]) {
		s.i++
	}
}

// tag reads the rest of a tag whose name's first letter was just read:
// its name and attributes, up to and including its '>'. For a start tag
// (start is the offset of its '<'), it appends the values of its first
// href and src attributes to links. ok is false when the page ends first.
func (s *scanner) tag(start int, links []string) (name []byte, _ []string, ok bool) {
	nameStart := s.i - 1
	for s.i < len(s.b) && !isSpace(s.b[s.i]) && s.b[s.i] != '/' && s.b[s.i] != '>' {
		s.i++
	}
	name = s.b[nameStart:s.i]
	if s.i < len(s.b) && isSpace(s.b[s.i]) {
		s.i++
	}
	var seenHref, seenSrc, slow bool
	n := len(links)
	s.skipSpace()
	for {
		if s.i >= len(s.b) {
			return name, links[:n], false
		}
		if s.b[s.i] == '>' {
			s.i++
			break
		}
		key := s.attrKey()
		val, quoted := s.attrVal()
		if start < 0 {
			s.skipSpace()
			continue
		}
		if quoted == eof {
			return name, links[:n], false
		}
		switch {
		case !seenHref && asciiEqualFold(key, "href"):
			seenHref = true
		case !seenSrc && asciiEqualFold(key, "src"):
			seenSrc = true
		default:
			s.skipSpace()
			continue
		}
		if bytes.ContainsAny(val, "&\r\x00") {
			slow = true
		}
		links = append(links, string(val))
		s.skipSpace()
	}
	if slow {
		links = append(links[:n], tokenizerLinks(s.b[start:s.i])...)
	}
	return name, links, true
}

// How an attribute's value ended.
const (
	unquoted = iota
	quotedValue
	eof
)

// attrKey reads an attribute's name, as readTagAttrKey does: an '=' that
// begins it is part of it.
func (s *scanner) attrKey() []byte {
	start := s.i
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '=' && s.i == start:
		case c == '=' || isSpace(c) || c == '/' || c == '>':
			return s.b[start:s.i]
		}
		s.i++
	}
	return s.b[start:s.i]
}

// attrVal reads what follows an attribute's name, as readTagAttrVal does:
// nothing, or '=' and a value, quoted or not.
func (s *scanner) attrVal() ([]byte, int) {
	s.skipSpace()
	if s.i >= len(s.b) {
		return nil, eof
	}
	switch s.b[s.i] {
	case '/':
		s.i++
		return nil, unquoted
	case '=':
		s.i++
	default:
		return nil, unquoted
	}
	s.skipSpace()
	if s.i >= len(s.b) {
		return nil, eof
	}
	switch q := s.b[s.i]; q {
	case '>':
		return nil, unquoted
	case '"', '\'':
		s.i++
		end := bytes.IndexByte(s.b[s.i:], q)
		if end < 0 {
			s.i = len(s.b)
			return nil, eof
		}
		v := s.b[s.i : s.i+end]
		s.i += end + 1
		return v, quotedValue
	}
	start := s.i
	for s.i < len(s.b) && !isSpace(s.b[s.i]) && s.b[s.i] != '>' {
		s.i++
	}
	if s.i >= len(s.b) {
		return nil, eof
	}
	return s.b[start:s.i], unquoted
}

// untilCloseAngle skips past the next '>'.
func (s *scanner) untilCloseAngle() {
	if i := bytes.IndexByte(s.b[s.i:], '>'); i >= 0 {
		s.i += i + 1
	} else {
		s.i = len(s.b)
	}
}

// comment skips a comment whose "<!--" was read, as readComment does: it
// ends at "-->" or "--!>", or at once for "<!-->" and "<!--->".
func (s *scanner) comment() {
	dashes, beginning := 0, true
	for s.i < len(s.b) {
		c := s.b[s.i]
		s.i++
		switch c {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return
			}
		case '!':
			if dashes >= 2 && s.i < len(s.b) {
				c = s.b[s.i]
				s.i++
				if c == '>' {
					return
				}
				if c == '-' {
					dashes, beginning = 1, false
					continue
				}
			}
		}
		dashes, beginning = 0, false
	}
}

// rawText returns the lower-case name of a start tag whose content is
// text, not markup, or "".
func rawText(name []byte) string {
	for _, raw := range []string{"iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp"} {
		if asciiEqualFold(name, raw) {
			return raw
		}
	}
	return ""
}

// skipRawText skips the text of a raw text element up to its end tag,
// which it leaves to be read. It reports false at the end of the page.
func (s *scanner) skipRawText(name string) bool {
	if name == "plaintext" {
		return false
	}
	for {
		i := bytes.Index(s.b[s.i:], []byte("</"))
		if i < 0 {
			return false
		}
		s.i += i
		end := s.i + 2 + len(name)
		if end < len(s.b) && asciiEqualFold(s.b[s.i+2:end], name) &&
			(isSpace(s.b[end]) || s.b[end] == '/' || s.b[end] == '>') {
			return true
		}
		s.i += 2
	}
}

// asciiEqualFold reports whether b is lower, ignoring the case of ASCII
// letters; lower is in lower case.
func asciiEqualFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// tokenizerLinks returns the href and src attributes of the start tags of
// body as x/net/html's tokenizer reads them.
func tokenizerLinks(body []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			_, more := z.TagName()
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if string(k) == "href" || string(k) == "src" {
					out = append(out, string(v))
				}
			}
		}
	}
}
