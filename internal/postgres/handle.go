package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// querier is what the pool and a transaction both run queries with.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// handle runs the store's queries on the pool, or inside the transaction of
// an Atomic call. It implements gazette.Tx.
type handle struct {
	pool *pgxpool.Pool
	q    querier // the pool, or tx
	tx   pgx.Tx  // nil outside Atomic
	// changes holds the keys RecordChanges was given, for the journal.
	changes *txChanges
}

// atomic runs fn in a transaction of its own: a new one outside Atomic, a
// savepoint inside, so that a failed write leaves Atomic's transaction
// usable (PostgreSQL refuses every statement of a transaction after an
// error, until a rollback).
func (h *handle) atomic(ctx context.Context, fn func(q querier) error) error {
	var tx pgx.Tx
	var err error
	if h.tx != nil {
		tx, err = h.tx.Begin(ctx)
	} else {
		tx, err = h.pool.Begin(ctx)
	}
	if err != nil {
		return wrap(err, "begin")
	}
	defer tx.Rollback(ctx)
	if err := fn(tx); err != nil {
		return err
	}
	return wrap(tx.Commit(ctx), "commit")
}

// one runs a write of a single statement, which is a transaction by itself
// on the pool and needs a savepoint only inside Atomic.
func (h *handle) one(ctx context.Context, fn func(q querier) error) error {
	if h.tx == nil {
		return fn(h.q)
	}
	return h.atomic(ctx, fn)
}

// exists reports whether query returns a row.
func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `SELECT EXISTS (`+query+`)`, args...).Scan(&ok)
	return ok, err
}

// violation returns the name of the constraint err violated when it is a
// violation of the given SQLSTATE, and "" otherwise.
func violation(err error, code string) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == code {
		return pe.ConstraintName
	}
	return ""
}

// The SQLSTATEs of the violations the store turns into domain errors.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
	badCharacter        = "22021" // character_not_in_repertoire
)

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
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == badCharacter {
		// Text with a NUL character, which text columns cannot hold.
		return gazette.Errorf(gazette.ErrInvalid, "%s: the text holds a NUL character", fmt.Sprintf(format, args...))
	}
	return fmt.Errorf("postgres: "+format+": %w", append(args, err)...)
}

// notFound turns pgx.ErrNoRows into ErrNotFound with the message what.
func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return gazette.Errorf(gazette.ErrNotFound, "%s not found", what)
	}
	return wrap(err, "read %s", what)
}

// params collects a query's arguments as its clauses are written.
type params []any

// add appends v and returns its placeholder.
func (p *params) add(v any) string {
	*p = append(*p, v)
	return "$" + strconv.Itoa(len(*p))
}

// window returns LIMIT and OFFSET clauses: no limit when limit <= 0.
func (p *params) window(limit, offset int) string {
	var l any
	if limit > 0 {
		l = limit
	}
	return " LIMIT " + p.add(l) + " OFFSET " + p.add(max(offset, 0))
}

// complete reports whether a page of n rows read with limit and offset tells
// the total by itself: a short page that is not past the end.
func complete(n, limit, offset int) bool {
	return limit <= 0 || n < limit && (n > 0 || offset <= 0)
}

// nullString stores "" as NULL, for the UNIQUE import keys most rows lack.
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

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// timeOf reads a nullable time back: NULL is the zero time.
func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
