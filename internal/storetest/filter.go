package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

func testEntryFilter(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	iran, media := f.mustTopic("Iran"), f.mustTopic("Media")
	ellen := f.mustAuthor("Ellen")
	// Entries in publishing order; e2 and e3 share a time, so ID breaks the tie.
	e1 := f.mustEntry(0, withTopics(iran))
	e2 := f.mustEntry(24, withTopics(media, iran), withAuthor(ellen))
	e3 := f.mustEntry(24, withTopics(iran))
	e4 := f.mustEntry(48, withTopics(media))
	draft := f.mustEntry(30, withStatus(gazette.StatusDraft), withTopics(iran))
	scheduled := f.mustEntry(24*500, withStatus(gazette.StatusScheduled), withTopics(iran))
	future := f.mustEntry(24*400, withTopics(iran)) // published, but dated after now
	all := func(es ...*gazette.Entry) []*gazette.Entry { return es }

	cases := []struct {
		name  string
		f     gazette.EntryFilter
		want  []*gazette.Entry
		total int
	}{
		{"zero selects everything, newest first", gazette.EntryFilter{}, all(scheduled, future, e4, draft, e3, e2, e1), 7},
		{"VisibleAt hides drafts, scheduled and future", gazette.EntryFilter{VisibleAt: now}, all(e4, e3, e2, e1), 4},
		{"VisibleAt at an entry's time includes it", gazette.EntryFilter{VisibleAt: e2.PublishedAt}, all(e3, e2, e1), 3},
		{"Status draft", gazette.EntryFilter{Status: gazette.StatusDraft}, all(draft), 1},
		{"Status scheduled", gazette.EntryFilter{Status: gazette.StatusScheduled}, all(scheduled), 1},
		{"AuthorID", gazette.EntryFilter{AuthorID: ellen.ID}, all(e2), 1},
		{"TopicID, primary or not", gazette.EntryFilter{TopicID: iran.ID, VisibleAt: now}, all(e3, e2, e1), 3},
		{"PrimaryTopicID", gazette.EntryFilter{PrimaryTopicID: iran.ID, VisibleAt: now}, all(e3, e1), 2},
		{"PrimaryTopicID and To: related entries", gazette.EntryFilter{PrimaryTopicID: iran.ID, VisibleAt: now, To: e3.PublishedAt, Limit: 10}, all(e1), 1},
		{"From is inclusive", gazette.EntryFilter{From: e2.PublishedAt, VisibleAt: now}, all(e4, e3, e2), 3},
		{"To is exclusive", gazette.EntryFilter{To: e4.PublishedAt, VisibleAt: now}, all(e3, e2, e1), 3},
		{"From and To: a day", gazette.EntryFilter{From: e2.PublishedAt, To: e2.PublishedAt.Add(24 * time.Hour), VisibleAt: now}, all(e3, e2), 2},
		{"OldestFirst", gazette.EntryFilter{VisibleAt: now, OldestFirst: true}, all(e1, e2, e3, e4), 4},
		{"Limit", gazette.EntryFilter{VisibleAt: now, Limit: 2}, all(e4, e3), 4},
		{"Limit 1: the latest entry", gazette.EntryFilter{VisibleAt: now, Limit: 1}, all(e4), 4},
		{"Limit and Offset", gazette.EntryFilter{VisibleAt: now, Limit: 2, Offset: 2}, all(e2, e1), 4},
		{"Offset in the middle", gazette.EntryFilter{VisibleAt: now, Limit: 2, Offset: 1}, all(e3, e2), 4},
		{"Offset past the end", gazette.EntryFilter{VisibleAt: now, Limit: 2, Offset: 10}, all(), 4},
		{"OldestFirst with Limit and Offset", gazette.EntryFilter{VisibleAt: now, OldestFirst: true, Limit: 2, Offset: 1}, all(e2, e3), 4},
		{"Offset without Limit", gazette.EntryFilter{VisibleAt: now, Offset: 3}, all(e1), 4},
		{"nothing matches", gazette.EntryFilter{AuthorID: 999}, all(), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, total, err := f.s.Entries(f.ctx, c.f)
			must(t, "Entries", err)
			wantIDs(t, "Entries", got, c.want...)
			if total != c.total {
				t.Errorf("total: got %d, want %d", total, c.total)
			}
		})
	}
}

func testAdjacentEntries(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	e1 := f.mustEntry(0)
	f.mustEntry(1, withStatus(gazette.StatusDraft))
	e2 := f.mustEntry(2)
	e3 := f.mustEntry(2) // same time as e2: later by ID
	f.mustEntry(3, withStatus(gazette.StatusScheduled))
	e4 := f.mustEntry(4)
	f.mustEntry(24 * 400) // after now
	cases := []struct {
		name       string
		e          *gazette.Entry
		prev, next *gazette.Entry
	}{
		{"first has no previous", e1, nil, e2},
		{"skips a draft", e2, e1, e3},
		{"tie broken by ID", e3, e2, e4},
		{"last visible has no next", e4, e3, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prev, next, err := f.s.AdjacentEntries(f.ctx, c.e, now)
			must(t, "AdjacentEntries", err)
			for _, p := range []struct {
				name      string
				got, want *gazette.Entry
			}{{"prev", prev, c.prev}, {"next", next, c.next}} {
				switch {
				case p.want == nil && p.got != nil:
					t.Errorf("%s: got entry %d, want none", p.name, p.got.ID)
				case p.want != nil && p.got == nil:
					t.Errorf("%s: got none, want entry %d", p.name, p.want.ID)
				case p.want != nil && p.got.ID != p.want.ID:
					t.Errorf("%s: got entry %d, want %d", p.name, p.got.ID, p.want.ID)
				case p.got != nil && (p.got.Title == "" || p.got.Path != p.want.Path ||
					!p.got.PublishedAt.Equal(p.want.PublishedAt) || p.got.UpdatedAt.IsZero()):
					// What a page shows of a neighbour, and dates its
					// own change by.
					t.Errorf("%s: entry %d read without its title, path or dates: %+v", p.name, p.got.ID, p.got)
				}
			}
		})
	}
}

func testMonths(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	at := func(s string) func(*gazette.Entry) {
		return func(e *gazette.Entry) {
			tm, err := time.Parse(time.RFC3339, s)
			if err != nil {
				t.Fatal(err)
			}
			e.PublishedAt = tm
		}
	}
	f.mustEntry(0, at("2007-03-01T03:00:00Z")) // Feb 28, 22:00 in New York
	f.mustEntry(0, at("2007-03-01T06:00:00Z")) // Mar 1, 01:00 in New York
	f.mustEntry(0, at("2007-03-31T23:30:00Z")) // Mar 31, 19:30 in New York (DST began Mar 11)
	f.mustEntry(0, at("2007-04-01T04:30:00Z")) // Apr 1, 00:30 in New York, Mar 31 for UTC-5
	f.mustEntry(0, at("2006-12-31T12:00:00Z"))
	f.mustEntry(0, at("2007-03-15T12:00:00Z"), withStatus(gazette.StatusDraft))
	f.mustEntry(0, at("2007-05-15T12:00:00Z"), withStatus(gazette.StatusScheduled))
	f.mustEntry(0, at("2009-05-15T12:00:00Z")) // after now
	m := func(y int, mo time.Month, n int) gazette.MonthCount {
		return gazette.MonthCount{Year: y, Month: mo, Count: n}
	}
	for _, c := range []struct {
		name string
		loc  *time.Location
		want []gazette.MonthCount
	}{
		{"New York", ny, []gazette.MonthCount{m(2007, time.April, 1), m(2007, time.March, 2), m(2007, time.February, 1), m(2006, time.December, 1)}},
		{"UTC", time.UTC, []gazette.MonthCount{m(2007, time.April, 1), m(2007, time.March, 3), m(2006, time.December, 1)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := f.s.Months(f.ctx, now, c.loc)
			must(t, "Months", err)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Months: got %v, want %v", got, c.want)
			}
		})
	}
}
