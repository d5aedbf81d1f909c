package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

// capability returns the store as the optional interface T, failing the
// test when it is not one: every store gazette ships implements them all.
func capability[T any](t *testing.T, s gazette.Store) T {
	t.Helper()
	c, ok := s.(T)
	if !ok {
		var zero *T
		t.Fatalf("the store does not implement %v", reflect.TypeOf(zero).Elem())
	}
	return c
}

func testLinkbacks(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	lb := capability[gazette.LinkbackStore](t, f.s)
	e, other := f.mustEntry(0), f.mustEntry(1)
	m := &gazette.Mention{EntryID: e.ID, Kind: gazette.MentionWebmention, SourceURL: "https://a.example/reply",
		Title: "Re", Excerpt: "Agreed.", Status: gazette.CommentPending, Type: gazette.MentionReply,
		AuthorName: "Ann", AuthorURL: "https://a.example/", AuthorPhoto: "https://a.example/ann.jpg", CreatedAt: base}
	must(t, "CreateMention", f.s.CreateMention(f.ctx, m))

	got, err := lb.MentionBySource(f.ctx, e.ID, m.SourceURL)
	must(t, "MentionBySource", err)
	if !reflect.DeepEqual(got, m) {
		t.Errorf("MentionBySource:\n got %+v\nwant %+v", got, m)
	}
	_, err = lb.MentionBySource(f.ctx, other.ID, m.SourceURL)
	wantKind(t, "MentionBySource of another entry", err, gazette.ErrNotFound)

	m.Type, m.Title, m.Status, m.AuthorName = gazette.MentionLike, "Liked", gazette.CommentApproved, "Ann B."
	m.UpdatedAt = base.Add(time.Hour)
	must(t, "UpdateMention", lb.UpdateMention(f.ctx, m))
	got, err = lb.MentionBySource(f.ctx, e.ID, m.SourceURL)
	must(t, "MentionBySource", err)
	if !reflect.DeepEqual(got, m) {
		t.Errorf("after UpdateMention:\n got %+v\nwant %+v", got, m)
	}
	wantKind(t, "UpdateMention with an unknown type", lb.UpdateMention(f.ctx, &gazette.Mention{ID: m.ID, Kind: m.Kind, Status: m.Status, Type: "poke"}), gazette.ErrInvalid)
	wantKind(t, "UpdateMention of an unknown mention", lb.UpdateMention(f.ctx, &gazette.Mention{ID: 999, Kind: m.Kind, Status: m.Status}), gazette.ErrNotFound)

	for site, want := range map[string]bool{
		"https://a.example": true, "https://a.example/": true, "https://a.exam": false, "https://b.example": false,
	} {
		if ok, err := lb.HasApprovedMention(f.ctx, site); err != nil || ok != want {
			t.Errorf("HasApprovedMention(%s) = %v, %v; want %v", site, ok, err, want)
		}
	}
	must(t, "DeleteMention", lb.DeleteMention(f.ctx, m.ID))
	if list, err := f.s.Mentions(f.ctx, e.ID, ""); err != nil || len(list) != 0 {
		t.Errorf("Mentions after DeleteMention: %d, %v", len(list), err)
	}
	wantKind(t, "DeleteMention again", lb.DeleteMention(f.ctx, m.ID), gazette.ErrNotFound)
}

func testGone(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	g := capability[gazette.GoneStore](t, f.s)
	e := f.mustEntry(0)
	if gone, err := g.Gone(f.ctx, e.Path); err != nil || gone {
		t.Errorf("Gone(%s) before delete = %v, %v", e.Path, gone, err)
	}
	must(t, "DeleteEntry", f.s.DeleteEntry(f.ctx, e.ID))
	must(t, "MarkGone", g.MarkGone(f.ctx, e.Path, base))
	must(t, "MarkGone again", g.MarkGone(f.ctx, e.Path, base.Add(time.Hour)))
	if gone, err := g.Gone(f.ctx, e.Path); err != nil || !gone {
		t.Errorf("Gone(%s) after delete = %v, %v; want true", e.Path, gone, err)
	}
	// A new entry at the same address is no longer gone.
	f.mustEntry(0, func(n *gazette.Entry) { n.Basename, n.Path = e.Basename, e.Path })
	if gone, err := g.Gone(f.ctx, e.Path); err != nil || gone {
		t.Errorf("Gone(%s) with a new entry there = %v, %v; want false", e.Path, gone, err)
	}
}

func testPings(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	ps := capability[gazette.PingStore](t, f.s)
	must(t, "QueueEntryPings", ps.QueueEntryPings(f.ctx, 7, base.Add(2*time.Hour)))
	must(t, "QueueEntryPings", ps.QueueEntryPings(f.ctx, 7, base.Add(time.Hour))) // earlier wins
	must(t, "QueueEntryPings", ps.QueueEntryPings(f.ctx, 7, base.Add(3*time.Hour)))
	must(t, "QueueEntryPings", ps.QueueEntryPings(f.ctx, 5, base.Add(90*time.Minute)))
	must(t, "QueueEntryPings", ps.QueueEntryPings(f.ctx, 9, base.Add(5*time.Hour)))
	ids, err := ps.TakeEntryPings(f.ctx, base.Add(4*time.Hour), 10)
	must(t, "TakeEntryPings", err)
	if !reflect.DeepEqual(ids, []int64{7, 5}) {
		t.Errorf("TakeEntryPings = %v, want [7 5]: due ones, earliest first", ids)
	}
	if ids, err := ps.TakeEntryPings(f.ctx, base.Add(4*time.Hour), 10); err != nil || len(ids) != 0 {
		t.Errorf("TakeEntryPings again = %v, %v; want none, the queue gives each once", ids, err)
	}
	if ids, err := ps.TakeEntryPings(f.ctx, base.Add(6*time.Hour), 10); err != nil || !reflect.DeepEqual(ids, []int64{9}) {
		t.Errorf("TakeEntryPings later = %v, %v; want [9]", ids, err)
	}

	// Pings need no entry: a deleted entry's targets are still told.
	p := &gazette.Ping{EntryID: 7, Source: "https://blog.example/a.html", Target: "https://b.example/x", Status: gazette.PingQueued, NextAt: base}
	must(t, "SavePing", ps.SavePing(f.ctx, p))
	if p.ID == 0 || p.UpdatedAt.IsZero() {
		t.Errorf("SavePing left ID %d, UpdatedAt %v", p.ID, p.UpdatedAt)
	}
	later := &gazette.Ping{EntryID: 7, Source: p.Source, Target: "https://a.example/y", Status: gazette.PingQueued, NextAt: base.Add(time.Hour)}
	must(t, "SavePing", ps.SavePing(f.ctx, later))
	due, err := ps.DuePings(f.ctx, base.Add(time.Hour), 10)
	must(t, "DuePings", err)
	if len(due) != 2 || due[0].ID != p.ID || due[1].ID != later.ID {
		t.Fatalf("DuePings = %+v, want both, earliest first", due)
	}
	if due, _ := ps.DuePings(f.ctx, base.Add(time.Minute), 10); len(due) != 1 {
		t.Errorf("DuePings before the second is due: %d, want 1", len(due))
	}

	id := p.ID
	p = &gazette.Ping{EntryID: 7, Source: p.Source, Target: p.Target, Status: gazette.PingSent, Attempts: 1,
		Endpoint: "https://b.example/webmention", Response: 202}
	must(t, "SavePing (replace)", ps.SavePing(f.ctx, p))
	if p.ID != id {
		t.Errorf("SavePing of the same entry and target: ID %d, want %d", p.ID, id)
	}
	list, err := ps.Pings(f.ctx, 7)
	must(t, "Pings", err)
	if len(list) != 2 || list[0].Target != later.Target || list[1].Target != p.Target {
		t.Fatalf("Pings = %+v, want two by target", list)
	}
	if g := list[1]; g.Status != gazette.PingSent || g.Attempts != 1 || g.Endpoint != p.Endpoint || g.Response != 202 || !g.NextAt.IsZero() {
		t.Errorf("Pings[1] = %+v", g)
	}
	if due, _ := ps.DuePings(f.ctx, base.Add(time.Hour), 10); len(due) != 1 || due[0].ID != later.ID {
		t.Errorf("DuePings after one was sent = %+v", due)
	}
	wantKind(t, "SavePing with an unknown status", ps.SavePing(f.ctx, &gazette.Ping{EntryID: 7, Source: "s", Target: "t", Status: "lost"}), gazette.ErrInvalid)
	wantKind(t, "SavePing without a target", ps.SavePing(f.ctx, &gazette.Ping{EntryID: 7, Source: "s", Status: gazette.PingQueued}), gazette.ErrInvalid)
}
