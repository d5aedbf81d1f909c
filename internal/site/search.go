package site

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/theme"
)

// maxQuery bounds the bytes of a search query, so a huge one costs nothing.
const maxQuery = 200

// search serves /search?q=WORDS&page=N: ranked results with highlighted
// snippets, or the bare form when there is no query.
func (s *Site) search(w http.ResponseWriter, r *http.Request) error {
	query := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(query) > maxQuery {
		query = strings.ToValidUTF8(query[:maxQuery], "")
	}
	raw := r.URL.Query().Get("page")
	n, ok := pageNumber(raw, !r.URL.Query().Has("page"))
	if !ok || (raw == "1") {
		return notFound(r)
	}
	title := "Search"
	if query != "" {
		title = "Search: " + query
	}
	q, err := s.begin(r, title)
	if err != nil {
		return err
	}
	q.site.Path = ""
	p := &theme.SearchPage{Site: q.site, Query: query}
	if query == "" {
		if n > 1 {
			return notFound(r)
		}
		return s.serve(w, r, q, p)
	}
	results, total, err := s.store.Search(q.ctx, gazette.SearchQuery{
		Text: query, VisibleAt: q.now, Limit: searchPageSize, Offset: (n - 1) * searchPageSize,
	})
	if err != nil {
		return fmt.Errorf("searching for %q: %w", query, err)
	}
	last := pages(total, searchPageSize)
	if n > last {
		return notFound(r)
	}
	p.Total = total
	p.First = (n-1)*searchPageSize + 1
	for _, res := range results {
		p.Results = append(p.Results, theme.SearchResult{Entry: q.entryView(res.Entry), Snippet: highlight(res.Snippet)})
	}
	p.Pager = pager(n, last, func(n int) string {
		u := "/search?q=" + url.QueryEscape(query)
		if n > 1 {
			u += "&page=" + strconv.Itoa(n)
		}
		return u
	})
	return s.serve(w, r, q, p)
}
