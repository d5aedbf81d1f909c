package postgres

import (
	"context"
	"fmt"

	"github.com/gazette-blog/gazette"
	"github.com/jackc/pgx/v5"
)

// Redirect implements gazette.RedirectStore.
func (h *handle) Redirect(ctx context.Context, path string) (*gazette.Redirect, error) {
	r := gazette.Redirect{Path: path}
	err := h.q.QueryRow(ctx, `SELECT coalesce(entry_id, 0), target FROM redirects WHERE path = $1`, path).
		Scan(&r.EntryID, &r.Target)
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("redirect from %q", path))
	}
	return &r, nil
}

// Redirects implements gazette.RedirectStore.
func (h *handle) Redirects(ctx context.Context) ([]gazette.Redirect, error) {
	rows, err := h.q.Query(ctx, `SELECT path, coalesce(entry_id, 0), target FROM redirects ORDER BY path`)
	if err != nil {
		return nil, wrap(err, "list redirects")
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (gazette.Redirect, error) {
		var r gazette.Redirect
		err := row.Scan(&r.Path, &r.EntryID, &r.Target)
		return r, err
	})
	return list, wrap(err, "list redirects")
}

// AddRedirect implements gazette.RedirectStore.
func (h *handle) AddRedirect(ctx context.Context, r gazette.Redirect) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.EntryID != 0 {
		r.Target = ""
	}
	return h.one(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO redirects (path, entry_id, target) VALUES ($1, $2, $3)
			ON CONFLICT (path) DO UPDATE SET entry_id = excluded.entry_id, target = excluded.target`,
			r.Path, nullID(r.EntryID), r.Target)
		if violation(err, foreignKeyViolation) != "" {
			return gazette.Errorf(gazette.ErrInvalid, "redirect %q: unknown entry %d", r.Path, r.EntryID)
		}
		return wrap(err, "add redirect %q", r.Path)
	})
}

// DeleteRedirect implements gazette.RedirectDeleter.
func (h *handle) DeleteRedirect(ctx context.Context, path string) error {
	return h.one(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM redirects WHERE path = $1`, path)
		return rowChanged(tag.RowsAffected(), err, fmt.Sprintf("redirect from %q", path), "delete")
	})
}
