package gazette

import (
	"context"
	"time"
)

// Role says what an author may do.
type Role string

// The roles. Admins do everything; editors manage every entry, topic and
// comment; authors manage their own entries, and their HTML is sanitised.
const (
	RoleAdmin  Role = "admin"
	RoleEditor Role = "editor"
	RoleAuthor Role = "author"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleEditor, RoleAuthor:
		return true
	}
	return false
}

// Author is a person who writes entries.
type Author struct {
	ID           int64
	Slug         string // URL segment: /authors/SLUG/; unique
	Name         string // display name; unique
	Email        string
	Role         Role
	PasswordHash string // argon2id, in PHC string format; empty: cannot sign in
	CreatedAt    time.Time
}

// AuthorStore stores authors.
type AuthorStore interface {
	// CreateAuthor stores a new author and sets its ID and CreatedAt; a taken
	// slug or name is ErrConflict.
	CreateAuthor(ctx context.Context, a *Author) error
	// UpdateAuthor replaces the stored author a.ID with a.
	UpdateAuthor(ctx context.Context, a *Author) error
	// Author returns the author with the given ID.
	Author(ctx context.Context, id int64) (*Author, error)
	// AuthorBySlug returns the author with the given slug.
	AuthorBySlug(ctx context.Context, slug string) (*Author, error)
	// AuthorByName returns the author with the given display name.
	AuthorByName(ctx context.Context, name string) (*Author, error)
	// Authors returns every author, by name.
	Authors(ctx context.Context) ([]*Author, error)
}
