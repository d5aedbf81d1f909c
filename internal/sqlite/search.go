package sqlite

import (
	"context"
	"encoding/json"
	"strings"
	"unicode"

	"github.com/gazette-blog/gazette"
)

// ftsQuery turns what a reader typed into an FTS5 query that means only
// "all these words and phrases": every term is quoted, so nothing the reader
// types (NEAR, OR, *, -, ^, column:, parentheses) acts as an operator. A quote
// left open reads as plain words. It returns "" when no term has a letter or
// digit, which the tokenizer would drop anyway.
func ftsQuery(text string) string {
	terms := searchTerms(text)
	for i, t := range terms {
		terms[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	return strings.Join(terms, " ")
}

// searchTerms splits what a reader typed into its words and "quoted
// phrases" (a phrase's words joined by one space), leaving out terms with
// no letter or digit.
func searchTerms(text string) []string {
	var terms []string
	add := func(term string) {
		if strings.IndexFunc(term, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			return
		}
		terms = append(terms, term)
	}
	words := func(s string) {
		for _, w := range strings.Fields(s) {
			add(w)
		}
	}
	for {
		open := strings.IndexByte(text, '"')
		if open < 0 {
			words(text)
			break
		}
		words(text[:open])
		rest := text[open+1:]
		end := strings.IndexByte(rest, '"')
		if end < 0 {
			words(rest)
			break
		}
		add(strings.Join(strings.Fields(rest[:end]), " "))
		text = rest[end+1:]
	}
	return terms
}

// searchDoc is an entry's text as the search index holds it.
type searchDoc struct {
	ID    int64  `json:"id"`
	Title string `json:"t"`
	Body  string `json:"b"`
}

// indexBatch is a batch of texts for the search index, turned into plain
// text and JSON on a goroutine of its own while the transaction writes on.
type indexBatch struct {
	n    int
	done chan struct{} // closed when docs or err is set
	docs []byte        // the batch as a JSON array of searchDoc
	err  error
}

// Batches of the search index: each statement a transaction runs after a
// write to an FTS5 table makes FTS5 flush what it holds in memory, so
// indexing one entry at a time between other writes would flush at every
// entry.
const (
	indexBatchDocs  = 256
	indexBatchBytes = 4 << 20
)

// index queues an entry's text for the search index; body is its rendered
// HTML. A full batch is prepared on another goroutine and written once the
// next one is full, or when the transaction next reads or changes the index
// (flushIndex), so that the writer does not wait for it.
func (h *handle) index(ctx context.Context, id int64, title, body string) error {
	h.pending = append(h.pending, searchDoc{ID: id, Title: title, Body: body})
	h.pendingBytes += len(title) + len(body)
	if len(h.pending) < indexBatchDocs && h.pendingBytes < indexBatchBytes {
		return nil
	}
	h.batches = append(h.batches, prepareBatch(h.pending))
	h.pending, h.pendingBytes = nil, 0
	for len(h.batches) > 1 {
		if err := h.writeBatch(ctx); err != nil {
			return err
		}
	}
	return nil
}

// prepareBatch starts turning docs, whose bodies are HTML, into a batch for
// the index; docs belongs to the batch from then on.
func prepareBatch(docs []searchDoc) *indexBatch {
	b := &indexBatch{n: len(docs), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		for i := range docs {
			docs[i].Body = gazette.PlainText(docs[i].Body)
		}
		b.docs, b.err = json.Marshal(docs)
	}()
	return b
}

// writeBatch writes the oldest batch queued to the index in one statement.
func (h *handle) writeBatch(ctx context.Context) error {
	b := h.batches[0]
	h.batches[0] = nil
	h.batches = h.batches[1:]
	<-b.done
	if b.err != nil {
		return wrap(b.err, "index %d entries", b.n)
	}
	if _, err := h.exec(ctx, `INSERT INTO entry_search (rowid, title, body)
		SELECT value ->> 'id', value ->> 't', value ->> 'b' FROM json_each(?)`, string(b.docs)); err != nil {
		return wrap(err, "index %d entries", b.n)
	}
	return nil
}

// flushIndex writes every text queued to the search index. Whatever reads or
// changes the index in the transaction flushes first.
func (h *handle) flushIndex(ctx context.Context) error {
	if len(h.pending) > 0 {
		h.batches = append(h.batches, prepareBatch(h.pending))
		h.pending, h.pendingBytes = nil, 0
	}
	for len(h.batches) > 0 {
		if err := h.writeBatch(ctx); err != nil {
			return err
		}
	}
	return nil
}

// searchFrom joins the index to the entries it holds; ?1 is the FTS query,
// ?2 whether to keep only visible entries, ?3 the time they must be visible at.
const searchFrom = ` FROM entry_search s
	CROSS JOIN entries e ON e.id = s.rowid
	CROSS JOIN authors a ON a.id = e.author_id
	CROSS JOIN entry_texts x ON x.entry_id = e.id
	WHERE entry_search MATCH ?1 AND (?2 = 0 OR (e.status = 'published' AND e.published_at <= ?3))`

// Search implements gazette.SearchStore. Matches rank by bm25 with a word in
// the title worth ten in the body.
func (h *handle) Search(ctx context.Context, q gazette.SearchQuery) ([]gazette.SearchResult, int, error) {
	match := ftsQuery(q.Text)
	if match == "" {
		return nil, 0, nil
	}
	if err := h.flushIndex(ctx); err != nil {
		return nil, 0, err
	}
	args := []any{match, !q.VisibleAt.IsZero(), micros(q.VisibleAt)}
	limit, offset := window(q.Limit, q.Offset)
	rows, err := h.query(ctx, `SELECT `+entryColumns+searchFrom+`
		ORDER BY bm25(entry_search, 10.0, 1.0), e.published_at DESC, e.id DESC
		LIMIT ?4 OFFSET ?5`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, wrap(err, "search %q", q.Text)
	}
	defer rows.Close()
	var list []gazette.SearchResult
	terms := searchTerms(q.Text)
	for rows.Next() {
		var r gazette.SearchResult
		if r.Entry, err = scanEntry(rows); err != nil {
			return nil, 0, wrap(err, "search %q", q.Text)
		}
		r.Snippet = snippet(terms, r.Entry)
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, wrap(err, "search %q", q.Text)
	}
	if total, ok := knownTotal(limit, offset, len(list)); ok {
		return list, total, nil
	}
	var total int
	err = h.queryRow(ctx, `SELECT count(*)`+searchFrom, args, &total)
	return list, total, wrap(err, "count matches of %q", q.Text)
}
