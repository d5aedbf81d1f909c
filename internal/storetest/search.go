package storetest

import (
	"strings"
	"testing"

	"github.com/gazette-blog/gazette"
)

func testSearch(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	titled := f.mustEntry(0, withTitle("Iranian General Defected"),
		withBody("<p>A senior officer left his post and was debriefed abroad.</p>"))
	mentioned := f.mustEntry(1, withTitle("Weekly roundup"),
		withBody("<p>Among other news, an Iranian diplomat spoke at length about trade and oil and the weather.</p>"))
	phrase := f.mustEntry(2, withTitle("Markets"),
		withBody("<p>The general election <b>campaign</b> drew crowds; oil prices rose.</p>"),
		func(e *gazette.Entry) { e.ExtendedHTML = "<p>Extended text mentions zeppelins.</p>" })
	reversed := f.mustEntry(3, withTitle("Elections"),
		withBody("<p>Talk of an election in general terms.</p>"))
	f.mustEntry(4, withTitle("Iranian draft"), withStatus(gazette.StatusDraft))
	f.mustEntry(24*400, withTitle("Iranian future"))
	f.mustEntry(5, withTitle("Accents"), withBody("<p>Café society and naïve résumés.</p>"))

	search := func(t *testing.T, text string) ([]gazette.SearchResult, int) {
		t.Helper()
		res, total, err := f.s.Search(f.ctx, gazette.SearchQuery{Text: text, VisibleAt: now})
		if err != nil {
			t.Fatalf("Search(%q): %v", text, err)
		}
		return res, total
	}
	t.Run("title ranks above body", func(t *testing.T) {
		res, total := search(t, "iranian")
		if total != 2 || len(res) != 2 {
			t.Fatalf("Search(iranian): %d results, total %d; want 2 (no draft, no future)", len(res), total)
		}
		if res[0].Entry.ID != titled.ID || res[1].Entry.ID != mentioned.ID {
			t.Errorf("Search(iranian): got %d then %d, want the title match %d first", res[0].Entry.ID, res[1].Entry.ID, titled.ID)
		}
		if res[0].Entry.Title == "" || res[0].Entry.Author.Name == "" {
			t.Errorf("result entry not filled: %+v", res[0].Entry)
		}
	})
	t.Run("snippet marks the match", func(t *testing.T) {
		res, _ := search(t, "diplomat")
		if len(res) != 1 {
			t.Fatalf("Search(diplomat): %d results, want 1", len(res))
		}
		s := res[0].Snippet
		if !strings.Contains(s, gazette.HighlightStart+"diplomat"+gazette.HighlightEnd) || strings.Contains(s, "<p>") {
			t.Errorf("snippet %q: want plain text with diplomat between the markers", s)
		}
	})
	t.Run("extended body and accents are searched", func(t *testing.T) {
		for text, want := range map[string]*gazette.Entry{"zeppelins": phrase, "cafe": nil, "résumés": nil} {
			res, _ := search(t, text)
			if len(res) != 1 || (want != nil && res[0].Entry.ID != want.ID) {
				t.Errorf("Search(%q): %d results, want 1", text, len(res))
			}
		}
	})
	t.Run("all words must match", func(t *testing.T) {
		if res, _ := search(t, "oil election"); len(res) != 1 || res[0].Entry.ID != phrase.ID {
			t.Errorf("Search(oil election): %d results, want only entry %d", len(res), phrase.ID)
		}
		if res, _ := search(t, "oil zebra"); len(res) != 0 {
			t.Errorf("Search(oil zebra): %d results, want 0", len(res))
		}
	})
	t.Run("phrases", func(t *testing.T) {
		res, _ := search(t, `"general election"`)
		if len(res) != 1 || res[0].Entry.ID != phrase.ID {
			t.Errorf(`Search("general election"): %d results, want only entry %d`, len(res), phrase.ID)
		}
		res, _ = search(t, `general election`)
		if len(res) != 2 {
			t.Errorf(`Search(general election): %d results, want %d and %d`, len(res), phrase.ID, reversed.ID)
		}
		res, _ = search(t, `"election campaign" oil`)
		if len(res) != 1 {
			t.Errorf(`Search("election campaign" oil): %d results, want 1 (tags do not break a phrase)`, len(res))
		}
	})
	t.Run("limit, offset and total", func(t *testing.T) {
		res, total, err := f.s.Search(f.ctx, gazette.SearchQuery{Text: "general", VisibleAt: now, Limit: 1, Offset: 1})
		must(t, "Search", err)
		if len(res) != 1 || total != 3 {
			t.Errorf("Search(general, limit 1, offset 1): %d results, total %d; want 1 of 3", len(res), total)
		}
		res, total, err = f.s.Search(f.ctx, gazette.SearchQuery{Text: "general", VisibleAt: now, Limit: 2, Offset: 5})
		must(t, "Search", err)
		if len(res) != 0 || total != 3 {
			t.Errorf("Search(general, offset past the end): %d results, total %d; want 0 of 3", len(res), total)
		}
	})
	t.Run("hostile queries are words", func(t *testing.T) {
		for _, c := range []struct {
			text string
			want int
		}{
			{"", 0},
			{"   ", 0},
			{`"`, 0},
			{`""`, 0},
			{`"iranian`, 2},
			{`iranian"`, 2},
			{`"""iranian"""`, 2},
			{"*", 0},
			{"iran*", 0},
			{"-iranian", 2},
			{"iranian -diplomat", 1},
			{"NOT", 0},
			{"iranian NOT diplomat", 0},
			{"iranian OR zeppelins", 0},
			{"iranian AND general", 1},
			{"NEAR(iranian general)", 0}, // "NEAR(iranian" is the phrase "near iranian"
			{"NEAR", 0},
			{"^iranian", 2},
			{"title:iranian", 0},
			{"{title}: general", 0},
			{"body:diplomat", 0},
			{"(iranian", 2},
			{"iranian)", 2},
			{"+iranian", 2},
			{":", 0},
			{"'; DROP TABLE entries; --", 0},
			{"\x00", 0},
			{"\x02iranian\x03", 2},
			{"😀", 0},
			{strings.Repeat("iranian ", 200), 2},
		} {
			t.Run(c.text, func(t *testing.T) {
				res, total := search(t, c.text)
				if len(res) != c.want || total != c.want {
					t.Errorf("Search(%q): %d results, total %d; want %d", c.text, len(res), total, c.want)
				}
			})
		}
	})
	t.Run("updates are searched", func(t *testing.T) {
		mentioned.BodyHTML = "<p>Now about xylophones.</p>"
		must(t, "UpdateEntry", f.s.UpdateEntry(f.ctx, mentioned))
		if res, _ := search(t, "xylophones"); len(res) != 1 {
			t.Errorf("Search(xylophones) after update: %d results, want 1", len(res))
		}
		if res, _ := search(t, "diplomat"); len(res) != 0 {
			t.Errorf("Search(diplomat) after update: %d results, want 0", len(res))
		}
		_, total, err := f.s.Search(f.ctx, gazette.SearchQuery{Text: "iranian"})
		must(t, "Search without VisibleAt", err)
		if total != 3 {
			t.Errorf("Search(iranian) without VisibleAt: total %d, want 3 (drafts and future included)", total)
		}
	})
}
