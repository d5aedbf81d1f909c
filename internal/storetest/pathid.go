package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/gazette-blog/gazette"
)

// testEntryIDByPath checks the optional capability of a store's transaction
// to tell which entry holds a path without reading it, which the publish
// package prefers when a store has it.
func testEntryIDByPath(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	e := f.mustEntry(0)
	err := f.s.Atomic(f.ctx, func(tx gazette.Tx) error {
		p, ok := tx.(interface {
			EntryIDByPath(ctx context.Context, path string) (int64, error)
		})
		if !ok {
			t.Skip("this store's transactions have no EntryIDByPath; publish reads whole entries instead")
		}
		id, err := p.EntryIDByPath(f.ctx, e.Path)
		if err != nil || id != e.ID {
			t.Errorf("EntryIDByPath(%q) = %d, %v; want %d", e.Path, id, err, e.ID)
		}
		if _, err := p.EntryIDByPath(f.ctx, "/archives/1999/01/nobody.html"); !errors.Is(err, gazette.ErrNotFound) {
			t.Errorf("EntryIDByPath of a free path: %v, want ErrNotFound", err)
		}
		return nil
	})
	must(t, "Atomic", err)
}
