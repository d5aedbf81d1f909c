package site

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/theme"
)

// topic serves a topic's archive, /topics/SLUG/ and /topics/SLUG/page/N/:
// the entries filed under it, primary or not, newest first.
func (s *Site) topic(w http.ResponseWriter, r *http.Request) error {
	n, err := listPageNumber(r)
	if err != nil {
		return err
	}
	t, err := s.store.TopicBySlug(r.Context(), r.PathValue("slug"))
	if errors.Is(err, gazette.ErrNotFound) {
		return notFound(r)
	}
	if err != nil {
		return fmt.Errorf("reading topic %q: %w", r.PathValue("slug"), err)
	}
	q, err := s.begin(r, t.Name)
	if err != nil {
		return err
	}
	pagecache.Depend(q.ctx, pagecache.Topic(t.ID), pagecache.TopicListing(t.ID))
	link := topicLink(t)
	q.addFeeds(q.settings.Title+": "+t.Name, link.URL)
	entries, pg, err := s.listPage(r, q, gazette.EntryFilter{TopicID: t.ID}, n, archivePageSize,
		func(n int) string { return pagedURL(link.URL, n) })
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		if err := s.nothingToShow(r, q, gazette.EntryFilter{TopicID: t.ID}); err != nil {
			return err
		}
	}
	return s.serve(w, r, q, &theme.TopicPage{
		Site:        q.site,
		Topic:       link,
		Description: t.Description,
		Entries:     q.entryViews(entries, true),
		Pager:       pg,
	})
}

// pagedURL returns the address of page n of the list at base.
func pagedURL(base string, n int) string {
	if n == 1 {
		return base
	}
	return base + "page/" + strconv.Itoa(n) + "/"
}

// topics serves /topics/: every topic with visible entries and their number.
func (s *Site) topics(w http.ResponseWriter, r *http.Request) error {
	q, err := s.begin(r, "Topics")
	if err != nil {
		return err
	}
	pagecache.Depend(q.ctx, pagecache.Topics, pagecache.Listing) // the counts
	topics, err := s.store.Topics(q.ctx, q.now)
	if err != nil {
		return fmt.Errorf("reading topics: %w", err)
	}
	return s.serve(w, r, q, &theme.TopicsPage{Site: q.site, Topics: topicCounts(topics)})
}
