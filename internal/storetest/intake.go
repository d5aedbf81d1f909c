package storetest

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

// intakeStore is a store that takes readers' comments: it keeps form tokens,
// secrets and spam counts.
type intakeStore interface {
	gazette.Store
	gazette.CommentTokenStore
	gazette.SecretStore
	gazette.SpamStore
}

func (f *fixture) intake() intakeStore {
	f.t.Helper()
	s, ok := f.s.(intakeStore)
	if !ok {
		f.t.Fatalf("%T does not keep form tokens, secrets and spam counts", f.s)
	}
	return s
}

func testCommentFilterEmailBody(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	e := f.mustEntry(0)
	other := f.mustEntry(1)
	a := f.mustComment(e, base, gazette.CommentApproved, func(c *gazette.Comment) { c.Email = "a@example.com"; c.Body = "Same words." })
	f.mustComment(e, base.Add(time.Minute), gazette.CommentPending, func(c *gazette.Comment) { c.Email = "b@example.com"; c.Body = "Same words." })
	f.mustComment(other, base, gazette.CommentApproved, func(c *gazette.Comment) { c.Email = "a@example.com"; c.Body = "Other words." })
	for _, c := range []struct {
		name   string
		filter gazette.CommentFilter
		want   int
	}{
		{"email", gazette.CommentFilter{Email: "a@example.com"}, 2},
		{"email and status", gazette.CommentFilter{Email: "b@example.com", Status: gazette.CommentApproved}, 0},
		{"body on entry", gazette.CommentFilter{EntryID: e.ID, Body: "Same words."}, 2},
		{"email, body and entry", gazette.CommentFilter{EntryID: e.ID, Email: "a@example.com", Body: "Same words."}, 1},
		{"body differs", gazette.CommentFilter{Body: "same words."}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			list, n, err := f.s.Comments(f.ctx, c.filter)
			must(t, "Comments", err)
			if len(list) != c.want || n != c.want {
				t.Errorf("Comments(%+v): %d (total %d), want %d", c.filter, len(list), n, c.want)
			}
		})
	}
	list, _, err := f.s.Comments(f.ctx, gazette.CommentFilter{EntryID: e.ID, Email: "a@example.com", Body: "Same words."})
	must(t, "Comments", err)
	if len(list) == 1 && list[0].ID != a.ID {
		t.Errorf("found comment %d, want %d", list[0].ID, a.ID)
	}
}

func testCommentTokens(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	s := f.intake()
	e := f.mustEntry(0)
	c := f.mustComment(e, base, gazette.CommentPending)
	_, err := s.CommentByToken(f.ctx, "t1")
	wantKind(t, "CommentByToken(unused)", err, gazette.ErrNotFound)
	must(t, "UseCommentToken", s.UseCommentToken(f.ctx, "t1", c.ID, now.Add(time.Hour)))
	wantKind(t, "UseCommentToken(again)", s.UseCommentToken(f.ctx, "t1", c.ID, now.Add(time.Hour)), gazette.ErrConflict)
	got, err := s.CommentByToken(f.ctx, "t1")
	must(t, "CommentByToken", err)
	if got.ID != c.ID || got.Body != c.Body {
		t.Errorf("CommentByToken: comment %d %q, want %d %q", got.ID, got.Body, c.ID, c.Body)
	}
	must(t, "UseCommentToken", s.UseCommentToken(f.ctx, "t2", c.ID, now.Add(-time.Hour)))
	n, err := s.DeleteExpiredCommentTokens(f.ctx, now)
	must(t, "DeleteExpiredCommentTokens", err)
	if n != 1 {
		t.Errorf("DeleteExpiredCommentTokens: %d, want 1", n)
	}
	_, err = s.CommentByToken(f.ctx, "t2")
	wantKind(t, "CommentByToken(expired)", err, gazette.ErrNotFound)
	if _, err := s.CommentByToken(f.ctx, "t1"); err != nil {
		t.Errorf("a token not yet expired was forgotten: %v", err)
	}

	// A rolled-back transaction leaves no token behind.
	err = s.Atomic(f.ctx, func(tx gazette.Tx) error {
		c2 := &gazette.Comment{EntryID: e.ID, Name: "R", Body: "x", Status: gazette.CommentPending}
		if err := tx.CreateComment(f.ctx, c2); err != nil {
			return err
		}
		if err := tx.(gazette.CommentTokenStore).UseCommentToken(f.ctx, "t3", c2.ID, now.Add(time.Hour)); err != nil {
			return err
		}
		return gazette.Errorf(gazette.ErrInvalid, "refused")
	})
	wantKind(t, "Atomic", err, gazette.ErrInvalid)
	_, err = s.CommentByToken(f.ctx, "t3")
	wantKind(t, "CommentByToken(rolled back)", err, gazette.ErrNotFound)
}

func testSecrets(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	s := f.intake()
	first, err := s.Secret(f.ctx, "comments", []byte("first candidate"))
	must(t, "Secret", err)
	second, err := s.Secret(f.ctx, "comments", []byte("second candidate"))
	must(t, "Secret", err)
	if !bytes.Equal(first, []byte("first candidate")) || !bytes.Equal(second, first) {
		t.Errorf("Secret: %q then %q, want the first candidate both times", first, second)
	}
	other, err := s.Secret(f.ctx, "other", []byte("another"))
	must(t, "Secret", err)
	if !bytes.Equal(other, []byte("another")) {
		t.Errorf("Secret(other) = %q", other)
	}
}

func testSpamCounts(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	s := f.intake()
	e := f.mustEntry(0)
	c1 := f.mustComment(e, base, gazette.CommentPending)
	c2 := f.mustComment(e, base, gazette.CommentPending)
	counts := func(tokens ...string) (map[string]gazette.SpamCount, gazette.SpamCount) {
		t.Helper()
		m, total, err := s.SpamCounts(f.ctx, tokens)
		must(t, "SpamCounts", err)
		return m, total
	}
	if m, total := counts("viagra"); len(m) != 0 || total != (gazette.SpamCount{}) {
		t.Errorf("SpamCounts of a new store: %v, %v", m, total)
	}
	must(t, "TrainSpam", s.TrainSpam(f.ctx, c1.ID, []string{"viagra", "cheap"}, true))
	must(t, "TrainSpam again", s.TrainSpam(f.ctx, c1.ID, []string{"viagra", "cheap"}, true))
	must(t, "TrainSpam", s.TrainSpam(f.ctx, c2.ID, []string{"cheap", "iran"}, false))
	m, total := counts("viagra", "cheap", "iran", "unseen")
	want := map[string]gazette.SpamCount{"viagra": {Spam: 1}, "cheap": {Ham: 1, Spam: 1}, "iran": {Ham: 1}}
	if !reflect.DeepEqual(m, want) || total != (gazette.SpamCount{Ham: 1, Spam: 1}) {
		t.Errorf("after training: %v, %v; want %v, {1 1}", m, total, want)
	}
	// A changed decision moves the comment's counts across.
	must(t, "TrainSpam (changed)", s.TrainSpam(f.ctx, c1.ID, []string{"viagra", "cheap"}, false))
	m, total = counts("viagra", "cheap")
	want = map[string]gazette.SpamCount{"viagra": {Ham: 1}, "cheap": {Ham: 2}}
	if !reflect.DeepEqual(m, want) || total != (gazette.SpamCount{Ham: 2}) {
		t.Errorf("after changing a decision: %v, %v; want %v, {2 0}", m, total, want)
	}
	wantKind(t, "TrainSpam(unknown comment)", s.TrainSpam(f.ctx, 9999, []string{"x"}, true), gazette.ErrNotFound)
	// Many tokens at once (more than any one query's batch).
	many := make([]string, 200)
	for i := range many {
		many[i] = "t" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	must(t, "TrainSpam(many)", s.TrainSpam(f.ctx, c2.ID, many, true))
	if m, _ := counts(many...); len(m) != len(many) {
		t.Errorf("SpamCounts of %d tokens found %d", len(many), len(m))
	}
}
