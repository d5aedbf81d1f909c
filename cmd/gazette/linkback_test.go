package main

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// blogOnLoopback is a gazette instance started as a user would, with its
// database open beside it, as an admin's tools would have it.
type blogOnLoopback struct {
	base   string
	store  *sqlite.DB
	pub    *publish.Publisher
	author *gazette.Author
}

func startBlog(t *testing.T, title string) *blogOnLoopback {
	t.Helper()
	dir := t.TempDir()
	base, stop := startServe(t, dir, "--allow-private", "--ping-interval", "50ms")
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("serve %s: %v", title, err)
		}
	})
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st := gazette.DefaultSettings()
	st.Title, st.BaseURL, st.Moderation = title, base, gazette.ModerateNone
	if err := db.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	a := &gazette.Author{Slug: "writer", Name: title + " Writer", Role: gazette.RoleAdmin}
	if err := db.CreateAuthor(ctx, a); err != nil {
		t.Fatal(err)
	}
	return &blogOnLoopback{base: base, store: db, pub: publish.New(markdown.New(), sanitize.New()), author: a}
}

func (b *blogOnLoopback) publish(t *testing.T, title, body string) *gazette.Entry {
	t.Helper()
	ctx := context.Background()
	st, err := b.store.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e := &gazette.Entry{Title: title, Body: body, Format: gazette.FormatHTML, Status: gazette.StatusPublished,
		AuthorID: b.author.ID, AllowComments: true, AllowPings: true,
		PublishedAt: time.Now().UTC().Add(-time.Minute).Truncate(time.Second)}
	if err := b.pub.CreateEntry(ctx, b.store, st, e); err != nil {
		t.Fatal(err)
	}
	return e
}

// eventually polls cond until it holds or 20 seconds have passed: the
// blogs work in the background, and on a busy machine they take a while.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s did not happen", what)
}

// TestWebmentionBetweenTwoBlogs runs two blogs on loopback. An entry on A
// replies to an entry on B; publishing it makes A send a webmention, which
// B verifies and shows under its entry as a reply; deleting A's entry makes
// A answer 410 for it and tell B, which removes the reply.
func TestWebmentionBetweenTwoBlogs(t *testing.T) {
	b := startBlog(t, "Blog B")
	a := startBlog(t, "Blog A")
	target := b.publish(t, "Iranian General That Defected Was Spy For West", "<p>The general was a mole.</p>")
	targetURL := b.base + target.Path

	reply := a.publish(t, "On the general", `<p>Replying to <a class="u-in-reply-to" href="`+targetURL+
		`">Blog B</a>: the West knew more than we suspected.</p>`)
	sourceURL := a.base + reply.Path
	eventually(t, "B showing A's reply", func() bool {
		_, page := get(t, targetURL)
		return strings.Contains(page, `href="`+sourceURL+`"`) && strings.Contains(page, "Replied")
	})
	_, page := get(t, targetURL)
	for _, want := range []string{`<section id="mentions"`, "Blog A Writer", "the West knew more than we suspected"} {
		if !strings.Contains(page, want) {
			t.Errorf("B's entry page lacks %q", want)
		}
	}
	mentions, err := b.store.Mentions(context.Background(), target.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(mentions) != 1 || mentions[0].Kind != gazette.MentionWebmention || mentions[0].Type != gazette.MentionReply ||
		mentions[0].Status != gazette.CommentApproved {
		t.Fatalf("B's mentions = %+v, want one approved webmention reply", mentions)
	}
	pings, err := a.store.Pings(context.Background(), reply.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(pings) != 1 || pings[0].Status != gazette.PingSent || pings[0].Endpoint != b.base+"/webmention" || pings[0].Response != http.StatusAccepted {
		t.Fatalf("A's record of pings = %+v, want one sent to B's endpoint", pings)
	}

	// Delete A's entry: its permalink is gone, and B learns of it.
	if err := a.pub.DeleteEntry(context.Background(), a.store, reply.ID); err != nil {
		t.Fatal(err)
	}
	if status, _ := get(t, sourceURL); status != http.StatusGone {
		t.Errorf("A's deleted entry answers %d, want 410", status)
	}
	eventually(t, "B removing A's reply", func() bool {
		ms, err := b.store.Mentions(context.Background(), target.ID, "")
		return err == nil && len(ms) == 0
	})
	if _, page := get(t, targetURL); strings.Contains(page, sourceURL) {
		t.Error("B's entry page still shows the deleted reply")
	}
}
