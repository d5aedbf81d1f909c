package gazette

import "context"

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
