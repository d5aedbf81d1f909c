package gazette

import (
	"context"
	"time"
)

// Topic is a category entries are filed under (Movable Type's "category").
type Topic struct {
	ID          int64
	Slug        string // URL segment: /topics/SLUG/; unique
	Name        string // unique
	Description string
	// ParentID is the topic this one is filed under (WordPress's nested
	// categories); 0 for a topic at the top.
	ParentID int64
}

// TopicCount is a topic with the number of entries filed under it that readers
// can see.
type TopicCount struct {
	Topic
	Count int
}

// TopicStore stores topics.
type TopicStore interface {
	// CreateTopic stores a new topic and sets its ID; a taken slug or name is
	// ErrConflict.
	CreateTopic(ctx context.Context, t *Topic) error
	// UpdateTopic replaces the stored topic t.ID with t.
	UpdateTopic(ctx context.Context, t *Topic) error
	// DeleteTopic removes a topic; its entries stay, filed under their other topics.
	DeleteTopic(ctx context.Context, id int64) error
	// Topic returns the topic with the given ID.
	Topic(ctx context.Context, id int64) (*Topic, error)
	// TopicBySlug returns the topic with the given slug.
	TopicBySlug(ctx context.Context, slug string) (*Topic, error)
	// TopicByName returns the topic with the given name.
	TopicByName(ctx context.Context, name string) (*Topic, error)
	// Topics returns every topic, by name, each with the number of its
	// entries visible at visibleAt (zero time: all entries).
	Topics(ctx context.Context, visibleAt time.Time) ([]TopicCount, error)
}
