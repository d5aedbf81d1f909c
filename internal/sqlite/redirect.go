package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/gazette-blog/gazette"
)

// Redirect implements gazette.RedirectStore.
func (h *handle) Redirect(ctx context.Context, path string) (*gazette.Redirect, error) {
	r := gazette.Redirect{Path: path}
	var entryID sql.NullInt64
	err := h.queryRow(ctx, `SELECT entry_id, target FROM redirects WHERE path = ?`, []any{path}, &entryID, &r.Target)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gazette.Errorf(gazette.ErrNotFound, "redirect from %q not found", path)
	}
	if err != nil {
		return nil, wrap(err, "read redirect %q", path)
	}
	r.EntryID = entryID.Int64
	return &r, nil
}

// Redirects implements gazette.RedirectStore.
func (h *handle) Redirects(ctx context.Context) ([]gazette.Redirect, error) {
	rows, err := h.query(ctx, `SELECT path, entry_id, target FROM redirects ORDER BY path`)
	if err != nil {
		return nil, wrap(err, "list redirects")
	}
	defer rows.Close()
	var list []gazette.Redirect
	for rows.Next() {
		var r gazette.Redirect
		var entryID sql.NullInt64
		if err := rows.Scan(&r.Path, &entryID, &r.Target); err != nil {
			return nil, wrap(err, "list redirects")
		}
		r.EntryID = entryID.Int64
		list = append(list, r)
	}
	return list, wrap(rows.Err(), "list redirects")
}

// AddRedirect implements gazette.RedirectStore.
func (h *handle) AddRedirect(ctx context.Context, r gazette.Redirect) error {
	if err := r.Validate(); err != nil {
		return err
	}
	var target string
	if r.EntryID == 0 {
		target = r.Target
	}
	_, err := h.exec(ctx, `INSERT INTO redirects (path, entry_id, target) VALUES (?, ?, ?)
		ON CONFLICT (path) DO UPDATE SET entry_id = excluded.entry_id, target = excluded.target`,
		r.Path, nullID(r.EntryID), target)
	if isForeignKey(err) {
		return gazette.Errorf(gazette.ErrInvalid, "redirect %q: unknown entry %d", r.Path, r.EntryID)
	}
	return wrap(err, "add redirect %q", r.Path)
}

// DeleteRedirect implements gazette.RedirectDeleter.
func (h *handle) DeleteRedirect(ctx context.Context, path string) error {
	res, err := h.exec(ctx, `DELETE FROM redirects WHERE path = ?`, path)
	if err != nil {
		return wrap(err, "delete redirect %q", path)
	}
	if affected(res) == 0 {
		return gazette.Errorf(gazette.ErrNotFound, "redirect from %q not found", path)
	}
	return nil
}

// DeleteRedirect implements gazette.RedirectDeleter.
func (db *DB) DeleteRedirect(ctx context.Context, path string) error {
	return db.write(ctx, func(h *handle) error { return h.DeleteRedirect(ctx, path) })
}
