package sqlite

import (
	"context"
	"database/sql"
	"errors"
)

// bulk is the state of a transaction told by BeginBulkLoad that many
// comments follow.
type bulk struct {
	// trigger is the SQL of the comment-count trigger dropped for the
	// transaction, created again by endBulk.
	trigger string
	// lastComment is the largest comment ID before the load: the entries of
	// the comments above it are counted again at the end.
	lastComment int64
	// indexes holds the SQL of the comments' secondary indexes dropped for
	// the transaction, created again by endBulk.
	indexes []string
	// versionTriggers hold the SQL of the triggers that bump the content's
	// version row by row (see journal.go): endBulk creates them again and
	// bumps it once.
	versionTriggers []string
}

// bulkIndexes are the indexes of comments that nothing an import reads
// uses: kept row by row, each costs a search of a B-tree in random order
// for every comment; built again once at the end, a sort.
var bulkIndexes = []string{"comments_by_status", "comments_by_email"}

// emptyBulkIndexes are dropped too when the blog has no comments yet: the
// importer then finds repeated comments among the keys of the import itself
// and asks the store nothing, and building the unique index at the end
// still refuses, and so rolls back, an import that holds a key twice.
var emptyBulkIndexes = []string{"comments_by_import_key"}

// BeginBulkLoad tells the transaction that thousands of entries and comments
// follow, as in an import. It trades the per-comment upkeep of entries'
// comment counts for one count, at the end of the transaction, of the
// approved comments of every entry that received comments; until then, the
// comment counts that reads inside the transaction see may be short. The
// schema and every count are as before once the transaction commits, and a
// rollback undoes it all.
//
// It is an optional capability of the sqlite store's gazette.Tx, found by a
// type assertion; stores without it keep their counts row by row.
func (h *handle) BeginBulkLoad(ctx context.Context) error {
	if h.tx == nil || h.bulk != nil {
		return nil
	}
	h.changes.bulk = true
	var b bulk
	if err := b.dropVersionTriggers(ctx, h.tx); err != nil {
		return err
	}
	// The trigger is copied from the schema rather than written here, so
	// that the one the migrations made is the one that comes back.
	err := h.tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema
		WHERE type = 'trigger' AND name = 'comments_count_insert'`).Scan(&b.trigger)
	if errors.Is(err, sql.ErrNoRows) {
		h.bulk = &b // no comment count to defer
		return nil
	}
	if err != nil {
		return wrap(err, "begin bulk load")
	}
	if err := h.tx.QueryRowContext(ctx, `SELECT ifnull(max(id), 0) FROM comments`).Scan(&b.lastComment); err != nil {
		return wrap(err, "begin bulk load")
	}
	// Without the trigger an insert of a comment changes one row, so SQLite
	// opens no statement journal for it and leaves the search index's
	// pending terms in memory.
	if _, err := h.tx.ExecContext(ctx, `DROP TRIGGER comments_count_insert`); err != nil {
		return wrap(err, "begin bulk load")
	}
	indexes := bulkIndexes
	if b.lastComment == 0 {
		indexes = append(indexes[:len(indexes):len(indexes)], emptyBulkIndexes...)
	}
	for _, name := range indexes {
		var def string
		err := h.tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?`, name).Scan(&def)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return wrap(err, "begin bulk load")
		}
		if _, err := h.tx.ExecContext(ctx, `DROP INDEX `+name); err != nil {
			return wrap(err, "begin bulk load")
		}
		b.indexes = append(b.indexes, def)
	}
	h.bulk = &b
	return nil
}

// endBulk counts the approved comments of the entries that received
// comments since BeginBulkLoad and puts the comment-count trigger back.
func (h *handle) endBulk(ctx context.Context) error {
	b := h.bulk
	if b == nil {
		return nil
	}
	h.bulk = nil
	if b.trigger == "" {
		return b.restoreVersionTriggers(ctx, h.tx)
	}
	if _, err := h.tx.ExecContext(ctx, `UPDATE entries SET comment_count = (SELECT count(*)
			FROM comments c WHERE c.entry_id = entries.id AND c.status = 'approved')
		WHERE id IN (SELECT entry_id FROM comments WHERE id > ?)`, b.lastComment); err != nil {
		return wrap(err, "end bulk load: count comments")
	}
	if _, err := h.tx.ExecContext(ctx, b.trigger); err != nil {
		return wrap(err, "end bulk load: restore the comment-count trigger")
	}
	for _, def := range b.indexes {
		if _, err := h.tx.ExecContext(ctx, def); err != nil {
			return wrap(err, "end bulk load: build an index again")
		}
	}
	return b.restoreVersionTriggers(ctx, h.tx)
}

// dropVersionTriggers drops the triggers that bump the content's version
// for every row written, remembering them.
func (b *bulk) dropVersionTriggers(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_schema
		WHERE type = 'trigger' AND name LIKE 'change\_version\_%' ESCAPE '\'`)
	if err != nil {
		return wrap(err, "begin bulk load")
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return wrap(err, "begin bulk load")
		}
		names = append(names, name)
		b.versionTriggers = append(b.versionTriggers, def)
	}
	if err := rows.Err(); err != nil {
		return wrap(err, "begin bulk load")
	}
	rows.Close()
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER `+name); err != nil {
			return wrap(err, "begin bulk load")
		}
	}
	return nil
}

// restoreVersionTriggers creates the triggers dropVersionTriggers dropped
// and bumps the version once for the whole load, which journals no keys:
// a build after it renders everything.
func (b *bulk) restoreVersionTriggers(ctx context.Context, tx *sql.Tx) error {
	for _, def := range b.versionTriggers {
		if _, err := tx.ExecContext(ctx, def); err != nil {
			return wrap(err, "end bulk load: restore a version trigger")
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE change_state SET version = version + 1`)
	return wrap(err, "end bulk load: bump the content version")
}
