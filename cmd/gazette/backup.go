package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// backuper is the capability of a store to copy itself consistently while in
// use (SQLite's VACUUM INTO).
type backuper interface {
	Backup(ctx context.Context, path string) error
}

func (e *env) backup(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return errors.New("backup: want one FILE (gazette backup FILE)")
	}
	dst := args[0]
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("backup: %s exists; choose a new file name", dst)
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	b, ok := store.(backuper)
	if !ok {
		return errors.New("backup: this database has its own backup tools (pg_dump for PostgreSQL)")
	}
	abs, err := filepath.Abs(dst)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := b.Backup(ctx, abs); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s\n", e.sqlitePath(), dst)
	return nil
}

// restore replaces the SQLite database with a backup. The server must be
// stopped: the copy is written beside the database and renamed over it, so a
// crash halfway leaves the old database whole.
func (e *env) restore(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return errors.New("restore: want one FILE (gazette restore FILE)")
	}
	if e.dbURL != "" {
		return errors.New("restore: only for the SQLite database; use pg_restore for PostgreSQL")
	}
	src, err := os.Open(args[0])
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer src.Close()
	head := make([]byte, 16)
	if _, err := io.ReadFull(src, head); err != nil || string(head) != "SQLite format 3\x00" {
		return fmt.Errorf("restore: %s is not a gazette backup (not an SQLite database)", args[0])
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := os.MkdirAll(e.dataDir, 0o750); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	dbPath := e.sqlitePath()
	tmp, err := os.CreateTemp(e.dataDir, ".restore-*")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, src); err != nil {
		tmp.Close()
		return fmt.Errorf("restore: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("restore: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	// The old WAL belongs to the old database; left beside the new one it
	// would be replayed into it.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp.Name(), dbPath); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	// Opening checks the restored file and brings its schema up to date.
	store, err := e.openStore(ctx)
	if err != nil {
		return fmt.Errorf("restore: restored file does not open: %w", err)
	}
	store.Close()
	fmt.Fprintf(e.stdout, "restored %s from %s\n", dbPath, args[0])
	return nil
}
