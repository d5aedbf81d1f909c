package gazette

import (
	"context"
	"time"
)

// Session is a signed-in author's session, or, with AuthorID 0, the
// one-time setup link that creates the first admin. ID is a hash of the
// secret the browser holds, so that a copy of the database gives no one a
// session.
type Session struct {
	ID        string
	AuthorID  int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SessionStore keeps sessions in the store, so that every instance serving
// the blog recognises them and signing out anywhere signs out everywhere.
type SessionStore interface {
	// CreateSession stores s; a taken ID is ErrConflict.
	CreateSession(ctx context.Context, s *Session) error
	// Session returns the session id if it has not expired at now.
	Session(ctx context.Context, id string, now time.Time) (*Session, error)
	// DeleteSession removes a session; removing one that is gone is no error.
	DeleteSession(ctx context.Context, id string) error
	// DeleteAuthorSessions signs an author out everywhere.
	DeleteAuthorSessions(ctx context.Context, authorID int64) error
	// DeleteExpiredSessions removes the sessions expired before t and
	// returns how many.
	DeleteExpiredSessions(ctx context.Context, t time.Time) (int, error)
}

// LoginFailureStore counts failed sign-ins by key (an account or a client
// address), so that lock-outs hold on every instance.
type LoginFailureStore interface {
	// AddLoginFailure records a failure of key at t.
	AddLoginFailure(ctx context.Context, key string, t time.Time) error
	// LoginFailures returns how many failures of key happened at or after since.
	LoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	// ClearLoginFailures forgets the failures of key, as a sign-in that
	// succeeds does for its account.
	ClearLoginFailures(ctx context.Context, key string) error
}

// Media is an uploaded file. Path is where it is served, below /media/;
// images have Width and Height and, for each smaller size made of them,
// a Variant.
type Media struct {
	ID       int64
	Path     string // such as /media/2026/11/photo.jpg; unique
	Type     string // the sniffed content type
	Size     int64
	Width    int
	Height   int
	Alt      string
	AuthorID int64
	Variants []MediaVariant
	// CreatedAt is when the file was uploaded.
	CreatedAt time.Time
}

// MediaVariant is a resized copy of an image.
type MediaVariant struct {
	Path   string
	Width  int
	Height int
}

// MediaStore stores the records of uploaded files; the files themselves live
// on disk or in object storage.
type MediaStore interface {
	// CreateMedia stores m and sets its ID, and CreatedAt when zero. A taken
	// Path is ErrConflict; an empty Alt is ErrInvalid.
	CreateMedia(ctx context.Context, m *Media) error
	// Media returns the media with the given ID.
	Media(ctx context.Context, id int64) (*Media, error)
	// MediaList returns uploads newest first and how many there are in all.
	MediaList(ctx context.Context, limit, offset int) ([]*Media, int, error)
	// DeleteMedia removes a record.
	DeleteMedia(ctx context.Context, id int64) error
}

// Revision is the text of an entry as one save left it.
type Revision struct {
	ID           int64
	EntryID      int64
	AuthorID     int64 // who saved it
	Title        string
	Body         string
	ExtendedBody string
	Excerpt      string
	Format       Format
	CreatedAt    time.Time
}

// Trashed is a deleted entry kept for restoring: Data is the entry as the
// admin encoded it, so that the store need not know its shape.
type Trashed struct {
	ID        int64
	EntryID   int64 // the ID the entry had
	Title     string
	AuthorID  int64
	Data      []byte
	DeletedAt time.Time
}

// RevisionStore keeps the revisions of entries and the trash of deleted ones.
type RevisionStore interface {
	// AddRevision stores r and sets its ID, and CreatedAt when zero.
	AddRevision(ctx context.Context, r *Revision) error
	// Revisions returns an entry's revisions, newest first.
	Revisions(ctx context.Context, entryID int64) ([]*Revision, error)
	// Revision returns the revision with the given ID.
	Revision(ctx context.Context, id int64) (*Revision, error)
	// AddTrashed stores t and sets its ID, and DeletedAt when zero.
	AddTrashed(ctx context.Context, t *Trashed) error
	// TrashedEntries returns the trash, most recently deleted first.
	TrashedEntries(ctx context.Context) ([]*Trashed, error)
	// TrashedEntry returns one item of the trash.
	TrashedEntry(ctx context.Context, id int64) (*Trashed, error)
	// DeleteTrashed removes an item from the trash.
	DeleteTrashed(ctx context.Context, id int64) error
}

// CommentEditStore lets a moderator correct a comment: a typo, a broken
// link, a name to hide.
type CommentEditStore interface {
	// UpdateCommentText replaces the name, email, URL and body of the stored
	// comment c.ID; an unknown comment is ErrNotFound.
	UpdateCommentText(ctx context.Context, c *Comment) error
}
