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
