package gazette

import (
	"context"
	"time"
)

// Markers around the matched words in a SearchResult's Snippet. They are
// control characters no entry text contains, so a page escapes the snippet
// first and then turns the markers into <mark> elements.
const (
	HighlightStart = "\x02"
	HighlightEnd   = "\x03"
)

// SearchQuery is a full-text search over entries' titles and text.
type SearchQuery struct {
	// Text is what the reader typed: words, all of which must match, in any
	// order; "quoted phrases" match as phrases. Operators of the database's
	// own query language have no effect.
	Text      string
	VisibleAt time.Time
	Limit     int
	Offset    int
}

// SearchResult is one entry that matched, best match first.
type SearchResult struct {
	Entry *Entry
	// Snippet is plain text around the matches, each match between
	// HighlightStart and HighlightEnd.
	Snippet string
}

// SearchStore searches entries.
type SearchStore interface {
	// Search returns the entries matching q, ranked best first, and how many
	// match in all. A query with no words matches nothing.
	Search(ctx context.Context, q SearchQuery) ([]SearchResult, int, error)
}
