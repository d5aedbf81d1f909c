package publish

import (
	"context"
	"slices"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
)

// SetInvalidator makes the Publisher name, after each write, the page-cache
// keys the write changes, so that the pages showing it are rendered again
// on their next request. It is set once, while the program is wired, before
// any use. Entry writes take the caller's transaction: a caller that
// commits it later should pass a context from pagecache.Defer and flush
// after the commit.
func (p *Publisher) SetInvalidator(inv pagecache.Invalidator) { p.inv = inv }

// Changed tells the Publisher's invalidator that keys changed, for the
// writes that do not pass through it (settings, topics and authors saved
// by the admin, mentions received by linkback).
func (p *Publisher) Changed(ctx context.Context, keys ...string) {
	pagecache.Note(ctx, p.inv, keys...)
}

// entryChanged names the keys of a write of an entry, from what it was
// (nil for a new entry) to what it is (nil once deleted).
func (p *Publisher) entryChanged(ctx context.Context, id int64, old, e *gazette.Entry) {
	keys := []string{pagecache.Entry(id)}
	if movesListing(old, e) {
		keys = append(keys, pagecache.Listing)
	}
	if e == nil {
		keys = append(keys, pagecache.Comments(id), pagecache.Mentions(id), pagecache.LatestComments)
	}
	p.Changed(ctx, keys...)
}

// movesListing reports whether a write from old to e changes which entries
// are visible, or their order or place in any list: their status, time,
// address, kind, author, topics or tags. Edits of the text alone change
// the entry's own key only.
func movesListing(old, e *gazette.Entry) bool {
	public := func(x *gazette.Entry) bool { return x != nil && x.Status == gazette.StatusPublished }
	if !public(old) && !public(e) {
		return false
	}
	if old == nil || e == nil || old.Status != e.Status {
		return true
	}
	return !old.PublishedAt.Equal(e.PublishedAt) || old.Path != e.Path || old.Kind != e.Kind ||
		old.Sticky != e.Sticky || old.AuthorID != e.AuthorID ||
		!slices.EqualFunc(old.Topics, e.Topics, func(a, b gazette.Topic) bool { return a.ID == b.ID }) ||
		!slices.Equal(old.Tags, e.Tags)
}

// commentChanged names the keys of a write of a comment on entry.
func (p *Publisher) commentChanged(ctx context.Context, entryID int64) {
	p.Changed(ctx, pagecache.Comments(entryID), pagecache.LatestComments)
}
