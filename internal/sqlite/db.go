// Package sqlite is the gazette.Store on an SQLite database file, through the
// pure Go driver modernc.org/sqlite (the binary builds with CGO_ENABLED=0).
//
// One connection writes, in transactions begun IMMEDIATE so that concurrent
// writers queue on SQLite's lock instead of failing half way; a pool of
// read-only connections serves the reads, which WAL lets run beside the writer.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"

	// The driver registers itself as "sqlite"; this package is its only user.
	_ "modernc.org/sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a blog's SQLite database. It implements gazette.Store: its read
// methods, promoted from the embedded handle, run on the read pool; its write
// methods each run in a transaction of their own on the writer.
type DB struct {
	*handle // reads, on the read pool

	path   string
	writer *sql.DB
	now    func() time.Time
}

var _ gazette.Store = (*DB)(nil)

// Open opens the database file at path, creating it if it does not exist,
// and brings its schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, gazette.Errorf(gazette.ErrInvalid, "sqlite: database path %q is empty or holds ? or #", path)
	}
	// Every connection gets its pragmas from the DSN, so a connection the
	// pool opens later is set up like the first. synchronous=FULL syncs the
	// WAL at each commit: an acknowledged write survives a power cut.
	common := "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)"
	// The writer keeps statement journals in memory and a larger page
	// cache, so that a big import does not spill pages to disk twice.
	// mmap_size lets its reads copy from the kernel's page cache instead of
	// making a system call for each page. The readers do without: each of
	// their maps of the file counted in the server's memory (490 MB after a
	// crawl of 10,000 entries), and reads cost only a few per cent more.
	writer, err := sql.Open("sqlite", path+"?"+common+
		"&_pragma=mmap_size(1073741824)&_pragma=journal_mode(WAL)&_pragma=temp_store(memory)&_pragma=cache_size(-32000)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxIdleTime(0)
	writer.SetConnMaxLifetime(0)
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// query_only makes a write that strays onto the read pool fail at once.
	reader, err := sql.Open("sqlite", path+"?"+common+"&_query_only=1")
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	reader.SetMaxOpenConns(n)
	reader.SetMaxIdleConns(n)
	db := &DB{
		handle: &handle{db: reader, stmts: newStmtCache()},
		path:   path,
		writer: writer,
		now:    func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
	db.handle.now = db.now
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close releases the database.
func (db *DB) Close() error {
	db.handle.stmts.close()
	return errors.Join(db.handle.db.Close(), db.writer.Close())
}

// migrate applies, in lexical order, each embedded migration not yet recorded
// in schema_migrations, each in a transaction of its own.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.writer.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: create schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("sqlite: list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	} else if n > 0 {
		return nil
	}
	src, err := fs.ReadFile(migrations, name)
	if err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(src)); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
		name, db.now().UnixMicro()); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	return nil
}

// Migrations returns the names of the migrations applied to the database, in
// the order they were applied.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	rows, err := db.writer.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list applied migrations: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("sqlite: list applied migrations: %w", err)
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list applied migrations: %w", err)
	}
	return names, nil
}

// Backup writes a consistent copy of the database to the new file path, while
// readers and writers carry on. It refuses to overwrite an existing file.
func (db *DB) Backup(ctx context.Context, path string) error {
	// VACUUM INTO runs on the writer so that no write is half in the copy;
	// it also compacts the copy and leaves no WAL beside it.
	if _, err := db.writer.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("sqlite: backup to %s: %w", path, err)
	}
	return nil
}

// Atomic runs fn in one transaction on the writer: fn's writes all commit when
// it returns nil, and none do when it returns an error or panics (the panic
// goes on after the rollback). fn must write through tx alone: a write
// through db waits for the writer, which fn's transaction holds.
func (db *DB) Atomic(ctx context.Context, fn func(tx gazette.Tx) error) (err error) {
	sqlTx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	h := &handle{tx: sqlTx, txStmts: map[string]*sql.Stmt{}, now: db.now}
	committed := false
	defer func() {
		if !committed {
			sqlTx.Rollback()
		}
	}()
	if err := h.beginChanges(ctx); err != nil {
		return err
	}
	if err := fn(h); err != nil {
		return err
	}
	if err := h.endBulk(ctx); err != nil {
		return err
	}
	if err := h.flushIndex(ctx); err != nil {
		return err
	}
	if err := h.flushChanges(ctx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	committed = true
	return nil
}

// write runs one write method in a transaction of its own.
func (db *DB) write(ctx context.Context, fn func(h *handle) error) error {
	return db.Atomic(ctx, func(tx gazette.Tx) error { return fn(tx.(*handle)) })
}

// CreateEntry implements gazette.EntryStore.
func (db *DB) CreateEntry(ctx context.Context, e *gazette.Entry) error {
	return db.write(ctx, func(h *handle) error { return h.CreateEntry(ctx, e) })
}

// UpdateEntry implements gazette.EntryStore.
func (db *DB) UpdateEntry(ctx context.Context, e *gazette.Entry) error {
	return db.write(ctx, func(h *handle) error { return h.UpdateEntry(ctx, e) })
}

// DeleteEntry implements gazette.EntryStore.
func (db *DB) DeleteEntry(ctx context.Context, id int64) error {
	return db.write(ctx, func(h *handle) error { return h.DeleteEntry(ctx, id) })
}

// CreateTopic implements gazette.TopicStore.
func (db *DB) CreateTopic(ctx context.Context, t *gazette.Topic) error {
	return db.write(ctx, func(h *handle) error { return h.CreateTopic(ctx, t) })
}

// UpdateTopic implements gazette.TopicStore.
func (db *DB) UpdateTopic(ctx context.Context, t *gazette.Topic) error {
	return db.write(ctx, func(h *handle) error { return h.UpdateTopic(ctx, t) })
}

// DeleteTopic implements gazette.TopicStore.
func (db *DB) DeleteTopic(ctx context.Context, id int64) error {
	return db.write(ctx, func(h *handle) error { return h.DeleteTopic(ctx, id) })
}

// CreateAuthor implements gazette.AuthorStore.
func (db *DB) CreateAuthor(ctx context.Context, a *gazette.Author) error {
	return db.write(ctx, func(h *handle) error { return h.CreateAuthor(ctx, a) })
}

// UpdateAuthor implements gazette.AuthorStore.
func (db *DB) UpdateAuthor(ctx context.Context, a *gazette.Author) error {
	return db.write(ctx, func(h *handle) error { return h.UpdateAuthor(ctx, a) })
}

// CreateComment implements gazette.CommentStore.
func (db *DB) CreateComment(ctx context.Context, c *gazette.Comment) error {
	return db.write(ctx, func(h *handle) error { return h.CreateComment(ctx, c) })
}

// SetCommentStatus implements gazette.CommentStore.
func (db *DB) SetCommentStatus(ctx context.Context, id int64, s gazette.CommentStatus) error {
	return db.write(ctx, func(h *handle) error { return h.SetCommentStatus(ctx, id, s) })
}

// DeleteComment implements gazette.CommentStore.
func (db *DB) DeleteComment(ctx context.Context, id int64) error {
	return db.write(ctx, func(h *handle) error { return h.DeleteComment(ctx, id) })
}

// CreateMention implements gazette.MentionStore.
func (db *DB) CreateMention(ctx context.Context, m *gazette.Mention) error {
	return db.write(ctx, func(h *handle) error { return h.CreateMention(ctx, m) })
}

// AddRedirect implements gazette.RedirectStore.
func (db *DB) AddRedirect(ctx context.Context, r gazette.Redirect) error {
	return db.write(ctx, func(h *handle) error { return h.AddRedirect(ctx, r) })
}

// SaveSettings implements gazette.SettingsStore.
func (db *DB) SaveSettings(ctx context.Context, s gazette.Settings) error {
	return db.write(ctx, func(h *handle) error { return h.SaveSettings(ctx, s) })
}
