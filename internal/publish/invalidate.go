package publish

import (
	"context"
	"fmt"
	"slices"
	"time"

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

// SetClock makes the Publisher read the time from now instead of the
// system clock, for tests of pages at a fixed time. It is set once, before
// any use.
func (p *Publisher) SetClock(now func() time.Time) { p.now = now }

// Changed tells the Publisher's invalidator that keys changed, for the
// writes that do not pass through it (settings, topics and authors saved
// by the admin, mentions received by linkback).
func (p *Publisher) Changed(ctx context.Context, keys ...string) {
	pagecache.Note(ctx, p.inv, keys...)
}

// place is where a visible entry sits among the others: what a write that
// moves it changes besides its own pages.
type place struct {
	latest     bool
	prev, next int64
}

// placeOf reads where e sits now; the zero place for nil, a draft, or an
// entry not visible yet. It reads nothing without an invalidator.
func (p *Publisher) placeOf(ctx context.Context, tx gazette.Tx, e *gazette.Entry) (place, error) {
	now := p.now()
	if p.inv == nil || e == nil || !e.VisibleAt(now) {
		return place{}, nil
	}
	var pl place
	prev, next, err := tx.AdjacentEntries(ctx, e, now)
	if err != nil {
		return pl, fmt.Errorf("publish: neighbours of entry %d: %w", e.ID, err)
	}
	if prev != nil {
		pl.prev = prev.ID
	}
	if next != nil {
		pl.next = next.ID
	}
	pl.latest = next == nil && e.Kind != gazette.KindPage
	return pl, nil
}

// entryChanged names the keys of a write of an entry, from what it was
// (nil for a new entry) to what it is (nil once deleted), where it sat
// before the write (was) and sits after it.
func (p *Publisher) entryChanged(ctx context.Context, tx gazette.Tx, loc *time.Location, old, e *gazette.Entry, was place) error {
	if p.inv == nil {
		return nil
	}
	id := old
	if id == nil {
		id = e
	}
	keys := []string{pagecache.Entry(id.ID)}
	if old == nil || e == nil || old.Title != e.Title || old.Path != e.Path {
		keys = append(keys, pagecache.EntryLink(id.ID))
	}
	// What answers at the old and new permalinks changes: an entry now, a
	// redirect or nothing before.
	for _, x := range []*gazette.Entry{old, e} {
		if x != nil && x.Path != "" && (old == nil || e == nil || old.Path != e.Path) {
			keys = append(keys, pagecache.Address(x.Path))
		}
	}
	if e == nil && old.CommentCount > 0 {
		keys = append(keys, pagecache.Comments(id.ID), pagecache.LatestComments)
	}
	reorders, refiles := moves(old, e)
	if reorders {
		is, err := p.placeOf(ctx, tx, e)
		if err != nil {
			return err
		}
		keys = append(keys, pagecache.Listing, pagecache.Place(id.ID))
		for _, pl := range []place{was, is} {
			if pl.latest {
				keys = append(keys, pagecache.Latest)
			}
			keys = append(keys, pagecache.Place(pl.prev), pagecache.Place(pl.next))
		}
	}
	if reorders || refiles {
		keys = append(keys, pagecache.Topics) // the counts
		for _, x := range []*gazette.Entry{old, e} {
			if x == nil || x.Status != gazette.StatusPublished {
				continue
			}
			more, err := listingKeys(ctx, tx, loc, x, reorders)
			if err != nil {
				return err
			}
			keys = append(keys, more...)
		}
	}
	if e != nil && e.Status == gazette.StatusPublished && e.PublishedAt.After(p.now()) {
		next, err := p.nextScheduled(ctx, tx, e)
		if err != nil {
			return err
		}
		if next {
			keys = append(keys, pagecache.Latest)
		}
	}
	if err := journal(ctx, tx, keys...); err != nil {
		return err
	}
	p.Changed(ctx, keys...)
	return nil
}

// nextScheduled reports whether e, published and dated in the future, is
// the next such entry to appear. Every page changes by itself when the next
// one appears (the banner of the latest entry, and the lists it joins) and
// so expires then; the pages, rendered before e was, expire later or never
// and must be rendered again to learn its time. Pages that expire at an
// earlier entry learn of e when they are rendered again then.
func (p *Publisher) nextScheduled(ctx context.Context, tx gazette.Tx, e *gazette.Entry) (bool, error) {
	list, _, err := tx.Entries(ctx, gazette.EntryFilter{Status: gazette.StatusPublished, From: p.now(), OldestFirst: true,
		Limit: 2, Kind: gazette.AnyKind, NoText: true, NoTotal: true, NoTerms: true})
	if err != nil {
		return false, fmt.Errorf("publish: the next scheduled entry: %w", err)
	}
	for _, x := range list {
		if x.ID != e.ID {
			return !x.PublishedAt.Before(e.PublishedAt), nil
		}
	}
	return true, nil
}

// journal records keys in the change journal of tx, when its store keeps
// one, so that a static build renders again the pages that show them. A
// call with no keys says that the transaction's writes change no page.
func journal(ctx context.Context, tx gazette.Tx, keys ...string) error {
	if r, ok := tx.(gazette.ChangeRecorder); ok {
		if err := r.RecordChanges(ctx, keys); err != nil {
			return fmt.Errorf("publish: journal the changed pages: %w", err)
		}
	}
	return nil
}

// commentKeys are the keys of a write of a comment on entry that changes
// which comments readers see.
func commentKeys(entryID int64) []string {
	return []string{pagecache.Comments(entryID), pagecache.LatestComments}
}

// listingKeys names the lists x is in: its author's, its topics' and its
// tags', and when it moved in time, its month's (and the list of months,
// when x is the first or last entry of its month).
func listingKeys(ctx context.Context, tx gazette.Tx, loc *time.Location, x *gazette.Entry, reorders bool) ([]string, error) {
	keys := []string{pagecache.AuthorListing(x.AuthorID)}
	if reorders {
		t := x.PublishedAt.In(loc)
		from := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
		keys = append(keys, pagecache.MonthListing(t.Year(), t.Month()))
		_, n, err := tx.Entries(ctx, gazette.EntryFilter{Status: gazette.StatusPublished, From: from, To: from.AddDate(0, 1, 0), Limit: 1})
		if err != nil {
			return nil, fmt.Errorf("publish: entries of %s: %w", from.Format("2006-01"), err)
		}
		if n <= 1 {
			keys = append(keys, pagecache.Months)
		}
	}
	for _, tp := range x.Topics {
		keys = append(keys, pagecache.TopicListing(tp.ID))
	}
	for _, tag := range x.Tags {
		keys = append(keys, pagecache.TagListing(gazette.TagSlug(tag)))
	}
	return keys, nil
}

// moves reports whether a write from old to e changes which entries are
// visible or their order (status, time, kind, stickiness: reorders), or
// the lists of author, topic and tag that e is in (refiles). Edits of the
// text, title or address change the entry's own keys only.
func moves(old, e *gazette.Entry) (reorders, refiles bool) {
	public := func(x *gazette.Entry) bool { return x != nil && x.Status == gazette.StatusPublished }
	if !public(old) && !public(e) {
		return false, false
	}
	if old == nil || e == nil || old.Status != e.Status {
		return true, true
	}
	reorders = !old.PublishedAt.Equal(e.PublishedAt) || old.Kind != e.Kind || old.Sticky != e.Sticky
	refiles = old.AuthorID != e.AuthorID ||
		!slices.EqualFunc(old.Topics, e.Topics, func(a, b gazette.Topic) bool { return a.ID == b.ID }) ||
		!slices.Equal(old.Tags, e.Tags)
	return reorders, refiles
}

// commentChanged names the keys of a write of a comment on entry that
// changes which comments readers see.
func (p *Publisher) commentChanged(ctx context.Context, entryID int64) {
	p.Changed(ctx, commentKeys(entryID)...)
}
