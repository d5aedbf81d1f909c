package gazette

import "testing"

func TestShorten(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		max      int
		want     string
	}{
		{"short", "a few words", 20, "a few words"},
		{"exact", "abcde", 5, "abcde"},
		{"at a word", "one two three four", 12, "one two…"},
		{"punctuation dropped", "one, two, three", 10, "one, two…"},
		{"no space in the second half", "abcdefghij klm", 8, "abcdefgh…"},
		{"inside a character", "ab日本語", 4, "ab…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Shorten(tc.in, tc.max); got != tc.want {
				t.Errorf("Shorten(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
		})
	}
}
