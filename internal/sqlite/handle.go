package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gazette-blog/gazette"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// handle runs the store's queries either on a pool (tx nil) or inside one
// transaction. It implements gazette.Tx.
type handle struct {
	db    *sql.DB    // the read pool, for a handle outside a transaction
	stmts *stmtCache // statements prepared on db, for the life of the DB
	tx    *sql.Tx    // nil outside a transaction
	// txStmts are the statements bound to tx, so that a transaction issuing
	// thousands of inserts binds each query to it once.
	txStmts map[string]*sql.Stmt
	now     func() time.Time
	// pending holds entries' texts not yet in the search index, and
	// batches those being prepared for it; see index.
	pending      []searchDoc
	pendingBytes int
	batches      []*indexBatch
	// bulk is set by BeginBulkLoad.
	bulk *bulk
	// changes holds the keys RecordChanges was given, for the journal.
	changes changes
}

// stmtCache keeps each query prepared for the life of the DB: preparing costs
// as much as running most of these queries.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newStmtCache() *stmtCache { return &stmtCache{m: map[string]*sql.Stmt{}} }

func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.m[query]; ok {
		return s, nil
	}
	s, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.m[query] = s
	return s, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, s := range c.m {
		s.Close()
		delete(c.m, q)
	}
}

func (h *handle) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if h.tx == nil {
		return h.stmts.get(ctx, h.db, query)
	}
	// The writer has one connection and the transaction holds it, so the
	// statement is prepared on the transaction, once for its whole life.
	if s, ok := h.txStmts[query]; ok {
		return s, nil
	}
	s, err := h.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	h.txStmts[query] = s
	return s, nil
}

// prepared returns query's prepared statement and the context to run it
// with (see runCtx).
func (h *handle) prepared(ctx context.Context, query string) (*sql.Stmt, context.Context, error) {
	s, err := h.stmt(ctx, query)
	if err != nil {
		return nil, nil, err
	}
	ctx, err = h.runCtx(ctx)
	return s, ctx, err
}

func (h *handle) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, ctx, err := h.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

// runCtx returns the context to run a statement with. Inside a transaction
// statements are short, and the driver watches a cancellable context with a
// goroutine for every statement, which an import of a hundred thousand
// statements pays for dearly; so there cancellation is checked before each
// statement rather than during it. A cancelled context still stops the
// transaction at its next statement, and Atomic rolls it back.
func (h *handle) runCtx(ctx context.Context) (context.Context, error) {
	if h.tx == nil {
		return ctx, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}

func (h *handle) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, ctx, err := h.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// queryRow scans the one row of query into dest; no row is sql.ErrNoRows.
func (h *handle) queryRow(ctx context.Context, query string, args []any, dest ...any) error {
	row, err := h.row(ctx, query, args...)
	if err != nil {
		return err
	}
	return row.Scan(dest...)
}

// row runs query, which returns at most one row, for its scanner.
func (h *handle) row(ctx context.Context, query string, args ...any) (*sql.Row, error) {
	s, ctx, err := h.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryRowContext(ctx, args...), nil
}

// exists reports whether query returns a row.
func (h *handle) exists(ctx context.Context, query string, args ...any) (bool, error) {
	var one int
	err := h.queryRow(ctx, query, args, &one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// affected returns how many rows res changed.
func affected(res sql.Result) int64 {
	n, err := res.RowsAffected()
	if err != nil {
		return 0
	}
	return n
}

// constraint returns the extended result code of a constraint violation
// (sqlite3.SQLITE_CONSTRAINT_UNIQUE, ..._FOREIGNKEY, ...), or 0 when err is
// none.
func constraint(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT {
		return se.Code()
	}
	return 0
}

func isUnique(err error) bool {
	c := constraint(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

func isForeignKey(err error) bool { return constraint(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY }

// wrap gives an unexpected error its operation; *gazette.Error values pass
// through unchanged, their message being meant for the user as it is.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	var ge *gazette.Error
	if errors.As(err, &ge) {
		return err
	}
	return fmt.Errorf("sqlite: "+format+": %w", append(args, err)...)
}

// micros is how times are stored.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros reads a stored time back as UTC.
func fromMicros(n int64) time.Time { return time.UnixMicro(n).UTC() }

// nullString stores "" as NULL, for the UNIQUE import keys that most rows lack.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// window returns the LIMIT and OFFSET of a page of a listing; LIMIT -1 is
// SQLite's "no limit".
func window(limit, offset int) (int, int) {
	if limit <= 0 {
		limit = -1
	}
	return limit, max(offset, 0)
}

// knownTotal returns the size of a whole listing when a page of n rows
// tells it without counting: a page shorter than its limit that is not past
// the end of the listing ends it.
func knownTotal(limit, offset, n int) (int, bool) {
	if limit < 0 || (n < limit && (n > 0 || offset == 0)) {
		return offset + n, true
	}
	return 0, false
}
