package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gazette-blog/gazette"
)

// entryDelete moves an entry to the trash: a copy is kept, then the entry
// is deleted through the publisher (its permalink answers 410 Gone and the
// pages it linked to are told).
func (a *Admin) entryDelete(w http.ResponseWriter, r *http.Request, q *request) error {
	e, err := a.ownEntry(r, q)
	if err != nil {
		return err
	}
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("admin: encode entry %d for the trash: %w", e.ID, err)
	}
	err = a.store.Atomic(q.ctx, func(tx gazette.Tx) error {
		rs, ok := tx.(gazette.RevisionStore)
		if !ok {
			return errors.New("admin: the store keeps no trash")
		}
		if err := rs.AddTrashed(q.ctx, &gazette.Trashed{EntryID: e.ID, Title: e.Title, AuthorID: e.AuthorID, Data: data}); err != nil {
			return err
		}
		return a.cfg.Publisher.DeleteEntry(q.ctx, tx, e.ID)
	})
	if err != nil {
		return err
	}
	return seeOther(w, r, "/admin/entries?notice=trashed")
}

// TrashPage lists deleted entries.
type TrashPage struct {
	Base
	Items []*gazette.Trashed
}

func (a *Admin) trashList(w http.ResponseWriter, r *http.Request, q *request) error {
	items, err := a.store.TrashedEntries(q.ctx)
	if err != nil {
		return err
	}
	p := &TrashPage{Base: a.base(q, "Trash", "entries"), Items: items}
	p.Notice = notice(r)
	return a.show(w, "trash", p)
}

// trashRestore brings an entry back from the trash, as a draft: it was
// taken off the site, and its author decides when it returns.
func (a *Admin) trashRestore(w http.ResponseWriter, r *http.Request, q *request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var e gazette.Entry
	err = a.store.Atomic(q.ctx, func(tx gazette.Tx) error {
		rs := tx.(gazette.RevisionStore)
		t, err := rs.TrashedEntry(q.ctx, id)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(t.Data, &e); err != nil {
			return fmt.Errorf("admin: decode trashed entry %d: %w", id, err)
		}
		e.ID, e.Status, e.Path, e.CommentCount = 0, gazette.StatusDraft, "", 0
		if err := a.writeEntry(q, tx, &e); err != nil {
			return err
		}
		return rs.DeleteTrashed(q.ctx, id)
	})
	if err != nil {
		return err
	}
	return seeOther(w, r, "/admin/entries/"+strconv.FormatInt(e.ID, 10)+"?notice=restored")
}
