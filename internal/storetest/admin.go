package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

func testSessions(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	ss := capability[gazette.SessionStore](t, f.s)
	s := &gazette.Session{ID: "hash-1", AuthorID: 7, CreatedAt: base, ExpiresAt: base.Add(time.Hour)}
	must(t, "CreateSession", ss.CreateSession(f.ctx, s))
	wantKind(t, "CreateSession of a taken ID", ss.CreateSession(f.ctx, &gazette.Session{ID: "hash-1", ExpiresAt: base}), gazette.ErrConflict)

	got, err := ss.Session(f.ctx, "hash-1", base.Add(time.Minute))
	must(t, "Session", err)
	if !reflect.DeepEqual(got, s) {
		t.Errorf("Session:\n got %+v\nwant %+v", got, s)
	}
	_, err = ss.Session(f.ctx, "hash-1", base.Add(time.Hour))
	wantKind(t, "Session at its expiry", err, gazette.ErrNotFound)
	_, err = ss.Session(f.ctx, "unknown", base)
	wantKind(t, "Session of an unknown ID", err, gazette.ErrNotFound)

	must(t, "CreateSession", ss.CreateSession(f.ctx, &gazette.Session{ID: "hash-2", AuthorID: 7, ExpiresAt: base.Add(time.Hour)}))
	must(t, "CreateSession", ss.CreateSession(f.ctx, &gazette.Session{ID: "hash-3", AuthorID: 8, ExpiresAt: base.Add(2 * time.Hour)}))
	must(t, "DeleteAuthorSessions", ss.DeleteAuthorSessions(f.ctx, 7))
	_, err = ss.Session(f.ctx, "hash-2", base)
	wantKind(t, "Session of a signed-out author", err, gazette.ErrNotFound)
	if _, err := ss.Session(f.ctx, "hash-3", base); err != nil {
		t.Errorf("another author's session went too: %v", err)
	}
	must(t, "CreateSession", ss.CreateSession(f.ctx, &gazette.Session{ID: "old", ExpiresAt: base}))
	n, err := ss.DeleteExpiredSessions(f.ctx, base.Add(time.Minute))
	must(t, "DeleteExpiredSessions", err)
	if n != 1 {
		t.Errorf("DeleteExpiredSessions = %d, want 1", n)
	}
	must(t, "DeleteSession", ss.DeleteSession(f.ctx, "hash-3"))
	must(t, "DeleteSession of a deleted session", ss.DeleteSession(f.ctx, "hash-3"))
	_, err = ss.Session(f.ctx, "hash-3", base)
	wantKind(t, "Session after DeleteSession", err, gazette.ErrNotFound)
}

func testLoginFailures(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	lf := capability[gazette.LoginFailureStore](t, f.s)
	for i := range 3 {
		must(t, "AddLoginFailure", lf.AddLoginFailure(f.ctx, "account:a@example.org", base.Add(time.Duration(i)*time.Minute)))
	}
	must(t, "AddLoginFailure", lf.AddLoginFailure(f.ctx, "ip:192.0.2.1", base))
	for _, c := range []struct {
		key   string
		since time.Time
		want  int
	}{
		{"account:a@example.org", base, 3},
		{"account:a@example.org", base.Add(time.Minute), 2},
		{"ip:192.0.2.1", base, 1},
		{"ip:192.0.2.2", base, 0},
	} {
		n, err := lf.LoginFailures(f.ctx, c.key, c.since)
		must(t, "LoginFailures", err)
		if n != c.want {
			t.Errorf("LoginFailures(%s, %v) = %d, want %d", c.key, c.since, n, c.want)
		}
	}
	must(t, "ClearLoginFailures", lf.ClearLoginFailures(f.ctx, "account:a@example.org"))
	if n, err := lf.LoginFailures(f.ctx, "account:a@example.org", base); err != nil || n != 0 {
		t.Errorf("LoginFailures after ClearLoginFailures = %d, %v; want 0", n, err)
	}
	if n, err := lf.LoginFailures(f.ctx, "ip:192.0.2.1", base); err != nil || n != 1 {
		t.Errorf("ClearLoginFailures cleared another key: %d, %v", n, err)
	}
}

func testMedia(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	ms := capability[gazette.MediaStore](t, f.s)
	m := &gazette.Media{Path: "/media/2007/03/a.png", Type: "image/png", Size: 1234, Width: 800, Height: 600,
		Alt: "A cat", AuthorID: 1, CreatedAt: base,
		Variants: []gazette.MediaVariant{{Path: "/media/2007/03/a-400.png", Width: 400, Height: 300}}}
	must(t, "CreateMedia", ms.CreateMedia(f.ctx, m))
	got, err := ms.Media(f.ctx, m.ID)
	must(t, "Media", err)
	if !reflect.DeepEqual(got, m) {
		t.Errorf("Media:\n got %+v\nwant %+v", got, m)
	}
	wantKind(t, "CreateMedia of a taken path", ms.CreateMedia(f.ctx, &gazette.Media{Path: m.Path, Type: "image/png", Alt: "x"}), gazette.ErrConflict)
	wantKind(t, "CreateMedia without alt text", ms.CreateMedia(f.ctx, &gazette.Media{Path: "/media/b.png", Type: "image/png", Alt: " "}), gazette.ErrInvalid)
	later := &gazette.Media{Path: "/media/2007/04/b.pdf", Type: "application/pdf", Size: 10, Alt: "Notes", CreatedAt: base.Add(time.Hour)}
	must(t, "CreateMedia", ms.CreateMedia(f.ctx, later))

	list, n, err := ms.MediaList(f.ctx, 1, 0)
	must(t, "MediaList", err)
	if n != 2 || len(list) != 1 || list[0].ID != later.ID {
		t.Errorf("MediaList(1, 0) = %d items (first %+v), %d in all; want the later upload, 2 in all", len(list), list, n)
	}
	list, _, err = ms.MediaList(f.ctx, 0, 1)
	must(t, "MediaList", err)
	if len(list) != 1 || list[0].ID != m.ID {
		t.Errorf("MediaList(0, 1) = %+v, want the first upload", list)
	}
	must(t, "DeleteMedia", ms.DeleteMedia(f.ctx, m.ID))
	_, err = ms.Media(f.ctx, m.ID)
	wantKind(t, "Media after DeleteMedia", err, gazette.ErrNotFound)
}

func testRevisions(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	rs := capability[gazette.RevisionStore](t, f.s)
	e := f.mustEntry(0)
	first := &gazette.Revision{EntryID: e.ID, AuthorID: e.AuthorID, Title: "One", Body: "a\nb\n",
		Format: gazette.FormatMarkdown, CreatedAt: base}
	second := &gazette.Revision{EntryID: e.ID, AuthorID: e.AuthorID, Title: "Two", Body: "a\nc\n",
		ExtendedBody: "more", Excerpt: "ex", Format: gazette.FormatHTML, CreatedAt: base.Add(time.Minute)}
	must(t, "AddRevision", rs.AddRevision(f.ctx, first))
	must(t, "AddRevision", rs.AddRevision(f.ctx, second))
	must(t, "AddRevision", rs.AddRevision(f.ctx, &gazette.Revision{EntryID: e.ID + 1000, Title: "other"}))
	list, err := rs.Revisions(f.ctx, e.ID)
	must(t, "Revisions", err)
	if want := []*gazette.Revision{second, first}; !reflect.DeepEqual(list, want) {
		t.Errorf("Revisions:\n got %+v\nwant %+v", list, want)
	}
	got, err := rs.Revision(f.ctx, first.ID)
	must(t, "Revision", err)
	if !reflect.DeepEqual(got, first) {
		t.Errorf("Revision:\n got %+v\nwant %+v", got, first)
	}
	_, err = rs.Revision(f.ctx, 99999)
	wantKind(t, "Revision of an unknown ID", err, gazette.ErrNotFound)

	must(t, "DeleteEntry", f.s.DeleteEntry(f.ctx, e.ID))
	if list, err := rs.Revisions(f.ctx, e.ID); err != nil || len(list) != 2 {
		t.Errorf("Revisions after the entry was deleted = %d, %v; want 2 kept", len(list), err)
	}

	tr := &gazette.Trashed{EntryID: e.ID, Title: e.Title, AuthorID: e.AuthorID, Data: []byte(`{"Title":"x"}`), DeletedAt: base}
	must(t, "AddTrashed", rs.AddTrashed(f.ctx, tr))
	tr2 := &gazette.Trashed{EntryID: 42, Title: "Later", AuthorID: e.AuthorID, Data: []byte(`{}`), DeletedAt: base.Add(time.Hour)}
	must(t, "AddTrashed", rs.AddTrashed(f.ctx, tr2))
	trash, err := rs.TrashedEntries(f.ctx)
	must(t, "TrashedEntries", err)
	if want := []*gazette.Trashed{tr2, tr}; !reflect.DeepEqual(trash, want) {
		t.Errorf("TrashedEntries:\n got %+v\nwant %+v", trash, want)
	}
	got2, err := rs.TrashedEntry(f.ctx, tr.ID)
	must(t, "TrashedEntry", err)
	if !reflect.DeepEqual(got2, tr) {
		t.Errorf("TrashedEntry:\n got %+v\nwant %+v", got2, tr)
	}
	must(t, "DeleteTrashed", rs.DeleteTrashed(f.ctx, tr.ID))
	_, err = rs.TrashedEntry(f.ctx, tr.ID)
	wantKind(t, "TrashedEntry after DeleteTrashed", err, gazette.ErrNotFound)
}

func testCommentEdit(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	ce := capability[gazette.CommentEditStore](t, f.s)
	e := f.mustEntry(0)
	c := f.mustComment(e, base, gazette.CommentApproved)
	c.Name, c.Email, c.URL, c.Body = "Ann B.", "ann@example.org", "https://ann.example/", "Fixed typo."
	must(t, "UpdateCommentText", ce.UpdateCommentText(f.ctx, c))
	got, err := f.s.Comment(f.ctx, c.ID)
	must(t, "Comment", err)
	if got.Name != c.Name || got.Email != c.Email || got.URL != c.URL || got.Body != c.Body || got.Status != gazette.CommentApproved {
		t.Errorf("after UpdateCommentText: %+v, want the new text and the old status", got)
	}
	wantKind(t, "UpdateCommentText of an unknown comment", ce.UpdateCommentText(f.ctx, &gazette.Comment{ID: 99999}), gazette.ErrNotFound)
}
