package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/gazette-blog/gazette"
)

// testChangeJournal checks the optional change journal: the keys a
// transaction records come back once it commits, a rolled-back one leaves
// nothing, and a write that records no keys makes the journal incomplete
// for every cursor taken before it.
func testChangeJournal(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	j, ok := f.s.(gazette.ChangeJournal)
	if !ok {
		t.Skip("this store keeps no change journal; builds render everything")
	}
	e := f.mustEntry(0)
	latest := func() gazette.ChangeCursor {
		t.Helper()
		c, err := j.LatestChange(f.ctx)
		must(t, "LatestChange", err)
		return c
	}
	since := func(c gazette.ChangeCursor) ([]string, gazette.ChangeCursor, bool) {
		t.Helper()
		keys, now, complete, err := j.ChangesSince(f.ctx, c)
		must(t, "ChangesSince", err)
		slices.Sort(keys)
		return keys, now, complete
	}
	journaled := func(keys []string, write func(tx gazette.Tx) error) error {
		return f.s.Atomic(f.ctx, func(tx gazette.Tx) error {
			if err := write(tx); err != nil {
				return err
			}
			r, ok := tx.(gazette.ChangeRecorder)
			if !ok {
				t.Fatal("the store is a ChangeJournal but its transactions are no ChangeRecorder")
			}
			if err := r.RecordChanges(f.ctx, keys); err != nil {
				return err
			}
			// Writes after the keys are the transaction's too.
			return r.RecordChanges(f.ctx, keys[:1])
		})
	}
	start := latest()
	if keys, now, complete := since(start); len(keys) != 0 || !complete || now != start {
		t.Errorf("ChangesSince(now) = %q, %+v, %v; want nothing, %+v, complete", keys, now, complete, start)
	}
	if _, _, complete := since(gazette.ChangeCursor{}); complete {
		t.Error("ChangesSince(zero cursor) is complete, want incomplete")
	}
	if _, _, complete := since(gazette.ChangeCursor{Journal: start.Journal + "x", Seq: start.Seq, Version: start.Version}); complete {
		t.Error("ChangesSince(cursor of another journal) is complete, want incomplete")
	}

	must(t, "journaled comment", journaled([]string{"c:1", "comments"}, func(tx gazette.Tx) error {
		c := &gazette.Comment{EntryID: e.ID, Name: "Ann", Body: "Hi", Status: gazette.CommentApproved, CreatedAt: now}
		if err := tx.CreateComment(f.ctx, c); err != nil {
			return err
		}
		e.Title = "Edited after the keys"
		return tx.UpdateEntry(f.ctx, e)
	}))
	keys, afterComment, complete := since(start)
	if want := []string{"c:1", "comments"}; !slices.Equal(keys, want) || !complete || afterComment.Seq <= start.Seq {
		t.Errorf("after a journaled comment: ChangesSince = %q, %+v, %v; want %q, a later cursor, complete", keys, afterComment, complete, want)
	}
	if latest() != afterComment {
		t.Errorf("LatestChange = %+v, want ChangesSince's cursor %+v", latest(), afterComment)
	}

	boom := errors.New("boom")
	err := journaled([]string{"rolled-back"}, func(tx gazette.Tx) error {
		if err := tx.CreateTopic(f.ctx, &gazette.Topic{Slug: "gone", Name: "Gone"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Atomic = %v, want boom", err)
	}
	if keys, now, complete := since(afterComment); len(keys) != 0 || !complete || now != afterComment {
		t.Errorf("after a rollback: ChangesSince = %q, %+v, %v; want nothing, complete", keys, now, complete)
	}

	must(t, "keys without a write", journaled([]string{"f:1"}, func(gazette.Tx) error { return nil }))
	if keys, _, complete := since(afterComment); !slices.Equal(keys, []string{"f:1"}) || !complete {
		t.Errorf("after keys without a write: ChangesSince = %q, %v; want [f:1], complete", keys, complete)
	}

	// A write that changes no page records no keys and is still journaled.
	quiet := latest()
	must(t, "journaled held comment", f.s.Atomic(f.ctx, func(tx gazette.Tx) error {
		c := &gazette.Comment{EntryID: e.ID, Name: "Di", Body: "Held", Status: gazette.CommentPending, CreatedAt: now}
		if err := tx.CreateComment(f.ctx, c); err != nil {
			return err
		}
		return tx.(gazette.ChangeRecorder).RecordChanges(f.ctx, nil)
	}))
	if keys, now, complete := since(quiet); len(keys) != 0 || !complete || now.Seq <= quiet.Seq {
		t.Errorf("after a write that recorded no keys on purpose: ChangesSince = %q, %+v, %v; want nothing, a later cursor, complete", keys, now, complete)
	}

	// A write that names no keys: every cursor before it is incomplete,
	// even once journaled writes follow; one taken after it is not.
	before := latest()
	f.mustTopic("Unjournaled")
	if _, _, complete := since(before); complete {
		t.Error("after a write that recorded no keys: ChangesSince is complete, want incomplete")
	}
	after := latest()
	must(t, "journaled topic", journaled([]string{"t:9"}, func(tx gazette.Tx) error {
		return tx.CreateTopic(f.ctx, &gazette.Topic{Slug: "journaled", Name: "Journaled"})
	}))
	if _, _, complete := since(before); complete {
		t.Error("a journaled write after an unjournaled one made ChangesSince complete")
	}
	if keys, _, complete := since(after); !slices.Equal(keys, []string{"t:9"}) || !complete {
		t.Errorf("from a cursor after the unjournaled write: ChangesSince = %q, %v; want [t:9], complete", keys, complete)
	}

	// A redirect is shown by the static build's page for its old address,
	// so a redirect that names no keys is seen, added or removed.
	for _, write := range []struct {
		name string
		do   func() error
	}{
		{"unjournaled redirect", func() error {
			return f.s.AddRedirect(f.ctx, gazette.Redirect{Path: "/archives/000077.html", EntryID: e.ID})
		}},
		{"unjournaled redirect removed", func() error {
			d, ok := f.s.(gazette.RedirectDeleter)
			if !ok {
				return f.s.AddRedirect(f.ctx, gazette.Redirect{Path: "/archives/000077.html", Target: "/"})
			}
			return d.DeleteRedirect(f.ctx, "/archives/000077.html")
		}},
	} {
		from := latest()
		must(t, write.name, write.do())
		if _, _, complete := since(from); complete {
			t.Errorf("after an %s: ChangesSince is complete, want incomplete", write.name)
		}
	}

	// A bulk load journals nothing and is seen as a change all the same.
	bulkFrom := latest()
	must(t, "bulk load", f.s.Atomic(f.ctx, func(tx gazette.Tx) error {
		if b, ok := tx.(interface{ BeginBulkLoad(context.Context) error }); ok {
			if err := b.BeginBulkLoad(f.ctx); err != nil {
				return err
			}
		}
		x := f.newEntry(5)
		if err := tx.CreateEntry(f.ctx, x); err != nil {
			return err
		}
		return tx.CreateComment(f.ctx, &gazette.Comment{EntryID: x.ID, Name: "Bo", Body: "Yo", Status: gazette.CommentApproved, CreatedAt: now})
	}))
	if _, _, complete := since(bulkFrom); complete {
		t.Error("after a bulk load: ChangesSince is complete, want incomplete")
	}
	bulkTo := latest()
	must(t, "journaled comment after the bulk load", journaled([]string{"c:2"}, func(tx gazette.Tx) error {
		return tx.CreateComment(f.ctx, &gazette.Comment{EntryID: e.ID, Name: "Cy", Body: "Hey", Status: gazette.CommentPending, CreatedAt: now})
	}))
	if keys, _, complete := since(bulkTo); !slices.Equal(keys, []string{"c:2"}) || !complete {
		t.Errorf("after a bulk load and a journaled comment: ChangesSince = %q, %v; want [c:2], complete", keys, complete)
	}
}
