package publish_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/publish"
)

// TestSharedFormToken: the page cache shows every reader of an entry the same
// form, so readers at different addresses each post one comment with its
// token, while one address gets one comment from it (and its retry back).
func TestSharedFormToken(t *testing.T) {
	ctx := context.Background()
	store, pub, ids := setup(t)
	s := gazette.DefaultSettings()
	s.Moderation = gazette.ModerateNone
	s.CommentsCloseAfterDays = 0
	at := time.Date(2007, 3, 11, 13, 5, 0, 0, time.UTC)
	e := &gazette.Entry{Title: "Shared", Body: "<p>Read me.</p>", Format: gazette.FormatHTML,
		Status: gazette.StatusPublished, PublishedAt: at, AuthorID: ids[gazette.RoleAdmin], AllowComments: true}
	if err := pub.CreateEntry(ctx, store, s, e); err != nil {
		t.Fatal(err)
	}
	shown := at.Add(time.Hour)
	token, err := pub.FormToken(ctx, store, e.ID, shown)
	if err != nil {
		t.Fatal(err)
	}
	now := shown.Add(time.Minute)
	form := func(ip, name, body string) publish.CommentForm {
		return publish.CommentForm{EntryID: e.ID, Name: name, Email: name + "@example.com", Body: body, IP: ip, Token: token}
	}
	first, err := pub.SubmitComment(ctx, store, s, form("192.0.2.1", "ann", "First reader's words."), now)
	if err != nil {
		t.Fatalf("first reader: %v", err)
	}
	second, err := pub.SubmitComment(ctx, store, s, form("192.0.2.2", "bob", "Second reader's words."), now)
	if err != nil {
		t.Fatalf("second reader, same form, another address: %v", err)
	}
	if first.ID == second.ID {
		t.Fatalf("both readers got comment %d", first.ID)
	}
	retry, err := pub.SubmitComment(ctx, store, s, form("192.0.2.1", "ann", "First reader's words."), now)
	if err != nil || retry.ID != first.ID {
		t.Errorf("the first reader's retry: comment %v, %v; want comment %d again", retry, err, first.ID)
	}
	_, err = pub.SubmitComment(ctx, store, s, form("192.0.2.1", "ann", "Something else."), now)
	if !errors.Is(err, gazette.ErrConflict) {
		t.Errorf("a second comment from one address with one token: %v, want a conflict", err)
	}
	comments, _, err := store.Comments(ctx, gazette.CommentFilter{EntryID: e.ID, Status: gazette.CommentApproved})
	if err != nil {
		t.Fatal(err)
	}
	if len(comments) != 2 {
		t.Errorf("%d comments stored, want 2", len(comments))
	}
}
