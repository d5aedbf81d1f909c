package sqlite

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gazette-blog/gazette"
)

// snippetWords is how many words a search snippet shows, as FTS5's snippet()
// was asked for before the index stopped keeping the text.
const snippetWords = 24

// snippet returns the plain text of e around the words of terms that it
// holds, each match between gazette.HighlightStart and HighlightEnd, with
// "…" where the text was cut. Words match as the index's tokenizer matches
// them (unicode61 with remove_diacritics 2): letters and digits, case and
// Latin accents folded. The body is tried first, then the title.
func snippet(terms []string, e *gazette.Entry) string {
	var phrases [][]string
	for _, t := range terms {
		var p []string
		for _, w := range tokens(t) {
			p = append(p, w.fold)
		}
		if len(p) > 0 {
			phrases = append(phrases, p)
		}
	}
	body := gazette.PlainText(e.BodyHTML + " " + e.ExtendedHTML)
	if s, ok := highlight(body, phrases); ok {
		return s
	}
	if s, ok := highlight(e.Title, phrases); ok {
		return s
	}
	s, _ := highlight(body, nil)
	return s
}

// token is a word of a text: its byte range and its folded form.
type token struct {
	start, end int
	fold       string
}

// tokens splits s into words of letters and digits, as unicode61 does.
func tokens(s string) []token {
	var list []token
	start := -1
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			list = append(list, token{start, i, foldWord(s[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		list = append(list, token{start, len(s), foldWord(s[start:])})
	}
	return list
}

// highlight returns a window of snippetWords words of text with the most
// matches of phrases, the matches marked, and whether anything matched.
// With no phrases it returns the start of the text.
func highlight(text string, phrases [][]string) (string, bool) {
	toks := tokens(text)
	if len(toks) == 0 {
		return "", false
	}
	matched := make([]bool, len(toks))
	found := false
	for i := range toks {
		for _, p := range phrases {
			if i+len(p) > len(toks) {
				continue
			}
			ok := true
			for j, w := range p {
				if toks[i+j].fold != w {
					ok = false
					break
				}
			}
			if ok {
				found = true
				for j := range p {
					matched[i+j] = true
				}
			}
		}
	}
	if len(phrases) > 0 && !found {
		return "", false
	}
	// The window with the most matched words, earliest first; it starts a
	// few words before its first match, as FTS5's snippet() did.
	best, bestN := 0, -1
	for start := range toks {
		n := 0
		for i := start; i < len(toks) && i < start+snippetWords; i++ {
			if matched[i] {
				n++
			}
		}
		if n > bestN {
			best, bestN = start, n
		}
	}
	if bestN > 0 {
		first := best
		for !matched[first] {
			first++
		}
		best = max(0, first-snippetWords/4)
	}
	best = min(best, max(0, len(toks)-snippetWords))
	end := min(len(toks), best+snippetWords)

	var b strings.Builder
	if best > 0 {
		b.WriteString("…")
	}
	pos := toks[best].start
	for i := best; i < end; i++ {
		b.WriteString(text[pos:toks[i].start])
		if matched[i] {
			b.WriteString(gazette.HighlightStart)
		}
		b.WriteString(text[toks[i].start:toks[i].end])
		if matched[i] {
			b.WriteString(gazette.HighlightEnd)
		}
		pos = toks[i].end
	}
	if end < len(toks) {
		b.WriteString("…")
	} else {
		b.WriteString(strings.TrimRightFunc(text[pos:], unicode.IsSpace))
	}
	return b.String(), found
}

// foldWord lower-cases w and takes the accents off Latin letters, as the
// index's tokenizer does with remove_diacritics 2 (which also leaves
// ligatures such as æ whole; FoldLatin splits them, a difference that can
// only miss a highlight, never a result).
func foldWord(w string) string {
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range strings.ToLower(w) {
		if unicode.Is(unicode.Mn, r) {
			continue // a combining accent
		}
		if r >= utf8.RuneSelf {
			if base, ok := gazette.FoldLatin(r); ok {
				b.WriteString(base)
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}
