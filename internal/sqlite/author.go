package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/gazette-blog/gazette"
)

const authorSelect = `SELECT id, slug, name, email, role, password_hash, created_at FROM authors`

func scanAuthor(row scanner) (*gazette.Author, error) {
	var a gazette.Author
	var role string
	var created int64
	if err := row.Scan(&a.ID, &a.Slug, &a.Name, &a.Email, &role, &a.PasswordHash, &created); err != nil {
		return nil, err
	}
	a.Role = gazette.Role(role)
	a.CreatedAt = fromMicros(created)
	return &a, nil
}

// authorWriteError turns a failed write of a into the error its user can act on.
func (h *handle) authorWriteError(ctx context.Context, err error, a *gazette.Author) error {
	if !isUnique(err) {
		return wrap(err, "write author %q", a.Name)
	}
	taken, qerr := h.exists(ctx, `SELECT 1 FROM authors WHERE slug = ? AND id != ?`, a.Slug, a.ID)
	if qerr != nil {
		return wrap(errors.Join(err, qerr), "write author %q", a.Name)
	}
	if taken {
		return gazette.Errorf(gazette.ErrConflict, "author slug %q already taken", a.Slug)
	}
	return gazette.Errorf(gazette.ErrConflict, "author name %q already taken", a.Name)
}

// CreateAuthor implements gazette.AuthorStore.
func (h *handle) CreateAuthor(ctx context.Context, a *gazette.Author) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = h.now()
	}
	res, err := h.exec(ctx, `INSERT INTO authors (slug, name, email, role, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, a.Slug, a.Name, a.Email, string(a.Role), a.PasswordHash, micros(a.CreatedAt))
	if err != nil {
		return h.authorWriteError(ctx, err, a)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return wrap(err, "create author %q", a.Name)
	}
	a.ID = id
	return nil
}

// UpdateAuthor implements gazette.AuthorStore.
func (h *handle) UpdateAuthor(ctx context.Context, a *gazette.Author) error {
	if err := a.Validate(); err != nil {
		return err
	}
	res, err := h.exec(ctx, `UPDATE authors SET slug = ?, name = ?, email = ?, role = ?, password_hash = ?
		WHERE id = ?`, a.Slug, a.Name, a.Email, string(a.Role), a.PasswordHash, a.ID)
	if err != nil {
		return h.authorWriteError(ctx, err, a)
	}
	if affected(res) == 0 {
		return gazette.Errorf(gazette.ErrNotFound, "author %d not found", a.ID)
	}
	return nil
}

func (h *handle) authorWhere(ctx context.Context, what, where string, arg any) (*gazette.Author, error) {
	row, err := h.row(ctx, authorSelect+" WHERE "+where, arg)
	if err != nil {
		return nil, wrap(err, "read %s", what)
	}
	a, err := scanAuthor(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gazette.Errorf(gazette.ErrNotFound, "%s not found", what)
	}
	return a, wrap(err, "read %s", what)
}

// Author implements gazette.AuthorStore.
func (h *handle) Author(ctx context.Context, id int64) (*gazette.Author, error) {
	return h.authorWhere(ctx, fmt.Sprintf("author %d", id), "id = ?", id)
}

// AuthorBySlug implements gazette.AuthorStore.
func (h *handle) AuthorBySlug(ctx context.Context, slug string) (*gazette.Author, error) {
	return h.authorWhere(ctx, fmt.Sprintf("author %q", slug), "slug = ?", slug)
}

// AuthorByName implements gazette.AuthorStore.
func (h *handle) AuthorByName(ctx context.Context, name string) (*gazette.Author, error) {
	return h.authorWhere(ctx, fmt.Sprintf("author named %q", name), "name = ?", name)
}

// Authors implements gazette.AuthorStore.
func (h *handle) Authors(ctx context.Context) ([]*gazette.Author, error) {
	rows, err := h.query(ctx, authorSelect+` ORDER BY lower(name), name`)
	if err != nil {
		return nil, wrap(err, "list authors")
	}
	defer rows.Close()
	var list []*gazette.Author
	for rows.Next() {
		a, err := scanAuthor(rows)
		if err != nil {
			return nil, wrap(err, "list authors")
		}
		list = append(list, a)
	}
	return list, wrap(rows.Err(), "list authors")
}
