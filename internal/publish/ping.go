package publish

import (
	"context"
	"errors"
	"fmt"

	"github.com/gazette-blog/gazette"
)

// queuePings asks for the webmentions of e to be sent once readers can see
// it (at once for an entry already visible, or hidden again, so that the
// pages it linked to learn of the change), when the store keeps a queue of
// them. Imports queue nothing: an old blog's history is not news to the
// pages it linked to years ago.
func (p *Publisher) queuePings(ctx context.Context, tx gazette.Tx, e *gazette.Entry) error {
	q, ok := tx.(gazette.PingStore)
	if !ok {
		return nil
	}
	at := p.now().UTC()
	if e.Status != gazette.StatusDraft && e.PublishedAt.After(at) {
		at = e.PublishedAt
	}
	if err := q.QueueEntryPings(ctx, e.ID, at); err != nil {
		return fmt.Errorf("publish: queue webmentions of entry %d: %w", e.ID, err)
	}
	return nil
}

// DeleteEntry removes the entry id with its comments and mentions. Its
// permalink then answers 410 Gone, and the pages it linked to are told, so
// that their mentions of it go too (both when the store supports them).
func (p *Publisher) DeleteEntry(ctx context.Context, tx gazette.Tx, id int64) error {
	e, err := tx.Entry(ctx, id)
	if errors.Is(err, gazette.ErrNotFound) {
		return gazette.Errorf(gazette.ErrNotFound, "there is no entry %d", id)
	}
	if err != nil {
		return fmt.Errorf("publish: delete entry %d: %w", id, err)
	}
	was, err := p.placeOf(ctx, tx, e)
	if err != nil {
		return err
	}
	if err := tx.DeleteEntry(ctx, id); err != nil {
		return fmt.Errorf("publish: delete entry %d: %w", id, err)
	}
	if p.inv != nil {
		st, err := tx.Settings(ctx)
		if err != nil {
			return fmt.Errorf("publish: delete entry %d: %w", id, err)
		}
		if err := p.entryChanged(ctx, tx, st.Location(), e, nil, was); err != nil {
			return err
		}
	}
	if g, ok := tx.(gazette.GoneStore); ok && e.Status == gazette.StatusPublished {
		if err := g.MarkGone(ctx, e.Path, p.now().UTC()); err != nil {
			return fmt.Errorf("publish: delete entry %d: %w", id, err)
		}
	}
	return p.queuePings(ctx, tx, &gazette.Entry{ID: id, Status: gazette.StatusDraft})
}
