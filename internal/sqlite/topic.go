package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/gazette-blog/gazette"
)

const topicSelect = `SELECT id, slug, name, description, ifnull(parent_id, 0) FROM topics`

// topicWriteError turns a failed write of t into the error its user can act on.
func (h *handle) topicWriteError(ctx context.Context, err error, t *gazette.Topic) error {
	if !isUnique(err) {
		return wrap(err, "write topic %q", t.Name)
	}
	taken, qerr := h.exists(ctx, `SELECT 1 FROM topics WHERE slug = ? AND id != ?`, t.Slug, t.ID)
	if qerr != nil {
		return wrap(errors.Join(err, qerr), "write topic %q", t.Name)
	}
	if taken {
		return gazette.Errorf(gazette.ErrConflict, "topic slug %q already taken", t.Slug)
	}
	return gazette.Errorf(gazette.ErrConflict, "topic name %q already taken", t.Name)
}

// CreateTopic implements gazette.TopicStore.
func (h *handle) CreateTopic(ctx context.Context, t *gazette.Topic) error {
	if err := t.Validate(); err != nil {
		return err
	}
	res, err := h.exec(ctx, `INSERT INTO topics (slug, name, description, parent_id) VALUES (?, ?, ?, ?)`,
		t.Slug, t.Name, t.Description, nullID(t.ParentID))
	if err != nil {
		return h.topicWriteError(ctx, err, t)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return wrap(err, "create topic %q", t.Name)
	}
	t.ID = id
	return nil
}

// UpdateTopic implements gazette.TopicStore.
func (h *handle) UpdateTopic(ctx context.Context, t *gazette.Topic) error {
	if err := t.Validate(); err != nil {
		return err
	}
	res, err := h.exec(ctx, `UPDATE topics SET slug = ?, name = ?, description = ?, parent_id = ? WHERE id = ?`,
		t.Slug, t.Name, t.Description, nullID(t.ParentID), t.ID)
	if err != nil {
		return h.topicWriteError(ctx, err, t)
	}
	if affected(res) == 0 {
		return gazette.Errorf(gazette.ErrNotFound, "topic %d not found", t.ID)
	}
	return nil
}

// DeleteTopic implements gazette.TopicStore.
func (h *handle) DeleteTopic(ctx context.Context, id int64) error {
	// The entries whose primary topic goes take their next topic as primary.
	if _, err := h.exec(ctx, `UPDATE entries SET primary_topic_id = (SELECT topic_id FROM entry_topics
		WHERE entry_id = entries.id AND topic_id != ?1 ORDER BY position LIMIT 1)
		WHERE primary_topic_id = ?1`, id); err != nil {
		return wrap(err, "delete topic %d", id)
	}
	res, err := h.exec(ctx, `DELETE FROM topics WHERE id = ?`, id)
	if err != nil {
		return wrap(err, "delete topic %d", id)
	}
	if affected(res) == 0 {
		return gazette.Errorf(gazette.ErrNotFound, "topic %d not found", id)
	}
	return nil
}

func (h *handle) topicWhere(ctx context.Context, what, where string, arg any) (*gazette.Topic, error) {
	var t gazette.Topic
	err := h.queryRow(ctx, topicSelect+" WHERE "+where, []any{arg}, &t.ID, &t.Slug, &t.Name, &t.Description, &t.ParentID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gazette.Errorf(gazette.ErrNotFound, "%s not found", what)
	}
	if err != nil {
		return nil, wrap(err, "read %s", what)
	}
	return &t, nil
}

// Topic implements gazette.TopicStore.
func (h *handle) Topic(ctx context.Context, id int64) (*gazette.Topic, error) {
	return h.topicWhere(ctx, fmt.Sprintf("topic %d", id), "id = ?", id)
}

// TopicBySlug implements gazette.TopicStore.
func (h *handle) TopicBySlug(ctx context.Context, slug string) (*gazette.Topic, error) {
	return h.topicWhere(ctx, fmt.Sprintf("topic %q", slug), "slug = ?", slug)
}

// TopicByName implements gazette.TopicStore.
func (h *handle) TopicByName(ctx context.Context, name string) (*gazette.Topic, error) {
	return h.topicWhere(ctx, fmt.Sprintf("topic named %q", name), "name = ?", name)
}

// Topics implements gazette.TopicStore.
func (h *handle) Topics(ctx context.Context, visibleAt time.Time) ([]gazette.TopicCount, error) {
	rows, err := h.query(ctx, `SELECT t.id, t.slug, t.name, t.description, ifnull(t.parent_id, 0), count(e.id)
		FROM topics t
		LEFT JOIN entry_topics et ON et.topic_id = t.id
		LEFT JOIN entries e ON e.id = et.entry_id
			AND e.kind = 'entry' AND (?1 = 0 OR (e.status = 'published' AND e.published_at <= ?2))
		GROUP BY t.id ORDER BY lower(t.name), t.name`, !visibleAt.IsZero(), micros(visibleAt))
	if err != nil {
		return nil, wrap(err, "list topics")
	}
	defer rows.Close()
	var list []gazette.TopicCount
	for rows.Next() {
		var t gazette.TopicCount
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name, &t.Description, &t.ParentID, &t.Count); err != nil {
			return nil, wrap(err, "list topics")
		}
		list = append(list, t)
	}
	return list, wrap(rows.Err(), "list topics")
}
