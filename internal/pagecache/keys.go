package pagecache

import (
	"context"
	"strconv"
	"sync"
	"time"
)

// Dependency keys name the things a page shows. A page records them while it
// is rendered (Depend) and a write names the ones it changes (Invalidate), so
// that exactly the pages showing a change are dropped. They are plain strings
// so that an Invalidator can carry them between instances as they are.
const (
	// Settings is shown by every page: the blog's title, theme, time zone.
	Settings = "settings"
	// Listing is the set and order of all the visible entries, shown by the
	// home pages, the blog's feeds, the sitemap and the counts by month. A
	// write that adds, removes or moves an entry changes it; the narrower
	// lists have keys of their own (MonthListing, TopicListing…).
	Listing = "listing"
	// Latest is which entry is the newest, shown by every themed page (the
	// latest-entry banner).
	Latest = "latest"
	// Months is the set of months that have entries (a month's page links
	// to the months before and after it).
	Months = "months"
	// Topics is the list of topics with their counts (the topics index, the
	// sidebar).
	Topics = "topics"
	// Assets are a theme's files, whose addresses name their content: no
	// write changes them.
	Assets = "assets"
	// AnyMentions is shown by every page that shows mentions, for a write
	// that knows a mention but not its entry.
	AnyMentions = "mentions"
	// LatestComments is the blog-wide list of newest comments and its feed.
	LatestComments = "comments"
)

// Entry is the key of an entry's own fields (title, body, path, topics,
// author): every page that shows any of them depends on it.
func Entry(id int64) string { return "e:" + strconv.FormatInt(id, 10) }

// EntryLink is the key of an entry's title and address alone, for the
// pages that link to it without showing it (neighbours, related entries,
// the latest-entry banner, comment lists). A write that changes them names
// it beside Entry.
func EntryLink(id int64) string { return "l:" + strconv.FormatInt(id, 10) }

// Comments is the key of the approved comments of an entry (and their
// count in lists).
func Comments(entryID int64) string { return "c:" + strconv.FormatInt(entryID, 10) }

// Mentions is the key of the approved mentions of an entry.
func Mentions(entryID int64) string { return "m:" + strconv.FormatInt(entryID, 10) }

// Place is the key of an entry's neighbours, whose links its page shows.
// A write that adds, removes or moves an entry names it for the entries
// beside it, before and after.
func Place(id int64) string { return "p:" + strconv.FormatInt(id, 10) }

// MonthListing is the key of the visible entries of a month, in the blog's
// time zone.
func MonthListing(year int, month time.Month) string {
	return "lm:" + strconv.Itoa(year) + "-" + strconv.Itoa(int(month))
}

// TagListing is the key of the visible entries with a tag, by its slug.
func TagListing(slug string) string { return "lg:" + slug }

// TopicListing is the key of the set and order of the visible entries
// filed under a topic, for the pages that list them and nothing else that
// Listing covers (the topic's feeds).
func TopicListing(id int64) string { return "lt:" + strconv.FormatInt(id, 10) }

// AuthorListing is TopicListing for an author's entries.
func AuthorListing(id int64) string { return "la:" + strconv.FormatInt(id, 10) }

// Address is the key of what answers at an escaped path: the entry whose
// permalink it is, or the redirect of an old address. A redirect's answer
// shows it (a static build writes a page for it, which a later build
// must replace when an entry comes to live at that address).
func Address(path string) string { return "u:" + path }

// Topic is the key of a topic's name, slug and description.
func Topic(id int64) string { return "t:" + strconv.FormatInt(id, 10) }

// Author is the key of an author's name and slug.
func Author(id int64) string { return "a:" + strconv.FormatInt(id, 10) }

// Invalidator drops the cached pages that depend on any of keys. The page
// cache is one; a notifier that carries keys to other instances (PostgreSQL
// LISTEN/NOTIFY) is another, and Fanout joins them.
type Invalidator interface {
	Invalidate(ctx context.Context, keys ...string)
}

// Fanout is an Invalidator that tells each of its members in turn.
type Fanout []Invalidator

// Invalidate tells every member of f.
func (f Fanout) Invalidate(ctx context.Context, keys ...string) {
	for _, inv := range f {
		if inv != nil {
			inv.Invalidate(ctx, keys...)
		}
	}
}

// Deps collects what one render depends on: the keys it read and the
// earliest time at which its output changes by itself (a scheduled entry
// appears, comments close, a form token grows old).
type Deps struct {
	mu      sync.Mutex
	keys    []string
	seen    map[string]struct{} // the keys, for pages that show thousands
	expires time.Time
}

type depsKey struct{}

// WithDeps returns a context that collects the dependencies of a render
// into the returned Deps.
func WithDeps(ctx context.Context) (context.Context, *Deps) {
	d := &Deps{}
	return context.WithValue(ctx, depsKey{}, d), d
}

// Recording reports whether ctx is a cached render that collects
// dependencies, so that a page can skip work done only for the cache.
func Recording(ctx context.Context) bool {
	d, _ := ctx.Value(depsKey{}).(*Deps)
	return d != nil
}

// Depend records that the page being rendered in ctx shows keys. Outside a
// cached render it does nothing.
func Depend(ctx context.Context, keys ...string) {
	d, _ := ctx.Value(depsKey{}).(*Deps)
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.seen == nil {
		d.seen = map[string]struct{}{}
	}
	for _, k := range keys {
		if _, ok := d.seen[k]; !ok {
			d.seen[k] = struct{}{}
			d.keys = append(d.keys, k)
		}
	}
}

// ExpireAt records that the page being rendered in ctx changes by itself at
// t, so that the cache drops it then. A zero t does nothing.
func ExpireAt(ctx context.Context, t time.Time) {
	d, _ := ctx.Value(depsKey{}).(*Deps)
	if d == nil || t.IsZero() {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.expires.IsZero() || t.Before(d.expires) {
		d.expires = t
	}
}

// Keys returns the keys recorded so far.
func (d *Deps) Keys() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.keys...)
}

// Expires returns the earliest expiry recorded; zero when none.
func (d *Deps) Expires() time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.expires
}

func containsKey(keys []string, k string) bool {
	for _, have := range keys {
		if have == k {
			return true
		}
	}
	return false
}

// Pending holds the keys named by writes inside a transaction, to be
// invalidated once it has committed: dropping pages earlier would let a
// render in between read, and keep, what the transaction replaces.
type Pending struct {
	mu   sync.Mutex
	keys []string
}

type pendingKey struct{}

// Defer returns a context in which writers add their keys to the returned
// Pending instead of invalidating them; the caller calls Flush after the
// transaction commits.
func Defer(ctx context.Context) (context.Context, *Pending) {
	p := &Pending{}
	return context.WithValue(ctx, pendingKey{}, p), p
}

// Note invalidates keys through inv now, or adds them to the Pending of
// ctx when there is one. A nil inv does nothing.
func Note(ctx context.Context, inv Invalidator, keys ...string) {
	if p, _ := ctx.Value(pendingKey{}).(*Pending); p != nil {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, k := range keys {
			if !containsKey(p.keys, k) {
				p.keys = append(p.keys, k)
			}
		}
		return
	}
	if inv != nil {
		inv.Invalidate(ctx, keys...)
	}
}

// Flush invalidates the keys held through inv and forgets them.
func (p *Pending) Flush(ctx context.Context, inv Invalidator) {
	p.mu.Lock()
	keys := p.keys
	p.keys = nil
	p.mu.Unlock()
	if inv != nil && len(keys) > 0 {
		inv.Invalidate(ctx, keys...)
	}
}
