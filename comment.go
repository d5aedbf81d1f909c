package gazette

import (
	"context"
	"time"
)

// CommentStatus says whether a comment is shown.
type CommentStatus string

// The statuses of a comment. Only approved comments are shown to readers.
const (
	CommentPending  CommentStatus = "pending"
	CommentApproved CommentStatus = "approved"
	CommentSpam     CommentStatus = "spam"
	CommentTrash    CommentStatus = "trash"
)

// Valid reports whether s is one of the known statuses.
func (s CommentStatus) Valid() bool {
	switch s {
	case CommentPending, CommentApproved, CommentSpam, CommentTrash:
		return true
	}
	return false
}

// Comment is a reader's comment on an entry. Body is stored exactly as the
// reader wrote it; it is made safe when it is shown, never before.
type Comment struct {
	ID        int64
	EntryID   int64
	ParentID  int64 // the comment this one answers; 0 for none
	Name      string
	Email     string // never shown to readers
	URL       string
	IP        string
	UserAgent string
	Body      string
	Status    CommentStatus
	// ImportKey identifies an imported comment so that a second import of the
	// same file does not add it again. Empty for comments posted to gazette.
	ImportKey string
	CreatedAt time.Time

	// EntryTitle and EntryPath are filled by Comments, for pages that list
	// comments of many entries.
	EntryTitle string
	EntryPath  string
}

// CommentFilter selects comments; zero fields select everything. Comments come
// oldest first unless NewestFirst.
type CommentFilter struct {
	EntryID int64
	Status  CommentStatus
	// Email, when set, keeps the comments written under that address, as
	// the first-time moderation policy asks.
	Email string
	// Body, when set, keeps comments whose body is exactly Body, so that a
	// comment posted twice is found.
	Body string
	// VisibleAt, when set, keeps only comments on entries readers can see then.
	VisibleAt   time.Time
	NewestFirst bool
	Limit       int
	Offset      int
	// NoTotal allows the store to skip counting what f selects, and
	// Comments to return -1 for the total: the latest comments of a
	// blog, shown without a pager, would otherwise count every comment.
	NoTotal bool
}

// CommentStore stores comments.
type CommentStore interface {
	// CreateComment stores a new comment and sets its ID, and CreatedAt when
	// zero. An unknown entry or parent is ErrInvalid; a duplicate ImportKey is
	// ErrConflict.
	CreateComment(ctx context.Context, c *Comment) error
	// Comment returns the comment with the given ID.
	Comment(ctx context.Context, id int64) (*Comment, error)
	// CommentExists reports whether a comment was imported under key.
	CommentExists(ctx context.Context, importKey string) (bool, error)
	// Comments returns the comments f selects and how many f selects without
	// Limit and Offset.
	Comments(ctx context.Context, f CommentFilter) ([]*Comment, int, error)
	// SetCommentStatus changes a comment's status.
	SetCommentStatus(ctx context.Context, id int64, s CommentStatus) error
	// DeleteComment removes a comment; replies to it lose their parent.
	DeleteComment(ctx context.Context, id int64) error
}
