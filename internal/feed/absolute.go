package feed

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// urlAttrs are the attributes whose values are URLs; srcset holds a list.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "poster": true, "cite": true, "srcset": true,
	"longdesc": true, "data": true, "background": true, "xlink:href": true,
}

// absoluteHTML returns the HTML fragment with every relative URL in a URL
// attribute resolved against base, the page the fragment appears on. A feed
// reader shows the fragment away from that page, so "/x", "x", "../x",
// "//host/x" and "#x" would lead elsewhere or nowhere. Tags whose URLs are all
// absolute already, text, comments and scripts are copied byte for byte; a
// changed tag is written back with its attributes escaped by the tokenizer.
func absoluteHTML(fragment string, base *url.URL) string {
	if !strings.Contains(fragment, "=") {
		return fragment // no attributes, nothing to resolve
	}
	z := html.NewTokenizer(strings.NewReader(fragment))
	var b strings.Builder
	b.Grow(len(fragment) + len(fragment)/16)
	for {
		tt := z.Next()
		raw := z.Raw()
		switch tt {
		case html.ErrorToken:
			b.Write(raw)
			return b.String()
		case html.StartTagToken, html.SelfClosingTagToken:
			if !bytes.ContainsRune(raw, '=') {
				b.Write(raw) // no attribute values: most tags in prose
				continue
			}
			rawCopy := string(raw)
			tok := z.Token()
			changed := false
			for i, a := range tok.Attr {
				key := a.Key
				if a.Namespace != "" {
					key = a.Namespace + ":" + a.Key
				}
				if !urlAttrs[key] {
					continue
				}
				v := resolve(a.Val, base)
				if key == "srcset" {
					v = resolveSrcset(a.Val, base)
				}
				if v != a.Val {
					tok.Attr[i].Val = v
					changed = true
				}
			}
			if changed {
				b.WriteString(tok.String())
			} else {
				b.WriteString(rawCopy)
			}
		default:
			b.Write(raw)
		}
	}
}

// resolve returns ref resolved against base, or ref unchanged when it is
// absolute already, empty, or not a URL at all.
func resolve(ref string, base *url.URL) string {
	s := strings.TrimSpace(ref)
	if s == "" {
		return ref
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" {
		return ref
	}
	return base.ResolveReference(u).String()
}

// resolveSrcset resolves each image candidate of a srcset attribute ("URL
// [descriptor], ..."), following the parsing rules of the HTML standard
// closely enough for what authors write: a URL runs to white space, commas
// at its end are separators, and a descriptor runs to the next comma outside
// parentheses.
func resolveSrcset(v string, base *url.URL) string {
	const space = " \t\n\f\r"
	var out []string
	changed := false
	s := v
	for {
		s = strings.TrimLeft(s, space+",")
		if s == "" {
			break
		}
		end := strings.IndexAny(s, space)
		if end < 0 {
			end = len(s)
		}
		u := s[:end]
		s = s[end:]
		desc := ""
		if trimmed := strings.TrimRight(u, ","); trimmed != u {
			u = trimmed
		} else {
			depth, i := 0, 0
			for ; i < len(s); i++ {
				if c := s[i]; c == '(' {
					depth++
				} else if c == ')' && depth > 0 {
					depth--
				} else if c == ',' && depth == 0 {
					break
				}
			}
			desc = strings.TrimSpace(s[:i])
			s = s[i:]
		}
		c := resolve(u, base)
		changed = changed || c != u
		if desc != "" {
			c += " " + desc
		}
		out = append(out, c)
	}
	if !changed {
		return v
	}
	return strings.Join(out, ", ")
}
