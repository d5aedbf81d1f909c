// Package naughtytest reads the hostile strings kept with the sanitiser's
// tests (internal/sanitize/testdata/naughty, copies of the Big List of
// Naughty Strings and of XSS and XML attack lists; see its README) for the
// tests of other packages that post them as a reader would.
package naughtytest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Comments returns the distinct strings of the fixtures under dir that a
// reader could post as a comment: each line, each string of a JSON list and
// each whole file, leaving out blank ones, ones that are not valid UTF-8 (a
// browser always sends UTF-8) and ones longer than maxRunes characters.
func Comments(dir string, maxRunes int) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if strings.TrimSpace(s) == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxRunes || seen[s] {
			return
		}
		seen[s] = true
		out = append(out, s)
	}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), "LICENSE") || d.Name() == "README.md" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".json") {
			var strs []string
			if err := json.Unmarshal(data, &strs); err != nil {
				return err
			}
			for _, s := range strs {
				add(s)
			}
			return nil
		}
		add(string(data))
		for _, l := range strings.Split(string(data), "\n") {
			add(l)
		}
		return nil
	})
	return out, err
}
