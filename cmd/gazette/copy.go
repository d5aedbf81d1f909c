package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sort"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/postgres"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// copyBlog copies the SQLite blog of the data directory into an empty
// PostgreSQL database, through the stores' interfaces, in one transaction,
// and checks the counts of what it copied.
func (e *env) copyBlog(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	to := fs.String("to", "", "the PostgreSQL database to copy the blog into (postgres://…), which must be empty")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !isPostgres(*to) || fs.NArg() > 0 {
		return errors.New("copy: want --to postgres://… and nothing else (gazette copy --to URL)")
	}
	src, err := sqlite.Open(ctx, e.sqlitePath())
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	defer src.Close()
	dst, err := postgres.Open(ctx, *to)
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	defer dst.Close()
	var sum copySummary
	if err := dst.Atomic(ctx, func(tx gazette.Tx) error {
		var err error
		sum, err = copyStore(ctx, src, tx)
		return err
	}); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	got, err := countStore(ctx, dst)
	if err != nil {
		return fmt.Errorf("copy: counting the copy: %w", err)
	}
	if got != sum {
		return fmt.Errorf("copy: the copy holds %s, but %s were copied", got, sum)
	}
	fmt.Fprintf(e.stdout, "copied %s to %s\n", sum, postgres.Redact(*to))
	return nil
}

// copySummary counts what a blog holds.
type copySummary struct {
	Authors, Topics, Entries, Comments, Mentions, Redirects, Media, Revisions, Trashed int
}

func (s copySummary) String() string {
	return fmt.Sprintf("%d authors, %d topics, %d entries, %d comments, %d mentions, %d redirects, %d media, %d revisions, %d trashed entries",
		s.Authors, s.Topics, s.Entries, s.Comments, s.Mentions, s.Redirects, s.Media, s.Revisions, s.Trashed)
}

// copyStore writes everything src holds that the stores can list into dst,
// which must be empty, and returns how much. The IDs change; references
// follow them. Not copied: sessions and form tokens (short-lived), the
// signing secrets (readers' open forms fail once), what the spam filter
// learnt, the outbound webmention queue and the paths of deleted entries,
// none of which the stores can list.
func copyStore(ctx context.Context, src gazette.Store, dst gazette.Tx) (copySummary, error) {
	var sum copySummary
	if n, err := countStore(ctx, dst); err != nil {
		return sum, err
	} else if n != (copySummary{}) {
		return sum, gazette.Errorf(gazette.ErrConflict, "the database holds a blog already (%s); copy wants an empty one", n)
	}
	settings, err := src.Settings(ctx)
	if err != nil {
		return sum, err
	}
	if err := dst.SaveSettings(ctx, settings); err != nil {
		return sum, err
	}
	authors, err := src.Authors(ctx)
	if err != nil {
		return sum, err
	}
	authorIDs := map[int64]int64{0: 0}
	for _, a := range authors {
		old := a.ID
		if err := dst.CreateAuthor(ctx, a); err != nil {
			return sum, err
		}
		authorIDs[old] = a.ID
	}
	topics, err := src.Topics(ctx, time.Time{})
	if err != nil {
		return sum, err
	}
	topicIDs := map[int64]int64{}
	for _, tc := range topics {
		t := tc.Topic
		t.ParentID = 0 // set below, once every topic has its new ID
		if err := dst.CreateTopic(ctx, &t); err != nil {
			return sum, err
		}
		topicIDs[tc.ID] = t.ID
	}
	for _, tc := range topics {
		if tc.ParentID == 0 {
			continue
		}
		t := tc.Topic
		t.ID, t.ParentID = topicIDs[tc.ID], topicIDs[tc.ParentID]
		if err := dst.UpdateTopic(ctx, &t); err != nil {
			return sum, err
		}
	}
	entries, _, err := src.Entries(ctx, gazette.EntryFilter{Kind: gazette.AnyKind, OldestFirst: true})
	if err != nil {
		return sum, err
	}
	entryIDs := map[int64]int64{}
	for _, en := range entries {
		old := en.ID
		en.AuthorID = authorIDs[en.AuthorID]
		for i := range en.Topics {
			en.Topics[i].ID = topicIDs[en.Topics[i].ID]
		}
		if err := dst.CreateEntry(ctx, en); err != nil {
			return sum, err
		}
		entryIDs[old] = en.ID
		mentions, err := src.Mentions(ctx, old, "")
		if err != nil {
			return sum, err
		}
		for _, m := range mentions {
			m.EntryID = en.ID
			if err := dst.CreateMention(ctx, m); err != nil {
				return sum, err
			}
		}
		sum.Mentions += len(mentions)
	}
	comments, _, err := src.Comments(ctx, gazette.CommentFilter{})
	if err != nil {
		return sum, err
	}
	// A reply comes after the comment it answers, which has the lower ID.
	sort.Slice(comments, func(i, j int) bool { return comments[i].ID < comments[j].ID })
	commentIDs := map[int64]int64{0: 0}
	for _, c := range comments {
		old := c.ID
		c.EntryID, c.ParentID = entryIDs[c.EntryID], commentIDs[c.ParentID]
		if err := dst.CreateComment(ctx, c); err != nil {
			return sum, err
		}
		commentIDs[old] = c.ID
	}
	redirects, err := src.Redirects(ctx)
	if err != nil {
		return sum, err
	}
	for _, r := range redirects {
		if r.EntryID != 0 {
			r.EntryID = entryIDs[r.EntryID]
		}
		if err := dst.AddRedirect(ctx, r); err != nil {
			return sum, err
		}
	}
	sum.Authors, sum.Topics, sum.Entries, sum.Comments, sum.Redirects = len(authors), len(topics), len(entries), len(comments), len(redirects)
	if err := copyAdmin(ctx, src, dst, authorIDs, entryIDs, &sum); err != nil {
		return sum, err
	}
	return sum, nil
}

// copyAdmin copies the records of the authors' area: media, revisions and
// the trash. A trashed entry keeps its old ID, which no entry has any more.
func copyAdmin(ctx context.Context, src gazette.Store, dst gazette.Tx, authorIDs, entryIDs map[int64]int64, sum *copySummary) error {
	sm, ok1 := src.(gazette.MediaStore)
	dm, ok2 := dst.(gazette.MediaStore)
	if ok1 && ok2 {
		media, _, err := sm.MediaList(ctx, 0, 0)
		if err != nil {
			return err
		}
		for i := len(media) - 1; i >= 0; i-- { // oldest first
			m := media[i]
			m.AuthorID = authorIDs[m.AuthorID]
			if err := dm.CreateMedia(ctx, m); err != nil {
				return err
			}
		}
		sum.Media = len(media)
	}
	sr, ok1 := src.(gazette.RevisionStore)
	dr, ok2 := dst.(gazette.RevisionStore)
	if !ok1 || !ok2 {
		return nil
	}
	for old, id := range entryIDs {
		revs, err := sr.Revisions(ctx, old)
		if err != nil {
			return err
		}
		for i := len(revs) - 1; i >= 0; i-- { // oldest first
			r := revs[i]
			r.EntryID, r.AuthorID = id, authorIDs[r.AuthorID]
			if err := dr.AddRevision(ctx, r); err != nil {
				return err
			}
		}
		sum.Revisions += len(revs)
	}
	trash, err := sr.TrashedEntries(ctx)
	if err != nil {
		return err
	}
	for i := len(trash) - 1; i >= 0; i-- {
		t := trash[i]
		t.AuthorID = authorIDs[t.AuthorID]
		if err := dr.AddTrashed(ctx, t); err != nil {
			return err
		}
	}
	sum.Trashed = len(trash)
	return nil
}

// countStore counts what a store holds, as copyStore copies it.
func countStore(ctx context.Context, s gazette.Tx) (copySummary, error) {
	var n copySummary
	authors, err := s.Authors(ctx)
	if err != nil {
		return n, err
	}
	topics, err := s.Topics(ctx, time.Time{})
	if err != nil {
		return n, err
	}
	entries, total, err := s.Entries(ctx, gazette.EntryFilter{Kind: gazette.AnyKind})
	if err != nil {
		return n, err
	}
	if _, n.Comments, err = s.Comments(ctx, gazette.CommentFilter{Limit: 1}); err != nil {
		return n, err
	}
	for _, e := range entries {
		ms, err := s.Mentions(ctx, e.ID, "")
		if err != nil {
			return n, err
		}
		n.Mentions += len(ms)
		if rs, ok := s.(gazette.RevisionStore); ok {
			revs, err := rs.Revisions(ctx, e.ID)
			if err != nil {
				return n, err
			}
			n.Revisions += len(revs)
		}
	}
	redirects, err := s.Redirects(ctx)
	if err != nil {
		return n, err
	}
	if ms, ok := s.(gazette.MediaStore); ok {
		if _, n.Media, err = ms.MediaList(ctx, 1, 0); err != nil {
			return n, err
		}
	}
	if rs, ok := s.(gazette.RevisionStore); ok {
		trash, err := rs.TrashedEntries(ctx)
		if err != nil {
			return n, err
		}
		n.Trashed = len(trash)
	}
	n.Authors, n.Topics, n.Entries, n.Redirects = len(authors), len(topics), total, len(redirects)
	return n, nil
}
