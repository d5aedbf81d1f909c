package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWALWatcher: a write to the log that this process did not name is
// seen once the watcher looks again, a millisecond later at most, and is
// seen once; Seen takes the log as known.
func TestWALWatcher(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gazette.db")
	wal := db + "-wal"
	write := func(b string) {
		t.Helper()
		f, err := os.OpenFile(wal, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(b); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	write("first commit")
	w := newWALWatcher(db)
	later := func() bool {
		time.Sleep(2 * walCheckEvery)
		return w.Changed()
	}
	if later() {
		t.Error("Changed before any write")
	}
	write(", another process's commit")
	if !later() {
		t.Error("another process's write not seen")
	}
	if later() {
		t.Error("one write seen twice")
	}
	write(", this process's commit")
	w.Seen()
	if later() {
		t.Error("a write taken as known by Seen is seen again")
	}
}
