package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/jackc/pgx/v5"
)

var (
	_ gazette.SessionStore      = (*DB)(nil)
	_ gazette.LoginFailureStore = (*DB)(nil)
	_ gazette.MediaStore        = (*DB)(nil)
	_ gazette.RevisionStore     = (*DB)(nil)
)

// CreateSession implements gazette.SessionStore.
func (h *handle) CreateSession(ctx context.Context, s *gazette.Session) error {
	if s.ID == "" {
		return gazette.Errorf(gazette.ErrInvalid, "session without an ID")
	}
	created := s.CreatedAt
	if created.IsZero() {
		created = now()
	}
	err := h.one(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO sessions (id, author_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			s.ID, s.AuthorID, created, s.ExpiresAt)
		if violation(err, uniqueViolation) != "" {
			return gazette.Errorf(gazette.ErrConflict, "session ID already taken")
		}
		return wrap(err, "create session")
	})
	if err == nil {
		s.CreatedAt = created
	}
	return err
}

// Session implements gazette.SessionStore.
func (h *handle) Session(ctx context.Context, id string, now time.Time) (*gazette.Session, error) {
	s := gazette.Session{ID: id}
	err := h.q.QueryRow(ctx, `SELECT author_id, created_at, expires_at FROM sessions WHERE id = $1 AND expires_at > $2`,
		id, now).Scan(&s.AuthorID, &s.CreatedAt, &s.ExpiresAt)
	if err != nil {
		return nil, notFound(err, "session (or it expired)")
	}
	return &s, nil
}

// DeleteSession implements gazette.SessionStore.
func (h *handle) DeleteSession(ctx context.Context, id string) error {
	_, err := h.deleteWhere(ctx, "session", `sessions WHERE id = $1`, id)
	return err
}

// DeleteAuthorSessions implements gazette.SessionStore.
func (h *handle) DeleteAuthorSessions(ctx context.Context, authorID int64) error {
	_, err := h.deleteWhere(ctx, fmt.Sprintf("sessions of author %d", authorID), `sessions WHERE author_id = $1`, authorID)
	return err
}

// DeleteExpiredSessions implements gazette.SessionStore.
func (h *handle) DeleteExpiredSessions(ctx context.Context, t time.Time) (int, error) {
	n, err := h.deleteWhere(ctx, "expired sessions", `sessions WHERE expires_at < $1`, t)
	return int(n), err
}

// deleteWhere runs DELETE FROM what, where being the table and its
// condition, and returns how many rows went.
func (h *handle) deleteWhere(ctx context.Context, what, where string, args ...any) (int64, error) {
	var n int64
	err := h.one(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM `+where, args...)
		n = tag.RowsAffected()
		return wrap(err, "delete %s", what)
	})
	return n, err
}

// AddLoginFailure implements gazette.LoginFailureStore.
func (h *handle) AddLoginFailure(ctx context.Context, key string, t time.Time) error {
	return h.one(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO login_failures (key, at) VALUES ($1, $2)`, key, t)
		return wrap(err, "record a failed sign-in")
	})
}

// LoginFailures implements gazette.LoginFailureStore.
func (h *handle) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := h.q.QueryRow(ctx, `SELECT count(*) FROM login_failures WHERE key = $1 AND at >= $2`, key, since).Scan(&n)
	return n, wrap(err, "count failed sign-ins")
}

// ClearLoginFailures implements gazette.LoginFailureStore.
func (h *handle) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := h.deleteWhere(ctx, "failed sign-ins", `login_failures WHERE key = $1`, key)
	return err
}

const mediaSelect = `SELECT id, path, type, size, width, height, alt, author_id, variants, created_at FROM media`

func scanMedia(row pgx.Row) (*gazette.Media, error) {
	var m gazette.Media
	err := row.Scan(&m.ID, &m.Path, &m.Type, &m.Size, &m.Width, &m.Height, &m.Alt, &m.AuthorID, &m.Variants, &m.CreatedAt)
	return &m, err
}

// CreateMedia implements gazette.MediaStore.
func (h *handle) CreateMedia(ctx context.Context, m *gazette.Media) error {
	if err := m.Validate(); err != nil {
		return err
	}
	created := m.CreatedAt
	if created.IsZero() {
		created = now()
	}
	var variants any
	if len(m.Variants) > 0 {
		variants = m.Variants
	}
	var id int64
	err := h.one(ctx, func(q querier) error {
		err := q.QueryRow(ctx, `INSERT INTO media (path, type, size, width, height, alt, author_id, variants, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			m.Path, m.Type, m.Size, m.Width, m.Height, m.Alt, m.AuthorID, variants, created).Scan(&id)
		if violation(err, uniqueViolation) != "" {
			return gazette.Errorf(gazette.ErrConflict, "media path %s already taken", m.Path)
		}
		return wrap(err, "create media %s", m.Path)
	})
	if err != nil {
		return err
	}
	m.ID, m.CreatedAt = id, created
	return nil
}

// Media implements gazette.MediaStore.
func (h *handle) Media(ctx context.Context, id int64) (*gazette.Media, error) {
	m, err := scanMedia(h.q.QueryRow(ctx, mediaSelect+` WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("media %d", id))
	}
	return m, nil
}

// MediaList implements gazette.MediaStore.
func (h *handle) MediaList(ctx context.Context, limit, offset int) ([]*gazette.Media, int, error) {
	var p params
	rows, err := h.q.Query(ctx, mediaSelect+` ORDER BY created_at DESC, id DESC`+p.window(limit, offset), p...)
	if err != nil {
		return nil, 0, wrap(err, "list media")
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*gazette.Media, error) { return scanMedia(row) })
	if err != nil {
		return nil, 0, wrap(err, "list media")
	}
	if complete(len(list), limit, offset) {
		return list, max(offset, 0) + len(list), nil
	}
	var total int
	err = h.q.QueryRow(ctx, `SELECT count(*) FROM media`).Scan(&total)
	return list, total, wrap(err, "count media")
}

// DeleteMedia implements gazette.MediaStore.
func (h *handle) DeleteMedia(ctx context.Context, id int64) error {
	n, err := h.deleteWhere(ctx, fmt.Sprintf("media %d", id), `media WHERE id = $1`, id)
	return rowChanged(n, err, fmt.Sprintf("media %d", id), "delete")
}

const revisionSelect = `SELECT id, entry_id, author_id, title, body, extended_body, excerpt, format, created_at FROM revisions`

func scanRevision(row pgx.Row) (*gazette.Revision, error) {
	var r gazette.Revision
	err := row.Scan(&r.ID, &r.EntryID, &r.AuthorID, &r.Title, &r.Body, &r.ExtendedBody, &r.Excerpt, &r.Format, &r.CreatedAt)
	return &r, err
}

// AddRevision implements gazette.RevisionStore.
func (h *handle) AddRevision(ctx context.Context, r *gazette.Revision) error {
	created := r.CreatedAt
	if created.IsZero() {
		created = now()
	}
	var id int64
	err := h.one(ctx, func(q querier) error {
		return wrap(q.QueryRow(ctx, `INSERT INTO revisions (entry_id, author_id, title, body, extended_body,
			excerpt, format, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			r.EntryID, r.AuthorID, r.Title, r.Body, r.ExtendedBody, r.Excerpt, string(r.Format), created).Scan(&id),
			"add a revision of entry %d", r.EntryID)
	})
	if err != nil {
		return err
	}
	r.ID, r.CreatedAt = id, created
	return nil
}

// Revisions implements gazette.RevisionStore.
func (h *handle) Revisions(ctx context.Context, entryID int64) ([]*gazette.Revision, error) {
	rows, err := h.q.Query(ctx, revisionSelect+` WHERE entry_id = $1 ORDER BY id DESC`, entryID)
	if err != nil {
		return nil, wrap(err, "list revisions of entry %d", entryID)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*gazette.Revision, error) { return scanRevision(row) })
	return list, wrap(err, "list revisions of entry %d", entryID)
}

// Revision implements gazette.RevisionStore.
func (h *handle) Revision(ctx context.Context, id int64) (*gazette.Revision, error) {
	r, err := scanRevision(h.q.QueryRow(ctx, revisionSelect+` WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("revision %d", id))
	}
	return r, nil
}

const trashSelect = `SELECT id, entry_id, title, author_id, data, deleted_at FROM trash`

func scanTrashed(row pgx.Row) (*gazette.Trashed, error) {
	var t gazette.Trashed
	err := row.Scan(&t.ID, &t.EntryID, &t.Title, &t.AuthorID, &t.Data, &t.DeletedAt)
	return &t, err
}

// AddTrashed implements gazette.RevisionStore.
func (h *handle) AddTrashed(ctx context.Context, t *gazette.Trashed) error {
	deleted := t.DeletedAt
	if deleted.IsZero() {
		deleted = now()
	}
	var id int64
	err := h.one(ctx, func(q querier) error {
		return wrap(q.QueryRow(ctx, `INSERT INTO trash (entry_id, title, author_id, data, deleted_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, t.EntryID, t.Title, t.AuthorID, t.Data, deleted).Scan(&id),
			"put entry %d in the trash", t.EntryID)
	})
	if err != nil {
		return err
	}
	t.ID, t.DeletedAt = id, deleted
	return nil
}

// TrashedEntries implements gazette.RevisionStore.
func (h *handle) TrashedEntries(ctx context.Context) ([]*gazette.Trashed, error) {
	rows, err := h.q.Query(ctx, trashSelect+` ORDER BY deleted_at DESC, id DESC`)
	if err != nil {
		return nil, wrap(err, "list the trash")
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*gazette.Trashed, error) { return scanTrashed(row) })
	return list, wrap(err, "list the trash")
}

// TrashedEntry implements gazette.RevisionStore.
func (h *handle) TrashedEntry(ctx context.Context, id int64) (*gazette.Trashed, error) {
	t, err := scanTrashed(h.q.QueryRow(ctx, trashSelect+` WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("trashed entry %d", id))
	}
	return t, nil
}

// DeleteTrashed implements gazette.RevisionStore.
func (h *handle) DeleteTrashed(ctx context.Context, id int64) error {
	n, err := h.deleteWhere(ctx, fmt.Sprintf("trashed entry %d", id), `trash WHERE id = $1`, id)
	return rowChanged(n, err, fmt.Sprintf("trashed entry %d", id), "delete")
}

// UpdateCommentText implements gazette.CommentEditStore.
func (h *handle) UpdateCommentText(ctx context.Context, c *gazette.Comment) error {
	return h.one(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `UPDATE comments SET name = $1, email = $2, url = $3, body = $4 WHERE id = $5`,
			c.Name, c.Email, c.URL, c.Body, c.ID)
		return rowChanged(tag.RowsAffected(), err, fmt.Sprintf("comment %d", c.ID), "update")
	})
}
