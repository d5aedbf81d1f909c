package gazette

import (
	"context"
	"time"
)

// MentionKind names the protocol a mention arrived by.
type MentionKind string

// The kinds of mention.
const (
	MentionTrackback  MentionKind = "trackback"
	MentionPingback   MentionKind = "pingback"
	MentionWebmention MentionKind = "webmention"
)

// Mention is another site's link to an entry: a TrackBack ping, a pingback or a
// Webmention. Its Status uses the comment statuses.
type Mention struct {
	ID        int64
	EntryID   int64
	Kind      MentionKind
	SourceURL string
	Title     string
	Excerpt   string
	BlogName  string
	IP        string
	Status    CommentStatus
	ImportKey string
	CreatedAt time.Time
}

// MentionStore stores mentions.
type MentionStore interface {
	// CreateMention stores a new mention and sets its ID, and CreatedAt when zero.
	CreateMention(ctx context.Context, m *Mention) error
	// Mentions returns an entry's mentions with the given status, oldest first
	// (any status when s is empty).
	Mentions(ctx context.Context, entryID int64, s CommentStatus) ([]*Mention, error)
	// MentionExists reports whether a mention was imported under key.
	MentionExists(ctx context.Context, importKey string) (bool, error)
}
