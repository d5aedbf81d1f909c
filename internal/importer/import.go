package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/media"
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
	// Uploads, when set, has the files of the export's attachments copied
	// into media; without it attachments are only counted.
	Uploads *Uploads
}

// Progress is how far an import has come.
type Progress struct {
	Items int   // items read so far
	Bytes int64 // bytes of the export read so far; 0 if the reader cannot tell
	Done  bool  // the last call
}

// Summary counts what an import did.
type Summary struct {
	Entries        int // entries created, pages included
	Skipped        int // entries already present, found by their ImportKey
	Comments       int // comments added
	Mentions       int // pings and other mentions added
	Authors        int // authors created
	Topics         int // topics created
	Redirects      int // old paths recorded
	Unattached     int // NO ENTRY items whose entry was not found; their comments were dropped
	RepliesPresent int // comments and mentions already present, not added again

	Pages    int    // pages among Entries
	Pending  int    // comments among Comments that wait for moderation
	Tags     int    // distinct tags on the entries read
	Private  int    // private or password-protected entries, imported as drafts
	Ignored  int    // things of the export not imported (menus, settings…)
	Orphans  int    // comments whose entry is not in the export
	Ignoring string // the kinds of the things ignored, comma-separated

	Media        int    // files of attachments stored as media
	MediaKept    int    // files of attachments the blog's media had already, from an earlier import
	MediaMissing int    // files of attachments not found, or not readable
	MediaMissed  string // the first few of those, comma-separated, each with the reason when it is not missing
}

// String returns the summary as one line for the terminal.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "imported %s", plural(s.Entries-s.Pages, "entry", "entries"))
	if s.Skipped > 0 {
		fmt.Fprintf(&b, " (%d already present)", s.Skipped)
	}
	if s.Pages > 0 {
		fmt.Fprintf(&b, ", %s", plural(s.Pages, "page", "pages"))
	}
	fmt.Fprintf(&b, ", %s", plural(s.Comments, "comment", "comments"))
	if s.Pending > 0 {
		fmt.Fprintf(&b, " (%d pending)", s.Pending)
	}
	fmt.Fprintf(&b, ", %s, %s, %s", plural(s.Mentions, "ping", "pings"),
		plural(s.Authors, "author", "authors"), plural(s.Topics, "topic", "topics"))
	if s.Tags > 0 {
		fmt.Fprintf(&b, ", %s", plural(s.Tags, "tag", "tags"))
	}
	fmt.Fprintf(&b, ", %s", plural(s.Redirects, "redirect", "redirects"))
	if s.Media > 0 {
		fmt.Fprintf(&b, ", %s", plural(s.Media, "media file", "media files"))
	}
	if s.MediaKept > 0 {
		fmt.Fprintf(&b, " (%s already in the blog's media)", plural(s.MediaKept, "file", "files"))
	}
	if s.Private > 0 {
		fmt.Fprintf(&b, "; %s kept as drafts (private or password-protected on the old blog)",
			plural(s.Private, "entry", "entries"))
	}
	if s.Ignored > 0 {
		fmt.Fprintf(&b, "; skipped %s (%s)", plural(s.Ignored, "other item", "other items"), s.Ignoring)
	}
	if s.Orphans > 0 {
		fmt.Fprintf(&b, "; %s named no entry of the export and were skipped", plural(s.Orphans, "comment", "comments"))
	}
	if n := s.MediaMissing; n > 0 {
		list := s.MediaMissed
		if more := n - missedShown; more > 0 {
			list += fmt.Sprintf(" and %d more", more)
		}
		fmt.Fprintf(&b, "; %s not copied: %s", plural(n, "attachment's file", "attachments' files"), list)
	}
	if s.Unattached > 0 {
		fmt.Fprintf(&b, "; %d items named no existing entry and were skipped", s.Unattached)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
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
	// The files are written aside and moved into the media folder only once
	// the transaction has committed, so that a failed import leaves none.
	var staging string
	if up := opts.Uploads; up != nil {
		if err := os.MkdirAll(up.To, 0o750); err != nil {
			return sum, fmt.Errorf("import: media folder: %w", err)
		}
		staging, err = os.MkdirTemp(filepath.Dir(filepath.Clean(up.To)), ".import-media-")
		if err != nil {
			return sum, fmt.Errorf("import: media folder: %w", err)
		}
		defer os.RemoveAll(staging)
	}
	err = store.Atomic(ctx, func(tx gazette.Tx) error {
		if b, ok := tx.(bulkLoader); ok {
			if err := b.BeginBulkLoad(ctx); err != nil {
				return fmt.Errorf("import: %w", err)
			}
		}
		some, _, err := tx.Entries(ctx, gazette.EntryFilter{Kind: gazette.AnyKind, Limit: 1, NoText: true})
		if err != nil {
			return fmt.Errorf("import: look for entries: %w", err)
		}
		im := &importer{
			tx: tx, pub: pub, settings: settings, opts: opts, sum: &sum,
			authors: map[string]*gazette.Author{}, topics: map[string]int64{},
			authorSlugs: map[string]bool{}, topicSlugs: map[string]bool{},
			tags: map[string]bool{}, ignored: map[string]bool{},
			empty: len(some) == 0, keys: map[string]int64{},
		}
		if staging != "" {
			if err := im.storeUploads(ctx, staging); err != nil {
				return err
			}
		}
		return im.run(ctx, r)
	})
	if err != nil {
		return Summary{}, err
	}
	if staging != "" {
		if err := media.Move(staging, opts.Uploads.To); err != nil {
			return sum, fmt.Errorf("import: the import is stored but its media files are not all in place: %w", err)
		}
	}
	return sum, nil
}

// bulkLoader is implemented by the transactions of stores that can do some
// of the upkeep of thousands of writes once, at the end of the transaction,
// rather than row by row (the sqlite store's comment counts).
type bulkLoader interface {
	BeginBulkLoad(ctx context.Context) error
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
	tags        map[string]bool             // tags met so far
	last        *gazette.Entry              // the entry written last
	ignored     map[string]bool             // kinds of item skipped so far
	empty       bool                        // the blog had no entries when the import began
	keys        map[string]int64            // IDs of the entries imported here, by ImportKey
	media       *mediaLinks                 // the old addresses of the files stored; nil without Options.Uploads
	stored      map[string][]*gazette.Media // the blog's media before the import, by media.Origin
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
	switch {
	case it.Term != nil:
		return im.term(ctx, it)
	case it.Attachment != nil && im.opts.Uploads != nil:
		return nil // stored before the first item
	case it.Skipped != "":
		im.sum.Ignored++
		if !im.ignored[it.Skipped] {
			im.ignored[it.Skipped] = true
			if im.sum.Ignoring != "" {
				im.sum.Ignoring += ", "
			}
			im.sum.Ignoring += it.Skipped
		}
		return nil
	case len(it.Redirects) > 0:
		for _, r := range it.Redirects {
			if err := im.redirect(ctx, it.Line, r); err != nil {
				return err
			}
		}
		return nil
	}
	if it.AttachToExisting {
		return im.attach(ctx, it)
	}
	e := &it.Entry
	existing, err := im.imported(ctx, e.ImportKey)
	switch {
	case err == nil:
		im.sum.Skipped++
		return im.replies(ctx, existing, it, true)
	case !errors.Is(err, gazette.ErrNotFound):
		return fmt.Errorf("import: line %d: look up entry: %w", it.Line, err)
	}

	author, err := im.author(ctx, e.Author)
	if err != nil {
		return fmt.Errorf("import: line %d: %w", it.Line, err)
	}
	e.AuthorID = author.ID
	for _, tag := range e.Tags {
		im.tag(tag)
	}
	for i := range e.Topics {
		id, err := im.topic(ctx, e.Topics[i].Name, "")
		if err != nil {
			return fmt.Errorf("import: line %d: %w", it.Line, err)
		}
		e.Topics[i] = gazette.Topic{ID: id, Name: e.Topics[i].Name}
	}
	im.rewriteLinks(e)
	if err := im.pub.ImportEntry(ctx, im.tx, im.settings, e, author); err != nil {
		return fmt.Errorf("import: line %d: %w", it.Line, err)
	}
	im.last = e
	if e.ImportKey != "" {
		im.keys[e.ImportKey] = e.ID
	}
	im.sum.Entries++
	if e.Kind == gazette.KindPage {
		im.sum.Pages++
	}
	if it.Private {
		im.sum.Private++
	}
	for _, p := range it.OldPaths {
		if err := im.redirect(ctx, it.Line, gazette.Redirect{Path: p, EntryID: e.ID}); err != nil {
			return err
		}
	}
	// A new entry has no comments yet, so only duplicates within the item
	// need checking.
	return im.replies(ctx, e.ID, it, false)
}

// imported returns the ID of the entry imported before under key, or a
// gazette.ErrNotFound error. Into a blog that had no entries when the import
// began, only the entries of this import can have been, and they are
// remembered, which spares a query for each entry of the export.
func (im *importer) imported(ctx context.Context, key string) (int64, error) {
	if id, ok := im.keys[key]; ok {
		return id, nil
	}
	if im.empty {
		return 0, gazette.Errorf(gazette.ErrNotFound, "entry with import key %q not found", key)
	}
	e, err := im.tx.EntryByImportKey(ctx, key)
	if err != nil {
		return 0, err
	}
	return e.ID, nil
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
	ids := make([]int64, len(it.Comments)) // IDs of the comments stored, by index
	for _, i := range threadOrder(it.Comments, it.Parents) {
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
		if it.Parents != nil && it.Parents[i] >= 0 {
			c.ParentID = ids[it.Parents[i]] // 0 when the parent was not stored
		}
		if err := im.tx.CreateComment(ctx, c); err != nil {
			return fmt.Errorf("import: line %d: comment by %q: %w", it.Line, c.Name, err)
		}
		ids[i] = c.ID
		im.sum.Comments++
		if c.Status == gazette.CommentPending {
			im.sum.Pending++
		}
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

// topic finds the topic named name, or creates it, and returns its ID. A new
// topic takes the slug slugName would give, its name's when slugName is "".
func (im *importer) topic(ctx context.Context, name, slugName string) (int64, error) {
	if id, ok := im.topics[name]; ok {
		return id, nil
	}
	if slugName == "" {
		slugName = name
	}
	t, err := im.tx.TopicByName(ctx, name)
	if errors.Is(err, gazette.ErrNotFound) {
		slug, err := uniqueSlug(ctx, slugName, "topic", im.topicSlugs, func(ctx context.Context, s string) error {
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

// redirect records one old path, unless it is the new one.
func (im *importer) redirect(ctx context.Context, line int, r gazette.Redirect) error {
	if r.Path == "" || r.EntryID != 0 && r.Path == im.pathOf(r.EntryID) || r.Path == r.Target {
		return nil
	}
	if err := im.tx.AddRedirect(ctx, r); err != nil {
		return fmt.Errorf("import: line %d: redirect %s: %w", line, r.Path, err)
	}
	im.sum.Redirects++
	return nil
}

// pathOf returns the path of the entry just written, which is the only one
// redirect is called for.
func (im *importer) pathOf(id int64) string {
	if im.last != nil && im.last.ID == id {
		return im.last.Path
	}
	return ""
}

// tag notes a tag met on an entry or defined by the export.
func (im *importer) tag(name string) {
	if !im.tags[name] {
		im.tags[name] = true
		im.sum.Tags++
	}
}

// term writes a topic, tag or author the export defines, with redirects from
// its old addresses to its archive here.
func (im *importer) term(ctx context.Context, it *Item) error {
	t := it.Term
	var archive, feed string
	switch t.Kind {
	case TermTopic:
		id, err := im.topicWithParent(ctx, t)
		if err != nil {
			return fmt.Errorf("import: line %d: %w", it.Line, err)
		}
		topic, err := im.tx.Topic(ctx, id)
		if err != nil {
			return fmt.Errorf("import: line %d: topic %q: %w", it.Line, t.Name, err)
		}
		archive = "/topics/" + topic.Slug + "/"
		feed = archive + "atom.xml"
	case TermTag:
		im.tag(t.Name)
		slug := gazette.TagSlug(t.Name)
		if slug == "" {
			return nil
		}
		archive = "/tags/" + slug + "/"
		feed = archive
	case TermAuthor:
		a, err := im.author(ctx, gazette.Author{Name: t.Name, Email: t.Email})
		if err != nil {
			return fmt.Errorf("import: line %d: %w", it.Line, err)
		}
		archive = "/authors/" + a.Slug + "/"
		feed = archive
	default:
		return fmt.Errorf("import: line %d: unknown kind of term %q", it.Line, t.Kind)
	}
	for _, p := range t.OldPaths {
		if err := im.redirect(ctx, it.Line, gazette.Redirect{Path: p, Target: archive}); err != nil {
			return err
		}
	}
	for _, p := range t.FeedPaths {
		if err := im.redirect(ctx, it.Line, gazette.Redirect{Path: p, Target: feed}); err != nil {
			return err
		}
	}
	return nil
}

// topicWithParent finds or creates the topic t defines; a topic created here
// is filed under its parent, itself found or created.
func (im *importer) topicWithParent(ctx context.Context, t *Term) (int64, error) {
	before := im.sum.Topics
	id, err := im.topic(ctx, t.Name, t.Slug)
	if err != nil || t.Parent == "" || t.Parent == t.Name || im.sum.Topics == before {
		return id, err
	}
	parent, err := im.topic(ctx, t.Parent, "")
	if err != nil {
		return 0, err
	}
	topic, err := im.tx.Topic(ctx, id)
	if err != nil {
		return 0, fmt.Errorf("topic %q: %w", t.Name, err)
	}
	topic.ParentID = parent
	topic.Description = t.Description
	if err := im.tx.UpdateTopic(ctx, topic); err != nil {
		return 0, fmt.Errorf("topic %q: %w", t.Name, err)
	}
	return id, nil
}

// threadOrder returns the indexes of comments in an order where each comment
// comes after the one it answers, and otherwise in the order given; parents
// naming no comment, and loops, are ignored.
func threadOrder(comments []gazette.Comment, parents []int) []int {
	order := make([]int, 0, len(comments))
	if parents == nil {
		for i := range comments {
			order = append(order, i)
		}
		return order
	}
	state := make([]byte, len(comments)) // 0 new, 1 being placed, 2 placed
	var place func(i int)
	place = func(i int) {
		if state[i] != 0 {
			return
		}
		state[i] = 1
		if p := parents[i]; p >= 0 && p < len(comments) && state[p] == 0 {
			place(p)
		}
		state[i] = 2
		order = append(order, i)
	}
	for i := range comments {
		place(i)
	}
	return order
}
