package gazette

import "context"

// Redirect sends an old URL path, such as a Movable Type /archives/000123.html
// or a WordPress /?p=123, with a 301 to the entry now at its place, or, for
// an old address that was no entry (a WordPress /category/x/ or /feed/), to
// a path of this blog.
//
// An entry is named by its ID so that the redirect follows it when its
// permalink changes; anything else is named by path, which is all a topic
// archive, a tag archive or a feed needs and which lets an admin point an old
// address at any page without a kind of redirect for each kind of page.
type Redirect struct {
	Path    string // the old path, with its query if it had one
	EntryID int64  // the entry it leads to; 0 when Target is set
	Target  string // the path it leads to when EntryID is 0
}

// RedirectStore stores redirects.
type RedirectStore interface {
	// AddRedirect records r, replacing any redirect of the same path. A
	// redirect with neither EntryID nor Target, or with a Target that is not
	// a path of this blog, is ErrInvalid; so is an unknown EntryID.
	AddRedirect(ctx context.Context, r Redirect) error
	// RedirectTarget returns the entry that old path redirects to; a path
	// redirected elsewhere than to an entry is ErrNotFound.
	RedirectTarget(ctx context.Context, path string) (*Entry, error)
	// Redirect returns the redirect of old path.
	Redirect(ctx context.Context, path string) (*Redirect, error)
	// Redirects returns every redirect, by path.
	Redirects(ctx context.Context) ([]Redirect, error)
}

// RedirectDeleter lets an admin take back a redirect added by mistake or
// made stale by a page that now answers at its old path. It is a capability
// apart from RedirectStore so that a store may be read-only about redirects.
type RedirectDeleter interface {
	// DeleteRedirect removes the redirect of old path; a path with no
	// redirect is ErrNotFound.
	DeleteRedirect(ctx context.Context, path string) error
}
