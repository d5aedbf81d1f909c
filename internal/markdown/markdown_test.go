package markdown_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/markdown"
)

type specExample struct {
	Markdown string `json:"markdown"`
	HTML     string `json:"html"`
	Example  int    `json:"example"`
	Section  string `json:"section"`
}

// gfmChanges are the spec examples whose output a GitHub extension that
// gazette turns on changes on purpose, with the reason.
var gfmChanges = map[int]string{
	608: "GFM autolinks (Linkify) make a link of a bare URL, here between spaced angle brackets",
	611: "GFM autolinks (Linkify) make a link of a bare URL",
	612: "GFM autolinks (Linkify) make a mailto: link of a bare e-mail address",
}

func TestCommonMarkSpec(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "commonmark", "spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	var examples []specExample
	if err := json.Unmarshal(data, &examples); err != nil {
		t.Fatalf("spec.json: %v", err)
	}
	if len(examples) != 652 {
		t.Fatalf("spec.json has %d examples, want 652 (CommonMark 0.31.2)", len(examples))
	}
	r := markdown.New()
	passed := 0
	for _, ex := range examples {
		got, err := r.Render(gazette.FormatMarkdown, ex.Markdown)
		if err != nil {
			t.Errorf("example %d (%s): %v", ex.Example, ex.Section, err)
			continue
		}
		reason, changed := gfmChanges[ex.Example]
		switch {
		case got == ex.HTML && changed:
			t.Errorf("example %d (%s) passes but is listed as changed by an extension (%s)", ex.Example, ex.Section, reason)
		case got != ex.HTML && !changed:
			t.Errorf("example %d (%s)\nmarkdown: %q\n     got: %q\n    want: %q", ex.Example, ex.Section, ex.Markdown, got, ex.HTML)
		case got == ex.HTML:
			passed++
		}
	}
	t.Logf("%d of %d examples pass unchanged; %d changed by extensions", passed, len(examples), len(gfmChanges))
}

func TestRenderUnknownFormat(t *testing.T) {
	_, err := markdown.New().Render("textile", "h1. Hello")
	if !errors.Is(err, gazette.ErrInvalid) {
		t.Fatalf("Render(textile) error = %v, want gazette.ErrInvalid", err)
	}
	if msg := gazette.ErrorMessage(err); msg == "Internal error." {
		t.Errorf("error %v carries no message for the user", err)
	}
}

func TestRenderHTMLUnchanged(t *testing.T) {
	src := "<p>As <em>written</em>,\n<script>kept()</script></p>\n\nno paragraphs added"
	got, err := markdown.New().Render(gazette.FormatHTML, src)
	if err != nil {
		t.Fatal(err)
	}
	if got != src {
		t.Errorf("Render(html) = %q, want the source unchanged", got)
	}
}

// TestRenderConcurrent shares one Renderer between goroutines, as the publish
// path does; run with -race it shows the goldmark instance is safe to share.
func TestRenderConcurrent(t *testing.T) {
	r := markdown.New()
	src := "# Title\n\nSome *text* with a footnote.[^1]\n\n[^1]: The note.\n"
	want, err := r.Render(gazette.FormatMarkdown, src)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			got, err := r.Render(gazette.FormatMarkdown, src)
			if err == nil && got != want {
				err = fmt.Errorf("concurrent Render = %q, want %q", got, want)
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
