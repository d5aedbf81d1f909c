package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

func testAuthors(t *testing.T, open func(t *testing.T) *fixture) {
	t.Run("create and read back", func(t *testing.T) {
		f := open(t)
		a := &gazette.Author{Slug: "zoe", Name: "Zoë Ünal", Email: "z@example.com", Role: gazette.RoleEditor, PasswordHash: "$argon2id$v=19$x"}
		must(t, "CreateAuthor", f.s.CreateAuthor(f.ctx, a))
		if a.ID == 0 || a.CreatedAt.IsZero() {
			t.Fatalf("CreateAuthor left ID %d, CreatedAt %v; want both set", a.ID, a.CreatedAt)
		}
		for name, get := range map[string]func() (*gazette.Author, error){
			"Author":       func() (*gazette.Author, error) { return f.s.Author(f.ctx, a.ID) },
			"AuthorBySlug": func() (*gazette.Author, error) { return f.s.AuthorBySlug(f.ctx, "zoe") },
			"AuthorByName": func() (*gazette.Author, error) { return f.s.AuthorByName(f.ctx, "Zoë Ünal") },
		} {
			got, err := get()
			must(t, name, err)
			if !reflect.DeepEqual(got, a) {
				t.Errorf("%s: got %+v, want %+v", name, got, a)
			}
		}
	})
	t.Run("errors", func(t *testing.T) {
		f := open(t)
		f.mustAuthor("Richard")
		cases := []struct {
			name string
			a    gazette.Author
			kind error
		}{
			{"taken slug", gazette.Author{Slug: "richard", Name: "Other", Role: gazette.RoleAuthor}, gazette.ErrConflict},
			{"taken name", gazette.Author{Slug: "other", Name: "Richard", Role: gazette.RoleAuthor}, gazette.ErrConflict},
			{"unknown role", gazette.Author{Slug: "x", Name: "X", Role: "king"}, gazette.ErrInvalid},
			{"no name", gazette.Author{Slug: "x", Role: gazette.RoleAuthor}, gazette.ErrInvalid},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { wantKind(t, "CreateAuthor", f.s.CreateAuthor(f.ctx, &c.a), c.kind) })
		}
		_, err := f.s.Author(f.ctx, 999)
		wantKind(t, "Author(999)", err, gazette.ErrNotFound)
		_, err = f.s.AuthorBySlug(f.ctx, "nobody")
		wantKind(t, "AuthorBySlug", err, gazette.ErrNotFound)
		_, err = f.s.AuthorByName(f.ctx, "Nobody")
		wantKind(t, "AuthorByName", err, gazette.ErrNotFound)
		wantKind(t, "UpdateAuthor(999)", f.s.UpdateAuthor(f.ctx, &gazette.Author{ID: 999, Slug: "q", Name: "Q", Role: gazette.RoleAuthor}), gazette.ErrNotFound)
	})
	t.Run("update and list by name", func(t *testing.T) {
		f := open(t)
		b := f.mustAuthor("Marcus")
		a := f.mustAuthor("Ellen")
		b.Name, b.Slug, b.Role = "Judith", "judith", gazette.RoleAdmin
		must(t, "UpdateAuthor", f.s.UpdateAuthor(f.ctx, b))
		list, err := f.s.Authors(f.ctx)
		must(t, "Authors", err)
		if len(list) != 2 || list[0].ID != a.ID || list[1].Name != "Judith" || list[1].Role != gazette.RoleAdmin {
			t.Errorf("Authors after update: got %+v, want Ellen then Judith (admin)", list)
		}
		wantKind(t, "UpdateAuthor to a taken name", f.s.UpdateAuthor(f.ctx, &gazette.Author{ID: b.ID, Slug: "judith", Name: "Ellen", Role: gazette.RoleAdmin}), gazette.ErrConflict)
	})
}

func testTopics(t *testing.T, open func(t *testing.T) *fixture) {
	t.Run("create, read, update, delete", func(t *testing.T) {
		f := open(t)
		tp := &gazette.Topic{Slug: "iran", Name: "Iran", Description: "Tehran & its régime"}
		must(t, "CreateTopic", f.s.CreateTopic(f.ctx, tp))
		if tp.ID == 0 {
			t.Fatal("CreateTopic left ID 0")
		}
		for name, get := range map[string]func() (*gazette.Topic, error){
			"Topic":       func() (*gazette.Topic, error) { return f.s.Topic(f.ctx, tp.ID) },
			"TopicBySlug": func() (*gazette.Topic, error) { return f.s.TopicBySlug(f.ctx, "iran") },
			"TopicByName": func() (*gazette.Topic, error) { return f.s.TopicByName(f.ctx, "Iran") },
		} {
			got, err := get()
			must(t, name, err)
			if *got != *tp {
				t.Errorf("%s: got %+v, want %+v", name, got, tp)
			}
		}
		tp.Name, tp.Description = "Persia", ""
		must(t, "UpdateTopic", f.s.UpdateTopic(f.ctx, tp))
		got, err := f.s.Topic(f.ctx, tp.ID)
		must(t, "Topic", err)
		if *got != *tp {
			t.Errorf("after UpdateTopic: got %+v, want %+v", got, tp)
		}
		must(t, "DeleteTopic", f.s.DeleteTopic(f.ctx, tp.ID))
		_, err = f.s.Topic(f.ctx, tp.ID)
		wantKind(t, "Topic after delete", err, gazette.ErrNotFound)
	})
	t.Run("errors", func(t *testing.T) {
		f := open(t)
		f.mustTopic("Iran")
		wantKind(t, "taken slug", f.s.CreateTopic(f.ctx, &gazette.Topic{Slug: "iran", Name: "Other"}), gazette.ErrConflict)
		wantKind(t, "taken name", f.s.CreateTopic(f.ctx, &gazette.Topic{Slug: "other", Name: "Iran"}), gazette.ErrConflict)
		wantKind(t, "empty name", f.s.CreateTopic(f.ctx, &gazette.Topic{Slug: "x"}), gazette.ErrInvalid)
		wantKind(t, "UpdateTopic(999)", f.s.UpdateTopic(f.ctx, &gazette.Topic{ID: 999, Slug: "x", Name: "X"}), gazette.ErrNotFound)
		wantKind(t, "DeleteTopic(999)", f.s.DeleteTopic(f.ctx, 999), gazette.ErrNotFound)
		_, err := f.s.TopicBySlug(f.ctx, "nope")
		wantKind(t, "TopicBySlug", err, gazette.ErrNotFound)
		_, err = f.s.TopicByName(f.ctx, "Nope")
		wantKind(t, "TopicByName", err, gazette.ErrNotFound)
	})
	t.Run("counts of visible entries", func(t *testing.T) {
		f := open(t)
		iran, media, empty := f.mustTopic("Iran"), f.mustTopic("Media"), f.mustTopic("Zeitgeist")
		f.mustEntry(0, withTopics(iran, media))
		f.mustEntry(1, withTopics(media))
		f.mustEntry(2, withTopics(iran), withStatus(gazette.StatusDraft))
		f.mustEntry(24*400, withTopics(iran)) // published after now
		for _, c := range []struct {
			name string
			at   time.Time
			want map[string]int
		}{
			{"visible", now, map[string]int{"Iran": 1, "Media": 2, "Zeitgeist": 0}},
			{"all", time.Time{}, map[string]int{"Iran": 3, "Media": 2, "Zeitgeist": 0}},
		} {
			list, err := f.s.Topics(f.ctx, c.at)
			must(t, "Topics", err)
			got := map[string]int{}
			var names []string
			for _, tc := range list {
				got[tc.Name] = tc.Count
				names = append(names, tc.Name)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Topics(%s): got counts %v, want %v", c.name, got, c.want)
			}
			if want := []string{"Iran", "Media", "Zeitgeist"}; !reflect.DeepEqual(names, want) {
				t.Errorf("Topics(%s): got order %v, want %v", c.name, names, want)
			}
		}
		_ = empty
	})
	t.Run("delete keeps entries under their other topics", func(t *testing.T) {
		f := open(t)
		iran, media := f.mustTopic("Iran"), f.mustTopic("Media")
		e := f.mustEntry(0, withTopics(iran, media))
		must(t, "DeleteTopic", f.s.DeleteTopic(f.ctx, iran.ID))
		got := f.mustGetEntry(e.ID)
		if len(got.Topics) != 1 || got.Topics[0].ID != media.ID {
			t.Errorf("entry topics after deleting its primary: got %+v, want just Media", got.Topics)
		}
		list, _, err := f.s.Entries(f.ctx, gazette.EntryFilter{PrimaryTopicID: media.ID})
		must(t, "Entries", err)
		wantIDs(t, "Entries(PrimaryTopicID: Media) after deleting Iran", list, e)
	})
}

func testEntries(t *testing.T, open func(t *testing.T) *fixture) {
	t.Run("create sets ID and times", func(t *testing.T) {
		f := open(t)
		e := f.mustEntry(0)
		if e.ID == 0 || e.CreatedAt.IsZero() || e.UpdatedAt.IsZero() {
			t.Errorf("CreateEntry left ID %d, CreatedAt %v, UpdatedAt %v; want all set", e.ID, e.CreatedAt, e.UpdatedAt)
		}
		created := base.Add(-time.Hour)
		e2 := f.mustEntry(1, func(e *gazette.Entry) { e.CreatedAt, e.UpdatedAt = created, created })
		if got := f.mustGetEntry(e2.ID); !got.CreatedAt.Equal(created) || !got.UpdatedAt.Equal(created) {
			t.Errorf("given CreatedAt/UpdatedAt: got %v/%v, want %v kept", got.CreatedAt, got.UpdatedAt, created)
		}
	})
	t.Run("round trip of every field", func(t *testing.T) {
		f := open(t)
		iran, media, politics := f.mustTopic("Iran"), f.mustTopic("Media"), f.mustTopic("Politics")
		for _, c := range []struct {
			name string
			e    *gazette.Entry
		}{
			{"full", f.newEntry(0, func(e *gazette.Entry) {
				e.Title = "Iranian General That Defected Was Spy For West"
				e.Basename = "iranian_general_that_defected"
				e.Path = "/archives/2007/03/iranian_general_that_defected.html"
				e.Body, e.ExtendedBody, e.Excerpt, e.Keywords = "Body *md*", "More", "Short", "iran, spies"
				e.Format = gazette.FormatMarkdown
				e.BodyHTML, e.ExtendedHTML = "<p>Body <em>md</em></p>", "<p>More</p>"
				e.Topics = []gazette.Topic{{ID: media.ID}, {ID: iran.ID}, {ID: politics.ID}}
				e.Tags = []string{"spies", "Asgari, Ali-Reza", "日本語"}
				e.AllowComments, e.AllowPings = true, true
				e.ImportKey = "mt:abc123"
				e.PublishedAt = time.Date(2007, 3, 11, 13, 5, 7, 0, time.UTC)
			})},
			{"unicode and empty strings", f.newEntry(1, func(e *gazette.Entry) {
				e.Title, e.Basename = "Ünïcödé — “quotes” & <tags> 😀", "unicode"
				e.Path = "/archives/2007/03/ünïcödé.html"
				e.Body, e.BodyHTML = "", ""
				e.Format = gazette.FormatConvertBreaks
				e.Status = gazette.StatusDraft
				e.AllowComments, e.AllowPings = false, false
			})},
			{"scheduled", f.newEntry(24*500, withStatus(gazette.StatusScheduled))},
		} {
			t.Run(c.name, func(t *testing.T) {
				want := *c.e
				must(t, "CreateEntry", f.s.CreateEntry(f.ctx, c.e))
				for name, get := range map[string]func() (*gazette.Entry, error){
					"Entry":       func() (*gazette.Entry, error) { return f.s.Entry(f.ctx, c.e.ID) },
					"EntryByPath": func() (*gazette.Entry, error) { return f.s.EntryByPath(f.ctx, want.Path) },
				} {
					got, err := get()
					must(t, name, err)
					want.ID, want.CreatedAt, want.UpdatedAt = c.e.ID, c.e.CreatedAt, c.e.UpdatedAt
					sameEntry(t, name, got, &want)
				}
			})
		}
		got, err := f.s.EntryByImportKey(f.ctx, "mt:abc123")
		must(t, "EntryByImportKey", err)
		if got.Title != "Iranian General That Defected Was Spy For West" {
			t.Errorf("EntryByImportKey: got %q", got.Title)
		}
		names := []string{}
		for _, tp := range got.Topics {
			names = append(names, tp.Name)
		}
		if want := []string{"Media", "Iran", "Politics"}; !reflect.DeepEqual(names, want) {
			t.Errorf("topics: got %v, want %v, the primary (first written) first", names, want)
		}
		if got.Author.Name != "Richard" || got.Author.Slug != "richard" {
			t.Errorf("Author not filled: %+v", got.Author)
		}
	})
	t.Run("errors", func(t *testing.T) {
		f := open(t)
		first := f.mustEntry(0, func(e *gazette.Entry) { e.ImportKey = "k1" })
		tp := f.mustTopic("Iran")
		cases := []struct {
			name string
			mod  func(e *gazette.Entry)
			kind error
		}{
			{"taken path", func(e *gazette.Entry) { e.Path = first.Path }, gazette.ErrConflict},
			{"taken import key", func(e *gazette.Entry) { e.ImportKey = "k1" }, gazette.ErrConflict},
			{"unknown author", func(e *gazette.Entry) { e.AuthorID = 999 }, gazette.ErrInvalid},
			{"no author", func(e *gazette.Entry) { e.AuthorID = 0 }, gazette.ErrInvalid},
			{"unknown topic", func(e *gazette.Entry) { e.Topics = []gazette.Topic{{ID: tp.ID}, {ID: 999}} }, gazette.ErrInvalid},
			{"unknown primary topic", func(e *gazette.Entry) { e.Topics = []gazette.Topic{{ID: 999}, {ID: tp.ID}} }, gazette.ErrInvalid},
			{"unknown status", func(e *gazette.Entry) { e.Status = "hidden" }, gazette.ErrInvalid},
			{"unknown format", func(e *gazette.Entry) { e.Format = "textile" }, gazette.ErrInvalid},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e := f.newEntry(1, c.mod)
				wantKind(t, "CreateEntry", f.s.CreateEntry(f.ctx, e), c.kind)
				if e.ID != 0 {
					t.Errorf("failed CreateEntry set ID %d", e.ID)
				}
			})
		}
		if _, n, err := f.s.Entries(f.ctx, gazette.EntryFilter{}); err != nil || n != 1 {
			t.Errorf("after failed creates: %d entries (%v), want 1", n, err)
		}
		for name, get := range map[string]func() (*gazette.Entry, error){
			"Entry":            func() (*gazette.Entry, error) { return f.s.Entry(f.ctx, 999) },
			"EntryByPath":      func() (*gazette.Entry, error) { return f.s.EntryByPath(f.ctx, "/nope.html") },
			"EntryByImportKey": func() (*gazette.Entry, error) { return f.s.EntryByImportKey(f.ctx, "nope") },
		} {
			_, err := get()
			wantKind(t, name, err, gazette.ErrNotFound)
		}
		missing := f.newEntry(2)
		missing.ID = 999
		wantKind(t, "UpdateEntry(999)", f.s.UpdateEntry(f.ctx, missing), gazette.ErrNotFound)
		wantKind(t, "DeleteEntry(999)", f.s.DeleteEntry(f.ctx, 999), gazette.ErrNotFound)
		second := f.mustEntry(3)
		second.Path = first.Path
		wantKind(t, "UpdateEntry to a taken path", f.s.UpdateEntry(f.ctx, second), gazette.ErrConflict)
		second = f.mustEntry(4)
		second.Topics = []gazette.Topic{{ID: 999}}
		wantKind(t, "UpdateEntry to an unknown topic", f.s.UpdateEntry(f.ctx, second), gazette.ErrInvalid)
	})
	t.Run("update replaces everything", func(t *testing.T) {
		f := open(t)
		a, b, c := f.mustTopic("A"), f.mustTopic("B"), f.mustTopic("C")
		other := f.mustAuthor("Ellen")
		e := f.mustEntry(0, withTopics(a, b), func(e *gazette.Entry) { e.Tags = []string{"x", "y"} })
		before := f.mustGetEntry(e.ID)
		e.Title, e.BodyHTML, e.Status = "New title", "<p>new</p>", gazette.StatusDraft
		e.AuthorID = other.ID
		e.Topics = []gazette.Topic{{ID: c.ID}, {ID: a.ID}}
		e.Tags = []string{"z"}
		must(t, "UpdateEntry", f.s.UpdateEntry(f.ctx, e))
		got := f.mustGetEntry(e.ID)
		if got.Title != "New title" || got.BodyHTML != "<p>new</p>" || got.Status != gazette.StatusDraft || got.Author.Name != "Ellen" {
			t.Errorf("after UpdateEntry: got %+v", got)
		}
		if len(got.Topics) != 2 || got.Topics[0].ID != c.ID || got.Topics[1].ID != a.ID {
			t.Errorf("topics after UpdateEntry: got %+v, want C then A", got.Topics)
		}
		if !reflect.DeepEqual(got.Tags, []string{"z"}) {
			t.Errorf("tags after UpdateEntry: got %q, want [z]", got.Tags)
		}
		if got.UpdatedAt.Before(before.UpdatedAt) || !got.CreatedAt.Equal(before.CreatedAt) {
			t.Errorf("UpdatedAt %v (was %v), CreatedAt %v (was %v)", got.UpdatedAt, before.UpdatedAt, got.CreatedAt, before.CreatedAt)
		}
		list, _, err := f.s.Entries(f.ctx, gazette.EntryFilter{PrimaryTopicID: c.ID})
		must(t, "Entries", err)
		wantIDs(t, "Entries(PrimaryTopicID: C) after update", list, e)
	})
	t.Run("delete cascades", func(t *testing.T) {
		f := open(t)
		e := f.mustEntry(0, withTitle("Doomed zeppelin"))
		keep := f.mustEntry(1)
		c := f.mustComment(e, base.Add(2*time.Hour), gazette.CommentApproved, func(c *gazette.Comment) { c.ImportKey = "c1" })
		f.mustComment(keep, base.Add(2*time.Hour), gazette.CommentApproved)
		must(t, "CreateMention", f.s.CreateMention(f.ctx, &gazette.Mention{EntryID: e.ID, Kind: gazette.MentionTrackback, Status: gazette.CommentApproved, ImportKey: "m1"}))
		must(t, "AddRedirect", f.s.AddRedirect(f.ctx, gazette.Redirect{Path: "/archives/000001.html", EntryID: e.ID}))
		must(t, "DeleteEntry", f.s.DeleteEntry(f.ctx, e.ID))
		_, err := f.s.Entry(f.ctx, e.ID)
		wantKind(t, "Entry after delete", err, gazette.ErrNotFound)
		_, err = f.s.Comment(f.ctx, c.ID)
		wantKind(t, "Comment of a deleted entry", err, gazette.ErrNotFound)
		if ok, err := f.s.MentionExists(f.ctx, "m1"); err != nil || ok {
			t.Errorf("MentionExists after delete: %v, %v; want false", ok, err)
		}
		_, err = f.s.RedirectTarget(f.ctx, "/archives/000001.html")
		wantKind(t, "RedirectTarget after delete", err, gazette.ErrNotFound)
		if _, n, err := f.s.Search(f.ctx, gazette.SearchQuery{Text: "zeppelin"}); err != nil || n != 0 {
			t.Errorf("Search after delete: %d results (%v), want 0", n, err)
		}
		if _, n, err := f.s.Comments(f.ctx, gazette.CommentFilter{}); err != nil || n != 1 {
			t.Errorf("Comments after delete: %d (%v), want the other entry's 1", n, err)
		}
	})
}

// sameEntry compares every field of got with want, Author and CommentCount
// aside (the store fills them), topics by ID and tags by value.
func sameEntry(t *testing.T, what string, got, want *gazette.Entry) {
	t.Helper()
	g, w := *got, *want
	if g.Author.ID != w.AuthorID {
		t.Errorf("%s: Author.ID %d, want %d", what, g.Author.ID, w.AuthorID)
	}
	topicIDs := func(ts []gazette.Topic) []int64 {
		out := []int64{}
		for _, t := range ts {
			out = append(out, t.ID)
		}
		return out
	}
	if a, b := topicIDs(g.Topics), topicIDs(w.Topics); !reflect.DeepEqual(a, b) {
		t.Errorf("%s: topics %v, want %v", what, a, b)
	}
	if len(g.Tags) != 0 || len(w.Tags) != 0 {
		if !reflect.DeepEqual(g.Tags, w.Tags) {
			t.Errorf("%s: tags %q, want %q", what, g.Tags, w.Tags)
		}
	}
	for _, tm := range []struct {
		name string
		g, w time.Time
	}{{"PublishedAt", g.PublishedAt, w.PublishedAt}, {"CreatedAt", g.CreatedAt, w.CreatedAt}, {"UpdatedAt", g.UpdatedAt, w.UpdatedAt}} {
		if !tm.g.Equal(tm.w) || tm.g.Location() != time.UTC {
			t.Errorf("%s: %s %v, want %v in UTC", what, tm.name, tm.g, tm.w)
		}
	}
	g.Author, w.Author = gazette.Author{}, gazette.Author{}
	g.Topics, w.Topics, g.Tags, w.Tags = nil, nil, nil, nil
	g.PublishedAt, w.PublishedAt, g.CreatedAt, w.CreatedAt, g.UpdatedAt, w.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
	g.CommentCount = w.CommentCount
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}
