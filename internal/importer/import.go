package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/publish"
)

// progressEvery is how many items pass between two calls of Options.Progress.
const progressEvery = 250

// Options tune an import.
type Options struct {
	// Progress, when set, is called every few hundred items and once at the end.
	Progress func(Progress)
	// DefaultAuthor names the author of entries whose export names none;
	// "Anonymous" when empty.
	DefaultAuthor string
}

// Progress is how far an import has come.
type Progress struct {
	Items int   // items read so far
	Bytes int64 // bytes of the export read so far; 0 if the reader cannot tell
	Done  bool  // the last call
}

// Summary counts what an import did.
type Summary struct {
	Entries        int // entries created
	Skipped        int // entries already present, found by their ImportKey
	Comments       int // comments added
	Mentions       int // pings and other mentions added
	Authors        int // authors created
	Topics         int // topics created
	Redirects      int // old paths recorded
	Unattached     int // NO ENTRY items whose entry was not found; their comments were dropped
	RepliesPresent int // comments and mentions already present, not added again
}

// String returns the summary as one line for the terminal.
func (s Summary) String() string {
	line := fmt.Sprintf("imported %d entries (%d already present), %d comments, %d pings, %d authors, %d topics, %d redirects",
		s.Entries, s.Skipped, s.Comments, s.Mentions, s.Authors, s.Topics, s.Redirects)
	if s.Unattached > 0 {
		line += fmt.Sprintf("; %d items named no existing entry and were skipped", s.Unattached)
	}
	return line
}

// Import reads every item of r and writes it to store through pub, all in one
// transaction: a malformed item anywhere leaves the store as it was, and the
// reader's error, which names the file, line and field, is returned as it is.
//
// Authors and topics are found by name or created; entries already imported
// (by ImportKey) are skipped, but their comments and mentions not yet present
// are added; each old path of an entry becomes a redirect to it.
func Import(ctx context.Context, store gazette.Store, pub *publish.Publisher, r Reader, opts Options) (Summary, error) {
	var sum Summary
	settings, err := store.Settings(ctx)
	if err != nil {
		return sum, fmt.Errorf("import: settings: %w", err)
	}
	err = store.Atomic(ctx, func(tx gazette.Tx) error {
		im := &importer{
			tx: tx, pub: pub, settings: settings, opts: opts, sum: &sum,
			authors: map[string]*gazette.Author{}, topics: map[string]int64{},
			authorSlugs: map[string]bool{}, topicSlugs: map[string]bool{},
		}
		return im.run(ctx, r)
	})
	if err != nil {
		return Summary{}, err
	}
	return sum, nil
}

// importer holds the state of one import: the transaction and caches of the
// authors and topics met so far.
type importer struct {
	tx       gazette.Tx
	pub      *publish.Publisher
	settings gazette.Settings
	opts     Options
	sum      *Summary

	authors     map[string]*gazette.Author // by name
	topics      map[string]int64           // IDs by name
	authorSlugs map[string]bool            // slugs taken by authors created here
	topicSlugs  map[string]bool
}

// readResult carries one item, or the error that ended the reading, from the
// reading goroutine to the writing one.
type readResult struct {
	item  *Item
	bytes int64
	err   error
}

func (im *importer) run(ctx context.Context, r Reader) error {
	// Reading and parsing run on their own goroutine while this one writes,
	// so the two overlap on a machine with more than one core.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	items := make(chan readResult, 64)
	go func() {
		defer close(items)
		counter, _ := r.(ByteCounter)
		for {
			it, err := r.Next()
			res := readResult{item: it, err: err}
			if counter != nil {
				res.bytes = counter.BytesRead()
			}
			select {
			case items <- res:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()

	var p Progress
	for res := range items {
		if res.err == io.EOF {
			break
		}
		if res.err != nil {
			return res.err // already names the file, line and field
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := im.item(ctx, res.item); err != nil {
			return err
		}
		p.Items++
		p.Bytes = res.bytes
		if im.opts.Progress != nil && p.Items%progressEvery == 0 {
			im.opts.Progress(p)
		}
	}
	if im.opts.Progress != nil {
		p.Done = true
		im.opts.Progress(p)
	}
	return nil
}

// item writes one item.
func (im *importer) item(ctx context.Context, it *Item) error {
	if it.AttachToExisting {
		return im.attach(ctx, it)
	}
	e := &it.Entry
	existing, err := im.tx.EntryByImportKey(ctx, e.ImportKey)
	switch {
	case err == nil:
		im.sum.Skipped++
		return im.replies(ctx, existing.ID, it, true)
	case !errors.Is(err, gazette.ErrNotFound):
		return fmt.Errorf("import: line %d: look up entry: %w", it.Line, err)
	}

	author, err := im.author(ctx, e.Author)
	if err != nil {
		return fmt.Errorf("import: line %d: %w", it.Line, err)
	}
	e.AuthorID = author.ID
	for i := range e.Topics {
		id, err := im.topic(ctx, e.Topics[i].Name)
		if err != nil {
			return fmt.Errorf("import: line %d: %w", it.Line, err)
		}
		e.Topics[i] = gazette.Topic{ID: id, Name: e.Topics[i].Name}
	}
	if err := im.pub.ImportEntry(ctx, im.tx, im.settings, e, author); err != nil {
		return fmt.Errorf("import: line %d: %w", it.Line, err)
	}
	im.sum.Entries++
	for _, p := range it.OldPaths {
		if p == e.Path {
			continue
		}
		if err := im.tx.AddRedirect(ctx, gazette.Redirect{Path: p, EntryID: e.ID}); err != nil {
			return fmt.Errorf("import: line %d: redirect %s: %w", it.Line, p, err)
		}
		im.sum.Redirects++
	}
	// A new entry has no comments yet, so only duplicates within the item
	// need checking.
	return im.replies(ctx, e.ID, it, false)
}

// attach adds the comments and mentions of a NO ENTRY item to the entry
// published at the same time.
func (im *importer) attach(ctx context.Context, it *Item) error {
	t := it.Entry.PublishedAt
	found, _, err := im.tx.Entries(ctx, gazette.EntryFilter{From: t, To: t.Add(time.Second), Limit: 1, OldestFirst: true})
	if err != nil {
		return fmt.Errorf("import: line %d: find the entry of %s: %w", it.Line, t, err)
	}
	if len(found) == 0 {
		// Movable Type skips such items too, with a warning.
		im.sum.Unattached++
		return nil
	}
	return im.replies(ctx, found[0].ID, it, true)
}

// replies stores the item's comments and mentions on entry id; check says
// whether they may already be stored.
func (im *importer) replies(ctx context.Context, id int64, it *Item, check bool) error {
	seen := make(map[string]bool, len(it.Comments)+len(it.Mentions))
	present := func(key string, exists func(context.Context, string) (bool, error)) (bool, error) {
		if key == "" {
			return false, nil
		}
		if seen[key] {
			return true, nil
		}
		seen[key] = true
		if !check {
			return false, nil
		}
		return exists(ctx, key)
	}
	for i := range it.Comments {
		c := &it.Comments[i]
		ok, err := present(c.ImportKey, im.tx.CommentExists)
		if err != nil {
			return fmt.Errorf("import: line %d: comment: %w", it.Line, err)
		}
		if ok {
			im.sum.RepliesPresent++
			continue
		}
		c.EntryID = id
		if err := im.tx.CreateComment(ctx, c); err != nil {
			return fmt.Errorf("import: line %d: comment by %q: %w", it.Line, c.Name, err)
		}
		im.sum.Comments++
	}
	for i := range it.Mentions {
		m := &it.Mentions[i]
		ok, err := present(m.ImportKey, im.tx.MentionExists)
		if err != nil {
			return fmt.Errorf("import: line %d: ping: %w", it.Line, err)
		}
		if ok {
			im.sum.RepliesPresent++
			continue
		}
		m.EntryID = id
		if err := im.tx.CreateMention(ctx, m); err != nil {
			return fmt.Errorf("import: line %d: ping from %q: %w", it.Line, m.SourceURL, err)
		}
		im.sum.Mentions++
	}
	return nil
}

// author finds the author named a.Name, or creates one who cannot sign in.
func (im *importer) author(ctx context.Context, a gazette.Author) (*gazette.Author, error) {
	name := strings.TrimSpace(a.Name)
	if name == "" {
		name = im.opts.DefaultAuthor
	}
	if name == "" {
		name = "Anonymous"
	}
	if got, ok := im.authors[name]; ok {
		return got, nil
	}
	got, err := im.tx.AuthorByName(ctx, name)
	if errors.Is(err, gazette.ErrNotFound) {
		slug, err := uniqueSlug(ctx, name, "author", im.authorSlugs, func(ctx context.Context, s string) error {
			_, err := im.tx.AuthorBySlug(ctx, s)
			return err
		})
		if err != nil {
			return nil, err
		}
		got = &gazette.Author{Name: name, Slug: slug, Email: a.Email, Role: gazette.RoleAuthor}
		if err := im.tx.CreateAuthor(ctx, got); err != nil {
			return nil, fmt.Errorf("create author %q: %w", name, err)
		}
		im.sum.Authors++
	} else if err != nil {
		return nil, fmt.Errorf("look up author %q: %w", name, err)
	}
	im.authors[name] = got
	return got, nil
}

// topic finds the topic named name, or creates it, and returns its ID.
func (im *importer) topic(ctx context.Context, name string) (int64, error) {
	if id, ok := im.topics[name]; ok {
		return id, nil
	}
	t, err := im.tx.TopicByName(ctx, name)
	if errors.Is(err, gazette.ErrNotFound) {
		slug, err := uniqueSlug(ctx, name, "topic", im.topicSlugs, func(ctx context.Context, s string) error {
			_, err := im.tx.TopicBySlug(ctx, s)
			return err
		})
		if err != nil {
			return 0, err
		}
		t = &gazette.Topic{Name: name, Slug: slug}
		if err := im.tx.CreateTopic(ctx, t); err != nil {
			return 0, fmt.Errorf("create topic %q: %w", name, err)
		}
		im.sum.Topics++
	} else if err != nil {
		return 0, fmt.Errorf("look up topic %q: %w", name, err)
	}
	im.topics[name] = t.ID
	return t.ID, nil
}

// uniqueSlug returns gazette.Slugify(name), or fallback for a name with no
// letters, with "-2", "-3"… added until lookup finds nothing under it.
func uniqueSlug(ctx context.Context, name, fallback string, taken map[string]bool, lookup func(context.Context, string) error) (string, error) {
	base := gazette.Slugify(name)
	if base == "" {
		base = fallback
	}
	for i := 1; ; i++ {
		s := base
		if i > 1 {
			s = fmt.Sprintf("%s-%d", base, i)
		}
		if taken[s] {
			continue
		}
		err := lookup(ctx, s)
		if errors.Is(err, gazette.ErrNotFound) {
			taken[s] = true
			return s, nil
		}
		if err != nil {
			return "", fmt.Errorf("look up slug %q: %w", s, err)
		}
	}
}
