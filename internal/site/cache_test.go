package site_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/site"
	"github.com/gazette-blog/gazette/internal/theme"
)

// cachedBlog is the test blog served twice over one store: through the page
// cache, and rendered afresh on every request, which is the truth the
// cached answers must match.
type cachedBlog struct {
	*blog
	cached, fresh *httptest.Server
	cache         *pagecache.Cache
	pub           *publish.Publisher
	clock         *testClock

	mu      sync.Mutex
	renders map[string]int
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func newCachedBlog(t *testing.T, themeName string) *cachedBlog {
	t.Helper()
	b := &cachedBlog{blog: newBlog(t), clock: &testClock{t: now}, renders: map[string]int{}}
	b.serve(t, themeName).Close() // sets the theme
	themes, err := theme.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	b.cache = pagecache.New(pagecache.Config{Now: b.clock.now, OnRender: func(path string) {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.renders[path]++
	}})
	san := sanitize.New()
	b.pub = publish.New(markdown.New(), san)
	b.pub.SetInvalidator(b.cache)
	b.pub.SetClock(b.clock.now)
	cfg := site.Config{Store: b.store, Themes: themes, Sanitizer: san, Now: b.clock.now, Publisher: b.pub}
	b.fresh = httptest.NewServer(site.New(cfg))
	t.Cleanup(b.fresh.Close)
	cfg.Cache = b.cache
	b.cached = httptest.NewServer(site.New(cfg))
	t.Cleanup(b.cached.Close)
	return b
}

// formTokenRE matches the comment form's token, which differs at each render
// by design.
var formTokenRE = regexp.MustCompile(`name="token" value="[^"]*"`)

func get(t *testing.T, srv *httptest.Server, path string) (int, string) {
	t.Helper()
	status, body := page(t, noRedirect(), srv.URL+path)
	return status, formTokenRE.ReplaceAllString(body, `name="token" value="…"`)
}

// pages returns every page of the blog: the sitemap's, the feeds of each
// list, the indexes and the comment pages.
func (b *cachedBlog) pages(t *testing.T) []string {
	t.Helper()
	_, body := get(t, b.fresh, "/sitemap.xml")
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(body), &sm); err != nil {
		t.Fatal(err)
	}
	paths := []string{"/sitemap.xml", "/robots.txt", "/atom.xml", "/index.xml", "/feed.json", "/comments/",
		"/comments/atom.xml", "/topics/", "/archives/", "/page/2/"}
	for _, u := range sm.URLs {
		p := strings.TrimPrefix(u.Loc, baseURL)
		paths = append(paths, p)
		switch {
		case strings.HasPrefix(p, "/topics/") || strings.HasPrefix(p, "/authors/"):
			paths = append(paths, p+"atom.xml", p+"feed.json")
		case strings.HasSuffix(p, ".html"):
			paths = append(paths, strings.TrimSuffix(p, ".html")+".atom")
		}
	}
	slices.Sort(paths)
	return slices.Compact(paths)
}

// snapshot reads every page from srv.
func (b *cachedBlog) snapshot(t *testing.T, srv *httptest.Server, paths []string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, p := range paths {
		status, body := get(t, srv, p)
		got[p] = http.StatusText(status) + "\n" + body
	}
	return got
}

func (b *cachedBlog) takeRenders() map[string]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	r := b.renders
	b.renders = map[string]int{}
	return r
}

// TestCacheExact makes each kind of write and checks that, on the next
// request, every page serves what a fresh render shows, and that the pages
// rendered again are exactly those whose content changed (plus, where
// named, those that change by design without a visible difference).
func TestCacheExact(t *testing.T) {
	for _, th := range []string{"default", "classic"} {
		t.Run(th, func(t *testing.T) { testCacheExact(t, th) })
	}
}

func testCacheExact(t *testing.T, themeName string) {
	ctx := context.Background()
	b := newCachedBlog(t, themeName)
	seedPath := b.paths[b.seed.title]
	paths := b.pages(t)
	// The sitemap gives each entry's last edit; the store stamps edits
	// with the real time, which the test's clock (2007) does not show yet.
	sitemap := []string{"/sitemap.xml"}
	// The home pages share one key, dropped by any change in the order
	// of entries.
	homePages := []string{"/", "/page/2/"}
	comment := func(moderation gazette.ModerationPolicy) func(t *testing.T) {
		return func(t *testing.T) {
			st, err := b.store.Settings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			st.Moderation = moderation
			if err := b.store.SaveSettings(ctx, st); err != nil {
				t.Fatal(err)
			}
			token, err := b.pub.FormToken(ctx, b.store, b.seedID, b.clock.now().Add(-time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			_, err = b.pub.SubmitComment(ctx, b.store, st, publish.CommentForm{
				EntryID: b.seedID, Name: "Reader " + string(moderation), Email: "reader@example.org",
				Body: "A comment that must show on the next request.", Token: token, IP: "198.51.100.7",
			}, b.clock.now())
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	editEntry := func(title string, change func(e *gazette.Entry)) func(t *testing.T) {
		return func(t *testing.T) {
			e, err := b.store.Entry(ctx, b.ids[title])
			if err != nil {
				t.Fatal(err)
			}
			change(e)
			st, err := b.store.Settings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := b.pub.UpdateEntry(ctx, b.store, st, e); err != nil {
				t.Fatal(err)
			}
		}
	}
	commentID := func(t *testing.T, name string) int64 {
		cs, _, err := b.store.Comments(ctx, gazette.CommentFilter{EntryID: b.seedID})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Name == name {
				return c.ID
			}
		}
		t.Fatalf("no comment by %s", name)
		return 0
	}
	tests := []struct {
		name  string
		write func(t *testing.T)
		// byDesign are pages dropped although a fresh render differs only
		// in what the test cannot see (the form token spent by a comment).
		byDesign []string
		// shows are the addresses of what the write changes: a page that
		// links to one shows it, and may be rendered again when it does not
		// show the field that changed (a key covers all of an entry's
		// fields, and themes show different ones).
		shows []string
	}{
		{"approved comment", comment(gazette.ModerateNone), []string{seedPath}, nil},
		{"held comment", comment(gazette.ModerateAll), []string{seedPath}, nil},
		{"comment approved", func(t *testing.T) {
			if err := b.pub.ModerateComment(ctx, b.store, commentID(t, "Waiting"), gazette.CommentApproved); err != nil {
				t.Fatal(err)
			}
		}, nil, nil},
		{"comment deleted", func(t *testing.T) {
			if err := b.pub.DeleteComment(ctx, b.store, commentID(t, "Carol")); err != nil {
				t.Fatal(err)
			}
		}, nil, nil},
		{"entry text edited", editEntry(b.seed.prevTitle, func(e *gazette.Entry) {
			e.Body = "<p>The council's plans for the schools, corrected.</p>"
		}), sitemap, []string{b.paths[b.seed.prevTitle]}},
		{"entry retitled", editEntry("Earlier Iran Story 2", func(e *gazette.Entry) {
			e.Title = "Earlier Iran Story, Retitled"
		}), sitemap, []string{b.paths["Earlier Iran Story 2"]}},
		{"entry moved to another topic", editEntry("Earlier Iran Story 3", func(e *gazette.Entry) {
			e.Topics = []gazette.Topic{*b.topics["Britain"]}
		}), sitemap, []string{b.paths["Earlier Iran Story 3"], "/topics/iran/"}},
		{"mention approved", func(t *testing.T) {
			m := &gazette.Mention{EntryID: b.seedID, Kind: gazette.MentionWebmention, SourceURL: "https://new.example.org/post",
				Title: "A new mention", Status: gazette.CommentApproved, CreatedAt: now}
			if err := b.store.CreateMention(ctx, m); err != nil {
				t.Fatal(err)
			}
			b.pub.Changed(ctx, pagecache.Mentions(m.EntryID))
		}, nil, nil},
		{"topic renamed", func(t *testing.T) {
			tp := b.topics["Media"]
			tp.Name = "The Press"
			if err := b.store.UpdateTopic(ctx, tp); err != nil {
				t.Fatal(err)
			}
			b.pub.Changed(ctx, pagecache.Topic(tp.ID), pagecache.Topics)
			// The sitemap lists the topics' addresses under the key of their
			// list; pages that list the topic's entries may show its name.
		}, sitemap, []string{"/topics/media/", b.paths[b.seed.latestTitle], b.paths["Media Story Mentioning Iran"]}},
		{"new entry", func(t *testing.T) {
			st, err := b.store.Settings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			e := &gazette.Entry{Title: "A New Entry on Britain", Body: "<p>News.</p>", Format: gazette.FormatHTML,
				Status: gazette.StatusPublished, PublishedAt: now.Add(-time.Hour), AuthorID: b.authors["Guest Writer"].ID,
				AllowComments: true, Topics: []gazette.Topic{*b.topics["Britain"]}}
			if err := b.pub.CreateEntry(ctx, b.store, st, e); err != nil {
				t.Fatal(err)
			}
		}, nil, nil},
		{"entry deleted", func(t *testing.T) {
			if err := b.pub.DeleteEntry(ctx, b.store, b.ids["Earlier Iran Story 4"]); err != nil {
				t.Fatal(err)
			}
		}, homePages, nil},
		// Settings are one key: any change drops every page.
		{"settings changed", func(t *testing.T) {
			st, err := b.store.Settings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			st.Title = "Talk Back, Renamed"
			if err := b.store.SaveSettings(ctx, st); err != nil {
				t.Fatal(err)
			}
			b.pub.Changed(ctx, pagecache.Settings)
		}, paths, nil},
		{"future entry comes due", func(t *testing.T) {
			b.clock.set(now.Add(73 * time.Hour))
		}, nil, nil},
	}
	b.snapshot(t, b.cached, paths) // fill the cache
	before := b.snapshot(t, b.fresh, paths)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b.takeRenders()
			tc.write(t)
			after := b.snapshot(t, b.fresh, paths)
			got := b.snapshot(t, b.cached, paths)
			renders := b.takeRenders()
			changed := 0
			for _, p := range paths {
				if got[p] != after[p] {
					t.Errorf("%s is stale after the write:\n got: %.300s\nwant: %.300s", p, got[p], after[p])
				}
				if after[p] != before[p] {
					changed++
				} else if renders[p] > 0 && strings.HasPrefix(after[p], "OK\n") && !slices.Contains(tc.byDesign, p) &&
					!slices.ContainsFunc(tc.shows, func(s string) bool { return strings.Contains(before[p], s) }) {
					t.Errorf("%s was rendered again although it did not change", p)
				}
				if renders[p] > 1 {
					t.Errorf("%s was rendered %d times", p, renders[p])
				}
			}
			if changed == 0 && len(tc.byDesign) == 0 {
				t.Errorf("the write changed no page: the test shows nothing")
			}
			t.Logf("%d of %d pages changed; %d rendered again", changed, len(paths), len(renders))
			before = after
		})
	}
}
