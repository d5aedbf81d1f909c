package site

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/theme"
)

// entry serves an entry's permalink page, in the seed page's order: the
// neighbours, the entry, its comments, then the earlier entries of its
// primary topic. An address that is no visible entry may be an old one to
// redirect.
func (s *Site) entry(w http.ResponseWriter, r *http.Request) error {
	if strings.HasSuffix(r.URL.Path, commentFeedSuffix) {
		return s.entryCommentFeed(w, r)
	}
	e, err := s.store.EntryByPath(r.Context(), r.URL.Path)
	if errors.Is(err, gazette.ErrNotFound) {
		if gone, err := s.gone(r); gone || err != nil {
			return err
		}
		return s.redirectOrNotFound(w, r)
	}
	if err != nil {
		return fmt.Errorf("reading entry %s: %w", r.URL.Path, err)
	}
	q, err := s.begin(r, e.Title)
	if err != nil {
		return err
	}
	if !e.VisibleAt(q.now) {
		return notFound(r)
	}
	p, err := s.entryPage(w, r, q, e, nil)
	if err != nil {
		return err
	}
	return s.serveEntry(w, r, q, p, http.StatusOK)
}

// entryPage builds an entry's page. form is what a reader just posted, to
// show again with a preview or a refusal; nil for a plain visit.
func (s *Site) entryPage(w http.ResponseWriter, r *http.Request, q *request, e *gazette.Entry, form *postedForm) (*theme.EntryPage, error) {
	q.site.Meta = q.entryMeta(e)
	p := &theme.EntryPage{Site: q.site, Entry: q.entryView(e)}
	if e.AllowPings {
		p.Trackback = q.advertise(w, e)
	}

	pagecache.Depend(q.ctx, pagecache.Place(e.ID))
	prev, next, err := s.store.AdjacentEntries(q.ctx, e, q.now)
	if err != nil {
		return nil, fmt.Errorf("reading the neighbours of entry %d: %w", e.ID, err)
	}
	// A neighbour's title and path are on this page, so its edits count.
	if prev != nil {
		p.Prev = &theme.Link{Title: prev.Title, URL: prev.Path}
		q.seeEntry(prev)
	}
	if next != nil {
		p.Next = &theme.Link{Title: next.Title, URL: next.Path}
		q.seeEntry(next)
	}

	if err := s.entryComments(r, q, e, p, form); err != nil {
		return nil, err
	}

	pagecache.Depend(q.ctx, pagecache.Mentions(e.ID), pagecache.AnyMentions)
	mentions, err := s.store.Mentions(q.ctx, e.ID, gazette.CommentApproved)
	if err != nil {
		return nil, fmt.Errorf("reading the mentions of entry %d: %w", e.ID, err)
	}
	for _, m := range mentions {
		p.Mentions = append(p.Mentions, q.mentionView(m))
	}

	if primary, ok := e.PrimaryTopic(); ok {
		related, _, err := s.store.Entries(q.ctx, gazette.EntryFilter{
			PrimaryTopicID: primary.ID, To: e.PublishedAt, VisibleAt: q.now, Limit: relatedEntries,
			NoText: true, NoTotal: true, NoTerms: true,
		})
		if err != nil {
			return nil, fmt.Errorf("reading the entries related to entry %d: %w", e.ID, err)
		}
		pagecache.Depend(q.ctx, pagecache.TopicListing(primary.ID))
		link := topicLink(&primary)
		p.RelatedTopic = &link
		for _, re := range related {
			if re.ID == e.ID {
				continue
			}
			p.Related = append(p.Related, theme.Link{Title: re.Title, URL: re.Path})
			q.seeEntry(re)
		}
	}
	p.Site = q.site
	return p, nil
}

// gone answers 410 Gone for the permalink of a deleted entry, so that the
// sites that copied or mentioned it remove it, when the store remembers
// deleted permalinks.
func (s *Site) gone(r *http.Request) (bool, error) {
	g, ok := s.store.(gazette.GoneStore)
	if !ok {
		return false, nil
	}
	gone, err := g.Gone(r.Context(), r.URL.Path)
	if err != nil || !gone {
		return false, err
	}
	return true, gazette.Errorf(gazette.ErrGone, "The entry at %s was deleted.", r.URL.Path)
}
