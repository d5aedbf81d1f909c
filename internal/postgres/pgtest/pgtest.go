// Package pgtest gives tests an empty PostgreSQL schema of their own on the
// server that $GAZETTE_TEST_POSTGRES names, and skips them, saying so, when
// it is unset. `.ci/postgres start` starts such a server.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Env is the variable that holds the URL of the test server.
const Env = "GAZETTE_TEST_POSTGRES"

// URL returns the URL of a new, empty schema on the test server, which
// connections through the URL use and which is dropped when the test ends.
// Tests using it are independent of each other and may run at once.
// Without $GAZETTE_TEST_POSTGRES the test is skipped.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		t.Skipf("$%s is not set: no PostgreSQL to test against (eval \"$(.ci/postgres start)\" starts one)", Env)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to $%s: %v", Env, err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	// unaccent lives in public, for every schema's search configuration;
	// the lock keeps tests that start together from creating it twice.
	for _, q := range []string{
		`SELECT pg_advisory_lock(7)`,
		`CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public`,
		`SELECT pg_advisory_unlock(7)`,
		`CREATE SCHEMA ` + schema,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("prepare a test schema: %s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop the test schema: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop the test schema: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("$%s: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}

// URLIfSet returns $GAZETTE_TEST_POSTGRES, the URL of the test server
// itself, or "" when it is unset, for tests that do more without it.
func URLIfSet() string { return os.Getenv(Env) }
