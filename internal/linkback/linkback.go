// Package linkback receives other sites' links to a blog's entries, by
// whichever protocol they come: Webmention, Pingback or TrackBack. Each
// protocol's handler (internal/api/…) parses its request and hands it here,
// where the claim is checked the same way for all three: the target must be
// a visible entry that takes pings, and the source, fetched through the
// outbound client, must link to it. What the source says of itself (its
// microformats2 h-entry, or its title and the words around the link)
// becomes a gazette.Mention, held or shown by the blog's moderation policy.
// A source sent again updates its mention; one that is gone (410) or no
// longer links removes it.
package linkback

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/fetch"
)

// Store is what receiving mentions reads and writes.
type Store interface {
	EntryByPath(ctx context.Context, path string) (*gazette.Entry, error)
	Settings(ctx context.Context) (gazette.Settings, error)
	gazette.MentionStore
	gazette.LinkbackStore
}

// Errors of a claim that does not hold, for the protocols that report why
// (Pingback's fault codes, TrackBack's messages). Each is a *gazette.Error
// kind too, so that handlers map them to statuses in one place.
var (
	// ErrNoSource is a source that cannot be fetched or answers an error.
	ErrNoSource = errors.New("the source could not be read")
	// ErrNoLink is a source that does not link to the target.
	ErrNoLink = errors.New("the source does not link to the target")
	// ErrNoTarget is a target that is no entry of this blog.
	ErrNoTarget = errors.New("the target is no entry of this blog")
	// ErrClosed is an entry that takes no pings.
	ErrClosed = errors.New("the target takes no pings")
)

// reasons is the Kind of a failed claim's *gazette.Error: both the reason
// (ErrNoLink, …) and the gazette kind that maps it to a status.
type reasons struct{ reason, kind error }

func (k reasons) Error() string   { return k.reason.Error() }
func (k reasons) Unwrap() []error { return []error{k.reason, k.kind} }

// fail returns the *gazette.Error of a claim that does not hold; its
// message is for the sender.
func fail(reason, kind error, format string, args ...any) error {
	return &gazette.Error{Kind: reasons{reason, kind}, Message: fmt.Sprintf(format, args...)}
}

// Request is one claim that Source links to Target.
type Request struct {
	Kind   gazette.MentionKind
	Source string
	Target string
	// Base is the blog's address, as web.BaseURL makes it: the target
	// must be below it.
	Base string
	IP   string
	// Title, Excerpt and BlogName are what a TrackBack ping says of its
	// source; a page's own h-entry or title takes precedence.
	Title, Excerpt, BlogName string
}

// Config holds what a Receiver needs.
type Config struct {
	Store Store
	// Fetch is the outbound client sources are read with.
	Fetch *fetch.Client
	// Logger receives what background verification finds; nil discards it.
	Logger *slog.Logger
	// QueueLength bounds the requests waiting for verification; 0 means 100.
	QueueLength int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Receiver checks claims and keeps the mentions they make. It is safe for
// concurrent use.
type Receiver struct {
	store  Store
	fetch  *fetch.Client
	logger *slog.Logger
	now    func() time.Time
	queue  chan Request
}

// New returns a Receiver. It panics without a store or client, a mistake
// in the program's wiring.
func New(cfg Config) *Receiver {
	if cfg.Store == nil || cfg.Fetch == nil {
		panic("linkback.New: Config needs Store and Fetch")
	}
	r := &Receiver{store: cfg.Store, fetch: cfg.Fetch, logger: cfg.Logger, now: cfg.Now}
	if r.logger == nil {
		r.logger = slog.New(slog.DiscardHandler)
	}
	if r.now == nil {
		r.now = time.Now
	}
	n := cfg.QueueLength
	if n <= 0 {
		n = 100
	}
	r.queue = make(chan Request, n)
	return r
}

// Target returns the entry req.Target names: a visible entry of this blog
// that takes pings. It checks the request without fetching anything, so a
// handler can refuse a bad one at once.
func (r *Receiver) Target(ctx context.Context, req Request) (*gazette.Entry, error) {
	src, err := url.Parse(req.Source)
	if err != nil || (src.Scheme != "http" && src.Scheme != "https") || src.Host == "" {
		return nil, fail(ErrNoSource, gazette.ErrInvalid, "source %q is not an http or https URL", req.Source)
	}
	tgt, err := url.Parse(req.Target)
	if err != nil || (tgt.Scheme != "http" && tgt.Scheme != "https") || tgt.Host == "" {
		return nil, fail(ErrNoTarget, gazette.ErrInvalid, "target %q is not an http or https URL", req.Target)
	}
	if sameURL(req.Source) == sameURL(req.Target) {
		return nil, fail(ErrNoTarget, gazette.ErrInvalid, "source and target are the same page")
	}
	base, err := url.Parse(req.Base)
	if err != nil || !strings.EqualFold(tgt.Host, base.Host) {
		return nil, fail(ErrNoTarget, gazette.ErrInvalid, "target %q is not on this blog (%s)", req.Target, req.Base)
	}
	path, ok := strings.CutPrefix(tgt.Path, strings.TrimSuffix(base.Path, "/"))
	if !ok {
		return nil, fail(ErrNoTarget, gazette.ErrInvalid, "target %q is not on this blog (%s)", req.Target, req.Base)
	}
	e, err := r.store.EntryByPath(ctx, path)
	if errors.Is(err, gazette.ErrNotFound) || err == nil && !e.VisibleAt(r.now()) {
		return nil, fail(ErrNoTarget, gazette.ErrInvalid, "target %q is no entry of this blog", req.Target)
	}
	if err != nil {
		return nil, fmt.Errorf("linkback: target %s: %w", req.Target, err)
	}
	if !e.AllowPings {
		return nil, fail(ErrClosed, gazette.ErrForbidden, "entry %q takes no pings", e.Title)
	}
	return e, nil
}

// Verify checks req now: it fetches the source and creates, updates or
// removes the mention of the target from it. It returns the mention kept,
// or nil with the reason when there is none (ErrNoLink, ErrNoSource), in
// which case any earlier mention from the source was removed.
func (r *Receiver) Verify(ctx context.Context, req Request) (*gazette.Mention, error) {
	e, err := r.Target(ctx, req)
	if err != nil {
		return nil, err
	}
	old, err := r.store.MentionBySource(ctx, e.ID, req.Source)
	if err != nil && !errors.Is(err, gazette.ErrNotFound) {
		return nil, fmt.Errorf("linkback: mention of entry %d from %s: %w", e.ID, req.Source, err)
	}
	resp, err := r.fetch.Get(ctx, req.Source)
	if err != nil {
		return nil, fail(ErrNoSource, gazette.ErrInvalid, "source %s could not be fetched: %v", req.Source, err)
	}
	var src source
	switch {
	case resp.StatusCode >= 500:
		// The source may come back: keep what was verified before.
		return nil, fail(ErrNoSource, gazette.ErrInvalid, "source %s answered %d", req.Source, resp.StatusCode)
	case resp.StatusCode >= 300:
		// Gone (410), missing or refused: it links to nothing any more.
		err = fail(ErrNoSource, gazette.ErrInvalid, "source %s answered %d", req.Source, resp.StatusCode)
	case isHTML(resp.Header.Get("Content-Type"), resp.Body):
		src = readSource(resp.Body, resp.URL, req.Target)
	default:
		src.links = strings.Contains(string(resp.Body), req.Target)
		src.kind = gazette.MentionPlain
	}
	if err == nil && !src.links {
		err = fail(ErrNoLink, gazette.ErrInvalid, "source %s does not link to %s", req.Source, req.Target)
	}
	if err != nil {
		if old != nil {
			if derr := r.store.DeleteMention(ctx, old.ID); derr != nil {
				return nil, fmt.Errorf("linkback: remove mention %d: %w", old.ID, derr)
			}
			r.logger.InfoContext(ctx, "mention removed", "source", req.Source, "entry", e.ID, "reason", err.Error())
		}
		return nil, err
	}
	m := &gazette.Mention{
		EntryID:     e.ID,
		Kind:        req.Kind,
		SourceURL:   req.Source,
		Title:       firstOf(src.title, clean(req.Title, 200)),
		Excerpt:     firstOf(src.excerpt, clean(req.Excerpt, excerptLength)),
		BlogName:    clean(req.BlogName, 100),
		IP:          req.IP,
		Type:        src.kind,
		AuthorName:  src.authorName,
		AuthorURL:   src.authorURL,
		AuthorPhoto: src.authorPhoto,
	}
	now := r.now().UTC()
	if old != nil {
		m.ID, m.Status, m.CreatedAt, m.ImportKey, m.UpdatedAt = old.ID, old.Status, old.CreatedAt, old.ImportKey, now
		if err := r.store.UpdateMention(ctx, m); err != nil {
			return nil, fmt.Errorf("linkback: update mention %d: %w", m.ID, err)
		}
		return m, nil
	}
	if m.Status, err = r.status(ctx, req.Source); err != nil {
		return nil, err
	}
	m.CreatedAt = now
	if err := r.store.CreateMention(ctx, m); err != nil {
		return nil, fmt.Errorf("linkback: create mention from %s: %w", req.Source, err)
	}
	r.logger.InfoContext(ctx, "mention received", "kind", req.Kind, "source", req.Source, "entry", e.ID, "status", m.Status)
	return m, nil
}

// status applies the blog's moderation policy to a new mention: the same
// as for comments, with the source's site standing for the commenter's
// e-mail address under the first-time policy.
func (r *Receiver) status(ctx context.Context, source string) (gazette.CommentStatus, error) {
	st, err := r.store.Settings(ctx)
	if err != nil {
		return "", fmt.Errorf("linkback: reading settings: %w", err)
	}
	switch st.Moderation {
	case gazette.ModerateNone:
		return gazette.CommentApproved, nil
	case gazette.ModerateFirstTime:
		u, _ := url.Parse(source) // checked by Target
		known, err := r.store.HasApprovedMention(ctx, u.Scheme+"://"+u.Host)
		if err != nil {
			return "", fmt.Errorf("linkback: earlier mentions from %s: %w", u.Host, err)
		}
		if known {
			return gazette.CommentApproved, nil
		}
	}
	return gazette.CommentPending, nil
}

// Queue hands req to the background verifier and returns at once. A full
// queue is ErrUnavailable-like: the caller should tell the sender to come
// back later.
func (r *Receiver) Queue(req Request) error {
	select {
	case r.queue <- req:
		return nil
	default:
		return gazette.Errorf(ErrBusy, "too many mentions are waiting to be verified; try again later")
	}
}

// ErrBusy is the kind of error Queue returns when its queue is full.
var ErrBusy = errors.New("busy")

// Run verifies queued requests one at a time until ctx is done. Failures
// are the senders' (a source that does not link) or the network's, and
// are logged, not retried: a sender that cares sends again.
func (r *Receiver) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case req := <-r.queue:
			if _, err := r.Verify(ctx, req); err != nil {
				r.logger.InfoContext(ctx, "mention not verified", "kind", req.Kind, "source", req.Source, "target", req.Target, "error", err)
			}
		}
	}
}

func isHTML(contentType string, body []byte) bool {
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "html") {
		return true
	}
	if ct == "" {
		head := strings.ToLower(string(body[:min(len(body), 512)]))
		return strings.Contains(head, "<html") || strings.Contains(head, "<!doctype html")
	}
	return false
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// Known reports whether entryID already has a mention from source.
func (r *Receiver) Known(ctx context.Context, entryID int64, source string) (bool, error) {
	_, err := r.store.MentionBySource(ctx, entryID, source)
	if errors.Is(err, gazette.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("linkback: mention of entry %d from %s: %w", entryID, source, err)
	}
	return true, nil
}
