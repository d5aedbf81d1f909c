package gazette

import (
	"context"
	"time"
)

// Tx is everything a store holds, read and written. Inside Store.Atomic its
// methods run in one transaction.
type Tx interface {
	EntryStore
	TopicStore
	AuthorStore
	CommentStore
	MentionStore
	RedirectStore
	SettingsStore
	SearchStore
}

// EntryLocker is a Tx that can hold an entry against the writes of other
// transactions until it ends, so that reading the entry's state and
// writing on it are one step for every instance sharing the database (the
// scheduler publishing an entry once). A lock of an unknown entry is
// ErrNotFound.
type EntryLocker interface {
	LockEntry(ctx context.Context, id int64) error
}

// Store is a blog's database. Each method of its Tx runs in a transaction of
// its own, and a write has reached stable storage when the method returns.
// internal/storetest holds the behaviour every implementation must show.
type Store interface {
	Tx
	// Atomic runs fn in one transaction: the writes fn makes through tx all
	// commit when fn returns nil, and none of them do when it returns an
	// error or panics. Atomic returns fn's error.
	Atomic(ctx context.Context, fn func(tx Tx) error) error
	// Close releases the database.
	Close() error
}

// ChangeRecorder is a Tx that keeps a journal of the page-cache keys (see
// internal/pagecache) its writes change, committed in the same transaction
// as the writes, so that a static build can render again only the pages
// that show them. The keys of a transaction are written when it commits;
// outside Store.Atomic a write is a transaction of its own that the
// journal cannot cover, and RecordChanges does nothing.
type ChangeRecorder interface {
	RecordChanges(ctx context.Context, keys []string) error
}

// ChangeCursor is a place in a store's change journal: the journal it
// belongs to, the last journaled transaction, and the version of the
// content then (which every write bumps, journaled or not). The zero
// ChangeCursor is no place.
type ChangeCursor struct {
	Journal string `json:"journal"`
	Seq     int64  `json:"seq"`
	Version int64  `json:"version"`
}

// A ChangeJournal keeps the transactions of the last ChangeJournalWindow and
// at most ChangeJournalMaxRows of them: what a build a month old needs. A
// cursor older than that gets an incomplete answer, and a full build.
const (
	ChangeJournalWindow  = 30 * 24 * time.Hour
	ChangeJournalMaxRows = 100_000
)

// ChangeJournal is a Store that reads back the keys its ChangeRecorder
// transactions recorded.
type ChangeJournal interface {
	// LatestChange returns the cursor of the content as it is now.
	LatestChange(ctx context.Context) (ChangeCursor, error)
	// ChangesSince returns the keys recorded since the cursor and the
	// cursor of now. complete is false when the keys may miss a change: a
	// write that recorded none, a journal pruned past since, a cursor of
	// another journal.
	ChangesSince(ctx context.Context, since ChangeCursor) (keys []string, now ChangeCursor, complete bool, err error)
}
