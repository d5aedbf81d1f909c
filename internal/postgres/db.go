// Package postgres is the gazette.Store on a PostgreSQL database, through
// pgx's own interface and its connection pool (pgxpool) rather than
// database/sql: the pool checks a connection before lending it out after a
// pause, so the store reconnects by itself when the server comes back; the
// server's errors come with their SQLSTATE and constraint name, so a taken
// path is told from a taken import key without a second query; and arrays,
// bytea and timestamptz map to Go values with no conversion code.
//
// Many gazette instances can share one database: every write is a
// transaction of the server's, and migrations take a lock, so instances that
// start together migrate once.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a blog's PostgreSQL database. It implements gazette.Store and the
// optional stores the domain declares; each of its methods runs in a
// transaction of its own.
type DB struct {
	*handle
	pool *pgxpool.Pool
	url  string // with the password hidden, for messages
}

var _ gazette.Store = (*DB)(nil)

// Open connects to the database at the URL (postgres://user:password@host/db,
// with any of libpq's parameters) and brings its schema up to date. Unless
// the URL sets pool_max_conns, the pool holds up to four connections per CPU,
// enough to keep the CPUs busy while other connections wait on the server.
// An unreachable server is an error that names the server but never the
// password.
func Open(ctx context.Context, dbURL string) (*DB, error) {
	shown := Redact(dbURL)
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, gazette.Errorf(gazette.ErrInvalid, "postgres: database URL %s: %s", shown, parseProblem(err, dbURL))
	}
	if !strings.Contains(dbURL, "pool_max_conns") {
		cfg.MaxConns = int32(max(4, 4*runtime.GOMAXPROCS(0)))
	}
	// A lost server shows at the next check, not at the next request.
	cfg.HealthCheckPeriod = 15 * time.Second
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		// Times read back in UTC, as the domain wants them.
		c.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %w", shown, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, unreachable(shown, err)
	}
	db := &DB{handle: &handle{pool: pool, q: pool}, pool: pool, url: shown}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// unreachable words a failed connection so that a user sees what to check.
func unreachable(shown string, err error) error {
	return fmt.Errorf("postgres: cannot reach the database at %s (is the server running, and are the user and password right?): %w", shown, err)
}

// parseProblem returns what is wrong with a URL pgx refused, without the
// URL's password, which pgx's message may quote.
func parseProblem(err error, dbURL string) string {
	msg := err.Error()
	if u, perr := url.Parse(dbURL); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}

// Redact returns a database URL with its password, if any, replaced by
// xxxxx, fit to print.
func Redact(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		// Not a URL we can read: show only its scheme.
		scheme, _, _ := strings.Cut(dbURL, "://")
		return scheme + "://…"
	}
	return u.Redacted()
}

// Close releases the database's connections.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// migrationLock is the key of the advisory lock migrations hold, so that
// instances starting together apply each migration once.
const migrationLock = 0x67617a65747465 // "gazette"

// migrate applies, in lexical order, each embedded migration not yet recorded
// in schema_migrations, each in a transaction of its own.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("postgres: list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", name, err)
		}
	}
	return nil
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	var done bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = $1)`, name).Scan(&done); err != nil || done {
		return err
	}
	src, err := fs.ReadFile(migrations, name)
	if err != nil {
		return err
	}
	// Exec without arguments sends the file as one simple query, which may
	// hold many statements.
	if _, err := tx.Exec(ctx, string(src)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, name); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// Migrations returns the names of the migrations applied to the database, in
// the order they were applied.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list applied migrations: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: list applied migrations: %w", err)
	}
	return names, nil
}

// Atomic runs fn in one transaction: fn's writes all commit when it returns
// nil, and none do when it returns an error or panics (the panic goes on
// after the rollback). Each write fn makes runs in a savepoint, so that a
// write that fails, such as one refused for a taken path, leaves the
// transaction usable, as the domain's Store promises.
func (db *DB) Atomic(ctx context.Context, fn func(tx gazette.Tx) error) error {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return db.connError("begin", err)
	}
	defer tx.Rollback(ctx)
	h := &handle{pool: db.pool, q: tx, tx: tx, changes: &txChanges{}}
	if err := fn(h); err != nil {
		return err
	}
	if err := h.flushChanges(ctx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return db.connError("commit", err)
	}
	return nil
}

// connError wraps an error of the connection with the database it was to.
func (db *DB) connError(op string, err error) error {
	var ge *gazette.Error
	if errors.As(err, &ge) {
		return err
	}
	return fmt.Errorf("postgres: %s at %s: %w", op, db.url, err)
}
