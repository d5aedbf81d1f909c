package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
)

const mentionColumns = `id, entry_id, kind, source_url, title, excerpt, blog_name, ip,
	status, ifnull(import_key, ''), created_at, type, author_name, author_url, author_photo, updated_at`

// scanMention reads a row of mentionColumns.
func scanMention(scan func(dest ...any) error) (*gazette.Mention, error) {
	var m gazette.Mention
	var kind, status, typ string
	var created, updated int64
	if err := scan(&m.ID, &m.EntryID, &kind, &m.SourceURL, &m.Title, &m.Excerpt, &m.BlogName, &m.IP,
		&status, &m.ImportKey, &created, &typ, &m.AuthorName, &m.AuthorURL, &m.AuthorPhoto, &updated); err != nil {
		return nil, err
	}
	m.Kind, m.Status, m.Type = gazette.MentionKind(kind), gazette.CommentStatus(status), gazette.MentionType(typ)
	m.CreatedAt = fromMicros(created)
	if updated != 0 {
		m.UpdatedAt = fromMicros(updated)
	}
	return &m, nil
}

// timeOrZero stores a zero time as 0.
func timeOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return micros(t)
}

// MentionBySource implements gazette.LinkbackStore.
func (h *handle) MentionBySource(ctx context.Context, entryID int64, source string) (*gazette.Mention, error) {
	row, err := h.row(ctx, `SELECT `+mentionColumns+` FROM mentions WHERE entry_id = ? AND source_url = ? ORDER BY id LIMIT 1`, entryID, source)
	if err != nil {
		return nil, wrap(err, "mention of entry %d from %q", entryID, source)
	}
	m, err := scanMention(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gazette.Errorf(gazette.ErrNotFound, "entry %d has no mention from %s", entryID, source)
	}
	return m, wrap(err, "mention of entry %d from %q", entryID, source)
}

// UpdateMention implements gazette.LinkbackStore.
func (h *handle) UpdateMention(ctx context.Context, m *gazette.Mention) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if m.UpdatedAt.IsZero() {
		m.UpdatedAt = h.now()
	}
	res, err := h.exec(ctx, `UPDATE mentions SET kind = ?, source_url = ?, title = ?, excerpt = ?,
		blog_name = ?, ip = ?, status = ?, type = ?, author_name = ?, author_url = ?, author_photo = ?,
		updated_at = ? WHERE id = ?`,
		string(m.Kind), m.SourceURL, m.Title, m.Excerpt, m.BlogName, m.IP, string(m.Status), string(m.Type),
		m.AuthorName, m.AuthorURL, m.AuthorPhoto, micros(m.UpdatedAt), m.ID)
	if err != nil {
		return wrap(err, "update mention %d", m.ID)
	}
	if affected(res) == 0 {
		return gazette.Errorf(gazette.ErrNotFound, "mention %d not found", m.ID)
	}
	return nil
}

// DeleteMention implements gazette.LinkbackStore.
func (h *handle) DeleteMention(ctx context.Context, id int64) error {
	res, err := h.exec(ctx, `DELETE FROM mentions WHERE id = ?`, id)
	if err != nil {
		return wrap(err, "delete mention %d", id)
	}
	if affected(res) == 0 {
		return gazette.Errorf(gazette.ErrNotFound, "mention %d not found", id)
	}
	return nil
}

// HasApprovedMention implements gazette.LinkbackStore.
func (h *handle) HasApprovedMention(ctx context.Context, site string) (bool, error) {
	site = strings.TrimSuffix(site, "/")
	ok, err := h.exists(ctx, `SELECT 1 FROM mentions WHERE status = 'approved'
		AND (source_url = ?1 OR substr(source_url, 1, length(?1) + 1) = ?1 || '/') LIMIT 1`, site)
	return ok, wrap(err, "look up mentions from %q", site)
}

// MarkGone implements gazette.GoneStore.
func (h *handle) MarkGone(ctx context.Context, path string, t time.Time) error {
	_, err := h.exec(ctx, `INSERT INTO gone_paths (path, deleted_at) VALUES (?, ?)
		ON CONFLICT (path) DO UPDATE SET deleted_at = excluded.deleted_at`, path, micros(t))
	return wrap(err, "mark %s gone", path)
}

// Gone implements gazette.GoneStore.
func (h *handle) Gone(ctx context.Context, path string) (bool, error) {
	ok, err := h.exists(ctx, `SELECT 1 FROM gone_paths g WHERE g.path = ?1
		AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.path = ?1)`, path)
	return ok, wrap(err, "look up gone path %s", path)
}

// QueueEntryPings implements gazette.PingStore.
func (h *handle) QueueEntryPings(ctx context.Context, entryID int64, at time.Time) error {
	_, err := h.exec(ctx, `INSERT INTO entry_ping_queue (entry_id, due_at) VALUES (?, ?)
		ON CONFLICT (entry_id) DO UPDATE SET due_at = min(due_at, excluded.due_at)`, entryID, micros(at))
	return wrap(err, "queue pings of entry %d", entryID)
}

// TakeEntryPings implements gazette.PingStore.
func (h *handle) TakeEntryPings(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	rows, err := h.query(ctx, `DELETE FROM entry_ping_queue WHERE entry_id IN (
		SELECT entry_id FROM entry_ping_queue WHERE due_at <= ? ORDER BY due_at, entry_id LIMIT ?)
		RETURNING entry_id, due_at`, micros(now), limit)
	if err != nil {
		return nil, wrap(err, "take queued entries")
	}
	defer rows.Close()
	type due struct{ id, at int64 }
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.at); err != nil {
			return nil, wrap(err, "take queued entries")
		}
		list = append(list, d)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "take queued entries")
	}
	// RETURNING gives no order of its own.
	ids := make([]int64, len(list))
	for i := range list {
		for j := i + 1; j < len(list); j++ {
			if list[j].at < list[i].at || list[j].at == list[i].at && list[j].id < list[i].id {
				list[i], list[j] = list[j], list[i]
			}
		}
		ids[i] = list[i].id
	}
	return ids, nil
}

// SavePing implements gazette.PingStore.
func (h *handle) SavePing(ctx context.Context, p *gazette.Ping) error {
	if err := p.Validate(); err != nil {
		return err
	}
	p.UpdatedAt = h.now()
	err := h.queryRow(ctx, `INSERT INTO pings (entry_id, source, target, status, attempts, next_at,
		endpoint, response, error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (entry_id, target) DO UPDATE SET source = excluded.source, status = excluded.status,
		attempts = excluded.attempts, next_at = excluded.next_at, endpoint = excluded.endpoint,
		response = excluded.response, error = excluded.error, updated_at = excluded.updated_at
		RETURNING id`,
		[]any{p.EntryID, p.Source, p.Target, string(p.Status), p.Attempts, timeOrZero(p.NextAt),
			p.Endpoint, p.Response, p.Error, micros(p.UpdatedAt)}, &p.ID)
	return wrap(err, "save ping of %q", p.Target)
}

const pingColumns = `id, entry_id, source, target, status, attempts, next_at, endpoint, response, error, updated_at`

func (h *handle) pings(ctx context.Context, what, query string, args ...any) ([]*gazette.Ping, error) {
	rows, err := h.query(ctx, `SELECT `+pingColumns+` FROM pings WHERE `+query, args...)
	if err != nil {
		return nil, wrap(err, "%s", what)
	}
	defer rows.Close()
	var list []*gazette.Ping
	for rows.Next() {
		var p gazette.Ping
		var status string
		var next, updated int64
		if err := rows.Scan(&p.ID, &p.EntryID, &p.Source, &p.Target, &status, &p.Attempts, &next,
			&p.Endpoint, &p.Response, &p.Error, &updated); err != nil {
			return nil, wrap(err, "%s", what)
		}
		p.Status, p.UpdatedAt = gazette.PingStatus(status), fromMicros(updated)
		if next != 0 {
			p.NextAt = fromMicros(next)
		}
		list = append(list, &p)
	}
	return list, wrap(rows.Err(), "%s", what)
}

// Pings implements gazette.PingStore.
func (h *handle) Pings(ctx context.Context, entryID int64) ([]*gazette.Ping, error) {
	return h.pings(ctx, "pings of entry", `entry_id = ? ORDER BY target`, entryID)
}

// DuePings implements gazette.PingStore.
func (h *handle) DuePings(ctx context.Context, now time.Time, limit int) ([]*gazette.Ping, error) {
	return h.pings(ctx, "due pings", `status = 'queued' AND next_at <= ? ORDER BY next_at, id LIMIT ?`, micros(now), limit)
}

var _ gazette.PingClaimer = (*DB)(nil)

// ClaimDuePings implements gazette.PingClaimer. The database has one
// writer at a time, so reading the due pings and moving them on inside one
// write transaction is the claim.
func (h *handle) ClaimDuePings(ctx context.Context, now, until time.Time, limit int) ([]*gazette.Ping, error) {
	due, err := h.DuePings(ctx, now, limit)
	if err != nil {
		return nil, err
	}
	for _, p := range due {
		if _, err := h.exec(ctx, `UPDATE pings SET next_at = ? WHERE id = ?`, micros(until), p.ID); err != nil {
			return nil, wrap(err, "claim ping %d", p.ID)
		}
		p.NextAt = until
	}
	return due, nil
}

// UpdateMention implements gazette.LinkbackStore.
func (db *DB) UpdateMention(ctx context.Context, m *gazette.Mention) error {
	return db.write(ctx, func(h *handle) error { return h.UpdateMention(ctx, m) })
}

// DeleteMention implements gazette.LinkbackStore.
func (db *DB) DeleteMention(ctx context.Context, id int64) error {
	return db.write(ctx, func(h *handle) error { return h.DeleteMention(ctx, id) })
}

// MarkGone implements gazette.GoneStore.
func (db *DB) MarkGone(ctx context.Context, path string, t time.Time) error {
	return db.write(ctx, func(h *handle) error { return h.MarkGone(ctx, path, t) })
}

// QueueEntryPings implements gazette.PingStore.
func (db *DB) QueueEntryPings(ctx context.Context, entryID int64, at time.Time) error {
	return db.write(ctx, func(h *handle) error { return h.QueueEntryPings(ctx, entryID, at) })
}

// TakeEntryPings implements gazette.PingStore.
func (db *DB) TakeEntryPings(ctx context.Context, now time.Time, limit int) (ids []int64, err error) {
	err = db.write(ctx, func(h *handle) error {
		ids, err = h.TakeEntryPings(ctx, now, limit)
		return err
	})
	return ids, err
}

// ClaimDuePings implements gazette.PingClaimer.
func (db *DB) ClaimDuePings(ctx context.Context, now, until time.Time, limit int) (due []*gazette.Ping, err error) {
	err = db.write(ctx, func(h *handle) error {
		due, err = h.ClaimDuePings(ctx, now, until, limit)
		return err
	})
	return due, err
}

// SavePing implements gazette.PingStore.
func (db *DB) SavePing(ctx context.Context, p *gazette.Ping) error {
	return db.write(ctx, func(h *handle) error { return h.SavePing(ctx, p) })
}
