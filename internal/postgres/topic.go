package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/jackc/pgx/v5"
)

const topicSelect = `SELECT id, slug, name, description, coalesce(parent_id, 0) FROM topics`

// topicWriteError turns a failed write of t into the error its user can act on.
func topicWriteError(err error, t *gazette.Topic) error {
	switch violation(err, uniqueViolation) {
	case "topics_slug_key":
		return gazette.Errorf(gazette.ErrConflict, "topic slug %q already taken", t.Slug)
	case "topics_name_key":
		return gazette.Errorf(gazette.ErrConflict, "topic name %q already taken", t.Name)
	}
	if violation(err, foreignKeyViolation) != "" {
		return gazette.Errorf(gazette.ErrInvalid, "topic %q: unknown parent topic %d", t.Name, t.ParentID)
	}
	return wrap(err, "write topic %q", t.Name)
}

// CreateTopic implements gazette.TopicStore.
func (h *handle) CreateTopic(ctx context.Context, t *gazette.Topic) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return h.one(ctx, func(q querier) error {
		err := q.QueryRow(ctx, `INSERT INTO topics (slug, name, description, parent_id) VALUES ($1, $2, $3, $4)
			RETURNING id`, t.Slug, t.Name, t.Description, nullID(t.ParentID)).Scan(&t.ID)
		return topicWriteError(err, t)
	})
}

// UpdateTopic implements gazette.TopicStore.
func (h *handle) UpdateTopic(ctx context.Context, t *gazette.Topic) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return h.one(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `UPDATE topics SET slug = $1, name = $2, description = $3, parent_id = $4
			WHERE id = $5`, t.Slug, t.Name, t.Description, nullID(t.ParentID), t.ID)
		if err != nil {
			return topicWriteError(err, t)
		}
		if tag.RowsAffected() == 0 {
			return gazette.Errorf(gazette.ErrNotFound, "topic %d not found", t.ID)
		}
		return nil
	})
}

// DeleteTopic implements gazette.TopicStore.
func (h *handle) DeleteTopic(ctx context.Context, id int64) error {
	return h.atomic(ctx, func(q querier) error {
		// The entries whose primary topic goes take their next topic as primary.
		if _, err := q.Exec(ctx, `UPDATE entries e SET primary_topic_id = (SELECT topic_id FROM entry_topics et
			WHERE et.entry_id = e.id AND et.topic_id <> $1 ORDER BY et.position LIMIT 1)
			WHERE e.primary_topic_id = $1`, id); err != nil {
			return wrap(err, "delete topic %d", id)
		}
		tag, err := q.Exec(ctx, `DELETE FROM topics WHERE id = $1`, id)
		if err != nil {
			return wrap(err, "delete topic %d", id)
		}
		if tag.RowsAffected() == 0 {
			return gazette.Errorf(gazette.ErrNotFound, "topic %d not found", id)
		}
		return nil
	})
}

func (h *handle) topicWhere(ctx context.Context, what, where string, arg any) (*gazette.Topic, error) {
	var t gazette.Topic
	err := h.q.QueryRow(ctx, topicSelect+" WHERE "+where, arg).Scan(&t.ID, &t.Slug, &t.Name, &t.Description, &t.ParentID)
	if err != nil {
		return nil, notFound(err, what)
	}
	return &t, nil
}

// Topic implements gazette.TopicStore.
func (h *handle) Topic(ctx context.Context, id int64) (*gazette.Topic, error) {
	return h.topicWhere(ctx, fmt.Sprintf("topic %d", id), "id = $1", id)
}

// TopicBySlug implements gazette.TopicStore.
func (h *handle) TopicBySlug(ctx context.Context, slug string) (*gazette.Topic, error) {
	return h.topicWhere(ctx, fmt.Sprintf("topic %q", slug), "slug = $1", slug)
}

// TopicByName implements gazette.TopicStore.
func (h *handle) TopicByName(ctx context.Context, name string) (*gazette.Topic, error) {
	return h.topicWhere(ctx, fmt.Sprintf("topic named %q", name), "name = $1", name)
}

// Topics implements gazette.TopicStore.
func (h *handle) Topics(ctx context.Context, visibleAt time.Time) ([]gazette.TopicCount, error) {
	rows, err := h.q.Query(ctx, `SELECT t.id, t.slug, t.name, t.description, coalesce(t.parent_id, 0), count(e.id)
		FROM topics t
		LEFT JOIN entry_topics et ON et.topic_id = t.id
		LEFT JOIN entries e ON e.id = et.entry_id
			AND e.kind = 'entry' AND ($1::timestamptz IS NULL OR (e.status = 'published' AND e.published_at <= $1))
		GROUP BY t.id ORDER BY lower(t.name), t.name`, nullTime(visibleAt))
	if err != nil {
		return nil, wrap(err, "list topics")
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (gazette.TopicCount, error) {
		var t gazette.TopicCount
		err := row.Scan(&t.ID, &t.Slug, &t.Name, &t.Description, &t.ParentID, &t.Count)
		return t, err
	})
	return list, wrap(err, "list topics")
}
