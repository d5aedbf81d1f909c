package site

import (
	"context"
	"fmt"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
)

// This file records what each page shows, as page-cache dependency keys
// (see internal/pagecache), while it is rendered. Outside a cached render
// the calls do nothing.

// pageDeps records what every themed page depends on: the settings, which
// entry is the latest (the banner), and the new year of the footer.
func (s *Site) pageDeps(ctx context.Context, now time.Time, loc *time.Location) error {
	if !pagecache.Recording(ctx) {
		return nil
	}
	pagecache.Depend(ctx, pagecache.Settings)
	local := now.In(loc)
	pagecache.ExpireAt(ctx, time.Date(local.Year()+1, 1, 1, 0, 0, 0, 0, loc))
	return s.listDeps(ctx, now, pagecache.Latest, gazette.EntryFilter{})
}

// listDeps records that the page shows the visible entries that scope
// selects, under key: it changes when a write names key, and by itself
// when the next of those entries that is published but dated in the future
// appears.
func (s *Site) listDeps(ctx context.Context, now time.Time, key string, scope gazette.EntryFilter) error {
	if !pagecache.Recording(ctx) {
		return nil
	}
	pagecache.Depend(ctx, key)
	scope.Status, scope.From, scope.OldestFirst, scope.Limit, scope.Kind = gazette.StatusPublished, now, true, 1, gazette.AnyKind
	next, _, err := s.store.Entries(ctx, scope)
	if err != nil {
		return fmt.Errorf("reading the next scheduled entry: %w", err)
	}
	if len(next) > 0 {
		pagecache.ExpireAt(ctx, next[0].PublishedAt)
	}
	return nil
}

// dependOnEntry records that the page shows e's own fields: its title,
// path, text, author and topics.
func dependOnEntry(ctx context.Context, e *gazette.Entry) {
	if !pagecache.Recording(ctx) {
		return
	}
	pagecache.Depend(ctx, pagecache.Entry(e.ID), pagecache.EntryLink(e.ID), pagecache.Author(e.AuthorID))
	for _, t := range e.Topics {
		pagecache.Depend(ctx, pagecache.Topic(t.ID))
	}
}

// dependOnComments records that the page shows e's approved comments (or
// their count) and, on e's own page, the comment form: its token is good
// for a while (and for one comment from each reader, so every reader may
// be shown the same one), and comments close some days after publication.
func dependOnComments(ctx context.Context, e *gazette.Entry, form bool, st gazette.Settings, now time.Time) {
	pagecache.Depend(ctx, pagecache.Comments(e.ID))
	if !form {
		return
	}
	if days := st.CommentsCloseAfterDays; days > 0 {
		if closes := e.PublishedAt.AddDate(0, 0, days); closes.After(now) {
			pagecache.ExpireAt(ctx, closes)
		}
	}
	if maxAge := st.CommentIntake.TokenMaxAge; maxAge > 0 {
		// Half the token's life, so that a reader who loads the page just
		// before it is dropped still has time to write.
		pagecache.ExpireAt(ctx, now.Add(maxAge/2))
	}
}
