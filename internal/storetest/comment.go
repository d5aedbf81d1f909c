package storetest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

func testComments(t *testing.T, open func(t *testing.T) *fixture) {
	t.Run("create and read back", func(t *testing.T) {
		f := open(t)
		e := f.mustEntry(0, withTitle("Commented"))
		c := &gazette.Comment{EntryID: e.ID, Name: "Zoë", Email: "z@example.com", URL: "https://z.example/",
			IP: "192.0.2.1", UserAgent: "Mozilla/5.0", Body: "<script>alert(1)</script> stored as typed\n\nsecond",
			Status: gazette.CommentPending, ImportKey: "mt:c1"}
		must(t, "CreateComment", f.s.CreateComment(f.ctx, c))
		if c.ID == 0 || c.CreatedAt.IsZero() {
			t.Fatalf("CreateComment left ID %d, CreatedAt %v", c.ID, c.CreatedAt)
		}
		reply := f.mustComment(e, base.Add(time.Hour), gazette.CommentApproved, func(r *gazette.Comment) { r.ParentID = c.ID })
		got, err := f.s.Comment(f.ctx, c.ID)
		must(t, "Comment", err)
		want := *c
		want.EntryTitle, want.EntryPath = e.Title, e.Path
		if !got.CreatedAt.Equal(want.CreatedAt) {
			t.Errorf("CreatedAt: got %v, want %v", got.CreatedAt, want.CreatedAt)
		}
		got.CreatedAt = want.CreatedAt
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("Comment:\n got %+v\nwant %+v", *got, want)
		}
		if ok, err := f.s.CommentExists(f.ctx, "mt:c1"); err != nil || !ok {
			t.Errorf("CommentExists(mt:c1): %v, %v; want true", ok, err)
		}
		if ok, err := f.s.CommentExists(f.ctx, "mt:other"); err != nil || ok {
			t.Errorf("CommentExists(mt:other): %v, %v; want false", ok, err)
		}
		must(t, "DeleteComment", f.s.DeleteComment(f.ctx, c.ID))
		got, err = f.s.Comment(f.ctx, reply.ID)
		must(t, "Comment(reply)", err)
		if got.ParentID != 0 {
			t.Errorf("reply's ParentID after its parent's delete: got %d, want 0", got.ParentID)
		}
	})
	t.Run("errors", func(t *testing.T) {
		f := open(t)
		e := f.mustEntry(0)
		f.mustComment(e, base, gazette.CommentApproved, func(c *gazette.Comment) { c.ImportKey = "k" })
		cases := []struct {
			name string
			c    gazette.Comment
			kind error
		}{
			{"unknown entry", gazette.Comment{EntryID: 999, Status: gazette.CommentApproved}, gazette.ErrInvalid},
			{"unknown parent", gazette.Comment{EntryID: e.ID, ParentID: 999, Status: gazette.CommentApproved}, gazette.ErrInvalid},
			{"unknown status", gazette.Comment{EntryID: e.ID, Status: "maybe"}, gazette.ErrInvalid},
			{"taken import key", gazette.Comment{EntryID: e.ID, Status: gazette.CommentApproved, ImportKey: "k"}, gazette.ErrConflict},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { wantKind(t, "CreateComment", f.s.CreateComment(f.ctx, &c.c), c.kind) })
		}
		_, err := f.s.Comment(f.ctx, 999)
		wantKind(t, "Comment(999)", err, gazette.ErrNotFound)
		wantKind(t, "SetCommentStatus(999)", f.s.SetCommentStatus(f.ctx, 999, gazette.CommentSpam), gazette.ErrNotFound)
		wantKind(t, "SetCommentStatus(bad)", f.s.SetCommentStatus(f.ctx, 1, "maybe"), gazette.ErrInvalid)
		wantKind(t, "DeleteComment(999)", f.s.DeleteComment(f.ctx, 999), gazette.ErrNotFound)
	})
	t.Run("comment count follows approvals", func(t *testing.T) {
		f := open(t)
		e := f.mustEntry(0)
		other := f.mustEntry(1)
		count := func(step string, want int) {
			t.Helper()
			got := f.mustGetEntry(e.ID).CommentCount
			if got != want {
				t.Errorf("after %s: CommentCount %d, want %d", step, got, want)
			}
			list, _, err := f.s.Entries(f.ctx, gazette.EntryFilter{VisibleAt: now})
			must(t, "Entries", err)
			for _, le := range list {
				if le.ID == e.ID && le.CommentCount != want {
					t.Errorf("after %s: CommentCount in Entries %d, want %d", step, le.CommentCount, want)
				}
			}
		}
		count("nothing", 0)
		a := f.mustComment(e, base, gazette.CommentApproved)
		b := f.mustComment(e, base, gazette.CommentApproved)
		p := f.mustComment(e, base, gazette.CommentPending)
		f.mustComment(other, base, gazette.CommentApproved)
		count("two approved, one pending", 2)
		must(t, "SetCommentStatus", f.s.SetCommentStatus(f.ctx, p.ID, gazette.CommentApproved))
		count("approving the pending one", 3)
		must(t, "SetCommentStatus", f.s.SetCommentStatus(f.ctx, a.ID, gazette.CommentSpam))
		count("marking one spam", 2)
		must(t, "SetCommentStatus", f.s.SetCommentStatus(f.ctx, a.ID, gazette.CommentTrash))
		count("moving the spam to trash", 2)
		must(t, "SetCommentStatus", f.s.SetCommentStatus(f.ctx, b.ID, gazette.CommentApproved))
		count("approving an approved one again", 2)
		must(t, "DeleteComment", f.s.DeleteComment(f.ctx, b.ID))
		count("deleting an approved one", 1)
		must(t, "DeleteComment", f.s.DeleteComment(f.ctx, a.ID))
		count("deleting a trashed one", 1)
		if got := f.mustGetEntry(other.ID).CommentCount; got != 1 {
			t.Errorf("other entry's CommentCount: %d, want 1", got)
		}
	})
	t.Run("filters", func(t *testing.T) {
		f := open(t)
		e1 := f.mustEntry(0, withTitle("First"))
		e2 := f.mustEntry(1, withTitle("Second"))
		draft := f.mustEntry(2, withStatus(gazette.StatusDraft))
		future := f.mustEntry(24 * 400)
		t0 := base.Add(3 * time.Hour)
		c1 := f.mustComment(e1, t0, gazette.CommentApproved)
		c2 := f.mustComment(e2, t0.Add(time.Minute), gazette.CommentApproved)
		c3 := f.mustComment(e1, t0.Add(2*time.Minute), gazette.CommentPending)
		c4 := f.mustComment(e1, t0.Add(2*time.Minute), gazette.CommentApproved) // tie on time: ID decides
		c5 := f.mustComment(draft, t0.Add(3*time.Minute), gazette.CommentApproved)
		c6 := f.mustComment(future, t0.Add(4*time.Minute), gazette.CommentApproved)
		all := func(cs ...*gazette.Comment) []*gazette.Comment { return cs }
		cases := []struct {
			name  string
			f     gazette.CommentFilter
			want  []*gazette.Comment
			total int
		}{
			{"everything, oldest first", gazette.CommentFilter{}, all(c1, c2, c3, c4, c5, c6), 6},
			{"entry", gazette.CommentFilter{EntryID: e1.ID}, all(c1, c3, c4), 3},
			{"entry, approved: the entry page", gazette.CommentFilter{EntryID: e1.ID, Status: gazette.CommentApproved}, all(c1, c4), 2},
			{"status", gazette.CommentFilter{Status: gazette.CommentPending}, all(c3), 1},
			{"visible entries only", gazette.CommentFilter{VisibleAt: now}, all(c1, c2, c3, c4), 4},
			{"latest approved, blog-wide", gazette.CommentFilter{Status: gazette.CommentApproved, VisibleAt: now, NewestFirst: true, Limit: 2}, all(c4, c2), 3},
			{"second page", gazette.CommentFilter{Status: gazette.CommentApproved, VisibleAt: now, NewestFirst: true, Limit: 2, Offset: 2}, all(c1), 3},
			// Not counted, the latest comments page and feed have no pager;
			// a window shorter than its limit still tells the total.
			{"latest, not counted", gazette.CommentFilter{Status: gazette.CommentApproved, VisibleAt: now, NewestFirst: true, Limit: 2, NoTotal: true}, all(c4, c2), -1},
			{"latest, all of them", gazette.CommentFilter{Status: gazette.CommentApproved, VisibleAt: now, NewestFirst: true, Limit: 5, NoTotal: true}, all(c4, c2, c1), 3},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, total, err := f.s.Comments(f.ctx, c.f)
				must(t, "Comments", err)
				var g, w []int64
				for _, x := range got {
					g = append(g, x.ID)
				}
				for _, x := range c.want {
					w = append(w, x.ID)
				}
				if !reflect.DeepEqual(g, w) {
					t.Errorf("Comments: got %v, want %v", g, w)
				}
				if total != c.total {
					t.Errorf("total: got %d, want %d", total, c.total)
				}
				for _, x := range got {
					e := map[int64]*gazette.Entry{e1.ID: e1, e2.ID: e2, draft.ID: draft, future.ID: future}[x.EntryID]
					if x.EntryTitle != e.Title || x.EntryPath != e.Path {
						t.Errorf("comment %d: EntryTitle %q, EntryPath %q; want %q, %q", x.ID, x.EntryTitle, x.EntryPath, e.Title, e.Path)
					}
				}
			})
		}
	})
}

func testMentions(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	e := f.mustEntry(0)
	m := &gazette.Mention{EntryID: e.ID, Kind: gazette.MentionTrackback, SourceURL: "https://other.example/post",
		Title: "A reply", Excerpt: "They said…", BlogName: "Other", IP: "192.0.2.9", Status: gazette.CommentApproved, ImportKey: "mt:p1",
		CreatedAt: base.Add(2 * time.Hour)}
	must(t, "CreateMention", f.s.CreateMention(f.ctx, m))
	if m.ID == 0 {
		t.Fatal("CreateMention left ID 0")
	}
	early := &gazette.Mention{EntryID: e.ID, Kind: gazette.MentionWebmention, SourceURL: "https://w.example/", Status: gazette.CommentPending, CreatedAt: base.Add(time.Hour)}
	must(t, "CreateMention", f.s.CreateMention(f.ctx, early))
	got, err := f.s.Mentions(f.ctx, e.ID, "")
	must(t, "Mentions", err)
	if len(got) != 2 || got[0].ID != early.ID || got[1].ID != m.ID {
		t.Fatalf("Mentions(any): got %d mentions, want the webmention then the trackback", len(got))
	}
	if !got[1].CreatedAt.Equal(m.CreatedAt) {
		t.Errorf("CreatedAt: got %v, want %v", got[1].CreatedAt, m.CreatedAt)
	}
	got[1].CreatedAt = m.CreatedAt
	if !reflect.DeepEqual(got[1], m) {
		t.Errorf("Mentions:\n got %+v\nwant %+v", got[1], m)
	}
	got, err = f.s.Mentions(f.ctx, e.ID, gazette.CommentApproved)
	must(t, "Mentions(approved)", err)
	if len(got) != 1 || got[0].ID != m.ID {
		t.Errorf("Mentions(approved): got %d, want the trackback alone", len(got))
	}
	if ok, err := f.s.MentionExists(f.ctx, "mt:p1"); err != nil || !ok {
		t.Errorf("MentionExists(mt:p1): %v, %v; want true", ok, err)
	}
	if ok, err := f.s.MentionExists(f.ctx, "mt:p2"); err != nil || ok {
		t.Errorf("MentionExists(mt:p2): %v, %v; want false", ok, err)
	}
	wantKind(t, "unknown entry", f.s.CreateMention(f.ctx, &gazette.Mention{EntryID: 999, Kind: gazette.MentionPingback, Status: gazette.CommentApproved}), gazette.ErrInvalid)
	wantKind(t, "unknown kind", f.s.CreateMention(f.ctx, &gazette.Mention{EntryID: e.ID, Kind: "carrier-pigeon", Status: gazette.CommentApproved}), gazette.ErrInvalid)
	wantKind(t, "taken import key", f.s.CreateMention(f.ctx, &gazette.Mention{EntryID: e.ID, Kind: gazette.MentionTrackback, Status: gazette.CommentApproved, ImportKey: "mt:p1"}), gazette.ErrConflict)
}

func testRedirects(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	e1, e2 := f.mustEntry(0), f.mustEntry(1)
	must(t, "AddRedirect", f.s.AddRedirect(f.ctx, gazette.Redirect{Path: "/archives/000123.html", EntryID: e1.ID}))
	must(t, "AddRedirect", f.s.AddRedirect(f.ctx, gazette.Redirect{Path: "/?p=123", EntryID: e1.ID}))
	target := func(path string, want *gazette.Entry) {
		t.Helper()
		got, err := f.s.RedirectTarget(f.ctx, path)
		must(t, "RedirectTarget("+path+")", err)
		if got.ID != want.ID || got.Path != want.Path {
			t.Errorf("RedirectTarget(%q): got entry %d at %q, want %d at %q", path, got.ID, got.Path, want.ID, want.Path)
		}
	}
	target("/archives/000123.html", e1)
	target("/?p=123", e1)
	must(t, "AddRedirect (replace)", f.s.AddRedirect(f.ctx, gazette.Redirect{Path: "/archives/000123.html", EntryID: e2.ID}))
	target("/archives/000123.html", e2)
	_, err := f.s.RedirectTarget(f.ctx, "/archives/000999.html")
	wantKind(t, "RedirectTarget(unknown)", err, gazette.ErrNotFound)
	wantKind(t, "AddRedirect(unknown entry)", f.s.AddRedirect(f.ctx, gazette.Redirect{Path: "/x", EntryID: 999}), gazette.ErrInvalid)

	t.Run("Delete", func(t *testing.T) {
		d := capability[gazette.RedirectDeleter](t, f.s)
		must(t, "AddRedirect(path)", f.s.AddRedirect(f.ctx, gazette.Redirect{Path: "/feed/", Target: "/feed.xml"}))
		must(t, "DeleteRedirect", d.DeleteRedirect(f.ctx, "/?p=123"))
		_, err := f.s.Redirect(f.ctx, "/?p=123")
		wantKind(t, "Redirect after DeleteRedirect", err, gazette.ErrNotFound)
		_, err = f.s.RedirectTarget(f.ctx, "/?p=123")
		wantKind(t, "RedirectTarget after DeleteRedirect", err, gazette.ErrNotFound)
		must(t, "DeleteRedirect(path)", d.DeleteRedirect(f.ctx, "/feed/"))
		wantKind(t, "DeleteRedirect again", d.DeleteRedirect(f.ctx, "/feed/"), gazette.ErrNotFound)
		list, err := f.s.Redirects(f.ctx)
		must(t, "Redirects", err)
		if len(list) != 1 || list[0].Path != "/archives/000123.html" || list[0].EntryID != e2.ID {
			t.Errorf("Redirects after deletes = %+v, want only /archives/000123.html to entry %d", list, e2.ID)
		}
		// Within a transaction too, as an admin's page deletes alongside other writes.
		must(t, "AddRedirect", f.s.AddRedirect(f.ctx, gazette.Redirect{Path: "/tag/x/", Target: "/tags/x/"}))
		must(t, "Atomic", f.s.Atomic(f.ctx, func(tx gazette.Tx) error {
			td, ok := tx.(gazette.RedirectDeleter)
			if !ok {
				t.Fatal("the store's transaction does not implement gazette.RedirectDeleter")
			}
			return td.DeleteRedirect(f.ctx, "/tag/x/")
		}))
		_, err = f.s.Redirect(f.ctx, "/tag/x/")
		wantKind(t, "Redirect after DeleteRedirect in a transaction", err, gazette.ErrNotFound)
	})
}

func testSettings(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	got, err := f.s.Settings(f.ctx)
	must(t, "Settings", err)
	if !reflect.DeepEqual(got, gazette.DefaultSettings()) {
		t.Errorf("Settings of a new store: got %+v, want the defaults", got)
	}
	s := gazette.Settings{Title: "Wizbang — “Blog”", Description: "News & views", BaseURL: "https://wizbang.example",
		TimeZone: "America/New_York", Theme: "classic", EntriesPerPage: 10, LatestCommentsLabel: "Talk Back Here",
		Moderation: gazette.ModerateAll, BasenameLimit: 50}
	must(t, "SaveSettings", f.s.SaveSettings(f.ctx, s))
	got, err = f.s.Settings(f.ctx)
	must(t, "Settings", err)
	if !reflect.DeepEqual(got, s) {
		t.Errorf("Settings after save:\n got %+v\nwant %+v", got, s)
	}
	for _, c := range []struct {
		name string
		mod  func(s *gazette.Settings)
	}{
		{"unknown time zone", func(s *gazette.Settings) { s.TimeZone = "Mars/Olympus" }},
		{"no entries per page", func(s *gazette.Settings) { s.EntriesPerPage = 0 }},
		{"unknown moderation", func(s *gazette.Settings) { s.Moderation = "some" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			bad := s
			c.mod(&bad)
			wantKind(t, "SaveSettings", f.s.SaveSettings(f.ctx, bad), gazette.ErrInvalid)
			got, err := f.s.Settings(f.ctx)
			must(t, "Settings", err)
			if !reflect.DeepEqual(got, s) {
				t.Errorf("a refused save changed the settings to %+v", got)
			}
		})
	}
}

func testAtomic(t *testing.T, open func(t *testing.T) *fixture) {
	t.Run("commit", func(t *testing.T) {
		f := open(t)
		f.author = f.mustAuthor("Richard")
		var e *gazette.Entry
		err := f.s.Atomic(f.ctx, func(tx gazette.Tx) error {
			tp := &gazette.Topic{Slug: "iran", Name: "Iran"}
			if err := tx.CreateTopic(f.ctx, tp); err != nil {
				return err
			}
			e = f.newEntry(0, withTopics(tp), func(e *gazette.Entry) { e.ImportKey = "k" })
			if err := tx.CreateEntry(f.ctx, e); err != nil {
				return err
			}
			// Reads inside the transaction see its writes.
			got, err := tx.EntryByImportKey(f.ctx, "k")
			if err != nil {
				return err
			}
			return tx.CreateComment(f.ctx, &gazette.Comment{EntryID: got.ID, Status: gazette.CommentApproved, ImportKey: "c"})
		})
		must(t, "Atomic", err)
		if got := f.mustGetEntry(e.ID); got.CommentCount != 1 || len(got.Topics) != 1 {
			t.Errorf("after commit: CommentCount %d, %d topics; want 1 and 1", got.CommentCount, len(got.Topics))
		}
	})
	rolledBack := func(t *testing.T, f *fixture) {
		t.Helper()
		if _, n, err := f.s.Entries(f.ctx, gazette.EntryFilter{}); err != nil || n != 0 {
			t.Errorf("after rollback: %d entries (%v), want 0", n, err)
		}
		if list, err := f.s.Topics(f.ctx, time.Time{}); err != nil || len(list) != 0 {
			t.Errorf("after rollback: %d topics (%v), want 0", len(list), err)
		}
		if _, n, err := f.s.Search(f.ctx, gazette.SearchQuery{Text: "rollback"}); err != nil || n != 0 {
			t.Errorf("after rollback: search finds %d (%v), want 0", n, err)
		}
	}
	write := func(f *fixture, tx gazette.Tx) {
		if err := tx.CreateTopic(f.ctx, &gazette.Topic{Slug: "t", Name: "T"}); err != nil {
			f.t.Fatal(err)
		}
		if err := tx.CreateEntry(f.ctx, f.newEntry(0, withTitle("rollback"))); err != nil {
			f.t.Fatal(err)
		}
	}
	t.Run("rollback on error", func(t *testing.T) {
		f := open(t)
		f.author = f.mustAuthor("Richard")
		boom := errors.New("boom")
		err := f.s.Atomic(f.ctx, func(tx gazette.Tx) error {
			write(f, tx)
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("Atomic: got %v, want fn's error", err)
		}
		rolledBack(t, f)
	})
	t.Run("rollback on panic", func(t *testing.T) {
		f := open(t)
		f.author = f.mustAuthor("Richard")
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("Atomic: recovered %v, want the panic to go on", r)
				}
			}()
			f.s.Atomic(f.ctx, func(tx gazette.Tx) error {
				write(f, tx)
				panic("boom")
			})
		}()
		rolledBack(t, f)
		// The store still works after the panic.
		f.mustEntry(0)
	})
	t.Run("a failed write leaves nothing behind", func(t *testing.T) {
		f := open(t)
		f.author = f.mustAuthor("Richard")
		tp := f.mustTopic("Iran")
		err := f.s.Atomic(f.ctx, func(tx gazette.Tx) error {
			bad := f.newEntry(0, withTopics(tp), func(e *gazette.Entry) { e.Topics = append(e.Topics, gazette.Topic{ID: 999}) })
			wantKind(t, "CreateEntry with an unknown topic", tx.CreateEntry(f.ctx, bad), gazette.ErrInvalid)
			return tx.CreateEntry(f.ctx, f.newEntry(1, withTopics(tp)))
		})
		must(t, "Atomic", err)
		if _, n, err := f.s.Entries(f.ctx, gazette.EntryFilter{}); err != nil || n != 1 {
			t.Errorf("entries: %d (%v), want only the good one", n, err)
		}
	})
}
