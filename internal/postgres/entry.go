package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/jackc/pgx/v5"
)

// entrySelect reads entries with their author, topics and tags in one query:
// a page listing entries costs one statement, not three per entry.
const entrySelect = `SELECT ` + entryColumns + ` FROM entries e JOIN authors a ON a.id = e.author_id`

const entryColumns = `e.id, e.basename, e.path, e.title, e.body, e.extended_body, e.excerpt,
	e.keywords, e.format, e.body_html, e.extended_html, e.status, e.published_at,
	e.author_id, a.slug, a.name, a.email, a.role, a.created_at,
	e.allow_comments, e.allow_pings, e.comment_count, coalesce(e.import_key, ''),
	e.created_at, e.updated_at,
	(SELECT json_agg(json_build_object('id', t.id, 'slug', t.slug, 'name', t.name,
			'description', t.description, 'parentid', coalesce(t.parent_id, 0)) ORDER BY et.position)
		FROM entry_topics et JOIN topics t ON t.id = et.topic_id WHERE et.entry_id = e.id),
	ARRAY(SELECT g.name FROM entry_tags g WHERE g.entry_id = e.id ORDER BY g.position),
	e.kind, e.sticky`

// entryLinkSelect reads entries as a link to one shows them, for
// EntryFilter.NoText with NoTerms and for AdjacentEntries: entrySelect's
// columns without the texts, topics and tags.
const entryLinkSelect = `SELECT e.id, e.basename, e.path, e.title, '', '', '', '', e.format, '', '',
	e.status, e.published_at, e.author_id, a.slug, a.name, a.email, a.role, a.created_at,
	e.allow_comments, e.allow_pings, e.comment_count, coalesce(e.import_key, ''),
	e.created_at, e.updated_at, NULL::json, ARRAY[]::text[], e.kind, e.sticky
	FROM entries e JOIN authors a ON a.id = e.author_id`

// scanEntry reads a row of entryColumns, then any extra columns into extra.
// The author's password hash is left out: entries go to templates, which
// have no use for it.
func scanEntry(row pgx.Row, extra ...any) (*gazette.Entry, error) {
	var e gazette.Entry
	var kind string
	dest := []any{&e.ID, &e.Basename, &e.Path, &e.Title, &e.Body, &e.ExtendedBody, &e.Excerpt,
		&e.Keywords, &e.Format, &e.BodyHTML, &e.ExtendedHTML, &e.Status, &e.PublishedAt,
		&e.AuthorID, &e.Author.Slug, &e.Author.Name, &e.Author.Email, &e.Author.Role, &e.Author.CreatedAt,
		&e.AllowComments, &e.AllowPings, &e.CommentCount, &e.ImportKey,
		&e.CreatedAt, &e.UpdatedAt, &e.Topics, &e.Tags, &kind, &e.Sticky}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	if kind != string(gazette.KindEntry) {
		e.Kind = gazette.EntryKind(kind) // an entry reads back with the empty kind it was written with
	}
	e.Author.ID = e.AuthorID
	if len(e.Tags) == 0 {
		e.Tags = nil
	}
	return &e, nil
}

// entryWhere reads one entry; no row is ErrNotFound with the message what.
func (h *handle) entryWhere(ctx context.Context, what, where string, args ...any) (*gazette.Entry, error) {
	return h.selectEntry(ctx, entrySelect, what, where, args...)
}

// selectEntry reads the one entry that sel, one of the entry selects, finds
// with where.
func (h *handle) selectEntry(ctx context.Context, sel, what, where string, args ...any) (*gazette.Entry, error) {
	e, err := scanEntry(h.q.QueryRow(ctx, sel+" WHERE "+where, args...))
	if err != nil {
		return nil, notFound(err, what)
	}
	return e, nil
}

// Entry implements gazette.EntryStore.
func (h *handle) Entry(ctx context.Context, id int64) (*gazette.Entry, error) {
	return h.entryWhere(ctx, fmt.Sprintf("entry %d", id), "e.id = $1", id)
}

// EntryByPath implements gazette.EntryStore.
func (h *handle) EntryByPath(ctx context.Context, path string) (*gazette.Entry, error) {
	return h.entryWhere(ctx, fmt.Sprintf("entry at %q", path), "e.path = $1", path)
}

// EntryIDByPath returns the ID of the entry at path, or ErrNotFound, reading
// nothing else of it: the publish package asks it for every permalink it
// gives, and an import gives thousands.
func (h *handle) EntryIDByPath(ctx context.Context, path string) (int64, error) {
	var id int64
	err := h.q.QueryRow(ctx, `SELECT id FROM entries WHERE path = $1`, path).Scan(&id)
	if err != nil {
		return 0, notFound(err, fmt.Sprintf("entry at %q", path))
	}
	return id, nil
}

// EntryByImportKey implements gazette.EntryStore.
func (h *handle) EntryByImportKey(ctx context.Context, key string) (*gazette.Entry, error) {
	return h.entryWhere(ctx, fmt.Sprintf("entry with import key %q", key), "e.import_key = $1", key)
}

// entryParts returns the topic IDs of e in order, each once, and its tags,
// each once, with their positions and slugs.
func entryParts(e *gazette.Entry) (topics []int64, tagPos []int, tagNames, tagSlugs []string) {
	seenTopic := map[int64]bool{}
	for _, t := range e.Topics {
		if !seenTopic[t.ID] {
			seenTopic[t.ID] = true
			topics = append(topics, t.ID)
		}
	}
	seenTag := map[string]bool{}
	for i, tag := range e.Tags {
		if !seenTag[tag] {
			seenTag[tag] = true
			tagPos, tagNames, tagSlugs = append(tagPos, i), append(tagNames, tag), append(tagSlugs, gazette.TagSlug(tag))
		}
	}
	return topics, tagPos, tagNames, tagSlugs
}

// entryArgs are the columns $1 to $20 of an entry's row.
func entryArgs(e *gazette.Entry, topics []int64) []any {
	var primary int64
	if len(topics) > 0 {
		primary = topics[0]
	}
	return []any{e.Basename, e.Path, e.Title, e.Body, e.ExtendedBody, e.Excerpt, e.Keywords,
		string(e.Format), e.BodyHTML, e.ExtendedHTML, string(e.Status), e.PublishedAt,
		e.AuthorID, nullID(primary), e.AllowComments, e.AllowPings, nullString(e.ImportKey),
		e.UpdatedAt, string(entryKind(e.Kind)), e.Sticky}
}

// now is the time a write records: microseconds, as PostgreSQL keeps them.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// CreateEntry implements gazette.EntryStore.
func (h *handle) CreateEntry(ctx context.Context, e *gazette.Entry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	created, updated := e.CreatedAt, e.UpdatedAt
	t := now()
	if created.IsZero() {
		created = t
	}
	if updated.IsZero() {
		updated = t
	}
	topics, tagPos, tagNames, tagSlugs := entryParts(e)
	var id int64
	err := h.atomic(ctx, func(q querier) error {
		w := *e
		w.UpdatedAt = updated
		err := q.QueryRow(ctx, `INSERT INTO entries (basename, path, title, body, extended_body,
			excerpt, keywords, format, body_html, extended_html, status, published_at, author_id,
			primary_topic_id, allow_comments, allow_pings, import_key, updated_at, kind, sticky,
			created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
			RETURNING id`, append(entryArgs(&w, topics), created)...).Scan(&id)
		if err != nil {
			return entryWriteError(err, e)
		}
		return writeEntryParts(ctx, q, id, e, topics, tagPos, tagNames, tagSlugs)
	})
	if err != nil {
		return err
	}
	e.ID, e.CreatedAt, e.UpdatedAt = id, created, updated
	return nil
}

// UpdateEntry implements gazette.EntryStore.
func (h *handle) UpdateEntry(ctx context.Context, e *gazette.Entry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	topics, tagPos, tagNames, tagSlugs := entryParts(e)
	updated := now()
	err := h.atomic(ctx, func(q querier) error {
		w := *e
		w.UpdatedAt = updated
		tag, err := q.Exec(ctx, `UPDATE entries SET basename = $1, path = $2, title = $3, body = $4,
			extended_body = $5, excerpt = $6, keywords = $7, format = $8, body_html = $9,
			extended_html = $10, status = $11, published_at = $12, author_id = $13, primary_topic_id = $14,
			allow_comments = $15, allow_pings = $16, import_key = $17, updated_at = $18, kind = $19,
			sticky = $20 WHERE id = $21`, append(entryArgs(&w, topics), e.ID)...)
		if err != nil {
			return entryWriteError(err, e)
		}
		if tag.RowsAffected() == 0 {
			return gazette.Errorf(gazette.ErrNotFound, "entry %d not found", e.ID)
		}
		for _, table := range []string{"entry_topics", "entry_tags"} {
			if _, err := q.Exec(ctx, `DELETE FROM `+table+` WHERE entry_id = $1`, e.ID); err != nil {
				return wrap(err, "update entry %d", e.ID)
			}
		}
		return writeEntryParts(ctx, q, e.ID, e, topics, tagPos, tagNames, tagSlugs)
	})
	if err != nil {
		return err
	}
	e.UpdatedAt = updated
	return nil
}

// writeEntryParts stores an entry's topics, tags and search document, one
// statement each.
func writeEntryParts(ctx context.Context, q querier, id int64, e *gazette.Entry, topics []int64, tagPos []int, tagNames, tagSlugs []string) error {
	if len(topics) > 0 {
		var unknown int64
		if err := q.QueryRow(ctx, `SELECT coalesce(min(x), 0) FROM unnest($1::bigint[]) x
			WHERE NOT EXISTS (SELECT 1 FROM topics WHERE id = x)`, topics).Scan(&unknown); err != nil {
			return wrap(err, "entry %q: check topics", e.Title)
		}
		if unknown != 0 {
			return gazette.Errorf(gazette.ErrInvalid, "entry %q: unknown topic %d", e.Title, unknown)
		}
		if _, err := q.Exec(ctx, `INSERT INTO entry_topics (entry_id, topic_id, position)
			SELECT $1, x, o - 1 FROM unnest($2::bigint[]) WITH ORDINALITY AS u (x, o)`, id, topics); err != nil {
			return wrap(err, "entry %q: topics", e.Title)
		}
	}
	if len(tagNames) > 0 {
		if _, err := q.Exec(ctx, `INSERT INTO entry_tags (entry_id, position, name, slug)
			SELECT $1, p, n, s FROM unnest($2::int[], $3::text[], $4::text[]) AS u (p, n, s)`,
			id, tagPos, tagNames, tagSlugs); err != nil {
			return wrap(err, "entry %q: tags", e.Title)
		}
	}
	_, err := q.Exec(ctx, `INSERT INTO entry_search (entry_id, body, doc)
		VALUES ($1, $3, setweight(to_tsvector('gazette_search', $2), 'A') || setweight(to_tsvector('gazette_search', $3), 'B'))
		ON CONFLICT (entry_id) DO UPDATE SET body = excluded.body, doc = excluded.doc`,
		id, e.Title, gazette.PlainText(e.BodyHTML+" "+e.ExtendedHTML))
	return wrap(err, "entry %q: search index", e.Title)
}

// entryWriteError turns a failed write of e into the error its user can act
// on, by the name of the constraint that failed.
func entryWriteError(err error, e *gazette.Entry) error {
	switch violation(err, uniqueViolation) {
	case "entries_path_key":
		return gazette.Errorf(gazette.ErrConflict, "entry path %q already taken", e.Path)
	case "entries_import_key_key":
		return gazette.Errorf(gazette.ErrConflict, "entry import key %q already taken", e.ImportKey)
	}
	switch violation(err, foreignKeyViolation) {
	case "entries_author_fkey":
		return gazette.Errorf(gazette.ErrInvalid, "entry %q: unknown author %d", e.Title, e.AuthorID)
	case "entries_primary_topic_id_fkey":
		return gazette.Errorf(gazette.ErrInvalid, "entry %q: unknown topic %d", e.Title, e.Topics[0].ID)
	}
	return wrap(err, "write entry %q", e.Title)
}

// DeleteEntry implements gazette.EntryStore. Its comments, mentions,
// redirects and search document go with it, by the schema's cascades.
func (h *handle) DeleteEntry(ctx context.Context, id int64) error {
	return h.one(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM entries WHERE id = $1`, id)
		if err != nil {
			return wrap(err, "delete entry %d", id)
		}
		if tag.RowsAffected() == 0 {
			return gazette.Errorf(gazette.ErrNotFound, "entry %d not found", id)
		}
		return nil
	})
}

// entryFilter returns the WHERE clause (with a leading space, or empty) for
// f, adding its arguments to p.
func entryFilter(f gazette.EntryFilter, p *params) string {
	var conds []string
	if !f.VisibleAt.IsZero() {
		conds = append(conds, "e.status = 'published' AND e.published_at <= "+p.add(f.VisibleAt))
	}
	switch f.Kind {
	case gazette.AnyKind:
	case "":
		conds = append(conds, "e.kind = 'entry'")
	default:
		conds = append(conds, "e.kind = "+p.add(string(f.Kind)))
	}
	if f.Tag != "" {
		conds = append(conds, "e.id IN (SELECT entry_id FROM entry_tags WHERE slug = "+p.add(f.Tag)+")")
	}
	if f.Sticky {
		conds = append(conds, "e.sticky")
	}
	if f.Status != "" {
		conds = append(conds, "e.status = "+p.add(string(f.Status)))
	}
	if f.AuthorID != 0 {
		conds = append(conds, "e.author_id = "+p.add(f.AuthorID))
	}
	if f.TopicID != 0 {
		conds = append(conds, "e.id IN (SELECT entry_id FROM entry_topics WHERE topic_id = "+p.add(f.TopicID)+")")
	}
	if f.PrimaryTopicID != 0 {
		conds = append(conds, "e.primary_topic_id = "+p.add(f.PrimaryTopicID))
	}
	if !f.From.IsZero() {
		conds = append(conds, "e.published_at >= "+p.add(f.From))
	}
	if !f.To.IsZero() {
		conds = append(conds, "e.published_at < "+p.add(f.To))
	}
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// Entries implements gazette.EntryStore.
func (h *handle) Entries(ctx context.Context, f gazette.EntryFilter) ([]*gazette.Entry, int, error) {
	var p params
	where := entryFilter(f, &p)
	order := " ORDER BY e.published_at DESC, e.id DESC"
	if f.OldestFirst {
		order = " ORDER BY e.published_at, e.id"
	}
	filterArgs := len(p)
	sel := entrySelect
	if f.NoText && f.NoTerms {
		sel = entryLinkSelect
	}
	list, err := h.entries(ctx, sel+where+order+p.window(f.Limit, f.Offset), p...)
	if err != nil {
		return nil, 0, wrap(err, "list entries")
	}
	if complete(len(list), f.Limit, f.Offset) {
		return list, max(f.Offset, 0) + len(list), nil
	}
	if f.NoTotal {
		return list, -1, nil
	}
	var total int
	err = h.q.QueryRow(ctx, `SELECT count(*) FROM entries e`+where, p[:filterArgs]...).Scan(&total)
	return list, total, wrap(err, "count entries")
}

// entries runs a query of entrySelect and reads its rows.
func (h *handle) entries(ctx context.Context, query string, args ...any) ([]*gazette.Entry, error) {
	rows, err := h.q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*gazette.Entry, error) { return scanEntry(row) })
}

// AdjacentEntries implements gazette.EntryStore.
func (h *handle) AdjacentEntries(ctx context.Context, e *gazette.Entry, visibleAt time.Time) (prev, next *gazette.Entry, err error) {
	const visible = `e.status = 'published' AND e.kind = 'entry' AND e.published_at <= $1 AND `
	for _, side := range []struct {
		dst   **gazette.Entry
		what  string
		where string
	}{
		{&prev, "previous entry", visible + `(e.published_at, e.id) < ($2, $3) ORDER BY e.published_at DESC, e.id DESC LIMIT 1`},
		{&next, "next entry", visible + `(e.published_at, e.id) > ($2, $3) ORDER BY e.published_at, e.id LIMIT 1`},
	} {
		// A neighbour is shown by its title and link.
		got, err := h.selectEntry(ctx, entryLinkSelect, side.what, side.where, visibleAt, e.PublishedAt, e.ID)
		switch {
		case err == nil:
			*side.dst = got
		case !errors.Is(err, gazette.ErrNotFound):
			return nil, nil, err
		}
	}
	return prev, next, nil
}

// Months implements gazette.EntryStore. The months are those of loc, which
// PostgreSQL knows by its IANA name; a location without one (time.Local) is
// counted here instead.
func (h *handle) Months(ctx context.Context, visibleAt time.Time, loc *time.Location) ([]gazette.MonthCount, error) {
	const visible = `FROM entries WHERE status = 'published' AND kind = 'entry' AND published_at <= $1`
	var months []gazette.MonthCount
	if zone := loc.String(); zone != "Local" {
		rows, err := h.q.Query(ctx, `SELECT extract(year FROM m)::int, extract(month FROM m)::int, count(*)
			FROM (SELECT date_trunc('month', published_at AT TIME ZONE $2) AS m `+visible+`) s
			GROUP BY m ORDER BY m DESC`, visibleAt, zone)
		if err != nil {
			return nil, wrap(err, "count months in %s", zone)
		}
		months, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (gazette.MonthCount, error) {
			var m gazette.MonthCount
			err := row.Scan(&m.Year, &m.Month, &m.Count)
			return m, err
		})
		return months, wrap(err, "count months in %s", zone)
	}
	rows, err := h.q.Query(ctx, `SELECT published_at `+visible+` ORDER BY published_at DESC`, visibleAt)
	if err != nil {
		return nil, wrap(err, "count months")
	}
	times, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil {
		return nil, wrap(err, "count months")
	}
	for _, t := range times {
		t = t.In(loc)
		if n := len(months); n > 0 && months[n-1].Year == t.Year() && months[n-1].Month == t.Month() {
			months[n-1].Count++
			continue
		}
		months = append(months, gazette.MonthCount{Year: t.Year(), Month: t.Month(), Count: 1})
	}
	return months, nil
}

// entryKind returns the kind stored for k: the empty kind is an entry.
func entryKind(k gazette.EntryKind) gazette.EntryKind {
	if k == "" {
		return gazette.KindEntry
	}
	return k
}
