package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/jackc/pgx/v5"
)

const commentSelect = `SELECT c.id, c.entry_id, coalesce(c.parent_id, 0), c.name, c.email, c.url, c.ip,
	c.user_agent, c.body, c.status, coalesce(c.import_key, ''), c.created_at, e.title, e.path
FROM comments c JOIN entries e ON e.id = c.entry_id`

func scanComment(row pgx.Row) (*gazette.Comment, error) {
	var c gazette.Comment
	err := row.Scan(&c.ID, &c.EntryID, &c.ParentID, &c.Name, &c.Email, &c.URL, &c.IP,
		&c.UserAgent, &c.Body, &c.Status, &c.ImportKey, &c.CreatedAt, &c.EntryTitle, &c.EntryPath)
	return &c, err
}

// CreateComment implements gazette.CommentStore.
func (h *handle) CreateComment(ctx context.Context, c *gazette.Comment) error {
	if !c.Status.Valid() {
		return gazette.Errorf(gazette.ErrInvalid, "comment by %q: unknown status %q", c.Name, c.Status)
	}
	created := c.CreatedAt
	if created.IsZero() {
		created = now()
	}
	var id int64
	err := h.one(ctx, func(q querier) error {
		err := q.QueryRow(ctx, `INSERT INTO comments (entry_id, parent_id, name, email, url, ip,
			user_agent, body, status, import_key, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			c.EntryID, nullID(c.ParentID), c.Name, c.Email, c.URL, c.IP,
			c.UserAgent, c.Body, string(c.Status), nullString(c.ImportKey), created).Scan(&id)
		switch {
		case violation(err, uniqueViolation) != "":
			return gazette.Errorf(gazette.ErrConflict, "comment import key %q already taken", c.ImportKey)
		case violation(err, foreignKeyViolation) == "comments_entry_fkey":
			return gazette.Errorf(gazette.ErrInvalid, "comment by %q: unknown entry %d", c.Name, c.EntryID)
		case violation(err, foreignKeyViolation) == "comments_parent_fkey":
			return gazette.Errorf(gazette.ErrInvalid, "comment by %q: unknown parent comment %d", c.Name, c.ParentID)
		}
		return wrap(err, "create comment by %q", c.Name)
	})
	if err != nil {
		return err
	}
	c.ID, c.CreatedAt = id, created
	return nil
}

// Comment implements gazette.CommentStore.
func (h *handle) Comment(ctx context.Context, id int64) (*gazette.Comment, error) {
	c, err := scanComment(h.q.QueryRow(ctx, commentSelect+` WHERE c.id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("comment %d", id))
	}
	return c, nil
}

// CommentExists implements gazette.CommentStore.
func (h *handle) CommentExists(ctx context.Context, importKey string) (bool, error) {
	ok, err := exists(ctx, h.q, `SELECT 1 FROM comments WHERE import_key = $1`, importKey)
	return ok, wrap(err, "look up comment %q", importKey)
}

// Comments implements gazette.CommentStore.
func (h *handle) Comments(ctx context.Context, f gazette.CommentFilter) ([]*gazette.Comment, int, error) {
	var conds []string
	var p params
	if f.EntryID != 0 {
		conds = append(conds, "c.entry_id = "+p.add(f.EntryID))
	}
	if f.Status != "" {
		conds = append(conds, "c.status = "+p.add(string(f.Status)))
	}
	if f.Email != "" {
		conds = append(conds, "c.email = "+p.add(f.Email))
	}
	if f.Body != "" {
		conds = append(conds, "c.body = "+p.add(f.Body))
	}
	if !f.VisibleAt.IsZero() {
		conds = append(conds, "e.status = 'published' AND e.published_at <= "+p.add(f.VisibleAt))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	order := " ORDER BY c.created_at, c.id"
	if f.NewestFirst {
		order = " ORDER BY c.created_at DESC, c.id DESC"
	}
	filterArgs := len(p)
	rows, err := h.q.Query(ctx, commentSelect+where+order+p.window(f.Limit, f.Offset), p...)
	if err != nil {
		return nil, 0, wrap(err, "list comments")
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*gazette.Comment, error) { return scanComment(row) })
	if err != nil {
		return nil, 0, wrap(err, "list comments")
	}
	if complete(len(list), f.Limit, f.Offset) {
		return list, max(f.Offset, 0) + len(list), nil
	}
	if f.NoTotal {
		return list, -1, nil
	}
	var total int
	err = h.q.QueryRow(ctx, `SELECT count(*) FROM comments c JOIN entries e ON e.id = c.entry_id`+where, p[:filterArgs]...).Scan(&total)
	return list, total, wrap(err, "count comments")
}

// SetCommentStatus implements gazette.CommentStore.
func (h *handle) SetCommentStatus(ctx context.Context, id int64, s gazette.CommentStatus) error {
	if !s.Valid() {
		return gazette.Errorf(gazette.ErrInvalid, "comment %d: unknown status %q", id, s)
	}
	return h.one(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `UPDATE comments SET status = $1 WHERE id = $2`, string(s), id)
		return rowChanged(tag.RowsAffected(), err, fmt.Sprintf("comment %d", id), "set status of")
	})
}

// DeleteComment implements gazette.CommentStore.
func (h *handle) DeleteComment(ctx context.Context, id int64) error {
	return h.one(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM comments WHERE id = $1`, id)
		return rowChanged(tag.RowsAffected(), err, fmt.Sprintf("comment %d", id), "delete")
	})
}

// rowChanged returns the error of a write meant to change one row: err
// wrapped, or ErrNotFound when no row changed.
func rowChanged(n int64, err error, what, op string) error {
	if err != nil {
		return wrap(err, "%s %s", op, what)
	}
	if n == 0 {
		return gazette.Errorf(gazette.ErrNotFound, "%s not found", what)
	}
	return nil
}

// RedirectTarget implements gazette.RedirectStore.
func (h *handle) RedirectTarget(ctx context.Context, path string) (*gazette.Entry, error) {
	return h.entryWhere(ctx, fmt.Sprintf("redirect from %q", path),
		"e.id = (SELECT entry_id FROM redirects WHERE path = $1)", path)
}

// Settings implements gazette.SettingsStore.
func (h *handle) Settings(ctx context.Context) (gazette.Settings, error) {
	rows, err := h.q.Query(ctx, `SELECT key, value FROM settings WHERE blog_id = 1`)
	if err != nil {
		return gazette.Settings{}, wrap(err, "read settings")
	}
	values := map[string]string{}
	var k, v string
	_, err = pgx.ForEachRow(rows, []any{&k, &v}, func() error { values[k] = v; return nil })
	if err != nil {
		return gazette.Settings{}, wrap(err, "read settings")
	}
	return gazette.SettingsFromValues(values)
}

// SaveSettings implements gazette.SettingsStore.
func (h *handle) SaveSettings(ctx context.Context, s gazette.Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	var keys, values []string
	for k, v := range s.Values() {
		keys, values = append(keys, k), append(values, v)
	}
	return h.one(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO settings (blog_id, key, value)
			SELECT 1, k, v FROM unnest($1::text[], $2::text[]) AS u (k, v)
			ON CONFLICT (blog_id, key) DO UPDATE SET value = excluded.value`, keys, values)
		return wrap(err, "save settings")
	})
}
