package sanitize

import (
	"strings"
	"testing"
)

// typicalComment is a reader's comment of about 80 words: two paragraphs, a
// line break, a pasted link and a little emphasis.
const typicalComment = `I remember reading about Asgari when he disappeared, and the story never quite added up.
A deputy minister does not simply walk away from a hotel in Istanbul without help.

If the report is right, this was planned for <em>years</em>. There is a longer piece at
https://www.example.com/2007/03/asgari-defection.html that goes through the timeline,
and it is worth reading in full. I wonder what else we will learn when the files open.`

func TestTypicalCommentLength(t *testing.T) {
	if n := len(strings.Fields(typicalComment)); n < 70 || n > 90 {
		t.Errorf("typicalComment has %d words, want about 80", n)
	}
}

func BenchmarkComment(b *testing.B) {
	s := New()
	b.SetBytes(int64(len(typicalComment)))
	b.ReportAllocs()
	for b.Loop() {
		s.Comment(typicalComment)
	}
}

func BenchmarkAuthorHTML(b *testing.B) {
	var entry strings.Builder
	for entry.Len() < 6000 {
		entry.WriteString(`<p>The general who vanished in Istanbul had been passing secrets for years, according to a <em>report</em> published today. Officials in <a href="http://example.com/dc">Washington</a> declined to comment.</p>` + "\n")
		entry.WriteString("<blockquote><p>He was a long-term asset, the paper said.</p></blockquote>\n<ul><li>one</li><li>two</li></ul>\n")
	}
	s := New()
	b.SetBytes(int64(entry.Len()))
	b.ReportAllocs()
	for b.Loop() {
		s.AuthorHTML(entry.String())
	}
}

// BenchmarkFormat and BenchmarkCommentPolicy split Comment's cost between
// the transforms and the sanitiser.
func BenchmarkFormat(b *testing.B) {
	for _, bc := range []struct{ name, body string }{
		{"html", typicalComment},
		{"text", strings.ReplaceAll(strings.ReplaceAll(typicalComment, "<em>", ""), "</em>", "")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				format(bc.body)
			}
		})
	}
}

func BenchmarkCommentPolicy(b *testing.B) {
	p := New().comment
	formatted := format(typicalComment)
	b.ReportAllocs()
	for b.Loop() {
		p.Sanitize(formatted)
	}
}
