package site

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/feed"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/web"
)

// commentFeedSuffix ends the address of an entry's comment feed, which is
// the entry's permalink with .atom for .html.
const commentFeedSuffix = ".atom"

// entryCommentsInFeed is how many of an entry's comments its feed carries.
const entryCommentsInFeed = 50

func commentFeedPath(entryPath string) string {
	return strings.TrimSuffix(entryPath, ".html") + commentFeedSuffix
}

// commentFeed serves /comments/atom.xml: the newest approved comments,
// blog-wide.
func (s *Site) commentFeed(w http.ResponseWriter, r *http.Request) error {
	st, err := s.store.Settings(r.Context())
	if err != nil {
		return fmt.Errorf("reading settings: %w", err)
	}
	pagecache.Depend(r.Context(), pagecache.Settings)
	pagecache.Depend(r.Context(), pagecache.LatestComments)
	comments, _, err := s.store.Comments(r.Context(), gazette.CommentFilter{
		Status: gazette.CommentApproved, VisibleAt: s.now(), NewestFirst: true, Limit: feedLength, NoTotal: true,
	})
	if err != nil {
		return fmt.Errorf("reading the latest comments: %w", err)
	}
	return s.writeCommentFeed(w, r, st, comments, "Comments on "+st.Title, "/comments/", "/comments/atom.xml")
}

// entryCommentFeed serves an entry's comment feed.
func (s *Site) entryCommentFeed(w http.ResponseWriter, r *http.Request) error {
	e, err := s.store.EntryByPath(r.Context(), strings.TrimSuffix(r.URL.Path, commentFeedSuffix)+".html")
	if errors.Is(err, gazette.ErrNotFound) {
		return notFound(r)
	}
	if err != nil {
		return fmt.Errorf("reading entry for %s: %w", r.URL.Path, err)
	}
	if !e.VisibleAt(s.now()) {
		return notFound(r)
	}
	st, err := s.store.Settings(r.Context())
	if err != nil {
		return fmt.Errorf("reading settings: %w", err)
	}
	pagecache.Depend(r.Context(), pagecache.Settings)
	pagecache.Depend(r.Context(), pagecache.EntryLink(e.ID), pagecache.Comments(e.ID))
	comments, _, err := s.store.Comments(r.Context(), gazette.CommentFilter{
		EntryID: e.ID, Status: gazette.CommentApproved, NewestFirst: true, Limit: entryCommentsInFeed, NoTotal: true,
	})
	if err != nil {
		return fmt.Errorf("reading the comments of entry %d: %w", e.ID, err)
	}
	return s.writeCommentFeed(w, r, st, comments, "Comments on "+e.Title, e.Path, r.URL.Path)
}

func (s *Site) writeCommentFeed(w http.ResponseWriter, r *http.Request, st gazette.Settings, comments []*gazette.Comment, title, alternate, self string) error {
	fb, err := feed.NewBlog(baseURL(r, st), st.Location())
	if err != nil {
		return fmt.Errorf("feed: %w", err)
	}
	f := &feed.Feed{
		Title:        title,
		Subtitle:     st.Description,
		HomeURL:      fb.URL("/"),
		AlternateURL: fb.URL(alternate),
		FeedURL:      fb.URL(self),
		Language:     "en",
	}
	var modified time.Time
	for _, c := range comments {
		pagecache.Depend(r.Context(), pagecache.EntryLink(c.EntryID))
		f.Items = append(f.Items, fb.Comment(c, s.san.Comment(c.Body)))
		if c.CreatedAt.After(modified) {
			modified = c.CreatedAt
		}
	}
	if len(f.Items) == 0 {
		f.Updated = time.Unix(0, 0).UTC()
	}
	var buf bytes.Buffer
	if err := f.WriteAtom(&buf); err != nil {
		return fmt.Errorf("writing %s: %w", f.FeedURL, err)
	}
	web.ServePage(w, r, web.Page{Body: buf.Bytes(), ContentType: feed.AtomType, LastModified: modified})
	return nil
}
