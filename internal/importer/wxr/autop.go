package wxr

import (
	"regexp"
	"strconv"
	"strings"
)

// Autop turns text written with blank lines between paragraphs into HTML, as
// WordPress's wpautop does when it shows a classic-editor post: paragraphs
// get <p>, remaining line breaks <br />, block-level elements are left
// alone, and <pre> keeps its text as it is. It follows wpautop of WordPress
// 5.x step by step, so that an imported post reads as it did.
func Autop(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	text += "\n"

	// <pre> elements are set aside and put back at the end.
	var pres []string
	if strings.Contains(text, "<pre") {
		parts := strings.Split(text, "</pre>")
		last := parts[len(parts)-1]
		var b strings.Builder
		for _, part := range parts[:len(parts)-1] {
			start := strings.Index(part, "<pre")
			if start < 0 {
				b.WriteString(part) // malformed HTML
				continue
			}
			b.WriteString(part[:start])
			b.WriteString(prePlaceholder(len(pres)))
			pres = append(pres, part[start:]+"</pre>")
		}
		b.WriteString(last)
		text = b.String()
	}

	text = reDoubleBr.ReplaceAllString(text, "\n\n")
	text = reBlockOpen.ReplaceAllString(text, "\n\n$1")
	text = reBlockClose.ReplaceAllString(text, "$1\n\n")
	text = reHr.ReplaceAllString(text, "$1\n\n")
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(text)
	text = replaceInTags(text, "\n", " <!-- wpnl --> ")

	if strings.Contains(text, "<option") {
		text = reOptionBefore.ReplaceAllString(text, "<option")
		text = reOptionAfter.ReplaceAllString(text, "</option>")
	}
	if strings.Contains(text, "</object>") {
		text = reObjectOpen.ReplaceAllString(text, "$1")
		text = reObjectClose.ReplaceAllString(text, "</object>")
		text = reParamEmbed.ReplaceAllString(text, "$1")
	}
	if strings.Contains(text, "<source") || strings.Contains(text, "<track") {
		text = reMediaOpen.ReplaceAllString(text, "$1")
		text = reMediaClose.ReplaceAllString(text, "$1")
		text = reSourceTrack.ReplaceAllString(text, "$1")
	}
	if strings.Contains(text, "<figcaption") {
		text = reFigcaptionOpen.ReplaceAllString(text, "$1")
		text = reFigcaptionClose.ReplaceAllString(text, "</figcaption>")
	}

	text = reManyNewlines.ReplaceAllString(text, "\n\n")
	var b strings.Builder
	for _, chunk := range reParagraphs.Split(text, -1) {
		if chunk == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.Trim(chunk, "\n"))
		b.WriteString("</p>\n")
	}
	text = b.String()

	text = reEmptyP.ReplaceAllString(text, "")
	text = reUnclosedP.ReplaceAllString(text, "<p>$1</p></$2>")
	text = reWrappedBlock.ReplaceAllString(text, "$1")
	text = reWrappedLi.ReplaceAllString(text, "$1")
	text = reBlockquoteInP.ReplaceAllString(text, "<blockquote$1><p>")
	text = strings.ReplaceAll(text, "</blockquote></p>", "</p></blockquote>")
	text = rePBeforeBlock.ReplaceAllString(text, "$1")
	text = rePAfterBlock.ReplaceAllString(text, "$1")

	// Remaining line breaks become <br />, except inside script, style
	// and svg.
	for _, re := range rePreserve {
		text = re.ReplaceAllStringFunc(text, func(m string) string {
			return strings.ReplaceAll(m, "\n", "<WPPreserveNewline />")
		})
	}
	text = strings.NewReplacer("<br>", "<br />", "<br/>", "<br />").Replace(text)
	text = breakLines(text)
	text = strings.ReplaceAll(text, "<WPPreserveNewline />", "\n")

	text = reBrAfterBlock.ReplaceAllString(text, "$1")
	text = reBrBeforeBlock.ReplaceAllString(text, "$1")
	text = reLastP.ReplaceAllString(text, "</p>$1")

	for i, pre := range pres {
		text = strings.Replace(text, prePlaceholder(i), pre, 1)
	}
	if strings.Contains(text, "<!-- wpnl -->") {
		text = strings.NewReplacer(" <!-- wpnl --> ", "\n", "<!-- wpnl -->", "\n").Replace(text)
	}
	return text
}

func prePlaceholder(i int) string {
	return "<pre wp-pre-tag-" + strconv.Itoa(i) + "></pre>"
}

// allBlocks are the elements wpautop treats as blocks.
const allBlocks = `(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)`

var (
	reDoubleBr        = regexp.MustCompile(`<br\s*/?>\s*<br\s*/?>`)
	reBlockOpen       = regexp.MustCompile(`(<` + allBlocks + `[\s/>])`)
	reBlockClose      = regexp.MustCompile(`(</` + allBlocks + `>)`)
	reHr              = regexp.MustCompile(`(<hr\s*?/?>)`)
	reOptionBefore    = regexp.MustCompile(`\s*<option`)
	reOptionAfter     = regexp.MustCompile(`</option>\s*`)
	reObjectOpen      = regexp.MustCompile(`(<object[^>]*>)\s*`)
	reObjectClose     = regexp.MustCompile(`\s*</object>`)
	reParamEmbed      = regexp.MustCompile(`\s*(</?(?:param|embed)[^>]*>)\s*`)
	reMediaOpen       = regexp.MustCompile(`([<\[](?:audio|video)[^>\]]*[>\]])\s*`)
	reMediaClose      = regexp.MustCompile(`\s*([<\[]/(?:audio|video)[>\]])`)
	reSourceTrack     = regexp.MustCompile(`\s*(<(?:source|track)[^>]*>)\s*`)
	reFigcaptionOpen  = regexp.MustCompile(`\s*(<figcaption[^>]*>)`)
	reFigcaptionClose = regexp.MustCompile(`</figcaption>\s*`)
	reManyNewlines    = regexp.MustCompile(`\n\n+`)
	reParagraphs      = regexp.MustCompile(`\n\s*\n`)
	reEmptyP          = regexp.MustCompile(`<p>\s*</p>`)
	reUnclosedP       = regexp.MustCompile(`<p>([^<]+)</(div|address|form)>`)
	reWrappedBlock    = regexp.MustCompile(`<p>\s*(</?` + allBlocks + `[^>]*>)\s*</p>`)
	reWrappedLi       = regexp.MustCompile(`<p>(<li.+?)</p>`)
	reBlockquoteInP   = regexp.MustCompile(`(?i)<p><blockquote([^>]*)>`)
	rePBeforeBlock    = regexp.MustCompile(`<p>\s*(</?` + allBlocks + `[^>]*>)`)
	rePAfterBlock     = regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)\s*</p>`)
	rePreserve        = []*regexp.Regexp{
		regexp.MustCompile(`(?s)<script.*?</script>`),
		regexp.MustCompile(`(?s)<style.*?</style>`),
		regexp.MustCompile(`(?s)<svg.*?</svg>`),
	}
	reBrAfterBlock  = regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)\s*<br />`)
	reBrBeforeBlock = regexp.MustCompile(`<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)`)
	reLastP         = regexp.MustCompile(`\n</p>(\n?)$`)
)

// isSpace is PCRE's \s.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// breakLines does what wpautop's `(?<!<br />)\s*\n` → "<br />\n" does: each
// run of white space holding a newline, not preceded by <br />, becomes
// "<br />\n" up to its last newline. Go's regexp has no look-behind.
func breakLines(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if !isSpace(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		last := strings.LastIndexByte(s[i:j], '\n')
		switch {
		case last < 0:
			b.WriteString(s[i:j])
			i = j
		case strings.HasSuffix(s[:i], "<br />"):
			// The match cannot start here; it may one character on.
			b.WriteByte(s[i])
			i++
		default:
			b.WriteString("<br />\n")
			i += last + 1
		}
	}
	return b.String()
}

// replaceInTags replaces old with new inside HTML tags and comments only, as
// WordPress's wp_replace_in_html_tags does.
func replaceInTags(s, old, new string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		var end int
		switch {
		case strings.HasPrefix(s, "<!--"):
			end = tagEnd(s, 4, "-->")
		case strings.HasPrefix(s, "<![CDATA["):
			end = tagEnd(s, 9, "]]>")
		default:
			end = tagEnd(s, 1, ">")
		}
		b.WriteString(strings.ReplaceAll(s[:end], old, new))
		s = s[end:]
	}
}

// tagEnd returns the end of the element at the start of s: just past the
// first close after from, or len(s) when there is none.
func tagEnd(s string, from int, close string) int {
	if j := strings.Index(s[from:], close); j >= 0 {
		return from + j + len(close)
	}
	return len(s)
}
