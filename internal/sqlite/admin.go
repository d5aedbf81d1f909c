package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
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
	if s.CreatedAt.IsZero() {
		s.CreatedAt = h.now()
	}
	_, err := h.exec(ctx, `INSERT INTO sessions (id, author_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		s.ID, s.AuthorID, micros(s.CreatedAt), micros(s.ExpiresAt))
	if isUnique(err) {
		return gazette.Errorf(gazette.ErrConflict, "session ID already taken")
	}
	return wrap(err, "create session")
}

// Session implements gazette.SessionStore.
func (h *handle) Session(ctx context.Context, id string, now time.Time) (*gazette.Session, error) {
	s := gazette.Session{ID: id}
	var created, expires int64
	err := h.queryRow(ctx, `SELECT author_id, created_at, expires_at FROM sessions WHERE id = ? AND expires_at > ?`,
		[]any{id, micros(now)}, &s.AuthorID, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gazette.Errorf(gazette.ErrNotFound, "no such session, or it expired")
	}
	if err != nil {
		return nil, wrap(err, "read session")
	}
	s.CreatedAt, s.ExpiresAt = fromMicros(created), fromMicros(expires)
	return &s, nil
}

// DeleteSession implements gazette.SessionStore.
func (h *handle) DeleteSession(ctx context.Context, id string) error {
	_, err := h.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id)
	return wrap(err, "delete session")
}

// DeleteAuthorSessions implements gazette.SessionStore.
func (h *handle) DeleteAuthorSessions(ctx context.Context, authorID int64) error {
	_, err := h.exec(ctx, `DELETE FROM sessions WHERE author_id = ?`, authorID)
	return wrap(err, "delete sessions of author %d", authorID)
}

// DeleteExpiredSessions implements gazette.SessionStore.
func (h *handle) DeleteExpiredSessions(ctx context.Context, t time.Time) (int, error) {
	res, err := h.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, micros(t))
	if err != nil {
		return 0, wrap(err, "delete expired sessions")
	}
	return int(affected(res)), nil
}

// AddLoginFailure implements gazette.LoginFailureStore.
func (h *handle) AddLoginFailure(ctx context.Context, key string, t time.Time) error {
	_, err := h.exec(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?)`, key, micros(t))
	return wrap(err, "record failed sign-in")
}

// LoginFailures implements gazette.LoginFailureStore.
func (h *handle) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := h.queryRow(ctx, `SELECT count(*) FROM login_failures WHERE key = ? AND at >= ?`,
		[]any{key, micros(since)}, &n)
	return n, wrap(err, "count failed sign-ins")
}

// ClearLoginFailures implements gazette.LoginFailureStore.
func (h *handle) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := h.exec(ctx, `DELETE FROM login_failures WHERE key = ?`, key)
	return wrap(err, "clear failed sign-ins")
}

const mediaSelect = `SELECT id, path, type, size, width, height, alt, author_id, variants, created_at FROM media`

func scanMedia(row scanner) (*gazette.Media, error) {
	var m gazette.Media
	var variants string
	var created int64
	if err := row.Scan(&m.ID, &m.Path, &m.Type, &m.Size, &m.Width, &m.Height, &m.Alt, &m.AuthorID,
		&variants, &created); err != nil {
		return nil, err
	}
	m.CreatedAt = fromMicros(created)
	for line := range strings.Lines(variants) {
		var v gazette.MediaVariant
		if _, err := fmt.Sscanf(line, "%s %d %d", &v.Path, &v.Width, &v.Height); err != nil {
			return nil, fmt.Errorf("media %d: variant %q: %w", m.ID, line, err)
		}
		m.Variants = append(m.Variants, v)
	}
	return &m, nil
}

// CreateMedia implements gazette.MediaStore.
func (h *handle) CreateMedia(ctx context.Context, m *gazette.Media) error {
	if err := m.Validate(); err != nil {
		return err
	}
	var variants strings.Builder
	for _, v := range m.Variants {
		if strings.ContainsAny(v.Path, " \n") {
			return gazette.Errorf(gazette.ErrInvalid, "media %s: variant path %q holds a space", m.Path, v.Path)
		}
		fmt.Fprintf(&variants, "%s %d %d\n", v.Path, v.Width, v.Height)
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = h.now()
	}
	res, err := h.exec(ctx, `INSERT INTO media (path, type, size, width, height, alt, author_id, variants, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.Path, m.Type, m.Size, m.Width, m.Height, m.Alt, m.AuthorID,
		variants.String(), micros(m.CreatedAt))
	if isUnique(err) {
		return gazette.Errorf(gazette.ErrConflict, "media path %s already taken", m.Path)
	}
	if err != nil {
		return wrap(err, "create media %s", m.Path)
	}
	m.ID, err = res.LastInsertId()
	return wrap(err, "create media %s", m.Path)
}

// Media implements gazette.MediaStore.
func (h *handle) Media(ctx context.Context, id int64) (*gazette.Media, error) {
	row, err := h.row(ctx, mediaSelect+` WHERE id = ?`, id)
	if err != nil {
		return nil, wrap(err, "read media %d", id)
	}
	m, err := scanMedia(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gazette.Errorf(gazette.ErrNotFound, "there is no media %d", id)
	}
	return m, wrap(err, "read media %d", id)
}

// MediaList implements gazette.MediaStore.
func (h *handle) MediaList(ctx context.Context, limit, offset int) ([]*gazette.Media, int, error) {
	var total int
	if err := h.queryRow(ctx, `SELECT count(*) FROM media`, nil, &total); err != nil {
		return nil, 0, wrap(err, "count media")
	}
	if limit <= 0 {
		limit = -1
	}
	rows, err := h.query(ctx, mediaSelect+` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, 0, wrap(err, "list media")
	}
	defer rows.Close()
	var list []*gazette.Media
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, 0, wrap(err, "list media")
		}
		list = append(list, m)
	}
	return list, total, wrap(rows.Err(), "list media")
}

// DeleteMedia implements gazette.MediaStore.
func (h *handle) DeleteMedia(ctx context.Context, id int64) error {
	_, err := h.exec(ctx, `DELETE FROM media WHERE id = ?`, id)
	return wrap(err, "delete media %d", id)
}

const revisionSelect = `SELECT id, entry_id, author_id, title, body, extended_body, excerpt, format, created_at FROM revisions`

func scanRevision(row scanner) (*gazette.Revision, error) {
	var r gazette.Revision
	var format string
	var created int64
	if err := row.Scan(&r.ID, &r.EntryID, &r.AuthorID, &r.Title, &r.Body, &r.ExtendedBody, &r.Excerpt,
		&format, &created); err != nil {
		return nil, err
	}
	r.Format, r.CreatedAt = gazette.Format(format), fromMicros(created)
	return &r, nil
}

// AddRevision implements gazette.RevisionStore.
func (h *handle) AddRevision(ctx context.Context, r *gazette.Revision) error {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = h.now()
	}
	res, err := h.exec(ctx, `INSERT INTO revisions (entry_id, author_id, title, body, extended_body, excerpt, format, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.EntryID, r.AuthorID, r.Title, r.Body, r.ExtendedBody, r.Excerpt,
		string(r.Format), micros(r.CreatedAt))
	if err != nil {
		return wrap(err, "add revision of entry %d", r.EntryID)
	}
	r.ID, err = res.LastInsertId()
	return wrap(err, "add revision of entry %d", r.EntryID)
}

// Revisions implements gazette.RevisionStore.
func (h *handle) Revisions(ctx context.Context, entryID int64) ([]*gazette.Revision, error) {
	rows, err := h.query(ctx, revisionSelect+` WHERE entry_id = ? ORDER BY id DESC`, entryID)
	if err != nil {
		return nil, wrap(err, "list revisions of entry %d", entryID)
	}
	defer rows.Close()
	var list []*gazette.Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, wrap(err, "list revisions of entry %d", entryID)
		}
		list = append(list, r)
	}
	return list, wrap(rows.Err(), "list revisions of entry %d", entryID)
}

// Revision implements gazette.RevisionStore.
func (h *handle) Revision(ctx context.Context, id int64) (*gazette.Revision, error) {
	row, err := h.row(ctx, revisionSelect+` WHERE id = ?`, id)
	if err != nil {
		return nil, wrap(err, "read revision %d", id)
	}
	r, err := scanRevision(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gazette.Errorf(gazette.ErrNotFound, "there is no revision %d", id)
	}
	return r, wrap(err, "read revision %d", id)
}

const trashSelect = `SELECT id, entry_id, title, author_id, data, deleted_at FROM trash`

func scanTrashed(row scanner) (*gazette.Trashed, error) {
	var t gazette.Trashed
	var deleted int64
	if err := row.Scan(&t.ID, &t.EntryID, &t.Title, &t.AuthorID, &t.Data, &deleted); err != nil {
		return nil, err
	}
	t.DeletedAt = fromMicros(deleted)
	return &t, nil
}

// AddTrashed implements gazette.RevisionStore.
func (h *handle) AddTrashed(ctx context.Context, t *gazette.Trashed) error {
	if t.DeletedAt.IsZero() {
		t.DeletedAt = h.now()
	}
	res, err := h.exec(ctx, `INSERT INTO trash (entry_id, title, author_id, data, deleted_at) VALUES (?, ?, ?, ?, ?)`,
		t.EntryID, t.Title, t.AuthorID, t.Data, micros(t.DeletedAt))
	if err != nil {
		return wrap(err, "trash entry %d", t.EntryID)
	}
	t.ID, err = res.LastInsertId()
	return wrap(err, "trash entry %d", t.EntryID)
}

// TrashedEntries implements gazette.RevisionStore.
func (h *handle) TrashedEntries(ctx context.Context) ([]*gazette.Trashed, error) {
	rows, err := h.query(ctx, trashSelect+` ORDER BY deleted_at DESC, id DESC`)
	if err != nil {
		return nil, wrap(err, "list trash")
	}
	defer rows.Close()
	var list []*gazette.Trashed
	for rows.Next() {
		t, err := scanTrashed(rows)
		if err != nil {
			return nil, wrap(err, "list trash")
		}
		list = append(list, t)
	}
	return list, wrap(rows.Err(), "list trash")
}

// TrashedEntry implements gazette.RevisionStore.
func (h *handle) TrashedEntry(ctx context.Context, id int64) (*gazette.Trashed, error) {
	row, err := h.row(ctx, trashSelect+` WHERE id = ?`, id)
	if err != nil {
		return nil, wrap(err, "read trash %d", id)
	}
	t, err := scanTrashed(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gazette.Errorf(gazette.ErrNotFound, "there is nothing in the trash with ID %d", id)
	}
	return t, wrap(err, "read trash %d", id)
}

// DeleteTrashed implements gazette.RevisionStore.
func (h *handle) DeleteTrashed(ctx context.Context, id int64) error {
	_, err := h.exec(ctx, `DELETE FROM trash WHERE id = ?`, id)
	return wrap(err, "delete trash %d", id)
}

// The write methods of DB, each in a transaction of its own on the writer.

// CreateSession implements gazette.SessionStore.
func (db *DB) CreateSession(ctx context.Context, s *gazette.Session) error {
	return db.write(ctx, func(h *handle) error { return h.CreateSession(ctx, s) })
}

// DeleteSession implements gazette.SessionStore.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	return db.write(ctx, func(h *handle) error { return h.DeleteSession(ctx, id) })
}

// DeleteAuthorSessions implements gazette.SessionStore.
func (db *DB) DeleteAuthorSessions(ctx context.Context, authorID int64) error {
	return db.write(ctx, func(h *handle) error { return h.DeleteAuthorSessions(ctx, authorID) })
}

// DeleteExpiredSessions implements gazette.SessionStore.
func (db *DB) DeleteExpiredSessions(ctx context.Context, t time.Time) (n int, err error) {
	err = db.write(ctx, func(h *handle) error { n, err = h.DeleteExpiredSessions(ctx, t); return err })
	return n, err
}

// AddLoginFailure implements gazette.LoginFailureStore.
func (db *DB) AddLoginFailure(ctx context.Context, key string, t time.Time) error {
	return db.write(ctx, func(h *handle) error { return h.AddLoginFailure(ctx, key, t) })
}

// ClearLoginFailures implements gazette.LoginFailureStore.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	return db.write(ctx, func(h *handle) error { return h.ClearLoginFailures(ctx, key) })
}

// CreateMedia implements gazette.MediaStore.
func (db *DB) CreateMedia(ctx context.Context, m *gazette.Media) error {
	return db.write(ctx, func(h *handle) error { return h.CreateMedia(ctx, m) })
}

// DeleteMedia implements gazette.MediaStore.
func (db *DB) DeleteMedia(ctx context.Context, id int64) error {
	return db.write(ctx, func(h *handle) error { return h.DeleteMedia(ctx, id) })
}

// AddRevision implements gazette.RevisionStore.
func (db *DB) AddRevision(ctx context.Context, r *gazette.Revision) error {
	return db.write(ctx, func(h *handle) error { return h.AddRevision(ctx, r) })
}

// AddTrashed implements gazette.RevisionStore.
func (db *DB) AddTrashed(ctx context.Context, t *gazette.Trashed) error {
	return db.write(ctx, func(h *handle) error { return h.AddTrashed(ctx, t) })
}

// DeleteTrashed implements gazette.RevisionStore.
func (db *DB) DeleteTrashed(ctx context.Context, id int64) error {
	return db.write(ctx, func(h *handle) error { return h.DeleteTrashed(ctx, id) })
}

// UpdateCommentText implements gazette.CommentEditStore.
func (h *handle) UpdateCommentText(ctx context.Context, c *gazette.Comment) error {
	res, err := h.exec(ctx, `UPDATE comments SET name = ?, email = ?, url = ?, body = ? WHERE id = ?`,
		c.Name, c.Email, c.URL, c.Body, c.ID)
	if err != nil {
		return wrap(err, "update comment %d", c.ID)
	}
	if affected(res) == 0 {
		return gazette.Errorf(gazette.ErrNotFound, "there is no comment %d", c.ID)
	}
	return nil
}

// UpdateCommentText implements gazette.CommentEditStore.
func (db *DB) UpdateCommentText(ctx context.Context, c *gazette.Comment) error {
	return db.write(ctx, func(h *handle) error { return h.UpdateCommentText(ctx, c) })
}
