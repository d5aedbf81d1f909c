package main

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

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
// drops every page that shows mentions (the rare case of a source that no
// longer links).
func (m mentionInvalidator) DeleteMention(ctx context.Context, id int64) error {
	if err := m.Store.DeleteMention(ctx, id); err != nil {
		return err
	}
	m.inv.Invalidate(ctx, pagecache.AnyMentions)
	return nil
}

// walWatcher tells the page cache of the writes to a SQLite database that
// this process did not name to it: those of another process (gazette
// comments, import, restore) or of a writer that names no keys. Every
// commit appends to the database's write-ahead log, so a change of the
// log's size, time or file is a write; a stat costs far less than a query.
// A write by another process in the instant between one of this process's
// commits and its invalidation is taken as this process's own.
//
// The log is looked at once a millisecond at most, not at every request:
// under load the stat was a seventh of the time of a cached answer, and a
// reader cannot tell another process's write seen a millisecond later.
type walWatcher struct {
	path  string
	start time.Time // the origin of checked, on the monotonic clock
	// checked is when the log was last looked at, as time since start.
	checked atomic.Int64
	mu      sync.Mutex
	last    walState
}

// walCheckEvery is how long Changed trusts the last look at the log.
const walCheckEvery = time.Millisecond

type walState struct {
	size  int64
	mtime time.Time
	ino   uint64
	ok    bool
}

func newWALWatcher(dbPath string) *walWatcher {
	w := &walWatcher{path: dbPath + "-wal", start: time.Now()}
	w.last = w.state()
	return w
}

func (w *walWatcher) state() walState {
	fi, err := os.Stat(w.path)
	if err != nil {
		return walState{}
	}
	st := walState{size: fi.Size(), mtime: fi.ModTime(), ok: true}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.ino = sys.Ino
	}
	return st
}

// Changed implements pagecache.Watcher.
func (w *walWatcher) Changed() bool {
	at, last := int64(time.Since(w.start)), w.checked.Load()
	if at-last < int64(walCheckEvery) || !w.checked.CompareAndSwap(last, at) {
		return false // looked at just now, or being looked at
	}
	now := w.state()
	w.mu.Lock()
	defer w.mu.Unlock()
	changed := now != w.last
	w.last = now
	return changed
}

// Seen implements pagecache.Watcher.
func (w *walWatcher) Seen() {
	now := w.state()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.last = now
}
