// Package jobs runs gazette's background work. Its Sender sends the
// webmentions of entries: when an entry is published, edited or deleted
// (internal/publish queues it in the store), the Sender compares the pages
// it links to with those it told before, discovers each page's Webmention
// endpoint and sends, retrying failures with backoff. The queue and the
// record of what was sent are both in the store, so a restart loses
// nothing and several instances can share the work.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/fetch"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Store is what the Sender reads and writes.
type Store interface {
	Entry(ctx context.Context, id int64) (*gazette.Entry, error)
	Settings(ctx context.Context) (gazette.Settings, error)
	gazette.PingStore
	gazette.PingClaimer
}

// Defaults of SenderConfig's zero values.
const (
	DefaultInterval = 5 * time.Second
	DefaultBatch    = 20
	// DefaultLease bounds the sending of one batch: discovery and send of
	// each ping, each request within fetch.DefaultTimeout.
	DefaultLease = 30 * time.Minute
)

// DefaultBackoff is how long a failed send waits before each retry; after
// the last, the ping is given up as failed.
var DefaultBackoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 12 * time.Hour}

// SenderConfig holds what a Sender needs.
type SenderConfig struct {
	Store Store
	Fetch *fetch.Client
	// Logger receives what was sent and what failed; nil discards it.
	Logger *slog.Logger
	// Interval is how often the queue is looked at; Batch how many
	// entries, and how many pings, one look takes at most.
	Interval time.Duration
	Batch    int
	// Lease is how long the pings a Sender claims are kept from other
	// senders sharing the store; a claim left by a Sender that stopped is
	// sent by another once it ends. Zero means DefaultLease.
	Lease time.Duration
	// Backoff is DefaultBackoff when nil.
	Backoff []time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Sender sends outbound webmentions from the store's queue.
type Sender struct {
	store    Store
	fetch    *fetch.Client
	logger   *slog.Logger
	interval time.Duration
	batch    int
	lease    time.Duration
	backoff  []time.Duration
	now      func() time.Time
}

// NewSender returns a Sender. It panics without a store or client, a
// mistake in the program's wiring.
func NewSender(cfg SenderConfig) *Sender {
	if cfg.Store == nil || cfg.Fetch == nil {
		panic("jobs.NewSender: SenderConfig needs Store and Fetch")
	}
	s := &Sender{store: cfg.Store, fetch: cfg.Fetch, logger: cfg.Logger, interval: cfg.Interval,
		batch: cfg.Batch, lease: cfg.Lease, backoff: cfg.Backoff, now: cfg.Now}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.interval <= 0 {
		s.interval = DefaultInterval
	}
	if s.batch <= 0 {
		s.batch = DefaultBatch
	}
	if s.lease <= 0 {
		s.lease = DefaultLease
	}
	if s.backoff == nil {
		s.backoff = DefaultBackoff
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Run works through the queue every Interval until ctx is done.
func (s *Sender) Run(ctx context.Context) {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		if err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			s.logger.ErrorContext(ctx, "sending webmentions", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce takes the entries queued by now and queues a ping for each page
// they link or linked to, then claims the pings that are due and sends
// them: each is sent by one of the Senders sharing the store.
func (s *Sender) RunOnce(ctx context.Context) error {
	st, err := s.store.Settings(ctx)
	if err != nil {
		return fmt.Errorf("jobs: reading settings: %w", err)
	}
	if st.BaseURL == "" {
		// Without its own address a blog cannot name the source; the
		// queue waits until the base URL is set.
		return nil
	}
	now := s.now()
	ids, err := s.store.TakeEntryPings(ctx, now, s.batch)
	if err != nil {
		return fmt.Errorf("jobs: taking queued entries: %w", err)
	}
	for _, id := range ids {
		if err := s.plan(ctx, st, id, now); err != nil {
			return err
		}
	}
	due, err := s.store.ClaimDuePings(ctx, now, now.Add(s.lease), s.batch)
	if err != nil {
		return fmt.Errorf("jobs: claiming due pings: %w", err)
	}
	for _, p := range due {
		if err := s.send(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// plan queues a ping for each target entry id links to now or linked to
// when it was last looked at: the new ones learn of the link, the old ones
// of its removal, and all of them of an edit, as the specification asks
// (3.1.3, 3.1.4).
func (s *Sender) plan(ctx context.Context, st gazette.Settings, id int64, now time.Time) error {
	old, err := s.store.Pings(ctx, id)
	if err != nil {
		return fmt.Errorf("jobs: pings of entry %d: %w", id, err)
	}
	base := strings.TrimSuffix(st.BaseURL, "/")
	var source string
	var links []string
	e, err := s.store.Entry(ctx, id)
	switch {
	case errors.Is(err, gazette.ErrNotFound):
	case err != nil:
		return fmt.Errorf("jobs: entry %d: %w", id, err)
	case e.VisibleAt(now):
		source = base + e.Path
		links = Links(e.BodyHTML+"\n"+e.ExtendedHTML, source, base)
	}
	targets := map[string]string{} // target → source to name
	for _, p := range old {
		targets[p.Target] = p.Source
	}
	for _, l := range links {
		targets[l] = source
	}
	for target, src := range targets {
		if source != "" {
			src = source // a moved entry names its new permalink
		}
		p := &gazette.Ping{EntryID: id, Source: src, Target: target, Status: gazette.PingQueued, NextAt: now}
		if err := s.store.SavePing(ctx, p); err != nil {
			return fmt.Errorf("jobs: queue ping of %s: %w", target, err)
		}
	}
	return nil
}

// send discovers p's endpoint and sends, recording the outcome.
func (s *Sender) send(ctx context.Context, p *gazette.Ping) error {
	p.Attempts++
	endpoint, err := Discover(ctx, s.fetch, p.Target)
	switch {
	case err == nil && endpoint == "":
		p.Status, p.Error = gazette.PingNone, ""
	case err == nil:
		p.Endpoint = endpoint
		p.Response, err = Send(ctx, s.fetch, endpoint, p.Source, p.Target)
	}
	switch {
	case p.Status == gazette.PingNone:
	case err == nil:
		p.Status, p.Error = gazette.PingSent, ""
		s.logger.InfoContext(ctx, "webmention sent", "source", p.Source, "target", p.Target, "status", p.Response)
	case errors.Is(err, gazette.ErrForbidden) || p.Response >= 400 && p.Response < 500 && p.Response != 429:
		// A refused address or a refusal: asking again will not help.
		p.Status, p.Error = gazette.PingFailed, err.Error()
	case p.Attempts > len(s.backoff):
		p.Status, p.Error = gazette.PingFailed, err.Error()
	default:
		p.Status, p.Error = gazette.PingQueued, err.Error()
		p.NextAt = s.now().Add(s.backoff[p.Attempts-1])
	}
	if p.Status == gazette.PingFailed {
		s.logger.WarnContext(ctx, "webmention not sent", "source", p.Source, "target", p.Target, "error", p.Error)
	}
	if err := s.store.SavePing(ctx, p); err != nil {
		return fmt.Errorf("jobs: record ping of %s: %w", p.Target, err)
	}
	return nil
}

// Links returns the distinct http and https pages an entry's HTML links to,
// absolute against its permalink source, without fragments; links to the
// blog itself (below base) are left out.
func Links(fragment, source, base string) []string {
	src, err := url.Parse(source)
	if err != nil {
		return nil
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), root)
	if err != nil {
		return nil
	}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	var out []string
	for n := range root.Descendants() {
		if n.Type != html.ElementNode || n.DataAtom != atom.A {
			continue
		}
		for _, a := range n.Attr {
			if a.Key != "href" {
				continue
			}
			u, err := src.Parse(strings.TrimSpace(a.Val))
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				continue
			}
			u.Fragment, u.RawFragment = "", ""
			link := u.String()
			if link == base || strings.HasPrefix(link, base+"/") || slices.Contains(out, link) {
				continue
			}
			out = append(out, link)
		}
	}
	return out
}
