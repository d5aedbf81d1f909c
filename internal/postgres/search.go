package postgres

import (
	"context"
	"strings"
	"unicode"

	"github.com/gazette-blog/gazette"
	"github.com/jackc/pgx/v5"
)

// searchTerms splits what a reader typed into the words and "quoted
// phrases" that must all match. Nothing typed acts as an operator: each term
// goes to phraseto_tsquery, which reads only words. A quote left open reads
// as plain words; terms without a letter or digit, which hold no word, and
// NUL characters, which PostgreSQL's text cannot hold, are dropped.
func searchTerms(text string) []string {
	var terms []string
	add := func(term string) {
		term = strings.ReplaceAll(term, "\x00", "")
		if strings.IndexFunc(term, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			terms = append(terms, term)
		}
	}
	for i, part := range strings.Split(text, `"`) {
		// Odd parts were between quotes, except a last one left open.
		if i%2 == 1 && i < strings.Count(text, `"`) {
			add(part)
			continue
		}
		for _, w := range strings.Fields(part) {
			add(w)
		}
	}
	return terms
}

// searchQuery is the tsquery of the terms in $1: each one a phrase, all of
// them required. A term that yields no word is left out.
const searchQuery = `(SELECT string_agg('(' || tq::text || ')', ' & ')::tsquery
	FROM unnest($1::text[]) AS t (term), phraseto_tsquery('gazette_search', term) AS tq
	WHERE numnode(tq) > 0)`

// searchMatches selects the matching entries: $1 the terms, $2 the time
// they must be visible at, or NULL.
const searchMatches = ` FROM entry_search s JOIN entries e ON e.id = s.entry_id, ` + searchQuery + ` AS q (q)
	WHERE s.doc @@ q.q AND ($2::timestamptz IS NULL OR (e.status = 'published' AND e.published_at <= $2))`

// headlineOptions mark the matches with the domain's markers.
var headlineOptions = `StartSel=` + gazette.HighlightStart + `, StopSel=` + gazette.HighlightEnd +
	`, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`

// Search implements gazette.SearchStore. Matches rank by ts_rank with a word
// in the title (weight A) worth ten in the text (weight B), then newest
// first. The snippet comes from the text when it matches, else from the
// title; it is made for the page's rows alone, ts_headline being slow.
func (h *handle) Search(ctx context.Context, sq gazette.SearchQuery) ([]gazette.SearchResult, int, error) {
	terms := searchTerms(sq.Text)
	if len(terms) == 0 {
		return nil, 0, nil
	}
	p := params{terms, nullTime(sq.VisibleAt)}
	page := p.window(sq.Limit, sq.Offset)
	p = append(p, headlineOptions)
	rows, err := h.q.Query(ctx, `SELECT `+entryColumns+`,
		CASE WHEN ts_filter(m.doc, '{b}') @@ m.q THEN ts_headline('gazette_search', m.body, m.q, $5)
			ELSE ts_headline('gazette_search', e.title, m.q, $5) END
		FROM (SELECT s.entry_id, s.body, s.doc, q.q, e.published_at,
				ts_rank('{0.1, 0.1, 0.1, 1.0}', s.doc, q.q) AS rank`+searchMatches+`
			ORDER BY rank DESC, e.published_at DESC, e.id DESC`+page+`) m
		JOIN entries e ON e.id = m.entry_id JOIN authors a ON a.id = e.author_id
		ORDER BY m.rank DESC, e.published_at DESC, e.id DESC`, p...)
	if err != nil {
		return nil, 0, wrap(err, "search %q", sq.Text)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (gazette.SearchResult, error) {
		var r gazette.SearchResult
		var err error
		r.Entry, err = scanEntry(row, &r.Snippet)
		return r, err
	})
	if err != nil {
		return nil, 0, wrap(err, "search %q", sq.Text)
	}
	if complete(len(list), sq.Limit, sq.Offset) {
		return list, max(sq.Offset, 0) + len(list), nil
	}
	var total int
	err = h.q.QueryRow(ctx, `SELECT count(*)`+searchMatches, p[:2]...).Scan(&total)
	return list, total, wrap(err, "count matches of %q", sq.Text)
}
