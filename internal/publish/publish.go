// Package publish is the single write path for entries: the admin, the APIs
// and every importer create and change entries through a Publisher, so that
// validation, rendering, sanitising and permalinks are decided in one place.
package publish

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/mail"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/sanitize"
)

// titleWords is how many words of the body stand in for a missing title when
// a basename is derived, as in Movable Type.
const titleWords = 5

// Publisher writes entries. It is safe for concurrent use.
type Publisher struct {
	md  *markdown.Renderer
	san *sanitize.Sanitizer
	now func() time.Time

	// mailer tells entries' authors of new comments; nil sends nothing.
	mailer *mail.Mailer
	// inv hears the page-cache keys of each write; nil hears nothing.
	inv pagecache.Invalidator
	// secretMu guards secretKey, the blog's signing secret once read.
	secretMu  sync.Mutex
	secretKey []byte
	// submissions counts comment posts, to sweep expired form tokens now
	// and then rather than on every post.
	submissions atomic.Uint64
	// batchMu guards queue, the comments waiting for a transaction, and
	// leading, set while a submitter writes batches for the others.
	batchMu sync.Mutex
	queue   []*submission
	leading bool
}

// New returns a Publisher that renders with md and sanitises the HTML of
// untrusted authors with san.
func New(md *markdown.Renderer, san *sanitize.Sanitizer) *Publisher {
	return &Publisher{md: md, san: san, now: time.Now}
}

// SetMailer makes the Publisher mail each entry's author about new comments
// through m. It is set once, while the program is wired, before any use.
func (p *Publisher) SetMailer(m *mail.Mailer) { p.mailer = m }

// CreateEntry validates e, renders its HTML, gives it a basename and a
// permalink path that no other entry has, and stores it through tx. A zero
// PublishedAt becomes now. An explicit Basename is kept if its path is free;
// otherwise, and for a basename derived from the title, "_1", "_2"… are
// tried in turn, as Movable Type did.
func (p *Publisher) CreateEntry(ctx context.Context, tx gazette.Tx, s gazette.Settings, e *gazette.Entry) error {
	author, err := p.author(ctx, tx, e)
	if err != nil {
		return err
	}
	return p.CreateEntryBy(ctx, tx, s, e, author)
}

// CreateEntryBy is CreateEntry for a caller that has already loaded the
// entry's author from tx (the importer, which writes thousands of entries by
// a handful of authors); author.ID must be e.AuthorID.
func (p *Publisher) CreateEntryBy(ctx context.Context, tx gazette.Tx, s gazette.Settings, e *gazette.Entry, author *gazette.Author) error {
	if err := p.create(ctx, tx, s, e, author, trustedRole(author)); err != nil {
		return err
	}
	return p.queuePings(ctx, tx, e)
}

// ImportEntry is CreateEntryBy for an importer. The entry's HTML is kept as
// the old blog published it, whatever the role of its author: an import is
// run by the blog's administrator, and sanitising the blog's own history
// would silently strip what its authors embedded (videos, forms, scripts of
// the time) from pages that showed it for years.
func (p *Publisher) ImportEntry(ctx context.Context, tx gazette.Tx, s gazette.Settings, e *gazette.Entry, author *gazette.Author) error {
	return p.create(ctx, tx, s, e, author, true)
}

func (p *Publisher) create(ctx context.Context, tx gazette.Tx, s gazette.Settings, e *gazette.Entry, author *gazette.Author, trusted bool) error {
	if author == nil || author.ID != e.AuthorID {
		return fmt.Errorf("publish: create entry: author does not match the entry's AuthorID %d", e.AuthorID)
	}
	if e.PublishedAt.IsZero() {
		e.PublishedAt = p.now().UTC().Truncate(time.Second)
	}
	if err := p.prepare(e, trusted); err != nil {
		return err
	}
	if err := p.place(ctx, tx, s, e); err != nil {
		return err
	}
	if err := tx.CreateEntry(ctx, e); err != nil {
		return fmt.Errorf("publish: create entry %q: %w", e.Title, err)
	}
	if err := p.entryChanged(ctx, tx, s.Location(), nil, e, place{}); err != nil {
		return err
	}
	return nil
}

// UpdateEntry validates and re-renders e and replaces the stored entry e.ID
// with it. When its basename or month changes, it gets a new free path and
// its old path redirects to it.
func (p *Publisher) UpdateEntry(ctx context.Context, tx gazette.Tx, s gazette.Settings, e *gazette.Entry) error {
	old, err := tx.Entry(ctx, e.ID)
	if err != nil {
		return fmt.Errorf("publish: update entry %d: %w", e.ID, err)
	}
	was, err := p.placeOf(ctx, tx, old)
	if err != nil {
		return err
	}
	author, err := p.author(ctx, tx, e)
	if err != nil {
		return err
	}
	if e.PublishedAt.IsZero() {
		e.PublishedAt = old.PublishedAt
	}
	if err := p.prepare(e, trustedRole(author)); err != nil {
		return err
	}
	if err := p.place(ctx, tx, s, e); err != nil {
		return err
	}
	if err := tx.UpdateEntry(ctx, e); err != nil {
		return fmt.Errorf("publish: update entry %d: %w", e.ID, err)
	}
	if err := p.entryChanged(ctx, tx, s.Location(), old, e, was); err != nil {
		return err
	}
	if old.Path != "" && old.Path != e.Path {
		if err := tx.AddRedirect(ctx, gazette.Redirect{Path: old.Path, EntryID: e.ID}); err != nil {
			return fmt.Errorf("publish: update entry %d: redirect old path: %w", e.ID, err)
		}
	}
	return p.queuePings(ctx, tx, e)
}

func (p *Publisher) author(ctx context.Context, tx gazette.Tx, e *gazette.Entry) (*gazette.Author, error) {
	if e.AuthorID == 0 {
		return nil, gazette.Errorf(gazette.ErrInvalid, "entry %q has no author", e.Title)
	}
	a, err := tx.Author(ctx, e.AuthorID)
	if errors.Is(err, gazette.ErrNotFound) {
		return nil, gazette.Errorf(gazette.ErrInvalid, "entry %q: no author with ID %d", e.Title, e.AuthorID)
	}
	if err != nil {
		return nil, fmt.Errorf("publish: load author %d: %w", e.AuthorID, err)
	}
	return a, nil
}

// trustedRole reports whether an author's HTML is published as written:
// admins' and editors' is; everyone else's is sanitised.
func trustedRole(a *gazette.Author) bool {
	return a.Role == gazette.RoleAdmin || a.Role == gazette.RoleEditor
}

// prepare validates e and renders its HTML; untrusted HTML is sanitised.
func (p *Publisher) prepare(e *gazette.Entry, trusted bool) error {
	if !e.Status.Valid() {
		return gazette.Errorf(gazette.ErrInvalid, "entry %q: status %q is not draft, published or scheduled", e.Title, e.Status)
	}
	if !e.Kind.Valid() {
		return gazette.Errorf(gazette.ErrInvalid, "entry %q: kind %q is not entry or page", e.Title, e.Kind)
	}
	if !e.Format.Valid() {
		return gazette.Errorf(gazette.ErrInvalid, "entry %q: format %q is not html, markdown or convert-breaks", e.Title, e.Format)
	}
	if strings.TrimSpace(e.Title) == "" && strings.TrimSpace(e.Body) == "" {
		return gazette.Errorf(gazette.ErrInvalid, "entry has neither a title nor a body")
	}
	var err error
	if e.BodyHTML, err = p.render(e.Format, e.Body, trusted); err != nil {
		return fmt.Errorf("publish: entry %q: body: %w", e.Title, err)
	}
	if e.ExtendedHTML, err = p.render(e.Format, e.ExtendedBody, trusted); err != nil {
		return fmt.Errorf("publish: entry %q: extended body: %w", e.Title, err)
	}
	return nil
}

func (p *Publisher) render(f gazette.Format, src string, trusted bool) (string, error) {
	if src == "" {
		return "", nil
	}
	html, err := p.md.Render(f, src)
	if err != nil {
		return "", err
	}
	if !trusted {
		html = p.san.AuthorHTML(html)
	}
	return html, nil
}

// place gives e a basename and a path no other entry has.
func (p *Publisher) place(ctx context.Context, tx gazette.Tx, s gazette.Settings, e *gazette.Entry) error {
	limit := s.BasenameLimit
	if limit <= 0 {
		limit = gazette.DefaultSettings().BasenameLimit
	}
	base := e.Basename
	if !validBasename(base) {
		src := base
		if src == "" {
			src = strings.TrimSpace(e.Title)
		}
		if src == "" {
			src = firstWords(gazette.PlainText(e.Body), titleWords)
		}
		base = Dirify(src, limit)
	}
	loc := s.Location()
	for i := 0; ; i++ {
		b := base
		if i > 0 {
			b = base + "_" + strconv.Itoa(i)
		}
		path := gazette.EntryPath(e.PublishedAt, loc, b)
		if e.Kind == gazette.KindPage {
			if reservedPageName[b] {
				continue
			}
			path = gazette.PagePath(b)
		}
		owner, err := pathOwner(ctx, tx, path)
		if errors.Is(err, gazette.ErrNotFound) || err == nil && owner == e.ID && e.ID != 0 {
			e.Basename, e.Path = b, path
			return nil
		}
		if err != nil {
			return fmt.Errorf("publish: look up path %s: %w", path, err)
		}
	}
}

// pathIDer is the optional capability of a store to tell which entry holds a
// path without reading that entry, which place asks for every entry written.
type pathIDer interface {
	EntryIDByPath(ctx context.Context, path string) (int64, error)
}

// pathOwner returns the ID of the entry at path, or ErrNotFound.
func pathOwner(ctx context.Context, tx gazette.Tx, path string) (int64, error) {
	if p, ok := tx.(pathIDer); ok {
		return p.EntryIDByPath(ctx, path)
	}
	other, err := tx.EntryByPath(ctx, path)
	if err != nil {
		return 0, err
	}
	return other.ID, nil
}

// reservedPageName holds the first path segments of the site's own pages, which
// a page at /SLUG/ must not shadow.
var reservedPageName = map[string]bool{
	"archives": true, "topics": true, "tags": true, "authors": true, "comments": true,
	"page": true, "search": true, "admin": true, "media": true, "api": true, "static": true,
	"xmlrpc": true, "micropub": true, "webmention": true, "trackback": true, "feed": true,
}

// validBasename reports whether b can be a URL segment as it is: not empty,
// no separators of paths, queries or fragments, no white space or controls.
// Letters of any script are fine (TypePad exports have such basenames).
func validBasename(b string) bool {
	if b == "" || b == "." || b == ".." {
		return false
	}
	for _, r := range b {
		if r <= ' ' || r == 0x7f || strings.ContainsRune(`/\?#%"<>`, r) {
			return false
		}
	}
	return true
}

func firstWords(s string, n int) string {
	w := strings.Fields(s)
	if len(w) > n {
		w = w[:n]
	}
	return strings.Join(w, " ")
}
