package markdown_test

import (
	"strings"
	"testing"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/markdown"
)

// entryText returns a typical entry of about 1,000 words in the given format:
// paragraphs with emphasis and links, a quoted passage and a short list.
func entryText(f gazette.Format) string {
	para := map[gazette.Format]string{
		gazette.FormatMarkdown: "The general who vanished in Istanbul last month had been passing " +
			"secrets for years, according to a *report* published today. Officials in " +
			"[Washington](http://example.com/dc) declined to comment, and a spokesman for the " +
			"ministry said only that the matter was \"under review\". Analysts were quick to\n" +
			"point out that defections of this rank are rare, and that **the timing** matters.\n",
		gazette.FormatConvertBreaks: "The general who vanished in Istanbul last month had been passing " +
			"secrets for years, according to a <em>report</em> published today. Officials in " +
			"<a href=\"http://example.com/dc\">Washington</a> declined to comment, and a spokesman for the " +
			"ministry said only that the matter was \"under review\". Analysts were quick to\n" +
			"point out that defections of this rank are rare, and that <strong>the timing</strong> matters.\n",
	}[f]
	quote := map[gazette.Format]string{
		gazette.FormatMarkdown:      "> He was a long-term asset, the paper said, and had been for years.\n> Nobody in the capital was surprised.\n",
		gazette.FormatConvertBreaks: "<blockquote>He was a long-term asset, the paper said, and had been for years.\nNobody in the capital was surprised.</blockquote>\n",
	}[f]
	list := map[gazette.Format]string{
		gazette.FormatMarkdown:      "- the first reason\n- the second reason\n- the third\n",
		gazette.FormatConvertBreaks: "<ul>\n<li>the first reason</li>\n<li>the second reason</li>\n<li>the third</li>\n</ul>\n",
	}[f]
	var b strings.Builder
	for i := 0; len(strings.Fields(b.String())) < 1000; i++ {
		b.WriteString(para)
		b.WriteString("\n")
		switch i % 4 {
		case 1:
			b.WriteString(quote + "\n")
		case 3:
			b.WriteString(list + "\n")
		}
	}
	return b.String()
}

func BenchmarkRender(b *testing.B) {
	r := markdown.New()
	md := entryText(gazette.FormatMarkdown)
	html, err := r.Render(gazette.FormatMarkdown, md)
	if err != nil {
		b.Fatal(err)
	}
	inputs := []struct {
		f   gazette.Format
		src string
	}{
		{gazette.FormatMarkdown, md},
		{gazette.FormatConvertBreaks, entryText(gazette.FormatConvertBreaks)},
		{gazette.FormatHTML, html},
	}
	for _, in := range inputs {
		b.Run(string(in.f), func(b *testing.B) {
			b.SetBytes(int64(len(in.src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Render(in.f, in.src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
