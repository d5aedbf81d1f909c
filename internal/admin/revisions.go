package admin

import (
	"net/http"
	"strconv"

	"github.com/gazette-blog/gazette"
)

// RevisionsPage lists an entry's revisions, each with its changes from the
// one before.
type RevisionsPage struct {
	Base
	Entry     *gazette.Entry
	Revisions []RevisionView
}

// RevisionView is a revision with its diff from the previous one.
type RevisionView struct {
	*gazette.Revision
	Diff []DiffLine
}

// revisionText is what a diff compares: the fields a writer changes.
func revisionText(r *gazette.Revision) string {
	s := "# " + r.Title + "\n" + r.Body
	if r.ExtendedBody != "" {
		s += "\n---- extended ----\n" + r.ExtendedBody
	}
	if r.Excerpt != "" {
		s += "\n---- excerpt ----\n" + r.Excerpt
	}
	return s
}

func (a *Admin) revisionList(w http.ResponseWriter, r *http.Request, q *request) error {
	e, err := a.ownEntry(r, q)
	if err != nil {
		return err
	}
	revs, err := a.store.Revisions(q.ctx, e.ID)
	if err != nil {
		return err
	}
	p := &RevisionsPage{Base: a.base(q, "Revisions: "+e.Title, "entries"), Entry: e}
	for i, rev := range revs {
		older := ""
		if i+1 < len(revs) {
			older = revisionText(revs[i+1])
		}
		p.Revisions = append(p.Revisions, RevisionView{Revision: rev, Diff: lineDiff(older, revisionText(rev))})
	}
	return a.show(w, "revisions", p)
}

// revisionRestore puts a revision's text back into the entry, as a new
// save (and so a new revision): nothing is lost by restoring.
func (a *Admin) revisionRestore(w http.ResponseWriter, r *http.Request, q *request) error {
	e, err := a.ownEntry(r, q)
	if err != nil {
		return err
	}
	revID, err := pathID(r, "rev")
	if err != nil {
		return err
	}
	rev, err := a.store.Revision(q.ctx, revID)
	if err != nil {
		return err
	}
	if rev.EntryID != e.ID {
		return gazette.Errorf(gazette.ErrNotFound, "Revision %d is not one of this entry's.", revID)
	}
	e.Title, e.Body, e.ExtendedBody, e.Excerpt, e.Format = rev.Title, rev.Body, rev.ExtendedBody, rev.Excerpt, rev.Format
	if err := a.store.Atomic(q.ctx, func(tx gazette.Tx) error { return a.writeEntry(q, tx, e) }); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/entries/"+strconv.FormatInt(e.ID, 10)+"?notice=restored")
}
