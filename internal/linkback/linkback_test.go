package linkback_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/fetch"
	"github.com/gazette-blog/gazette/internal/linkback"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

const blogBase = "https://blog.example.com"

// sources is a web server on loopback whose pages the tests change.
type sources struct {
	mu    sync.Mutex
	pages map[string]page
	srv   *httptest.Server
}

type page struct {
	status      int
	contentType string
	body        string
}

func newSources(t *testing.T) *sources {
	s := &sources{pages: map[string]page{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		p, ok := s.pages[r.URL.Path]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		if p.contentType == "" {
			p.contentType = "text/html; charset=utf-8"
		}
		w.Header().Set("Content-Type", p.contentType)
		if p.status != 0 {
			w.WriteHeader(p.status)
		}
		w.Write([]byte(p.body))
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *sources) set(path string, p page) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = p
	return s.srv.URL + path
}

type fixture struct {
	store  *sqlite.DB
	recv   *linkback.Receiver
	entry  *gazette.Entry
	closed *gazette.Entry
	src    *sources
}

func newFixture(t *testing.T, moderation gazette.ModerationPolicy) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st := gazette.DefaultSettings()
	st.BaseURL, st.Moderation = blogBase, moderation
	if err := db.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	a := &gazette.Author{Slug: "richard", Name: "Richard", Role: gazette.RoleAdmin}
	if err := db.CreateAuthor(ctx, a); err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: db, src: newSources(t)}
	at := time.Date(2007, 3, 11, 13, 5, 0, 0, time.UTC)
	for i, pings := range []bool{true, false} {
		e := &gazette.Entry{Basename: []string{"general", "closed"}[i], Title: "Entry", Format: gazette.FormatHTML,
			Status: gazette.StatusPublished, PublishedAt: at, AuthorID: a.ID, AllowPings: pings}
		e.Path = gazette.EntryPath(at, time.UTC, e.Basename)
		if err := db.CreateEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
		if pings {
			f.entry = e
		} else {
			f.closed = e
		}
	}
	f.recv = linkback.New(linkback.Config{Store: db, Fetch: fetch.New(fetch.Config{AllowPrivate: true}),
		Now: func() time.Time { return at.Add(24 * time.Hour) }})
	return f
}

func (f *fixture) req(source string) linkback.Request {
	return linkback.Request{Kind: gazette.MentionWebmention, Source: source, Target: blogBase + f.entry.Path, Base: blogBase, IP: "192.0.2.7"}
}

func (f *fixture) mentions(t *testing.T) []*gazette.Mention {
	t.Helper()
	ms, err := f.store.Mentions(context.Background(), f.entry.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestTarget(t *testing.T) {
	f := newFixture(t, gazette.ModerateNone)
	good := f.req("https://other.example/post")
	for _, tc := range []struct {
		name   string
		change func(r *linkback.Request)
		want   error
	}{
		{"ok", func(*linkback.Request) {}, nil},
		{"source not a web URL", func(r *linkback.Request) { r.Source = "ftp://other.example/x" }, linkback.ErrNoSource},
		{"target not a web URL", func(r *linkback.Request) { r.Target = "mailto:richard@example.com" }, linkback.ErrNoTarget},
		{"target on another host", func(r *linkback.Request) { r.Target = "https://elsewhere.example" + f.entry.Path }, linkback.ErrNoTarget},
		{"target no entry", func(r *linkback.Request) { r.Target = blogBase + "/archives/2007/03/none.html" }, linkback.ErrNoTarget},
		{"target the home page", func(r *linkback.Request) { r.Target = blogBase + "/" }, linkback.ErrNoTarget},
		{"source is target", func(r *linkback.Request) { r.Source = r.Target }, linkback.ErrNoTarget},
		{"entry takes no pings", func(r *linkback.Request) { r.Target = blogBase + f.closed.Path }, linkback.ErrClosed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := good
			tc.change(&r)
			e, err := f.recv.Target(context.Background(), r)
			if tc.want == nil {
				if err != nil || e.ID != f.entry.ID {
					t.Fatalf("Target = %v, %v; want entry %d", e, err, f.entry.ID)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("Target: %v, want %v", err, tc.want)
			}
			var ge *gazette.Error
			if !errors.As(err, &ge) || ge.Message == "" {
				t.Errorf("error %v is no *gazette.Error with a message", err)
			}
		})
	}
}

// TestVerify follows one source through its life: a reply with an h-entry,
// edited into a like, then gone; and a page that stops linking.
func TestVerify(t *testing.T) {
	f := newFixture(t, gazette.ModerateNone)
	ctx := context.Background()
	target := blogBase + f.entry.Path
	src := f.src.set("/reply", page{body: `<!doctype html><html><head><title>Site title</title></head><body>
<article class="h-entry">
  <h1 class="p-name">On the general</h1>
  <a class="p-author h-card" href="/about"><img class="u-photo" src="/ann.jpg" alt=""> <span class="p-name">Ann</span></a>
  <div class="e-content"><p>In reply to <a class="u-in-reply-to" href="` + target + `#comments">Richard</a>: quite so.</p></div>
  <div class="h-cite"><span class="p-name">A quoted post that is not ours</span></div>
</article></body></html>`})
	m, err := f.recv.Verify(ctx, f.req(src))
	if err != nil {
		t.Fatal(err)
	}
	want := gazette.Mention{Kind: gazette.MentionWebmention, SourceURL: src, Title: "On the general", Excerpt: "In reply to Richard: quite so.",
		Type: gazette.MentionReply, AuthorName: "Ann", AuthorURL: f.src.srv.URL + "/about", AuthorPhoto: f.src.srv.URL + "/ann.jpg",
		Status: gazette.CommentApproved, IP: "192.0.2.7"}
	got := *m
	got.ID, got.EntryID, got.CreatedAt = 0, 0, time.Time{}
	if got != want {
		t.Errorf("mention:\n got %+v\nwant %+v", got, want)
	}

	f.src.set("/reply", page{body: `<div class="h-entry"><p class="p-author">Ann</p><a class="u-like-of" href="` + target + `">liked</a></div>`})
	if _, err := f.recv.Verify(ctx, f.req(src)); err != nil {
		t.Fatal(err)
	}
	ms := f.mentions(t)
	if len(ms) != 1 || ms[0].ID != m.ID || ms[0].Type != gazette.MentionLike || ms[0].UpdatedAt.IsZero() || ms[0].AuthorPhoto != "" {
		t.Fatalf("after the update: %+v, want the same mention, a like, updated", ms)
	}

	f.src.set("/reply", page{status: http.StatusGone, body: "gone"})
	if _, err := f.recv.Verify(ctx, f.req(src)); !errors.Is(err, linkback.ErrNoSource) {
		t.Errorf("a 410 source: %v, want ErrNoSource", err)
	}
	if ms := f.mentions(t); len(ms) != 0 {
		t.Errorf("a 410 source left %d mentions", len(ms))
	}

	// A page without microformats: its title, the words around the link.
	plain := f.src.set("/plain", page{body: `<html><head><title>Captain's Quarters</title></head><body>
<p>Unrelated.</p><p>Richard at <a href="` + target + `">Talk Back</a> has the story.</p></body></html>`})
	m, err = f.recv.Verify(ctx, f.req(plain))
	if err != nil {
		t.Fatal(err)
	}
	if m.Title != "Captain's Quarters" || m.Excerpt != "Richard at Talk Back has the story." || m.Type != gazette.MentionPlain {
		t.Errorf("plain page: %+v", m)
	}
	f.src.set("/plain", page{body: `<p>No link any more.</p>`})
	if _, err := f.recv.Verify(ctx, f.req(plain)); !errors.Is(err, linkback.ErrNoLink) {
		t.Errorf("a source that stopped linking: %v, want ErrNoLink", err)
	}
	if ms := f.mentions(t); len(ms) != 0 {
		t.Errorf("a source that stopped linking left %d mentions", len(ms))
	}

	text := f.src.set("/text", page{contentType: "text/plain", body: "see " + target})
	if _, err := f.recv.Verify(ctx, f.req(text)); err != nil {
		t.Errorf("a plain-text source that links: %v", err)
	}
	if _, err := f.recv.Verify(ctx, f.req(f.src.srv.URL+"/missing")); !errors.Is(err, linkback.ErrNoSource) {
		t.Errorf("a missing source: %v, want ErrNoSource", err)
	}
	script := f.src.set("/script", page{body: `<script>var u = "` + target + `";</script><p>nothing</p>`})
	if _, err := f.recv.Verify(ctx, f.req(script)); !errors.Is(err, linkback.ErrNoLink) {
		t.Errorf("a URL in a script is no link: %v", err)
	}
}

// TestVerifyRefusesPrivate checks that a receiver with the default client
// never fetches a source on loopback.
func TestVerifyRefusesPrivate(t *testing.T) {
	f := newFixture(t, gazette.ModerateNone)
	recv := linkback.New(linkback.Config{Store: f.store, Fetch: fetch.New(fetch.Config{})})
	src := f.src.set("/reply", page{body: `<a href="` + blogBase + f.entry.Path + `">x</a>`})
	if _, err := recv.Verify(context.Background(), f.req(src)); !errors.Is(err, linkback.ErrNoSource) {
		t.Errorf("a loopback source: %v, want ErrNoSource", err)
	}
	if len(f.mentions(t)) != 0 {
		t.Error("a loopback source became a mention")
	}
}

func TestModeration(t *testing.T) {
	for _, tc := range []struct {
		policy      gazette.ModerationPolicy
		first, next gazette.CommentStatus
	}{
		{gazette.ModerateNone, gazette.CommentApproved, gazette.CommentApproved},
		{gazette.ModerateAll, gazette.CommentPending, gazette.CommentPending},
		{gazette.ModerateFirstTime, gazette.CommentPending, gazette.CommentApproved},
	} {
		t.Run(string(tc.policy), func(t *testing.T) {
			f := newFixture(t, tc.policy)
			ctx := context.Background()
			body := page{body: `<a href="` + blogBase + f.entry.Path + `">x</a>`}
			m, err := f.recv.Verify(ctx, f.req(f.src.set("/one", body)))
			if err != nil {
				t.Fatal(err)
			}
			if m.Status != tc.first {
				t.Errorf("first mention from the site: %s, want %s", m.Status, tc.first)
			}
			// The admin approves it; the site's next mention is judged.
			m.Status = gazette.CommentApproved
			if err := f.store.UpdateMention(ctx, m); err != nil {
				t.Fatal(err)
			}
			m, err = f.recv.Verify(ctx, f.req(f.src.set("/two", body)))
			if err != nil {
				t.Fatal(err)
			}
			if m.Status != tc.next {
				t.Errorf("next mention from the site: %s, want %s", m.Status, tc.next)
			}
		})
	}
}

// TestQueue checks the background verifier and the bound of its queue.
func TestQueue(t *testing.T) {
	f := newFixture(t, gazette.ModerateNone)
	recv := linkback.New(linkback.Config{Store: f.store, Fetch: fetch.New(fetch.Config{AllowPrivate: true}), QueueLength: 1})
	src := f.src.set("/q", page{body: `<a href="` + blogBase + f.entry.Path + `">x</a>`})
	if err := recv.Queue(f.req(src)); err != nil {
		t.Fatal(err)
	}
	if err := recv.Queue(f.req(src)); !errors.Is(err, linkback.ErrBusy) {
		t.Errorf("a full queue: %v, want ErrBusy", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { recv.Run(ctx); close(done) }()
	for i := 0; len(f.mentions(t)) == 0; i++ {
		if i == 2000 {
			t.Fatal("the queued webmention was never verified")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}
