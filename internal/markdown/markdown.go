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
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
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
		goldmark.WithParserOptions(parser.WithASTTransformers(
			util.Prioritized(trimBeforeBreak{}, 1000),
		)),
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

// trimBeforeBreak removes the spaces that end a line before a line break.
// CommonMark drops them, and goldmark does too, except that the Linkify
// extension, which looks at every space for a "www." after it, leaves the
// text split so that some survive ("aaa  <br />", spec examples 226 and 635).
type trimBeforeBreak struct{}

// Transform implements parser.ASTTransformer.
func (trimBeforeBreak) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		t, ok := n.(*ast.Text)
		if !entering || !ok || !t.HardLineBreak() && !t.SoftLineBreak() {
			return ast.WalkContinue, nil
		}
		// Trim back through the text pieces of the line until one keeps
		// something other than spaces.
		for cur := ast.Node(t); cur != nil; cur = cur.PreviousSibling() {
			tx, ok := cur.(*ast.Text)
			if !ok {
				break
			}
			v := tx.Segment.Value(src)
			kept := bytes.TrimRight(v, " \t")
			stop := max(tx.Segment.Start, tx.Segment.Stop-(len(v)-len(kept)))
			tx.Segment = tx.Segment.WithStop(stop)
			if len(kept) > 0 {
				break
			}
		}
		return ast.WalkContinue, nil
	})
}
