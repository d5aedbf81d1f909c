package sanitize

import (
	"math/rand"
	"regexp"
	"strings"
	"testing"
)

// TestFindURLMatchesRegexp checks findURL against the regular expression it
// replaces, on random text made of URL-ish pieces.
func TestFindURLMatchesRegexp(t *testing.T) {
	re := regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"]+`)
	pieces := []string{"http://", "HTTPS://", "www.", "WwW.", "x", "_", ".", " ", "\t", "\n", "<", ">", `"`, "é", "a.b", "/", "h", "w", "ttp://"}
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		for k := r.Intn(10); k > 0; k-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		s := b.String()
		var got [][]int
		for i := 0; ; {
			start, end := findURL(s, i)
			if start < 0 {
				break
			}
			got = append(got, []int{start, end})
			i = end
		}
		want := re.FindAllStringIndex(s, -1)
		if len(got) != len(want) {
			t.Fatalf("findURL(%q) = %v, regexp finds %v", s, got, want)
		}
		for i := range got {
			if got[i][0] != want[i][0] || got[i][1] != want[i][1] {
				t.Fatalf("findURL(%q) = %v, regexp finds %v", s, got, want)
			}
		}
	}
}
