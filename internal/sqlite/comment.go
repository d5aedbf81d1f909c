package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/gazette-blog/gazette"
)

const commentSelect = `SELECT c.id, c.entry_id, ifnull(c.parent_id, 0), c.name, c.email, c.url, c.ip,
	c.user_agent, c.body, c.status, ifnull(c.import_key, ''), c.created_at, e.title, e.path
FROM comments c CROSS JOIN entries e ON e.id = c.entry_id`

func scanComment(row scanner) (*gazette.Comment, error) {
	var c gazette.Comment
	var status string
	var created int64
	err := row.Scan(&c.ID, &c.EntryID, &c.ParentID, &c.Name, &c.Email, &c.URL, &c.IP,
		&c.UserAgent, &c.Body, &status, &c.ImportKey, &created, &c.EntryTitle, &c.EntryPath)
	if err != nil {
		return nil, err
	}
	c.Status = gazette.CommentStatus(status)
	c.CreatedAt = fromMicros(created)
	return &c, nil
}

// CreateComment implements gazette.CommentStore.
func (h *handle) CreateComment(ctx context.Context, c *gazette.Comment) error {
	if !c.Status.Valid() {
		return gazette.Errorf(gazette.ErrInvalid, "comment by %q: unknown status %q", c.Name, c.Status)
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = h.now()
	}
	res, err := h.exec(ctx, `INSERT INTO comments (entry_id, parent_id, name, email, url, ip,
		user_agent, body, status, import_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.EntryID, nullID(c.ParentID), c.Name, c.Email, c.URL, c.IP, c.UserAgent, c.Body,
		string(c.Status), nullString(c.ImportKey), micros(c.CreatedAt))
	switch {
	case isUnique(err):
		return gazette.Errorf(gazette.ErrConflict, "comment import key %q already taken", c.ImportKey)
	case isForeignKey(err):
		ok, qerr := h.exists(ctx, `SELECT 1 FROM entries WHERE id = ?`, c.EntryID)
		if qerr != nil {
			return wrap(errors.Join(err, qerr), "create comment by %q", c.Name)
		}
		if !ok {
			return gazette.Errorf(gazette.ErrInvalid, "comment by %q: unknown entry %d", c.Name, c.EntryID)
		}
		return gazette.Errorf(gazette.ErrInvalid, "comment by %q: unknown parent comment %d", c.Name, c.ParentID)
	case err != nil:
		return wrap(err, "create comment by %q", c.Name)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return wrap(err, "create comment by %q", c.Name)
	}
	c.ID = id
	return nil
}

// Comment implements gazette.CommentStore.
func (h *handle) Comment(ctx context.Context, id int64) (*gazette.Comment, error) {
	row, err := h.row(ctx, commentSelect+` WHERE c.id = ?`, id)
	if err != nil {
		return nil, wrap(err, "read comment %d", id)
	}
	c, err := scanComment(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gazette.Errorf(gazette.ErrNotFound, "comment %d not found", id)
	}
	return c, wrap(err, "read comment %d", id)
}

// CommentExists implements gazette.CommentStore.
func (h *handle) CommentExists(ctx context.Context, importKey string) (bool, error) {
	ok, err := h.exists(ctx, `SELECT 1 FROM comments WHERE import_key = ?`, importKey)
	return ok, wrap(err, "look up comment %q", importKey)
}

// Comments implements gazette.CommentStore.
func (h *handle) Comments(ctx context.Context, f gazette.CommentFilter) ([]*gazette.Comment, int, error) {
	query, where, args := commentQuery(f)
	limit, offset := window(f.Limit, f.Offset)
	rows, err := h.query(ctx, query, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, wrap(err, "list comments")
	}
	defer rows.Close()
	var list []*gazette.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, 0, wrap(err, "list comments")
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, wrap(err, "list comments")
	}
	if total, ok := knownTotal(limit, offset, len(list)); ok {
		return list, total, nil
	}
	if f.NoTotal {
		return list, -1, nil
	}
	var total int
	err = h.queryRow(ctx, `SELECT count(*) FROM comments c CROSS JOIN entries e ON e.id = c.entry_id`+where, args, &total)
	return list, total, wrap(err, "count comments")
}

// commentQuery returns Comments' query for f, whose last two arguments are
// the window's, its arguments before those, and its WHERE clause, which
// the count shares.
func commentQuery(f gazette.CommentFilter) (query, where string, args []any) {
	var conds []string
	if f.EntryID != 0 {
		conds = append(conds, "c.entry_id = ?")
		args = append(args, f.EntryID)
	}
	if f.Status != "" {
		conds = append(conds, "c.status = ?")
		args = append(args, string(f.Status))
	}
	if f.Email != "" {
		conds = append(conds, "c.email = ?")
		args = append(args, f.Email)
	}
	if f.Body != "" {
		conds = append(conds, "c.body = ?")
		args = append(args, f.Body)
	}
	if !f.VisibleAt.IsZero() {
		conds = append(conds, "e.status = 'published' AND e.published_at <= ?")
		args = append(args, micros(f.VisibleAt))
	}
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	order := " ORDER BY c.created_at, c.id"
	if f.NewestFirst {
		order = " ORDER BY c.created_at DESC, c.id DESC"
	}
	return commentSelect + where + order + " LIMIT ? OFFSET ?", where, args
}

// SetCommentStatus implements gazette.CommentStore.
func (h *handle) SetCommentStatus(ctx context.Context, id int64, s gazette.CommentStatus) error {
	if !s.Valid() {
		return gazette.Errorf(gazette.ErrInvalid, "comment %d: unknown status %q", id, s)
	}
	res, err := h.exec(ctx, `UPDATE comments SET status = ? WHERE id = ?`, string(s), id)
	if err != nil {
		return wrap(err, "set status of comment %d", id)
	}
	if affected(res) == 0 {
		return gazette.Errorf(gazette.ErrNotFound, "comment %d not found", id)
	}
	return nil
}

// DeleteComment implements gazette.CommentStore.
func (h *handle) DeleteComment(ctx context.Context, id int64) error {
	res, err := h.exec(ctx, `DELETE FROM comments WHERE id = ?`, id)
	if err != nil {
		return wrap(err, "delete comment %d", id)
	}
	if affected(res) == 0 {
		return gazette.Errorf(gazette.ErrNotFound, "comment %d not found", id)
	}
	return nil
}

// CreateMention implements gazette.MentionStore.
func (h *handle) CreateMention(ctx context.Context, m *gazette.Mention) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = h.now()
	}
	res, err := h.exec(ctx, `INSERT INTO mentions (entry_id, kind, source_url, title, excerpt,
		blog_name, ip, status, import_key, created_at, type, author_name, author_url, author_photo,
		updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.EntryID, string(m.Kind), m.SourceURL, m.Title, m.Excerpt, m.BlogName, m.IP,
		string(m.Status), nullString(m.ImportKey), micros(m.CreatedAt), string(m.Type), m.AuthorName,
		m.AuthorURL, m.AuthorPhoto, timeOrZero(m.UpdatedAt))
	switch {
	case isUnique(err):
		return gazette.Errorf(gazette.ErrConflict, "mention import key %q already taken", m.ImportKey)
	case isForeignKey(err):
		return gazette.Errorf(gazette.ErrInvalid, "mention from %q: unknown entry %d", m.SourceURL, m.EntryID)
	case err != nil:
		return wrap(err, "create mention from %q", m.SourceURL)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return wrap(err, "create mention from %q", m.SourceURL)
	}
	m.ID = id
	return nil
}

// Mentions implements gazette.MentionStore.
func (h *handle) Mentions(ctx context.Context, entryID int64, s gazette.CommentStatus) ([]*gazette.Mention, error) {
	rows, err := h.query(ctx, `SELECT `+mentionColumns+` FROM mentions
		WHERE entry_id = ?1 AND (?2 = '' OR status = ?2) ORDER BY created_at, id`, entryID, string(s))
	if err != nil {
		return nil, wrap(err, "list mentions of entry %d", entryID)
	}
	defer rows.Close()
	var list []*gazette.Mention
	for rows.Next() {
		m, err := scanMention(rows.Scan)
		if err != nil {
			return nil, wrap(err, "list mentions of entry %d", entryID)
		}
		list = append(list, m)
	}
	return list, wrap(rows.Err(), "list mentions of entry %d", entryID)
}

// MentionExists implements gazette.MentionStore.
func (h *handle) MentionExists(ctx context.Context, importKey string) (bool, error) {
	ok, err := h.exists(ctx, `SELECT 1 FROM mentions WHERE import_key = ?`, importKey)
	return ok, wrap(err, "look up mention %q", importKey)
}

// RedirectTarget implements gazette.RedirectStore.
func (h *handle) RedirectTarget(ctx context.Context, path string) (*gazette.Entry, error) {
	return h.entryWhere(ctx, fmt.Sprintf("redirect from %q", path),
		"e.id = (SELECT entry_id FROM redirects WHERE path = ?)", path)
}

// Settings implements gazette.SettingsStore.
func (h *handle) Settings(ctx context.Context) (gazette.Settings, error) {
	rows, err := h.query(ctx, `SELECT key, value FROM settings WHERE blog_id = 1`)
	if err != nil {
		return gazette.Settings{}, wrap(err, "read settings")
	}
	defer rows.Close()
	values := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return gazette.Settings{}, wrap(err, "read settings")
		}
		values[k] = v
	}
	if err := rows.Err(); err != nil {
		return gazette.Settings{}, wrap(err, "read settings")
	}
	return gazette.SettingsFromValues(values)
}

// SaveSettings implements gazette.SettingsStore.
func (h *handle) SaveSettings(ctx context.Context, s gazette.Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	for k, v := range s.Values() {
		if _, err := h.exec(ctx, `INSERT INTO settings (blog_id, key, value) VALUES (1, ?, ?)
			ON CONFLICT (blog_id, key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
			return wrap(err, "save setting %s", k)
		}
	}
	return nil
}
