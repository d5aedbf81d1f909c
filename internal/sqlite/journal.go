package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

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

// changes is the journal state of one transaction.
type changes struct {
	before   int64 // the content's version when the transaction began
	recorded bool  // RecordChanges was called, if only with no keys
	// bulk is set by BeginBulkLoad: such a transaction writes rows whose
	// keys nobody names, and is journaled as a write of unknown keys.
	bulk bool
	keys []string
	seen map[string]bool
}

// beginChanges reads the content's version as the transaction begins:
// the write lock is held from BEGIN IMMEDIATE, so the writes between this
// and the commit are the transaction's own.
func (h *handle) beginChanges(ctx context.Context) error {
	if err := h.tx.QueryRowContext(ctx, `SELECT version FROM change_state`).Scan(&h.changes.before); err != nil {
		return wrap(err, "begin: read the content version")
	}
	return nil
}

// RecordChanges implements gazette.ChangeRecorder.
func (h *handle) RecordChanges(ctx context.Context, keys []string) error {
	if h.tx == nil {
		return nil
	}
	c := &h.changes
	c.recorded = true
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	for _, k := range keys {
		if k != "" && !strings.Contains(k, "\n") && !c.seen[k] {
			c.seen[k] = true
			c.keys = append(c.keys, k)
		}
	}
	return nil
}

// flushChanges writes the transaction's journal row, if it recorded keys
// (none is a write that changes no page: a comment held for moderation),
// just before the commit, with the version its writes brought the content
// to; now and then it prunes the journal.
func (h *handle) flushChanges(ctx context.Context) error {
	c := &h.changes
	if !c.recorded || c.bulk {
		return nil
	}
	now := h.now()
	res, err := h.tx.ExecContext(ctx, `INSERT INTO change_journal (at, before, after, keys)
		SELECT ?, ?, version, ? FROM change_state`, micros(now), c.before, strings.Join(c.keys, "\n"))
	if err != nil {
		return wrap(err, "record changes")
	}
	c.keys, c.seen, c.recorded = nil, nil, false
	seq, err := res.LastInsertId()
	if err != nil || seq%pruneEvery != 0 {
		return wrap(err, "record changes")
	}
	var cut int64
	if err := h.tx.QueryRowContext(ctx, `SELECT ifnull(max(seq), 0) FROM change_journal WHERE at < ? OR seq <= ?`,
		micros(now.Add(-gazette.ChangeJournalWindow)), seq-gazette.ChangeJournalMaxRows).Scan(&cut); err != nil {
		return wrap(err, "prune the change journal")
	}
	if cut == 0 {
		return nil
	}
	if _, err := h.tx.ExecContext(ctx, `UPDATE change_state SET pruned_through = max(pruned_through, ?)`, cut); err != nil {
		return wrap(err, "prune the change journal")
	}
	_, err = h.tx.ExecContext(ctx, `DELETE FROM change_journal WHERE seq <= ?`, cut)
	return wrap(err, "prune the change journal")
}

// LatestChange implements gazette.ChangeJournal.
func (db *DB) LatestChange(ctx context.Context) (gazette.ChangeCursor, error) {
	var cur gazette.ChangeCursor
	err := db.handle.db.QueryRowContext(ctx, `SELECT journal, version,
			(SELECT ifnull(max(seq), 0) FROM change_journal) FROM change_state`).
		Scan(&cur.Journal, &cur.Version, &cur.Seq)
	return cur, wrap(err, "read the change journal")
}

// ChangesSince implements gazette.ChangeJournal. It reads in one read
// transaction, so that the rows and the version are of one moment.
func (db *DB) ChangesSince(ctx context.Context, since gazette.ChangeCursor) ([]string, gazette.ChangeCursor, bool, error) {
	tx, err := db.handle.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, gazette.ChangeCursor{}, false, wrap(err, "read the change journal")
	}
	defer tx.Rollback()
	var now gazette.ChangeCursor
	var pruned int64
	if err := tx.QueryRowContext(ctx, `SELECT journal, version, pruned_through FROM change_state`).
		Scan(&now.Journal, &now.Version, &pruned); err != nil {
		return nil, now, false, wrap(err, "read the change journal")
	}
	now.Seq = since.Seq
	if since.Journal != now.Journal || since.Seq < pruned {
		now.Seq, err = maxSeq(ctx, tx)
		return nil, now, false, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, before, after, keys FROM change_journal WHERE seq > ? ORDER BY seq`, since.Seq)
	if err != nil {
		return nil, now, false, wrap(err, "read the change journal")
	}
	defer rows.Close()
	var j journalReader
	j.start(since.Version)
	for rows.Next() {
		var before, after int64
		var keys string
		if err := rows.Scan(&now.Seq, &before, &after, &keys); err != nil {
			return nil, now, false, wrap(err, "read the change journal")
		}
		j.add(before, after, strings.Split(keys, "\n"))
	}
	if err := rows.Err(); err != nil {
		return nil, now, false, wrap(err, "read the change journal")
	}
	return j.keys, now, j.complete(now.Version), nil
}

func maxSeq(ctx context.Context, tx *sql.Tx) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT ifnull(max(seq), 0) FROM change_journal`).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return seq, wrap(err, "read the change journal")
}

// journalReader follows the journal's rows from a version: each row must
// begin where the one before it ended, and the last end where the content
// is now, or some write in between recorded nothing.
type journalReader struct {
	version int64
	gap     bool
	keys    []string
	seen    map[string]bool
}

func (j *journalReader) start(version int64) {
	j.version, j.seen = version, map[string]bool{}
}

func (j *journalReader) add(before, after int64, keys []string) {
	if before != j.version {
		j.gap = true
	}
	j.version = after
	for _, k := range keys {
		if k != "" && !j.seen[k] {
			j.seen[k] = true
			j.keys = append(j.keys, k)
		}
	}
}

func (j *journalReader) complete(version int64) bool {
	return !j.gap && j.version == version
}
