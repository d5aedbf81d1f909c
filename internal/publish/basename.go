package publish

import (
	"strings"

	"github.com/gazette-blog/gazette"
)

// Dirify returns the basename Movable Type would make of s, at most limit
// bytes long: accented Latin letters folded to ASCII, lower case, HTML tags
// and entities removed, every character other than a letter, digit, '_' or
// white space removed, runs of white space turned into one '_', cut to limit
// and stripped of trailing '_'. It returns "entry" when nothing is left.
//
// Unlike MT, letters of other scripts are removed rather than kept, so that
// every basename is a plain ASCII URL segment; MT 3 and 4 did the same.
func Dirify(s string, limit int) string {
	var folded strings.Builder
	folded.Grow(len(s))
	for _, r := range s {
		if f, ok := gazette.FoldLatin(r); ok {
			folded.WriteString(f)
		} else {
			folded.WriteRune(r)
		}
	}
	t := strings.ToLower(folded.String())
	t = removeTags(t)
	t = removeEntities(t)

	var b strings.Builder
	b.Grow(len(t))
	space := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_':
			if space {
				b.WriteByte('_')
				space = false
			}
			b.WriteByte(c)
		case c == ' ', c == '\t', c == '\n', c == '\r', c == '\f', c == '\v':
			space = true
		}
	}
	if space {
		b.WriteByte('_')
	}
	out := b.String()
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	out = strings.TrimRight(out, "_")
	if out == "" {
		return "entry"
	}
	return out
}

// removeTags drops everything from '<' to the next '>'.
func removeTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			break
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			break // a lone '<' is dropped below as a non-word character
		}
		b.WriteString(s[:i])
		s = s[i+end+1:]
	}
	b.WriteString(s)
	return b.String()
}

// removeEntities drops HTML entities: '&', then characters other than ';'
// and white space, then ';'.
func removeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			break
		}
		j := i + 1
		for j < len(s) && s[j] != ';' && !isSpace(s[j]) {
			j++
		}
		if j < len(s) && s[j] == ';' && j > i+1 {
			b.WriteString(s[:i])
			s = s[j+1:]
			continue
		}
		b.WriteString(s[:i+1])
		s = s[i+1:]
	}
	b.WriteString(s)
	return b.String()
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
