package postgres

import (
	"context"
	"fmt"

	"github.com/gazette-blog/gazette"
	"github.com/jackc/pgx/v5"
)

const authorSelect = `SELECT id, slug, name, email, role, password_hash, created_at FROM authors`

func scanAuthor(row pgx.Row) (*gazette.Author, error) {
	var a gazette.Author
	err := row.Scan(&a.ID, &a.Slug, &a.Name, &a.Email, &a.Role, &a.PasswordHash, &a.CreatedAt)
	return &a, err
}

// authorWriteError turns a failed write of a into the error its user can act on.
func authorWriteError(err error, a *gazette.Author) error {
	switch violation(err, uniqueViolation) {
	case "authors_slug_key":
		return gazette.Errorf(gazette.ErrConflict, "author slug %q already taken", a.Slug)
	case "authors_name_key":
		return gazette.Errorf(gazette.ErrConflict, "author name %q already taken", a.Name)
	}
	return wrap(err, "write author %q", a.Name)
}

// CreateAuthor implements gazette.AuthorStore.
func (h *handle) CreateAuthor(ctx context.Context, a *gazette.Author) error {
	if err := a.Validate(); err != nil {
		return err
	}
	created := a.CreatedAt
	if created.IsZero() {
		created = now()
	}
	var id int64
	err := h.one(ctx, func(q querier) error {
		err := q.QueryRow(ctx, `INSERT INTO authors (slug, name, email, role, password_hash, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			a.Slug, a.Name, a.Email, string(a.Role), a.PasswordHash, created).Scan(&id)
		return authorWriteError(err, a)
	})
	if err != nil {
		return err
	}
	a.ID, a.CreatedAt = id, created
	return nil
}

// UpdateAuthor implements gazette.AuthorStore.
func (h *handle) UpdateAuthor(ctx context.Context, a *gazette.Author) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return h.one(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `UPDATE authors SET slug = $1, name = $2, email = $3, role = $4,
			password_hash = $5 WHERE id = $6`, a.Slug, a.Name, a.Email, string(a.Role), a.PasswordHash, a.ID)
		if err != nil {
			return authorWriteError(err, a)
		}
		if tag.RowsAffected() == 0 {
			return gazette.Errorf(gazette.ErrNotFound, "author %d not found", a.ID)
		}
		return nil
	})
}

func (h *handle) authorWhere(ctx context.Context, what, where string, arg any) (*gazette.Author, error) {
	a, err := scanAuthor(h.q.QueryRow(ctx, authorSelect+" WHERE "+where, arg))
	if err != nil {
		return nil, notFound(err, what)
	}
	return a, nil
}

// Author implements gazette.AuthorStore.
func (h *handle) Author(ctx context.Context, id int64) (*gazette.Author, error) {
	return h.authorWhere(ctx, fmt.Sprintf("author %d", id), "id = $1", id)
}

// AuthorBySlug implements gazette.AuthorStore.
func (h *handle) AuthorBySlug(ctx context.Context, slug string) (*gazette.Author, error) {
	return h.authorWhere(ctx, fmt.Sprintf("author %q", slug), "slug = $1", slug)
}

// AuthorByName implements gazette.AuthorStore.
func (h *handle) AuthorByName(ctx context.Context, name string) (*gazette.Author, error) {
	return h.authorWhere(ctx, fmt.Sprintf("author named %q", name), "name = $1", name)
}

// Authors implements gazette.AuthorStore.
func (h *handle) Authors(ctx context.Context) ([]*gazette.Author, error) {
	rows, err := h.q.Query(ctx, authorSelect+` ORDER BY lower(name), name`)
	if err != nil {
		return nil, wrap(err, "list authors")
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*gazette.Author, error) { return scanAuthor(row) })
	return list, wrap(err, "list authors")
}
