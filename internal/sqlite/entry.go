package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
)

// entrySelect reads an entry with its author, topics and tags in one query:
// the topics and tags come as JSON arrays in their stored order, so a page
// listing entries costs one statement, not three per entry.
// The CROSS JOINs here and in searchFrom and commentSelect keep SQLite from
// looping over the few authors first, which would sort every entry of the
// blog, bodies and all, before applying the LIMIT.
const entrySelect = `SELECT ` + entryColumns + ` FROM entries e CROSS JOIN authors a ON a.id = e.author_id
	CROSS JOIN entry_texts x ON x.entry_id = e.id`

const entryColumns = `e.id, e.basename, e.path, e.title, x.body, x.extended_body, x.excerpt,
	x.keywords, e.format, ifnull(x.body_html, x.body), ifnull(x.extended_html, x.extended_body),
	` + entryMeta

// entryTitleSelect is entrySelect without the texts, for EntryFilter.NoText.
const entryTitleSelect = `SELECT e.id, e.basename, e.path, e.title, '', '', '', '', e.format, '', '',
	` + entryMeta + ` FROM entries e CROSS JOIN authors a ON a.id = e.author_id`

// entryMeta is what entryColumns reads after the texts.
const entryMeta = entryPlainMeta + `,
	(SELECT json_group_array(json_object('id', t.id, 'slug', t.slug, 'name', t.name,
			'description', t.description) ORDER BY et.position)
		FROM entry_topics et JOIN topics t ON t.id = et.topic_id WHERE et.entry_id = e.id),
	(SELECT json_group_array(g.name ORDER BY g.position) FROM entry_tags g WHERE g.entry_id = e.id),
	e.kind, e.sticky`

// entryPlainMeta is the start of entryMeta, before the topics and tags.
const entryPlainMeta = `e.status, e.published_at,
	e.author_id, a.slug, a.name, a.email, a.role, a.created_at,
	e.allow_comments, e.allow_pings, e.comment_count, ifnull(e.import_key, ''),
	e.created_at, e.updated_at`

// entryLinkSelect is entryTitleSelect without the topics and tags, for
// EntryFilter.NoText with NoTerms and for AdjacentEntries.
const entryLinkSelect = `SELECT e.id, e.basename, e.path, e.title, '', '', '', '', e.format, '', '',
	` + entryPlainMeta + `, '[]', '[]', e.kind, e.sticky FROM entries e CROSS JOIN authors a ON a.id = e.author_id`

type scanner interface{ Scan(dest ...any) error }

// scanEntry reads a row of entryColumns, then any extra columns into extra.
// The author's password hash is left out: entries go to templates, which have
// no use for it.
func scanEntry(row scanner, extra ...any) (*gazette.Entry, error) {
	var (
		e                         gazette.Entry
		published, authorCreated  int64
		created, updated          int64
		topicsJSON, tagsJSON      string
		format, status, role      string
		allowComments, allowPings bool
		kind                      string
	)
	dest := []any{&e.ID, &e.Basename, &e.Path, &e.Title, &e.Body, &e.ExtendedBody, &e.Excerpt,
		&e.Keywords, &format, &e.BodyHTML, &e.ExtendedHTML, &status, &published,
		&e.AuthorID, &e.Author.Slug, &e.Author.Name, &e.Author.Email, &role, &authorCreated,
		&allowComments, &allowPings, &e.CommentCount, &e.ImportKey,
		&created, &updated, &topicsJSON, &tagsJSON, &kind, &e.Sticky}
	err := row.Scan(append(dest, extra...)...)
	if err != nil {
		return nil, err
	}
	e.Format = gazette.Format(format)
	if kind != string(gazette.KindEntry) {
		e.Kind = gazette.EntryKind(kind) // an entry reads back with the empty kind it was written with
	}
	e.Status = gazette.EntryStatus(status)
	e.PublishedAt = fromMicros(published)
	e.Author.ID = e.AuthorID
	e.Author.Role = gazette.Role(role)
	e.Author.CreatedAt = fromMicros(authorCreated)
	e.AllowComments, e.AllowPings = allowComments, allowPings
	e.CreatedAt, e.UpdatedAt = fromMicros(created), fromMicros(updated)
	if topicsJSON != "[]" {
		if err := json.Unmarshal([]byte(topicsJSON), &e.Topics); err != nil {
			return nil, fmt.Errorf("entry %d topics: %w", e.ID, err)
		}
	}
	if tagsJSON != "[]" {
		if err := json.Unmarshal([]byte(tagsJSON), &e.Tags); err != nil {
			return nil, fmt.Errorf("entry %d tags: %w", e.ID, err)
		}
	}
	return &e, nil
}

// entryWhere reads one entry; no row is ErrNotFound with the message what.
func (h *handle) entryWhere(ctx context.Context, what, where string, args ...any) (*gazette.Entry, error) {
	return h.selectEntry(ctx, entrySelect, what, where, args...)
}

// selectEntry reads the one entry that sel, one of the entry selects,
// finds with where.
func (h *handle) selectEntry(ctx context.Context, sel, what, where string, args ...any) (*gazette.Entry, error) {
	row, err := h.row(ctx, sel+" WHERE "+where, args...)
	if err != nil {
		return nil, wrap(err, "read %s", what)
	}
	e, err := scanEntry(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gazette.Errorf(gazette.ErrNotFound, "%s not found", what)
	}
	return e, wrap(err, "read %s", what)
}

// Entry implements gazette.EntryStore.
func (h *handle) Entry(ctx context.Context, id int64) (*gazette.Entry, error) {
	return h.entryWhere(ctx, fmt.Sprintf("entry %d", id), "e.id = ?", id)
}

// EntryByPath implements gazette.EntryStore.
func (h *handle) EntryByPath(ctx context.Context, path string) (*gazette.Entry, error) {
	return h.entryWhere(ctx, fmt.Sprintf("entry at %q", path), "e.path = ?", path)
}

// EntryIDByPath returns the ID of the entry at path, or ErrNotFound, reading
// nothing else of it: the publish package asks it for every permalink it
// gives, and an import gives thousands.
func (h *handle) EntryIDByPath(ctx context.Context, path string) (int64, error) {
	var id int64
	err := h.queryRow(ctx, `SELECT id FROM entries WHERE path = ?`, []any{path}, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, gazette.Errorf(gazette.ErrNotFound, "entry at %q not found", path)
	}
	return id, wrap(err, "look up path %q", path)
}

// EntryByImportKey implements gazette.EntryStore.
func (h *handle) EntryByImportKey(ctx context.Context, key string) (*gazette.Entry, error) {
	return h.entryWhere(ctx, fmt.Sprintf("entry with import key %q", key), "e.import_key = ?", key)
}

// topicIDs returns the IDs of topics in order, each once.
func topicIDs(topics []gazette.Topic) []int64 {
	ids := make([]int64, 0, len(topics))
outer:
	for _, t := range topics {
		for _, id := range ids {
			if id == t.ID {
				continue outer
			}
		}
		ids = append(ids, t.ID)
	}
	return ids
}

func entryArgs(e *gazette.Entry, topics []int64) []any {
	var primary int64
	if len(topics) > 0 {
		primary = topics[0]
	}
	return []any{e.Basename, e.Path, e.Title, string(e.Format), string(e.Status), micros(e.PublishedAt),
		e.AuthorID, nullID(primary), e.AllowComments, e.AllowPings, nullString(e.ImportKey),
		micros(e.UpdatedAt), string(entryKind(e.Kind)), e.Sticky}
}

// textArgs are the values of an entry's entry_texts row, after its ID; a
// rendered text equal to its source is stored as NULL (see the schema).
func textArgs(e *gazette.Entry) []any {
	rendered := func(html, source string) any {
		if html == source {
			return nil
		}
		return html
	}
	return []any{e.Body, e.ExtendedBody, e.Excerpt, e.Keywords,
		rendered(e.BodyHTML, e.Body), rendered(e.ExtendedHTML, e.ExtendedBody)}
}

// checkTopics reports an unknown topic among ids as ErrInvalid. Checking
// first means a write of an entry fails, when it fails, in one statement,
// which SQLite undoes by itself: no savepoint is needed, and savepoints
// would make the search index flush at each entry.
func (h *handle) checkTopics(ctx context.Context, e *gazette.Entry, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return wrap(err, "entry %q", e.Title)
	}
	var n int
	if err := h.queryRow(ctx, `SELECT count(*) FROM topics WHERE id IN (SELECT value FROM json_each(?))`, []any{string(list)}, &n); err != nil {
		return wrap(err, "entry %q: check topics", e.Title)
	}
	if n == len(ids) {
		return nil
	}
	for _, id := range ids {
		if ok, err := h.exists(ctx, `SELECT 1 FROM topics WHERE id = ?`, id); err != nil {
			return wrap(err, "entry %q: check topics", e.Title)
		} else if !ok {
			return gazette.Errorf(gazette.ErrInvalid, "entry %q: unknown topic %d", e.Title, id)
		}
	}
	return nil
}

// CreateEntry implements gazette.EntryStore.
func (h *handle) CreateEntry(ctx context.Context, e *gazette.Entry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	now := h.now()
	if e.CreatedAt.IsZero() {
		e.CreatedAt = now
	}
	if e.UpdatedAt.IsZero() {
		e.UpdatedAt = now
	}
	topics := topicIDs(e.Topics)
	if err := h.checkTopics(ctx, e, topics); err != nil {
		return err
	}
	res, err := h.exec(ctx, `INSERT INTO entries (basename, path, title, format, status,
			published_at, author_id, primary_topic_id, allow_comments, allow_pings, import_key,
			updated_at, kind, sticky, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append(entryArgs(e, topics), micros(e.CreatedAt))...)
	if err != nil {
		return h.entryWriteError(ctx, err, e)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return wrap(err, "create entry %q", e.Title)
	}
	if _, err := h.exec(ctx, `INSERT INTO entry_texts (entry_id, body, extended_body, excerpt,
			keywords, body_html, extended_html) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		append([]any{id}, textArgs(e)...)...); err != nil {
		return wrap(err, "create entry %q: texts", e.Title)
	}
	if err := h.writeEntryParts(ctx, id, e, topics); err != nil {
		return err
	}
	e.ID = id
	return nil
}

// UpdateEntry implements gazette.EntryStore.
func (h *handle) UpdateEntry(ctx context.Context, e *gazette.Entry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	topics := topicIDs(e.Topics)
	if err := h.checkTopics(ctx, e, topics); err != nil {
		return err
	}
	e.UpdatedAt = h.now()
	res, err := h.exec(ctx, `UPDATE entries SET basename = ?, path = ?, title = ?, format = ?,
			status = ?, published_at = ?, author_id = ?, primary_topic_id = ?,
			allow_comments = ?, allow_pings = ?, import_key = ?, updated_at = ?, kind = ?,
			sticky = ? WHERE id = ?`, append(entryArgs(e, topics), e.ID)...)
	if err != nil {
		return h.entryWriteError(ctx, err, e)
	}
	if affected(res) == 0 {
		return gazette.Errorf(gazette.ErrNotFound, "entry %d not found", e.ID)
	}
	if _, err := h.exec(ctx, `UPDATE entry_texts SET body = ?, extended_body = ?, excerpt = ?,
			keywords = ?, body_html = ?, extended_html = ? WHERE entry_id = ?`,
		append(textArgs(e), e.ID)...); err != nil {
		return wrap(err, "update entry %d: texts", e.ID)
	}
	if err := h.flushIndex(ctx); err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM entry_topics WHERE entry_id = ?`,
		`DELETE FROM entry_tags WHERE entry_id = ?`,
		`DELETE FROM entry_search WHERE rowid = ?`,
	} {
		if _, err := h.exec(ctx, q, e.ID); err != nil {
			return wrap(err, "update entry %d", e.ID)
		}
	}
	return h.writeEntryParts(ctx, e.ID, e, topics)
}

// writeEntryParts stores an entry's topics, tags and search text.
func (h *handle) writeEntryParts(ctx context.Context, id int64, e *gazette.Entry, topics []int64) error {
	for i, t := range topics {
		if _, err := h.exec(ctx, `INSERT INTO entry_topics (entry_id, topic_id, position) VALUES (?, ?, ?)`, id, t, i); err != nil {
			return h.entryWriteError(ctx, err, e)
		}
	}
	seen := make(map[string]bool, len(e.Tags))
	for i, tag := range e.Tags {
		if seen[tag] {
			continue
		}
		seen[tag] = true
		if _, err := h.exec(ctx, `INSERT INTO entry_tags (entry_id, position, name, slug) VALUES (?, ?, ?, ?)`, id, i, tag, gazette.TagSlug(tag)); err != nil {
			return wrap(err, "entry %q: tag %q", e.Title, tag)
		}
	}
	return h.index(ctx, id, e.Title, e.BodyHTML+" "+e.ExtendedHTML)
}

// entryWriteError turns a failed write of e into the error its user can act
// on, finding out which constraint failed by asking, not by reading the
// driver's message.
func (h *handle) entryWriteError(ctx context.Context, err error, e *gazette.Entry) error {
	switch {
	case isUnique(err):
		taken, qerr := h.exists(ctx, `SELECT 1 FROM entries WHERE path = ? AND id != ?`, e.Path, e.ID)
		if qerr != nil {
			return wrap(errors.Join(err, qerr), "entry %q", e.Title)
		}
		if taken {
			return gazette.Errorf(gazette.ErrConflict, "entry path %q already taken", e.Path)
		}
		return gazette.Errorf(gazette.ErrConflict, "entry import key %q already taken", e.ImportKey)
	case isForeignKey(err):
		ok, qerr := h.exists(ctx, `SELECT 1 FROM authors WHERE id = ?`, e.AuthorID)
		if qerr != nil {
			return wrap(errors.Join(err, qerr), "entry %q", e.Title)
		}
		if !ok {
			return gazette.Errorf(gazette.ErrInvalid, "entry %q: unknown author %d", e.Title, e.AuthorID)
		}
		return gazette.Errorf(gazette.ErrInvalid, "entry %q refers to something that does not exist", e.Title)
	}
	return wrap(err, "write entry %q", e.Title)
}

// DeleteEntry implements gazette.EntryStore.
func (h *handle) DeleteEntry(ctx context.Context, id int64) error {
	res, err := h.exec(ctx, `DELETE FROM entries WHERE id = ?`, id)
	if err != nil {
		return wrap(err, "delete entry %d", id)
	}
	if affected(res) == 0 {
		return gazette.Errorf(gazette.ErrNotFound, "entry %d not found", id)
	}
	if err := h.flushIndex(ctx); err != nil {
		return err
	}
	_, err = h.exec(ctx, `DELETE FROM entry_search WHERE rowid = ?`, id)
	return wrap(err, "delete entry %d from the search index", id)
}

// entryFilter returns the WHERE clause (with a leading space, or empty) and
// its arguments for f. With perEntry, a topic or a tag is asked of each
// entry the query walks to, which suits the entries between two times (a
// static build reads each page of a listing so): otherwise a list of the
// topic's entries is made for each query, which costs such a read as much
// as the topic has entries (tens of thousands on a big blog) where it
// shows twenty, but serves a count, a deep page, a whole topic or a small
// topic's first page, which walk far more of the blog, faster.
func entryFilter(f gazette.EntryFilter, perEntry bool) (string, []any) {
	var conds []string
	var args []any
	if !f.VisibleAt.IsZero() {
		conds = append(conds, "e.status = 'published' AND e.published_at <= ?")
		args = append(args, micros(f.VisibleAt))
	}
	switch f.Kind {
	case gazette.AnyKind:
	case "", gazette.KindEntry:
		// Not "e.kind = 'entry'": kind is in no index but the pages' own,
		// so that would read each entry's row to check it, and a listing's
		// deep page or count would read thousands. The few pages' IDs come
		// from their partial index, and the rest stays in the indexes.
		conds = append(conds, "e.id NOT IN (SELECT id FROM entries WHERE kind = 'page')")
	default:
		conds = append(conds, "e.kind = ?")
		args = append(args, string(f.Kind))
	}
	if f.Tag != "" {
		if perEntry {
			conds = append(conds, "EXISTS (SELECT 1 FROM entry_tags g WHERE g.slug = ? AND g.entry_id = e.id)")
		} else {
			conds = append(conds, "e.id IN (SELECT entry_id FROM entry_tags WHERE slug = ?)")
		}
		args = append(args, f.Tag)
	}
	if f.Sticky {
		conds = append(conds, "e.sticky = 1")
	}
	if f.Status != "" {
		conds = append(conds, "e.status = ?")
		args = append(args, string(f.Status))
	}
	if f.AuthorID != 0 {
		conds = append(conds, "e.author_id = ?")
		args = append(args, f.AuthorID)
	}
	if f.TopicID != 0 {
		if perEntry {
			conds = append(conds, "EXISTS (SELECT 1 FROM entry_topics t WHERE t.topic_id = ? AND t.entry_id = e.id)")
		} else {
			conds = append(conds, "e.id IN (SELECT entry_id FROM entry_topics WHERE topic_id = ?)")
		}
		args = append(args, f.TopicID)
	}
	if f.PrimaryTopicID != 0 {
		conds = append(conds, "e.primary_topic_id = ?")
		args = append(args, f.PrimaryTopicID)
	}
	if !f.From.IsZero() {
		conds = append(conds, "e.published_at >= ?")
		args = append(args, micros(f.From))
	}
	if !f.To.IsZero() {
		conds = append(conds, "e.published_at < ?")
		args = append(args, micros(f.To))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Entries implements gazette.EntryStore.
func (h *handle) Entries(ctx context.Context, f gazette.EntryFilter) ([]*gazette.Entry, int, error) {
	where, args := entryFilter(f, f.Offset == 0 && (!f.From.IsZero() || !f.To.IsZero()))
	order := " ORDER BY e.published_at DESC, e.id DESC"
	if f.OldestFirst {
		order = " ORDER BY e.published_at, e.id"
	}
	limit, offset := window(f.Limit, f.Offset)
	sel := entrySelect
	switch {
	case f.NoText && f.NoTerms:
		sel = entryLinkSelect
	case f.NoText:
		sel = entryTitleSelect
	}
	query := sel + where + order + " LIMIT ? OFFSET ?"
	if offset > 0 {
		// The window is chosen among IDs first, so that the entries skipped
		// before it are read from an index, not joined to their texts.
		query = sel + " WHERE e.id IN (SELECT e.id FROM entries e" + where + order + " LIMIT ? OFFSET ?)" + order
	}
	rows, err := h.query(ctx, query, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, wrap(err, "list entries")
	}
	defer rows.Close()
	var list []*gazette.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, 0, wrap(err, "list entries")
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, wrap(err, "list entries")
	}
	if total, ok := knownTotal(limit, offset, len(list)); ok {
		return list, total, nil
	}
	if f.NoTotal {
		return list, -1, nil
	}
	total, err := h.countEntries(ctx, f)
	return list, total, err
}

func (h *handle) countEntries(ctx context.Context, f gazette.EntryFilter) (int, error) {
	var n int
	if f == (gazette.EntryFilter{VisibleAt: f.VisibleAt, Limit: f.Limit, Offset: f.Offset, OldestFirst: f.OldestFirst, NoText: f.NoText, NoTerms: f.NoTerms}) && !f.VisibleAt.IsZero() {
		// Every page asks how many entries are visible; counting them would
		// scan them all, so subtract the few published after visibleAt from
		// the count of published entries the triggers keep.
		// Pages, few, are counted out through their partial index.
		err := h.queryRow(ctx, `SELECT (SELECT ifnull(sum(n), 0) FROM entry_counts WHERE status = 'published')
			- (SELECT count(*) FROM entries WHERE status = 'published' AND published_at > ?1)
			- (SELECT count(*) FROM entries WHERE kind = 'page' AND status = 'published' AND published_at <= ?1)`,
			[]any{micros(f.VisibleAt)}, &n)
		return n, wrap(err, "count entries")
	}
	where, args := entryFilter(f, false)
	err := h.queryRow(ctx, `SELECT count(*) FROM entries e`+where, args, &n)
	return n, wrap(err, "count entries")
}

// AdjacentEntries implements gazette.EntryStore.
func (h *handle) AdjacentEntries(ctx context.Context, e *gazette.Entry, visibleAt time.Time) (prev, next *gazette.Entry, err error) {
	at, vis := micros(e.PublishedAt), micros(visibleAt)
	// A neighbour is shown by its title and link: its text, topics and
	// tags are not read.
	prev, err = h.selectEntry(ctx, entryLinkSelect, "previous entry",
		`e.status = 'published' AND e.kind = 'entry' AND e.published_at <= ? AND (e.published_at < ? OR e.id < ?)
		ORDER BY e.published_at DESC, e.id DESC LIMIT 1`, min(at, vis), at, e.ID)
	if errors.Is(err, gazette.ErrNotFound) {
		prev, err = nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	next, err = h.selectEntry(ctx, entryLinkSelect, "next entry",
		`e.status = 'published' AND e.kind = 'entry' AND e.published_at >= ? AND e.published_at <= ? AND (e.published_at > ? OR e.id > ?)
		ORDER BY e.published_at, e.id LIMIT 1`, at, vis, at, e.ID)
	if errors.Is(err, gazette.ErrNotFound) {
		next, err = nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return prev, next, nil
}

// Months implements gazette.EntryStore. SQLite knows no time zones but UTC
// and local, so the months are counted here, in loc.
func (h *handle) Months(ctx context.Context, visibleAt time.Time, loc *time.Location) ([]gazette.MonthCount, error) {
	rows, err := h.query(ctx, `SELECT published_at FROM entries
		WHERE status = 'published' AND kind = 'entry' AND published_at <= ? ORDER BY published_at DESC`, micros(visibleAt))
	if err != nil {
		return nil, wrap(err, "count months")
	}
	defer rows.Close()
	var months []gazette.MonthCount
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, wrap(err, "count months")
		}
		t := fromMicros(at).In(loc)
		if n := len(months); n > 0 && months[n-1].Year == t.Year() && months[n-1].Month == t.Month() {
			months[n-1].Count++
			continue
		}
		months = append(months, gazette.MonthCount{Year: t.Year(), Month: t.Month(), Count: 1})
	}
	return months, wrap(rows.Err(), "count months")
}

// entryKind returns the kind stored for k: the empty kind is an entry.
func entryKind(k gazette.EntryKind) gazette.EntryKind {
	if k == "" {
		return gazette.KindEntry
	}
	return k
}
