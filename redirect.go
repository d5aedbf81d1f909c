package gazette

import "context"

// Redirect sends an old URL path, such as a Movable Type /archives/000123.html
// or a WordPress /?p=123, to the entry now at its place, with a 301.
type Redirect struct {
	Path    string // the old path, with its query if it had one
	EntryID int64
}

// RedirectStore stores redirects.
type RedirectStore interface {
	// AddRedirect records r, replacing any redirect of the same path.
	AddRedirect(ctx context.Context, r Redirect) error
	// RedirectTarget returns the entry that old path redirects to.
	RedirectTarget(ctx context.Context, path string) (*Entry, error)
}
