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

	// Type is what the source does to the entry, as its h-entry says; a
	// TrackBack or pingback is a MentionPlain.
	Type MentionType
	// AuthorName, AuthorURL and AuthorPhoto name who wrote the source, as
	// its h-entry's author h-card says; each may be empty.
	AuthorName  string
	AuthorURL   string
	AuthorPhoto string
	// UpdatedAt is when the source was last verified; zero until it is
	// verified again after CreatedAt.
	UpdatedAt time.Time
}

// MentionType says what the page that links to an entry does to it, in the
// terms of microformats2 that Webmention receivers read.
type MentionType string

// The types of mention.
const (
	MentionPlain  MentionType = "mention" // a link in a post (also when empty)
	MentionReply  MentionType = "reply"   // u-in-reply-to
	MentionLike   MentionType = "like"    // u-like-of
	MentionRepost MentionType = "repost"  // u-repost-of
)

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
