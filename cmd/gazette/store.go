package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// openStore opens the blog's database: the one --db or $GAZETTE_DB names, or
// else the SQLite file in the data directory, created on first use.
func (e *env) openStore(ctx context.Context) (gazette.Store, error) {
	switch {
	case strings.HasPrefix(e.dbURL, "postgres://"), strings.HasPrefix(e.dbURL, "postgresql://"):
		return nil, fmt.Errorf("--db %s: PostgreSQL is not built yet; leave --db unset to use SQLite in %s", redactURL(e.dbURL), e.dataDir)
	case e.dbURL != "":
		return nil, fmt.Errorf("--db %s: unknown database URL (want postgres://…)", redactURL(e.dbURL))
	}
	if err := os.MkdirAll(e.dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	return sqlite.Open(ctx, e.sqlitePath())
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
