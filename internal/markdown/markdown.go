// Package markdown turns an entry's text, in the format its author chose, into
// HTML: Markdown through goldmark, and Movable Type's "Convert Line Breaks".
//
// The HTML it returns is as trusted as its source: raw HTML in the text passes
// through. Callers sanitise the result for authors who are not trusted (see
// package sanitize).
package markdown

import (
	"bytes"
	"fmt"

	"github.com/gazette-blog/gazette"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// Renderer renders text to HTML. It holds a goldmark instance built once, and
// is safe for concurrent use.
type Renderer struct {
	md goldmark.Markdown
}

// New returns a Renderer for CommonMark with the GitHub extensions blogs use
// (tables, strikethrough, autolinks) and footnotes. Typographic substitutions
// are off, so quotes and dashes stay as the author typed them.
func New() *Renderer {
	return &Renderer{md: goldmark.New(
		goldmark.WithExtensions(
			extension.Table,
			extension.Strikethrough,
			extension.Linkify,
			extension.Footnote,
		),
		goldmark.WithRendererOptions(
			// Authors' Markdown often holds HTML (embeds, figures); the
			// caller sanitises it for authors who are not trusted.
			html.WithUnsafe(),
			// The same void-element style as Convert Line Breaks (<br />),
			// so that entries in both formats read alike.
			html.WithXHTML(),
		),
	)}
}

// Render returns the HTML for src written in format f. An unknown format is
// gazette.ErrInvalid.
func (r *Renderer) Render(f gazette.Format, src string) (string, error) {
	switch f {
	case gazette.FormatHTML:
		return src, nil
	case gazette.FormatMarkdown:
		var buf bytes.Buffer
		buf.Grow(len(src) + len(src)/4)
		if err := r.md.Convert([]byte(src), &buf); err != nil {
			return "", fmt.Errorf("render markdown: %w", err)
		}
		return buf.String(), nil
	case gazette.FormatConvertBreaks:
		return ConvertBreaks(src), nil
	}
	return "", gazette.Errorf(gazette.ErrInvalid, "unknown text format %q (want %q, %q or %q)",
		f, gazette.FormatHTML, gazette.FormatMarkdown, gazette.FormatConvertBreaks)
}
