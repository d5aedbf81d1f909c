package postgres

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/jackc/pgx/v5"
)

var (
	_ gazette.LinkbackStore = (*DB)(nil)
	_ gazette.GoneStore     = (*DB)(nil)
	_ gazette.PingStore     = (*DB)(nil)
	_ gazette.PingClaimer   = (*DB)(nil)
)

const mentionColumns = `id, entry_id, kind, source_url, title, excerpt, blog_name, ip,
	status, coalesce(import_key, ''), created_at, type, author_name, author_url, author_photo, updated_at`

// scanMention reads a row of mentionColumns.
func scanMention(row pgx.Row) (*gazette.Mention, error) {
	var m gazette.Mention
	var updated *time.Time
	err := row.Scan(&m.ID, &m.EntryID, &m.Kind, &m.SourceURL, &m.Title, &m.Excerpt, &m.BlogName, &m.IP,
		&m.Status, &m.ImportKey, &m.CreatedAt, &m.Type, &m.AuthorName, &m.AuthorURL, &m.AuthorPhoto, &updated)
	m.UpdatedAt = timeOf(updated)
	return &m, err
}

// CreateMention implements gazette.MentionStore.
func (h *handle) CreateMention(ctx context.Context, m *gazette.Mention) error {
	if err := m.Validate(); err != nil {
		return err
	}
	created := m.CreatedAt
	if created.IsZero() {
		created = now()
	}
	var id int64
	err := h.one(ctx, func(q querier) error {
		err := q.QueryRow(ctx, `INSERT INTO mentions (entry_id, kind, source_url, title, excerpt,
			blog_name, ip, status, import_key, created_at, type, author_name, author_url, author_photo,
			updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			m.EntryID, string(m.Kind), m.SourceURL, m.Title, m.Excerpt, m.BlogName, m.IP,
			string(m.Status), nullString(m.ImportKey), created, string(m.Type), m.AuthorName,
			m.AuthorURL, m.AuthorPhoto, nullTime(m.UpdatedAt)).Scan(&id)
		switch {
		case violation(err, uniqueViolation) != "":
			return gazette.Errorf(gazette.ErrConflict, "mention import key %q already taken", m.ImportKey)
		case violation(err, foreignKeyViolation) != "":
			return gazette.Errorf(gazette.ErrInvalid, "mention from %q: unknown entry %d", m.SourceURL, m.EntryID)
		}
		return wrap(err, "create mention from %q", m.SourceURL)
	})
	if err != nil {
		return err
	}
	m.ID, m.CreatedAt = id, created
	return nil
}

// Mentions implements gazette.MentionStore.
func (h *handle) Mentions(ctx context.Context, entryID int64, s gazette.CommentStatus) ([]*gazette.Mention, error) {
	return h.mentions(ctx, fmt.Sprintf("list mentions of entry %d", entryID),
		`entry_id = $1 AND ($2 = '' OR status = $2) ORDER BY created_at, id`, entryID, string(s))
}

func (h *handle) mentions(ctx context.Context, what, where string, args ...any) ([]*gazette.Mention, error) {
	rows, err := h.q.Query(ctx, `SELECT `+mentionColumns+` FROM mentions WHERE `+where, args...)
	if err != nil {
		return nil, wrap(err, "%s", what)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*gazette.Mention, error) { return scanMention(row) })
	return list, wrap(err, "%s", what)
}

// MentionExists implements gazette.MentionStore.
func (h *handle) MentionExists(ctx context.Context, importKey string) (bool, error) {
	ok, err := exists(ctx, h.q, `SELECT 1 FROM mentions WHERE import_key = $1`, importKey)
	return ok, wrap(err, "look up mention %q", importKey)
}

// MentionBySource implements gazette.LinkbackStore.
func (h *handle) MentionBySource(ctx context.Context, entryID int64, source string) (*gazette.Mention, error) {
	m, err := scanMention(h.q.QueryRow(ctx, `SELECT `+mentionColumns+` FROM mentions
		WHERE entry_id = $1 AND source_url = $2 ORDER BY id LIMIT 1`, entryID, source))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("mention of entry %d from %s", entryID, source))
	}
	return m, nil
}

// UpdateMention implements gazette.LinkbackStore.
func (h *handle) UpdateMention(ctx context.Context, m *gazette.Mention) error {
	if err := m.Validate(); err != nil {
		return err
	}
	updated := m.UpdatedAt
	if updated.IsZero() {
		updated = now()
	}
	err := h.one(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `UPDATE mentions SET kind = $1, source_url = $2, title = $3, excerpt = $4,
			blog_name = $5, ip = $6, status = $7, type = $8, author_name = $9, author_url = $10,
			author_photo = $11, updated_at = $12 WHERE id = $13`,
			string(m.Kind), m.SourceURL, m.Title, m.Excerpt, m.BlogName, m.IP, string(m.Status), string(m.Type),
			m.AuthorName, m.AuthorURL, m.AuthorPhoto, updated, m.ID)
		return rowChanged(tag.RowsAffected(), err, fmt.Sprintf("mention %d", m.ID), "update")
	})
	if err != nil {
		return err
	}
	m.UpdatedAt = updated
	return nil
}

// DeleteMention implements gazette.LinkbackStore.
func (h *handle) DeleteMention(ctx context.Context, id int64) error {
	return h.one(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM mentions WHERE id = $1`, id)
		return rowChanged(tag.RowsAffected(), err, fmt.Sprintf("mention %d", id), "delete")
	})
}

// HasApprovedMention implements gazette.LinkbackStore.
func (h *handle) HasApprovedMention(ctx context.Context, site string) (bool, error) {
	site = strings.TrimSuffix(site, "/")
	ok, err := exists(ctx, h.q, `SELECT 1 FROM mentions WHERE status = 'approved'
		AND (source_url = $1 OR left(source_url, length($1) + 1) = $1 || '/')`, site)
	return ok, wrap(err, "look up mentions from %q", site)
}

// MarkGone implements gazette.GoneStore.
func (h *handle) MarkGone(ctx context.Context, path string, t time.Time) error {
	return h.one(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO gone_paths (path, deleted_at) VALUES ($1, $2)
			ON CONFLICT (path) DO UPDATE SET deleted_at = excluded.deleted_at`, path, t)
		return wrap(err, "mark %s gone", path)
	})
}

// Gone implements gazette.GoneStore.
func (h *handle) Gone(ctx context.Context, path string) (bool, error) {
	ok, err := exists(ctx, h.q, `SELECT 1 FROM gone_paths g WHERE g.path = $1
		AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.path = $1)`, path)
	return ok, wrap(err, "look up gone path %s", path)
}

// QueueEntryPings implements gazette.PingStore.
func (h *handle) QueueEntryPings(ctx context.Context, entryID int64, at time.Time) error {
	return h.one(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO entry_ping_queue (entry_id, due_at) VALUES ($1, $2)
			ON CONFLICT (entry_id) DO UPDATE SET due_at = least(entry_ping_queue.due_at, excluded.due_at)`, entryID, at)
		return wrap(err, "queue pings of entry %d", entryID)
	})
}

// TakeEntryPings implements gazette.PingStore. SKIP LOCKED lets instances
// sharing the database take from the queue at once, each entry by one.
func (h *handle) TakeEntryPings(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	type due struct {
		id int64
		at time.Time
	}
	var list []due
	err := h.one(ctx, func(q querier) error {
		rows, err := q.Query(ctx, `DELETE FROM entry_ping_queue WHERE entry_id IN (
			SELECT entry_id FROM entry_ping_queue WHERE due_at <= $1 ORDER BY due_at, entry_id LIMIT $2
			FOR UPDATE SKIP LOCKED) RETURNING entry_id, due_at`, now, limit)
		if err != nil {
			return wrap(err, "take queued entries")
		}
		list, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (due, error) {
			var d due
			err := row.Scan(&d.id, &d.at)
			return d, err
		})
		return wrap(err, "take queued entries")
	})
	if err != nil {
		return nil, err
	}
	// RETURNING gives no order of its own.
	sort.Slice(list, func(i, j int) bool {
		return list[i].at.Before(list[j].at) || list[i].at.Equal(list[j].at) && list[i].id < list[j].id
	})
	ids := make([]int64, len(list))
	for i, d := range list {
		ids[i] = d.id
	}
	return ids, nil
}

// SavePing implements gazette.PingStore.
func (h *handle) SavePing(ctx context.Context, p *gazette.Ping) error {
	if err := p.Validate(); err != nil {
		return err
	}
	updated := now()
	var id int64
	err := h.one(ctx, func(q querier) error {
		err := q.QueryRow(ctx, `INSERT INTO pings (entry_id, source, target, status, attempts, next_at,
			endpoint, response, error, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (entry_id, target) DO UPDATE SET source = excluded.source, status = excluded.status,
			attempts = excluded.attempts, next_at = excluded.next_at, endpoint = excluded.endpoint,
			response = excluded.response, error = excluded.error, updated_at = excluded.updated_at
			RETURNING id`,
			p.EntryID, p.Source, p.Target, string(p.Status), p.Attempts, nullTime(p.NextAt),
			p.Endpoint, p.Response, p.Error, updated).Scan(&id)
		return wrap(err, "save ping of %q", p.Target)
	})
	if err != nil {
		return err
	}
	p.ID, p.UpdatedAt = id, updated
	return nil
}

const pingColumns = `id, entry_id, source, target, status, attempts, next_at, endpoint, response, error, updated_at`

func (h *handle) pings(ctx context.Context, what, where string, args ...any) ([]*gazette.Ping, error) {
	rows, err := h.q.Query(ctx, `SELECT `+pingColumns+` FROM pings WHERE `+where, args...)
	if err != nil {
		return nil, wrap(err, "%s", what)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*gazette.Ping, error) {
		var p gazette.Ping
		var next *time.Time
		err := row.Scan(&p.ID, &p.EntryID, &p.Source, &p.Target, &p.Status, &p.Attempts, &next,
			&p.Endpoint, &p.Response, &p.Error, &p.UpdatedAt)
		p.NextAt = timeOf(next)
		return &p, err
	})
	return list, wrap(err, "%s", what)
}

// Pings implements gazette.PingStore.
func (h *handle) Pings(ctx context.Context, entryID int64) ([]*gazette.Ping, error) {
	return h.pings(ctx, "pings of entry", `entry_id = $1 ORDER BY target`, entryID)
}

// DuePings implements gazette.PingStore.
func (h *handle) DuePings(ctx context.Context, now time.Time, limit int) ([]*gazette.Ping, error) {
	return h.pings(ctx, "due pings", `status = 'queued' AND next_at <= $1 ORDER BY next_at, id LIMIT $2`, now, limit)
}

// ClaimDuePings implements gazette.PingClaimer. SKIP LOCKED passes over the
// pings another sender is claiming at this moment, and the re-check of the
// condition on rows it did lock passes over those claimed a moment before.
func (h *handle) ClaimDuePings(ctx context.Context, now, until time.Time, limit int) ([]*gazette.Ping, error) {
	type claimed struct {
		p   *gazette.Ping
		was time.Time
	}
	var list []claimed
	err := h.one(ctx, func(q querier) error {
		rows, err := q.Query(ctx, `WITH due AS (
				SELECT id, next_at FROM pings WHERE status = 'queued' AND next_at <= $1
				ORDER BY next_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
			UPDATE pings p SET next_at = $2 FROM due WHERE p.id = due.id
			RETURNING p.id, p.entry_id, p.source, p.target, p.status, p.attempts, p.next_at,
				p.endpoint, p.response, p.error, p.updated_at, due.next_at`, now, until, limit)
		if err != nil {
			return wrap(err, "claim due pings")
		}
		list, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (claimed, error) {
			var c claimed
			var p gazette.Ping
			var next *time.Time
			err := row.Scan(&p.ID, &p.EntryID, &p.Source, &p.Target, &p.Status, &p.Attempts, &next,
				&p.Endpoint, &p.Response, &p.Error, &p.UpdatedAt, &c.was)
			p.NextAt = timeOf(next)
			c.p = &p
			return c, err
		})
		return wrap(err, "claim due pings")
	})
	if err != nil {
		return nil, err
	}
	// RETURNING gives no order of its own.
	sort.Slice(list, func(i, j int) bool {
		return list[i].was.Before(list[j].was) || list[i].was.Equal(list[j].was) && list[i].p.ID < list[j].p.ID
	})
	pings := make([]*gazette.Ping, len(list))
	for i, c := range list {
		pings[i] = c.p
	}
	return pings, nil
}
