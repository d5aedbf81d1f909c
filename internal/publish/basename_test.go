package publish

import "testing"

func TestDirify(t *testing.T) {
	const seed = "Iranian General That Defected Was Spy For West"
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{seed, 30, "iranian_general_that_defected"},
		{seed, 50, "iranian_general_that_defected_was_spy_for_west"},
		{seed, 250, "iranian_general_that_defected_was_spy_for_west"},
		// Titles of the test exports, with the basenames MT gave them.
		{"My first post", 30, "my_first_post"},
		{"Home Wi-Fi", 30, "home_wifi"},
		{"First Post", 30, "first_post"},
		{`All about Frank's "MIDI" Files`, 30, "all_about_franks_midi_files"},
		{"Junk Faxes: Redux", 30, "junk_faxes_redux"},
		{`Comment Spam: Here it comes again, Sue's List of "Crazy" Items`, 30, "comment_spam_here_it_comes_aga"},
		{"ClickZ - Pamela Parker", 30, "clickz_pamela_parker"},
		// Accented Latin letters folded as MT did.
		{"Crème brûlée à la française", 30, "creme_brulee_a_la_francaise"},
		{"Straße über Ærø", 30, "strasse_uber_aero"},
		{"Łódź Œuvre", 30, "lodz_oeuvre"},
		// Tags and entities go, their text stays.
		{"<em>Bold</em> &amp; <a href=\"x\">brave</a>", 30, "bold_brave"},
		{"Fish &amp;chips", 30, "fish_chips"},
		{"AT&T rocks", 30, "att_rocks"},
		{"snake_case stays", 30, "snake_case_stays"},
		{"Trailing underscore cut here_", 30, "trailing_underscore_cut_here"},
		{"word1234567890123 abcdefghijklmn", 15, "word12345678901"},
		{"one two three four five six", 15, "one_two_three_f"},
		{"abc defghijk lmno pqr", 15, "abc_defghijk_lm"},
		{"abcdefghijklmn opq", 15, "abcdefghijklmn"}, // cut at the '_', which is stripped
		{"2件目の記事", 30, "2"},
		{"日本語", 30, "entry"},
		{"", 30, "entry"},
		{"!!!", 30, "entry"},
		{"  spaced   out  ", 30, "_spaced_out"}, // MT keeps a leading '_'
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Dirify(tt.in, tt.limit); got != tt.want {
				t.Errorf("Dirify(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
			}
		})
	}
}

func TestValidBasename(t *testing.T) {
	for b, want := range map[string]bool{
		"my_first_post": true, "foo-post-basename": true, "日本語": true,
		"": false, "2017/03/18/182252": false, "a b": false, "a?b": false, "..": false,
	} {
		if got := validBasename(b); got != want {
			t.Errorf("validBasename(%q) = %v, want %v", b, got, want)
		}
	}
}
