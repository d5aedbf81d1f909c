package sqlite

import (
	"context"

	"github.com/gazette-blog/gazette"
)

var _ gazette.EntryLocker = (*handle)(nil)

// LockEntry implements gazette.EntryLocker. A write transaction here is
// begun IMMEDIATE and so holds the database's one write lock from its
// start: every entry is held already, and the lock only checks that the
// entry is there.
func (h *handle) LockEntry(ctx context.Context, id int64) error {
	ok, err := h.exists(ctx, `SELECT 1 FROM entries WHERE id = ?`, id)
	if err != nil {
		return wrap(err, "lock entry %d", id)
	}
	if !ok {
		return gazette.Errorf(gazette.ErrNotFound, "entry %d not found", id)
	}
	return nil
}
