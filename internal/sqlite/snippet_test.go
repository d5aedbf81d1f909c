package sqlite

import (
	"strings"
	"testing"

	"github.com/gazette-blog/gazette"
)

func TestSnippet(t *testing.T) {
	const (
		s = gazette.HighlightStart
		e = gazette.HighlightEnd
	)
	long := "<p>" + strings.Repeat("filler ", 40) + "the Défense ministry spoke " + strings.Repeat("more ", 40) + "</p>"
	for _, tt := range []struct {
		name, query, title, body, want string
	}{
		{"word", "spy", "T", "<p>A spy story.</p>", "A " + s + "spy" + e + " story."},
		{"case and accents", "defense", "T", "<p>The DÉFENSE file</p>", "The " + s + "DÉFENSE" + e + " file"},
		{"phrase", `"spy story"`, "T", "<p>spy and a spy story</p>", "spy and a " + s + "spy" + e + " " + s + "story" + e},
		{"title only", "general", "Iranian General", "<p>Nothing here.</p>", "Iranian " + s + "General" + e},
		{"no match shows the start", "zebra", "T", "<p>Just text.</p>", "Just text."},
		{"cut around the match", "defense", "T", long,
			"…" + strings.Repeat("filler ", 5) + "the " + s + "Défense" + e + " ministry spoke" + strings.Repeat(" more", 15) + "…"},
		{"no markup", "bold", "T", "<p>a <b>bold</b> move &amp; more</p>", "a " + s + "bold" + e + " move & more"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := snippet(searchTerms(tt.query), &gazette.Entry{Title: tt.title, BodyHTML: tt.body})
			if got != tt.want {
				t.Errorf("snippet(%q)\n got %q\nwant %q", tt.query, got, tt.want)
			}
		})
	}
}
