package postgres

import (
	"context"
	"fmt"

	"github.com/gazette-blog/gazette"
)

var _ gazette.EntryLocker = (*handle)(nil)

// LockEntry implements gazette.EntryLocker: the row lock makes another
// instance's LockEntry of the same entry wait for this transaction's end,
// and then read what it wrote. Outside Atomic it only checks the entry is
// there, the lock ending with the statement.
func (h *handle) LockEntry(ctx context.Context, id int64) error {
	var one int
	err := h.q.QueryRow(ctx, `SELECT 1 FROM entries WHERE id = $1 FOR UPDATE`, id).Scan(&one)
	return notFound(err, fmt.Sprintf("entry %d", id))
}
