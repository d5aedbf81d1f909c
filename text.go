package gazette

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PlainText returns the text of an HTML fragment: tags dropped, entities
// decoded, runs of white space folded to one space. The contents of script and
// style elements are dropped too. It is what search indexes and what feeds and
// listings shorten into excerpts; it is not a sanitiser (its result is text,
// to be escaped wherever it is shown).
func PlainText(fragment string) string {
	var b strings.Builder
	b.Grow(len(fragment))
	space := true // suppress leading space
	write := func(s string) {
		for _, r := range s {
			if unicode.IsSpace(r) {
				if !space {
					b.WriteByte(' ')
					space = true
				}
				continue
			}
			b.WriteRune(r)
			space = false
		}
	}
	for len(fragment) > 0 {
		i := strings.IndexByte(fragment, '<')
		if i < 0 {
			write(html.UnescapeString(fragment))
			break
		}
		write(html.UnescapeString(fragment[:i]))
		fragment = fragment[i:]
		end := strings.IndexByte(fragment, '>')
		if end < 0 {
			// A lone '<' is text, as browsers read it.
			write(html.UnescapeString(fragment))
			break
		}
		tag := strings.ToLower(fragment[1:end])
		fragment = fragment[end+1:]
		for _, skip := range [...]string{"script", "style"} {
			if strings.HasPrefix(tag, skip) && (len(tag) == len(skip) || !isNameByte(tag[len(skip)])) {
				if j := strings.Index(strings.ToLower(fragment), "</"+skip); j >= 0 {
					fragment = fragment[j:]
				} else {
					fragment = ""
				}
			}
		}
		// Block-level tags separate words; inline ones do not, but a space
		// is harmless there except inside a word split by <b>..</b>, which
		// is rare enough in blog text to prefer simplicity.
		if isBlockTag(tag) {
			write(" ")
		}
	}
	return strings.TrimRight(b.String(), " ")
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

func isBlockTag(tag string) bool {
	tag = strings.TrimPrefix(tag, "/")
	n := 0
	for n < len(tag) && isNameByte(tag[n]) {
		n++
	}
	switch tag[:n] {
	case "p", "br", "div", "blockquote", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
		"pre", "table", "tr", "td", "th", "hr", "dd", "dt", "dl", "section", "article", "figure", "figcaption":
		return true
	}
	return false
}

// Slugify returns the URL segment for a topic or author name: lower case
// letters and digits (Unicode letters kept), other runs turned into one '-'.
// It returns "" for a name with no letter or digit.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		if r == '\'' || r == '\u2019' {
			continue // "Today's" reads better as "todays" than "today-s"
		}
		dash = true
	}
	return b.String()
}

// Shorten returns text cut to at most max bytes, at a word when one ends in
// the second half, else at a character, with an ellipsis after the cut:
// the excerpts of listings and of other sites' mentions.
func Shorten(text string, max int) string {
	if len(text) <= max {
		return text
	}
	cut := strings.LastIndexByte(text[:max], ' ')
	if cut < max/2 {
		cut = max
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
	}
	return strings.TrimRight(text[:cut], " ,;:.") + "…"
}

// latinLetters lists the accented Latin letters of Latin-1 and Latin
// Extended-A, and the ligatures, by the ASCII letters they are written as
// without their accents.
var latinLetters = [...]struct{ ascii, letters string }{
	{"A", "ÀÁÂÃÄÅĀĂĄ"}, {"a", "àáâãäåāăą"}, {"AE", "Æ"}, {"ae", "æ"},
	{"C", "ÇĆĈĊČ"}, {"c", "çćĉċč"}, {"D", "ĎĐ"}, {"d", "ďđ"},
	{"E", "ÈÉÊËĒĔĖĘĚ"}, {"e", "èéêëēĕėęě"}, {"f", "ƒ"},
	{"G", "ĜĞĠĢ"}, {"g", "ĝğġģ"}, {"H", "ĤĦ"}, {"h", "ĥħ"},
	{"I", "ÌÍÎÏĨĪĬĮİ"}, {"i", "ìíîïĩīĭįı"}, {"IJ", "Ĳ"}, {"ij", "ĳ"},
	{"J", "Ĵ"}, {"j", "ĵ"}, {"K", "Ķ"}, {"k", "ķĸ"},
	{"L", "ĹĻĽŁ"}, {"l", "ĺļľĿŀł"}, {"N", "ÑŃŅŇŊ"}, {"n", "ñńņňŉŋ"},
	{"O", "ÒÓÔÕÖØŌŎŐ"}, {"o", "òóôõöøōŏő"}, {"OE", "Œ"}, {"oe", "œ"},
	{"R", "ŔŖŘ"}, {"r", "ŕŗř"}, {"S", "ŚŜŞŠȘ"}, {"s", "śŝşšș"}, {"ss", "ß"},
	{"T", "ŢŤŦȚ"}, {"t", "ţťŧț"}, {"U", "ÙÚÛÜŨŪŬŮŰŲ"}, {"u", "ùúûüũūŭůűų"},
	{"W", "Ŵ"}, {"w", "ŵ"}, {"Y", "ÝŶŸ"}, {"y", "ýÿŷ"}, {"Z", "ŹŻŽ"}, {"z", "źżž"},
}

// FoldLatin returns the ASCII letters an accented Latin letter or ligature
// is written as without its accents (é → e, Æ → AE, ß → ss), and false for
// any other rune. Basenames are made with it, as Movable Type made them, and
// search snippets match words with it, as the search index does.
func FoldLatin(r rune) (string, bool) {
	if r < 0xc0 {
		return "", false
	}
	for _, row := range latinLetters {
		if strings.ContainsRune(row.letters, r) {
			return row.ascii, true
		}
	}
	return "", false
}
