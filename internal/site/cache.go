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

// pageDeps records what every page depends on: the settings, the set of
// visible entries (the latest-entry banner, every list, the neighbours),
// and the moments the page changes by itself: when the next entry that is
// published but dated in the future appears, and the new year of the
// footer.
func (s *Site) pageDeps(ctx context.Context, now time.Time, loc *time.Location) error {
	if !pagecache.Recording(ctx) {
		return nil
	}
	pagecache.Depend(ctx, pagecache.Settings, pagecache.Listing)
	next, _, err := s.store.Entries(ctx, gazette.EntryFilter{
		Status: gazette.StatusPublished, From: now, OldestFirst: true, Limit: 1, Kind: gazette.AnyKind,
	})
	if err != nil {
		return fmt.Errorf("reading the next scheduled entry: %w", err)
	}
	if len(next) > 0 {
		pagecache.ExpireAt(ctx, next[0].PublishedAt)
	}
	local := now.In(loc)
	pagecache.ExpireAt(ctx, time.Date(local.Year()+1, 1, 1, 0, 0, 0, 0, loc))
	return nil
}

// dependOnEntry records that the page shows e's own fields: its title,
// path, author and topics.
func dependOnEntry(ctx context.Context, e *gazette.Entry) {
	if !pagecache.Recording(ctx) {
		return
	}
	pagecache.Depend(ctx, pagecache.Entry(e.ID), pagecache.Author(e.AuthorID))
	for _, t := range e.Topics {
		pagecache.Depend(ctx, pagecache.Topic(t.ID))
	}
}

// dependOnComments records that the page shows e's approved comments (or
// their count) and, on e's own page, the comment form: its token is good
// for one comment and for a while, and comments close some days after
// publication.
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
