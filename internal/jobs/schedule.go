package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/publish"
)

// Scheduler publishes scheduled entries when their time comes. It keeps no
// state of its own: the store's scheduled entries are the queue, so a
// restart loses nothing, and each entry is published in a transaction that
// locks it (gazette.EntryLocker) and checks it is still scheduled, so that
// it is published once however many instances run a Scheduler.
type Scheduler struct {
	Store     gazette.Store
	Publisher *publish.Publisher
	// Interval is how often to look; the default, 20 seconds, publishes
	// within a minute of an entry's time.
	Interval time.Duration
	Logger   *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Changed, when set, is called after an entry is published, so that
	// cached pages show it.
	Changed func(ctx context.Context)
}

// Run publishes due entries now and then every Interval until ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	interval := s.Interval
	if interval <= 0 {
		interval = 20 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.PublishDue(ctx); err != nil && ctx.Err() == nil && s.Logger != nil {
			s.Logger.Error("scheduled publishing", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// PublishDue publishes the scheduled entries whose time has come and
// returns how many it published.
func (s *Scheduler) PublishDue(ctx context.Context) (int, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	at := now().UTC()
	due, _, err := s.Store.Entries(ctx, gazette.EntryFilter{Status: gazette.StatusScheduled, Kind: gazette.AnyKind,
		To: at.Add(time.Nanosecond), OldestFirst: true, Limit: 100})
	if err != nil {
		return 0, fmt.Errorf("jobs: list scheduled entries: %w", err)
	}
	n := 0
	for _, e := range due {
		published := false
		err := s.Store.Atomic(ctx, func(tx gazette.Tx) error {
			if l, ok := tx.(gazette.EntryLocker); ok {
				if err := l.LockEntry(ctx, e.ID); err != nil {
					return err
				}
			}
			cur, err := tx.Entry(ctx, e.ID)
			if err != nil {
				return err
			}
			if cur.Status != gazette.StatusScheduled || cur.PublishedAt.After(at) {
				return nil // published, unscheduled or moved meanwhile
			}
			settings, err := tx.Settings(ctx)
			if err != nil {
				return err
			}
			cur.Status = gazette.StatusPublished
			published = true
			return s.Publisher.UpdateEntry(ctx, tx, settings, cur)
		})
		if err != nil {
			return n, fmt.Errorf("jobs: publish scheduled entry %d: %w", e.ID, err)
		}
		if published {
			n++
			if s.Changed != nil {
				s.Changed(ctx)
			}
			if s.Logger != nil {
				s.Logger.Info("published scheduled entry", slog.Int64("id", e.ID), slog.String("title", e.Title))
			}
		}
	}
	return n, nil
}
