package sanitize_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gazette-blog/gazette/internal/sanitize"
)

// TestNaughty passes every hostile-input fixture through both sanitisers,
// whole and line by line (and each string of blns.json), and checks that the
// output holds nothing executable. The copy in testdata is always used; the
// shared fixture set, when present beside the repository, is checked for
// files added there since.
func TestNaughty(t *testing.T) {
	local := filepath.Join("testdata", "naughty")
	seen := map[string]bool{}
	n := checkNaughtyDir(t, local, seen)
	if n == 0 {
		t.Fatalf("no fixtures in %s", local)
	}
	t.Logf("%d inputs from %d files in %s", n, len(seen), local)
	t.Run("shared", func(t *testing.T) {
		shared := filepath.Join("..", "..", "..", "shared", "testdata", "naughty")
		if _, err := os.Stat(shared); err != nil {
			t.Skipf("shared fixtures not found at %s; the copy in %s was checked", shared, local)
		}
		if m := checkNaughtyDir(t, shared, seen); m > 0 {
			t.Logf("%d inputs from %d shared files not copied into %s", m, len(seen), local)
		}
	})
}

// checkNaughtyDir checks the files under dir whose path relative to dir is
// not in seen, adds them to seen, and returns how many inputs it checked.
func checkNaughtyDir(t *testing.T, dir string, seen map[string]bool) int {
	s := sanitize.New()
	inputs := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if seen[rel] || strings.HasPrefix(d.Name(), "LICENSE") || d.Name() == "README.md" {
			return nil
		}
		seen[rel] = true
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		cases := append([]string{string(data)}, strings.Split(string(data), "\n")...)
		if strings.HasSuffix(rel, ".json") {
			var strs []string
			if err := json.Unmarshal(data, &strs); err != nil {
				t.Errorf("%s: %v", path, err)
			}
			cases = append(cases, strs...)
		}
		for i, in := range cases {
			if got := s.Comment(in); unsafeContent(got, true) != "" {
				t.Errorf("%s input %d: Comment(%q) = %q: %s", rel, i, in, got, unsafeContent(got, true))
			}
			if got := s.AuthorHTML(in); unsafeContent(got, false) != "" {
				t.Errorf("%s input %d: AuthorHTML(%q) = %q: %s", rel, i, in, got, unsafeContent(got, false))
			}
		}
		inputs += len(cases)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return inputs
}

func FuzzComment(f *testing.F) {
	for _, a := range attacks {
		f.Add(a)
	}
	for _, seed := range []string{
		"plain\n\ntext http://example.com/(x) www.example.com.",
		"<pre>\n<a href=\"http://x.example\">x</a>\n</pre>",
		"&lt;b&gt; &amp;lt; &#x3C;script&#x3E;",
		"<a href='https://a.example/?q=\"'>q</a>",
	} {
		f.Add(seed)
	}
	s := sanitize.New()
	f.Fuzz(func(t *testing.T, body string) {
		got := s.Comment(body)
		if p := unsafeContent(got, true); p != "" {
			t.Errorf("Comment(%q) = %q: %s", body, got, p)
		}
	})
}
