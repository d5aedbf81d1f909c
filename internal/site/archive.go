package site

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/theme"
)

// month serves the archive of one month, /archives/YYYY/MM/: all its
// entries, newest first under a heading per day, as Movable Type did.
func (s *Site) month(w http.ResponseWriter, r *http.Request) error {
	year, month, ok := parseMonth(r.PathValue("year"), r.PathValue("month"))
	if !ok {
		return notFound(r)
	}
	label := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC).Format(monthFormat)
	q, err := s.begin(r, label)
	if err != nil {
		return err
	}
	pagecache.Depend(q.ctx, pagecache.MonthListing(year, month), pagecache.Months)
	from := time.Date(year, month, 1, 0, 0, 0, 0, q.loc)
	entries, _, err := s.store.Entries(q.ctx, gazette.EntryFilter{VisibleAt: q.now, From: from, To: from.AddDate(0, 1, 0)})
	if err != nil {
		return fmt.Errorf("reading the entries of %s: %w", label, err)
	}
	if len(entries) == 0 {
		return notFound(r)
	}
	p := &theme.MonthPage{Site: q.site, Month: label, Entries: q.entryViews(entries, false)}
	months, err := s.store.Months(q.ctx, q.now, q.loc)
	if err != nil {
		return fmt.Errorf("reading months: %w", err)
	}
	for i, m := range months { // newest first
		if m.Year != year || m.Month != month {
			continue
		}
		if i+1 < len(months) {
			c := monthCount(months[i+1])
			p.Prev = &c.Link
		}
		if i > 0 {
			c := monthCount(months[i-1])
			p.Next = &c.Link
		}
	}
	return s.serve(w, r, q, p)
}

// parseMonth reads a four-digit year and a two-digit month of a path.
func parseMonth(y, m string) (int, time.Month, bool) {
	if len(y) != 4 || len(m) != 2 {
		return 0, 0, false
	}
	year, err1 := strconv.Atoi(y)
	month, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || year < 1 || month < 1 || month > 12 {
		return 0, 0, false
	}
	return year, time.Month(month), true
}

// months serves /archives/: every month with entries, grouped by year.
func (s *Site) months(w http.ResponseWriter, r *http.Request) error {
	q, err := s.begin(r, "Archives")
	if err != nil {
		return err
	}
	pagecache.Depend(q.ctx, pagecache.Listing) // the counts
	months, err := s.store.Months(q.ctx, q.now, q.loc)
	if err != nil {
		return fmt.Errorf("reading months: %w", err)
	}
	p := &theme.MonthsPage{Site: q.site}
	for _, m := range months {
		if n := len(p.Years); n == 0 || p.Years[n-1].Year != m.Year {
			p.Years = append(p.Years, theme.Year{Year: m.Year})
		}
		y := &p.Years[len(p.Years)-1]
		y.Months = append(y.Months, monthCount(m))
	}
	return s.serve(w, r, q, p)
}
