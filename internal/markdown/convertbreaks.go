package markdown

import "strings"

// blockTags are the tags that, opening or closing a paragraph's first bytes,
// tell Convert Line Breaks to leave the paragraph alone. The list and the
// prefix match (so "<p" also matches "<pre" and "<param") are Movable Type's
// own, case-sensitive like its regular expression, so imported entries render
// as they did there.
var blockTags = [...]string{
	"h1", "h2", "h3", "h4", "h5", "h6", "table", "ol", "dl", "ul", "menu", "dir",
	"p", "pre", "center", "form", "fieldset", "select", "blockquote", "address",
	"div", "hr",
}

// ConvertBreaks is Movable Type's "Convert Line Breaks" text filter
// (html_text_transform in lib/MT/Util.pm, MT 3 to 6), reproduced byte for
// byte: the text is split into paragraphs at each pair of newlines (a lone
// CR before either newline is part of it); a paragraph that starts with a
// block-level tag is kept as written; any other is wrapped in <p>…</p> with
// its newlines turned into "<br />\n". Paragraphs are joined with a blank
// line. As in Perl's split, empty paragraphs at the end are dropped, while
// those at the start or in between (from three or more newlines) are kept.
func ConvertBreaks(src string) string {
	paras := splitParagraphs(src)
	var b strings.Builder
	b.Grow(len(src) + len(src)/8 + 16)
	for i, p := range paras {
		if i > 0 {
			b.WriteString("\n\n")
		}
		if startsWithBlockTag(p) {
			b.WriteString(p)
			continue
		}
		b.WriteString("<p>")
		writeBreaks(&b, p)
		b.WriteString("</p>")
	}
	return b.String()
}

// splitParagraphs splits s as Perl's split /\r?\n\r?\n/ does.
func splitParagraphs(s string) []string {
	var paras []string
	start := 0
	for i := 0; i < len(s); i++ {
		// A separator starts at a '\r' or '\n'; try both readings at i.
		j := i
		if s[j] == '\r' {
			j++
		}
		if j >= len(s) || s[j] != '\n' {
			continue
		}
		j++
		if j < len(s) && s[j] == '\r' {
			j++
		}
		if j >= len(s) || s[j] != '\n' {
			continue
		}
		paras = append(paras, s[start:i])
		start = j + 1
		i = j
	}
	paras = append(paras, s[start:])
	for len(paras) > 0 && paras[len(paras)-1] == "" {
		paras = paras[:len(paras)-1]
	}
	return paras
}

func startsWithBlockTag(p string) bool {
	if !strings.HasPrefix(p, "<") {
		return false
	}
	p = strings.TrimPrefix(p[1:], "/")
	for _, t := range blockTags {
		if strings.HasPrefix(p, t) {
			return true
		}
	}
	return false
}

// writeBreaks writes p with every "\n" or "\r\n" replaced by "<br />\n".
func writeBreaks(b *strings.Builder, p string) {
	for {
		i := strings.IndexByte(p, '\n')
		if i < 0 {
			b.WriteString(p)
			return
		}
		line := p[:i]
		line = strings.TrimSuffix(line, "\r")
		b.WriteString(line)
		b.WriteString("<br />\n")
		p = p[i+1:]
	}
}
