package main

import (
	"context"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/linkback"
	"github.com/gazette-blog/gazette/internal/pagecache"
)

// mentionInvalidator is the linkback receiver's store, naming the
// page-cache keys of the mentions it writes: linkback writes them directly
// rather than through publish.
type mentionInvalidator struct {
	linkback.Store
	inv pagecache.Invalidator
}

func (m mentionInvalidator) CreateMention(ctx context.Context, mn *gazette.Mention) error {
	if err := m.Store.CreateMention(ctx, mn); err != nil {
		return err
	}
	m.inv.Invalidate(ctx, pagecache.Mentions(mn.EntryID))
	return nil
}

func (m mentionInvalidator) UpdateMention(ctx context.Context, mn *gazette.Mention) error {
	if err := m.Store.UpdateMention(ctx, mn); err != nil {
		return err
	}
	m.inv.Invalidate(ctx, pagecache.Mentions(mn.EntryID))
	return nil
}

// DeleteMention knows the mention by its ID alone, not its entry, so it
// drops every page that shows the entries (the rare case of a source that
// no longer links).
func (m mentionInvalidator) DeleteMention(ctx context.Context, id int64) error {
	if err := m.Store.DeleteMention(ctx, id); err != nil {
		return err
	}
	m.inv.Invalidate(ctx, pagecache.Listing)
	return nil
}
