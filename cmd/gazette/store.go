package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/postgres"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// openStore opens the blog's database: the one --db or $GAZETTE_DB names, or
// else the SQLite file in the data directory, created on first use.
func (e *env) openStore(ctx context.Context) (gazette.Store, error) {
	switch {
	case isPostgres(e.dbURL):
		// The store's errors show the URL with its password hidden.
		db, err := postgres.Open(ctx, e.dbURL)
		if err != nil {
			return nil, fmt.Errorf("--db: %w", err)
		}
		return db, nil
	case e.dbURL != "":
		return nil, fmt.Errorf("--db %s: unknown database URL (want postgres://…)", redactURL(e.dbURL))
	}
	if err := os.MkdirAll(e.dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	return sqlite.Open(ctx, e.sqlitePath())
}

// isPostgres reports whether a --db URL names a PostgreSQL database.
func isPostgres(dbURL string) bool {
	return strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://")
}

func (e *env) sqlitePath() string { return filepath.Join(e.dataDir, "gazette.db") }

// redactURL hides a password in a database URL before it is printed.
func redactURL(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		if at := strings.LastIndex(s, "@"); at > i {
			if colon := strings.Index(s[i+3:at], ":"); colon >= 0 {
				return s[:i+3+colon+1] + "xxxxx" + s[at:]
			}
		}
	}
	return s
}
