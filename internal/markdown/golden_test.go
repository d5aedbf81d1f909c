package markdown_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden renders every testdata/golden/*.md as Markdown and every *.txt
// as Convert Line Breaks, and compares the result with the .html beside it.
func TestGolden(t *testing.T) {
	formats := map[string]gazette.Format{".md": gazette.FormatMarkdown, ".txt": gazette.FormatConvertBreaks}
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	if err != nil {
		t.Fatal(err)
	}
	r := markdown.New()
	n := 0
	for _, file := range files {
		ext := filepath.Ext(file)
		f, ok := formats[ext]
		if !ok {
			continue
		}
		n++
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.Render(f, string(src))
			if err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(file, ext) + ".html"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("Render(%s, %s) differs from %s\n got:\n%s\nwant:\n%s", f, file, golden, got, want)
			}
		})
	}
	if n == 0 {
		t.Fatal("no golden inputs in testdata/golden")
	}
}
