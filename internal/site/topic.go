package site

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/theme"
)

// topic serves a topic's archive, /topics/SLUG/ and /topics/SLUG/page/N/:
// the entries filed under it, primary or not, newest first.
func (s *Site) topic(w http.ResponseWriter, r *http.Request) error {
	raw := r.PathValue("n")
	n, ok := pageNumber(raw, raw == "")
	if !ok || raw == "1" {
		return notFound(r)
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
	entries, total, err := s.store.Entries(q.ctx, gazette.EntryFilter{
		VisibleAt: q.now, TopicID: t.ID, Limit: archivePageSize, Offset: (n - 1) * archivePageSize,
	})
	if err != nil {
		return fmt.Errorf("reading the entries of topic %q: %w", t.Slug, err)
	}
	last := pages(total, archivePageSize)
	if n > last {
		return notFound(r)
	}
	base := topicURL(t.Slug)
	return s.serve(w, r, q, &theme.TopicPage{
		Site:        q.site,
		Topic:       topicLink(t),
		Description: t.Description,
		Entries:     q.entryViews(entries, true),
		Pager:       pager(n, last, func(n int) string { return pagedURL(base, n) }),
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
	topics, err := s.store.Topics(q.ctx, q.now)
	if err != nil {
		return fmt.Errorf("reading topics: %w", err)
	}
	return s.serve(w, r, q, &theme.TopicsPage{Site: q.site, Topics: topicCounts(topics)})
}
