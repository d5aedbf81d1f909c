package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gazette-blog/gazette"
)

var (
	_ gazette.ChangeRecorder = (*handle)(nil)
	_ gazette.ChangeJournal  = (*DB)(nil)
)

// pruneEvery is how many journaled transactions go by between prunings of
// what is older than gazette.ChangeJournalWindow or beyond
// gazette.ChangeJournalMaxRows.
const pruneEvery = 256

// RecordChanges implements gazette.ChangeRecorder: the keys wait in the
// handle for the commit.
func (h *handle) RecordChanges(ctx context.Context, keys []string) error {
	if h.tx == nil || h.changes == nil {
		return nil
	}
	c := h.changes
	c.recorded = true
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	for _, k := range keys {
		if k != "" && !c.seen[k] {
			c.seen[k] = true
			c.keys = append(c.keys, k)
		}
	}
	return nil
}

// txChanges holds the keys of one transaction for the journal.
type txChanges struct {
	recorded bool // RecordChanges was called, if only with no keys
	keys     []string
	// seen holds keys' members: an import's one transaction records
	// thousands of keys, a few at a time.
	seen map[string]bool
}

// flushChanges writes the transaction's journal row, if it recorded keys
// (none is a write that changes no page: a comment held for moderation),
// just before the commit. Locking change_state makes the journal's order
// that of the commits; the version the transaction began at is the one it
// ends at less its own bump, if the setting the trigger leaves names it.
func (h *handle) flushChanges(ctx context.Context) error {
	if h.changes == nil || !h.changes.recorded {
		return nil
	}
	var seq int64
	err := h.tx.QueryRow(ctx, `WITH s AS (SELECT version FROM change_state FOR UPDATE)
		INSERT INTO change_journal (at, before, after, keys)
		SELECT now(), version - CASE current_setting('gazette.change_bumps', true)
				WHEN pg_current_xact_id()::text THEN 1 ELSE 0 END,
			version, $1 FROM s
		RETURNING seq`, append([]string{}, h.changes.keys...)).Scan(&seq)
	if err != nil {
		return wrap(err, "record changes")
	}
	*h.changes = txChanges{}
	if seq%pruneEvery != 0 {
		return nil
	}
	_, err = h.tx.Exec(ctx, `WITH cut AS (
			SELECT max(seq) AS seq FROM change_journal WHERE at < now() - $1 * interval '1 second' OR seq <= $2),
		gone AS (DELETE FROM change_journal WHERE seq <= (SELECT seq FROM cut))
		UPDATE change_state SET pruned_through = greatest(pruned_through, (SELECT seq FROM cut))
		WHERE (SELECT seq FROM cut) IS NOT NULL`, int64(gazette.ChangeJournalWindow/time.Second), seq-gazette.ChangeJournalMaxRows)
	return wrap(err, "prune the change journal")
}

// LatestChange implements gazette.ChangeJournal.
func (db *DB) LatestChange(ctx context.Context) (gazette.ChangeCursor, error) {
	var cur gazette.ChangeCursor
	err := db.pool.QueryRow(ctx, `SELECT journal, version,
			(SELECT coalesce(max(seq), 0) FROM change_journal) FROM change_state`).
		Scan(&cur.Journal, &cur.Version, &cur.Seq)
	return cur, wrap(err, "read the change journal")
}

// ChangesSince implements gazette.ChangeJournal. It reads in one snapshot,
// so that the rows and the version are of one moment; each row must begin
// at the version the one before it ended at, the first at since's.
func (db *DB) ChangesSince(ctx context.Context, since gazette.ChangeCursor) ([]string, gazette.ChangeCursor, bool, error) {
	var now gazette.ChangeCursor
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, now, false, wrap(err, "read the change journal")
	}
	defer tx.Rollback(ctx)
	var pruned, last int64
	var chained bool
	var keys []string
	err = tx.QueryRow(ctx, `WITH j AS (
			SELECT seq, before, after, keys, lag(after, 1, $2::bigint) OVER (ORDER BY seq) AS prev
			FROM change_journal WHERE seq > $1)
		SELECT s.journal, s.version, s.pruned_through,
			coalesce((SELECT max(seq) FROM j), $1::bigint),
			coalesce((SELECT bool_and(before = prev) FROM j), true),
			coalesce((SELECT after FROM j ORDER BY seq DESC LIMIT 1), $2::bigint),
			coalesce((SELECT array_agg(DISTINCT k) FROM j, unnest(j.keys) k), '{}')
		FROM change_state s`, since.Seq, since.Version).
		Scan(&now.Journal, &now.Version, &pruned, &now.Seq, &chained, &last, &keys)
	if err != nil {
		return nil, now, false, wrap(err, "read the change journal")
	}
	complete := since.Journal == now.Journal && since.Seq >= pruned && chained && last == now.Version
	if !complete {
		keys = nil
	}
	return keys, now, complete, nil
}
