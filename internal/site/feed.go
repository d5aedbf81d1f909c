package site

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/feed"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/web"
)

// feedLength is how many entries a feed carries.
const feedLength = 15

// feedFormat is one of the three formats every feed is served in.
type feedFormat struct {
	file        string // the last segment of the feed's address
	contentType string
	write       func(f *feed.Feed, w io.Writer) error
}

// The formats, each named for the file it is served as.
var (
	atom     = feedFormat{"atom.xml", feed.AtomType, (*feed.Feed).WriteAtom}
	rss      = feedFormat{"index.xml", feed.RSSType, (*feed.Feed).WriteRSS}
	jsonFeed = feedFormat{"feed.json", feed.JSONType, (*feed.Feed).WriteJSON}
)

// feedScope is what a feed follows: the whole blog, a topic or an author.
type feedScope int

const (
	blogFeed feedScope = iota
	topicFeed
	authorFeed
)

// feedHandler serves the feed of scope in format: /atom.xml, /index.xml and
// /feed.json for the blog, and the same files below /topics/SLUG/ and
// /authors/SLUG/.
func (s *Site) feedHandler(scope feedScope, format feedFormat) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		st, err := s.store.Settings(ctx)
		if err != nil {
			return fmt.Errorf("reading settings: %w", err)
		}
		fb, err := feed.NewBlog(baseURL(r, st), st.Location())
		if err != nil {
			return fmt.Errorf("feed: %w", err)
		}
		f := &feed.Feed{
			Title:    st.Title,
			Subtitle: st.Description,
			HomeURL:  fb.URL("/"),
			Language: "en",
		}
		filter := gazette.EntryFilter{VisibleAt: s.now(), Limit: feedLength}
		dir := "/"
		listing, within := pagecache.Listing, gazette.EntryFilter{}
		switch scope {
		case topicFeed:
			t, err := s.store.TopicBySlug(ctx, r.PathValue("slug"))
			if errors.Is(err, gazette.ErrNotFound) {
				return notFound(r)
			}
			if err != nil {
				return fmt.Errorf("reading topic %q: %w", r.PathValue("slug"), err)
			}
			filter.TopicID = t.ID
			listing = pagecache.TopicListing(t.ID)
			within.TopicID = t.ID
			pagecache.Depend(ctx, pagecache.Topic(t.ID))
			dir = topicURL(t.Slug)
			f.Title = st.Title + ": " + t.Name
			if t.Description != "" {
				f.Subtitle = t.Description
			}
		case authorFeed:
			a, err := s.store.AuthorBySlug(ctx, r.PathValue("slug"))
			if errors.Is(err, gazette.ErrNotFound) {
				return notFound(r)
			}
			if err != nil {
				return fmt.Errorf("reading author %q: %w", r.PathValue("slug"), err)
			}
			filter.AuthorID = a.ID
			listing = pagecache.AuthorListing(a.ID)
			within.AuthorID = a.ID
			pagecache.Depend(ctx, pagecache.Author(a.ID))
			dir = authorLink(a).URL
			f.Title = st.Title + ": entries by " + a.Name
		}
		pagecache.Depend(ctx, pagecache.Settings)
		if err := s.listDeps(ctx, filter.VisibleAt, listing, within); err != nil {
			return err
		}
		f.AlternateURL = fb.URL(dir)
		f.FeedURL = fb.URL(dir + format.file)
		entries, _, err := s.store.Entries(ctx, filter)
		if err != nil {
			return fmt.Errorf("reading the entries of %s: %w", f.FeedURL, err)
		}
		if scope != blogFeed && len(entries) == 0 {
			// As the topic's or author's page: none, unless a page is
			// filed under it or by it.
			page, err := s.archivePage(r, filter.VisibleAt, within)
			if err != nil {
				return err
			}
			dependOnEntry(ctx, page) // the feed goes with the page
		}
		var modified time.Time
		for _, e := range entries {
			dependOnEntry(ctx, e)
			it := fb.Entry(e)
			f.Items = append(f.Items, it)
			if it.Updated.After(modified) {
				modified = it.Updated
			}
		}
		if len(f.Items) == 0 {
			// A feed must say when it changed; an empty one never did.
			f.Updated = time.Unix(0, 0).UTC()
		}
		var buf bytes.Buffer
		if err := format.write(f, &buf); err != nil {
			return fmt.Errorf("writing %s: %w", f.FeedURL, err)
		}
		web.ServePage(w, r, web.Page{Body: buf.Bytes(), ContentType: format.contentType, LastModified: modified})
		return nil
	}
}

// baseURL returns the blog's public address (see web.BaseURL).
func baseURL(r *http.Request, st gazette.Settings) string {
	return web.BaseURL(r, st.BaseURL)
}
