package export

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/postgres"
	"github.com/gazette-blog/gazette/internal/postgres/pgtest"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// openWithAuthor opens a new SQLite blog with one author, Ann.
func openWithAuthor(t *testing.T) (*sqlite.DB, *gazette.Author) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, addAnn(t, db)
}

// openPostgresWithAuthor opens a new PostgreSQL blog with one author, Ann,
// or skips the test without a PostgreSQL to test against.
func openPostgresWithAuthor(t *testing.T) (*postgres.DB, *gazette.Author) {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, addAnn(t, db)
}

// addAnn adds the author Ann to db.
func addAnn(t *testing.T, db gazette.Store) *gazette.Author {
	t.Helper()
	a := &gazette.Author{Name: "Ann", Slug: "ann", Role: gazette.RoleAuthor}
	if err := db.CreateAuthor(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestReadOnce checks which reads ReadOnce remembers: those every page
// makes alike, each answered as the store first answered it, in copies of
// their own; the others go to the store.
func TestReadOnce(t *testing.T) {
	ctx := context.Background()
	db, a := openWithAuthor(t)
	tp := &gazette.Topic{Name: "News", Slug: "news"}
	if err := db.CreateTopic(ctx, tp); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2007, 3, 1, 12, 0, 0, 0, time.UTC)
	add := func(i int) {
		t.Helper()
		at := start.Add(time.Duration(i) * time.Hour)
		e := &gazette.Entry{Title: fmt.Sprint("Entry ", i), Basename: fmt.Sprint("e", i), Path: gazette.EntryPath(at, time.UTC, fmt.Sprint("e", i)),
			Format: gazette.FormatConvertBreaks, Status: gazette.StatusPublished, PublishedAt: at, AuthorID: a.ID,
			Topics: []gazette.Topic{*tp}}
		if err := db.CreateEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		add(i)
	}
	now := start.AddDate(0, 1, 0)
	store := ReadOnce(db)
	listing := gazette.EntryFilter{VisibleAt: now, TopicID: tp.ID, Limit: 2}
	if list, total, err := store.Entries(ctx, listing); err != nil || len(list) != 2 || total != 3 {
		t.Fatalf("a listing's first page: %d entries of %d, %v; want 2 of 3", len(list), total, err)
	}
	if _, ok := store.(gazette.GoneStore); !ok {
		t.Error("ReadOnce hides the store's GoneStore")
	}

	st, err := store.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	banner := gazette.EntryFilter{VisibleAt: now, Limit: 1, NoText: true, NoTotal: true, NoTerms: true}
	first, _, err := store.Entries(ctx, banner)
	if err != nil || len(first) != 1 || first[0].Title != "Entry 2" {
		t.Fatalf("banner: %v, %v; want Entry 2", first, err)
	}
	first[0].Title = "changed by a page"
	topics, err := store.Topics(ctx, now)
	if err != nil || len(topics) != 1 || topics[0].Count != 3 {
		t.Fatalf("topics: %+v, %v", topics, err)
	}
	months, err := store.Months(ctx, now, time.UTC)
	if err != nil || len(months) != 1 || months[0].Count != 3 {
		t.Fatalf("months: %+v, %v", months, err)
	}

	// Writes after the first reads: remembered reads do not see them.
	changed := st
	changed.Title = "Another title"
	if err := db.SaveSettings(ctx, changed); err != nil {
		t.Fatal(err)
	}
	add(3)
	if got, _ := store.Settings(ctx); got.Title != st.Title {
		t.Errorf("settings read again: title %q, want the first read's %q", got.Title, st.Title)
	}
	again, _, err := store.Entries(ctx, banner)
	if err != nil || len(again) != 1 || again[0].Title != "Entry 2" {
		t.Errorf("banner read again: %v, %v; want the first read's Entry 2, unchanged by its reader", again, err)
	}
	if got, _ := store.Topics(ctx, now); got[0].Count != 3 {
		t.Errorf("topics read again: %+v, want the first read's", got)
	}
	if got, _ := store.Months(ctx, now, time.UTC); got[0].Count != 3 {
		t.Errorf("months read again: %+v, want the first read's", got)
	}

	// A listing's later pages show the count of its first, and entries
	// read afresh.
	listing.Offset = 2
	if list, total, err := store.Entries(ctx, listing); err != nil || len(list) != 2 || total != 3 || list[0].Title != "Entry 1" {
		t.Errorf("a listing's second page: %v of %d, %v; want Entry 1 and Entry 0 of the first page's 3", list, total, err)
	}
	if _, total, err := store.Entries(ctx, gazette.EntryFilter{VisibleAt: now, AuthorID: a.ID, Limit: 2}); err != nil || total != 4 {
		t.Errorf("another listing: total %d, %v; want a count of its own, 4", total, err)
	}

	// An entry read by its path is read once, for the page and its
	// comment feed, each given a copy of its own.
	path := gazette.EntryPath(start, time.UTC, "e0")
	e, err := store.EntryByPath(ctx, path)
	if err != nil || e.Title != "Entry 0" || len(e.Topics) != 1 {
		t.Fatalf("entry by path: %+v, %v", e, err)
	}
	e.Title, e.Topics[0].Name = "changed by a page", "changed by a page"
	stored, err := db.EntryByPath(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	stored.Title = "Edited"
	if err := db.UpdateEntry(ctx, stored); err != nil {
		t.Fatal(err)
	}
	if e, err := store.EntryByPath(ctx, path); err != nil || e.Title != "Entry 0" || e.Topics[0].Name != "News" {
		t.Errorf("entry by path read again: %+v, %v; want the first read's, unchanged by its reader", e, err)
	}
	if _, err := store.EntryByPath(ctx, "/archives/2007/03/none.html"); !errors.Is(err, gazette.ErrNotFound) {
		t.Errorf("entry at no path: %v, want ErrNotFound", err)
	}

	// A month's pages share its count, whatever *time.Location their
	// bounds carry.
	month := func(loc *time.Location, offset int) int {
		t.Helper()
		from := time.Date(2007, 3, 1, 0, 0, 0, 0, loc)
		_, total, err := store.Entries(ctx, gazette.EntryFilter{VisibleAt: now, From: from, To: from.AddDate(0, 1, 0), Limit: 1, Offset: offset})
		if err != nil {
			t.Fatal(err)
		}
		return total
	}
	counted := month(time.FixedZone("EST", -5*3600), 0)
	add(4)
	if got := month(time.FixedZone("EST", -5*3600), 1); got != counted {
		t.Errorf("a month's second page counts %d, want its first page's %d", got, counted)
	}

	// Other reads go to the store.
	for _, f := range []gazette.EntryFilter{
		{VisibleAt: now, Limit: 20},
		{VisibleAt: now, Limit: 1, NoText: true},
		{VisibleAt: now.Add(time.Second), Limit: 1, NoText: true, NoTotal: true, NoTerms: true},
		{VisibleAt: now, Limit: 1, NoText: true, NoTotal: true},
	} {
		list, _, err := store.Entries(ctx, f)
		if err != nil || len(list) == 0 || list[0].Title != "Entry 4" {
			t.Errorf("Entries(%+v): %v, %v; want the newest, Entry 4, first", f, list, err)
		}
	}
	if got, _ := store.Months(ctx, now, time.FixedZone("X", 3600)); got[0].Count != 5 {
		t.Errorf("months in another zone: %+v, want a read of the store's 5 entries", got)
	}
}

// TestReadOnceAnswersAsTheStore holds the answers ReadOnce makes from
// memory, an entry's related entries, its approved comments and the pages
// of listings, to what the store answers the same question, one by one,
// on each database: entries that share a time, an entry not yet visible,
// another topic, a bound finer than the store keeps, and more comments
// than a feed shows.
func TestReadOnceAnswersAsTheStore(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		db, a := openWithAuthor(t)
		readOnceAnswersAsTheStore(t, db, a)
	})
	t.Run("postgres", func(t *testing.T) {
		db, a := openPostgresWithAuthor(t)
		readOnceAnswersAsTheStore(t, db, a)
	})
}

func readOnceAnswersAsTheStore(t *testing.T, db gazette.Store, a *gazette.Author) {
	ctx := context.Background()
	news, arts := &gazette.Topic{Name: "News", Slug: "news"}, &gazette.Topic{Name: "Arts", Slug: "arts"}
	for _, tp := range []*gazette.Topic{news, arts} {
		if err := db.CreateTopic(ctx, tp); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Date(2007, 3, 1, 12, 0, 0, 0, time.UTC)
	now := start.AddDate(0, 0, 10)
	var entries []*gazette.Entry
	for i := range 30 {
		// Entries 3 and 4, and 10 to 12, share their times; entry 29 is
		// not visible yet, and every third entry is filed under Arts.
		at := start.Add(time.Duration(min(max(i, 4), 12)-min(i, 10)/10*2) * time.Hour)
		if i == 29 {
			at = now.Add(time.Hour)
		}
		tp := news
		if i%3 == 0 {
			tp = arts
		}
		e := &gazette.Entry{Title: fmt.Sprint("Entry ", i), Basename: fmt.Sprint("e", i), Path: gazette.EntryPath(at, time.UTC, fmt.Sprint("e", i)),
			Format: gazette.FormatConvertBreaks, Status: gazette.StatusPublished, PublishedAt: at, AuthorID: a.ID,
			Topics: []gazette.Topic{*tp}}
		if err := db.CreateEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
		for j := range i % 4 * 20 {
			c := &gazette.Comment{EntryID: e.ID, Name: "Reader", Body: fmt.Sprint("Comment ", j), Status: gazette.CommentApproved,
				CreatedAt: at.Add(time.Duration(j/3) * time.Minute)} // three at a time
			if j%7 == 0 {
				c.Status = gazette.CommentPending
			}
			if err := db.CreateComment(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
	}

	store := ReadOnce(db)
	titles := func(list []*gazette.Entry) []string {
		var out []string
		for _, e := range list {
			out = append(out, fmt.Sprint(e.ID, " ", e.Title, " ", e.Path, " ", e.PublishedAt.UnixMicro()))
		}
		return out
	}
	bodies := func(list []*gazette.Comment) []string {
		var out []string
		for _, c := range list {
			out = append(out, fmt.Sprint(c.ID, " ", c.Body, " ", c.Status, " ", c.CreatedAt.UnixMicro()))
		}
		return out
	}
	for round := range 2 { // the first read, then the remembered answer
		for _, e := range entries {
			for _, tp := range []*gazette.Topic{news, arts} {
				for _, to := range []time.Time{e.PublishedAt, e.PublishedAt.Add(time.Nanosecond), e.PublishedAt.Add(time.Microsecond)} {
					for _, limit := range []int{1, 3, 10} {
						f := gazette.EntryFilter{PrimaryTopicID: tp.ID, To: to, VisibleAt: now, Limit: limit,
							NoText: true, NoTotal: true, NoTerms: true}
						agree(t, ctx, fmt.Sprint("round ", round, ", related"), f, titles, db.Entries, store.Entries)
					}
				}
			}
			for _, f := range []gazette.CommentFilter{
				{EntryID: e.ID, Status: gazette.CommentApproved},
				{EntryID: e.ID, Status: gazette.CommentApproved, NewestFirst: true, Limit: 5},
				{EntryID: e.ID, Status: gazette.CommentApproved, NewestFirst: true, Limit: 50},
				{EntryID: e.ID, Status: gazette.CommentApproved, NewestFirst: true, Limit: 5, NoTotal: true},
				{EntryID: e.ID, Status: gazette.CommentApproved, NewestFirst: true, Limit: 50, NoTotal: true},
				{EntryID: e.ID, Status: gazette.CommentPending},
				{EntryID: e.ID, Status: gazette.CommentApproved, Limit: 5},
			} {
				agree(t, ctx, fmt.Sprint("round ", round, ", comments"), f, bodies, db.Comments, store.Comments)
			}
		}
	}

	// A listing's pages, deep ones from the listing's order once it is
	// read: the whole blog, a topic, an author, a month, oldest first, and
	// windows whose edges split entries that share a time.
	rows := func(list []*gazette.Entry) []string {
		var out []string
		for _, e := range list {
			out = append(out, fmt.Sprint(e.ID, " ", e.Title, " ", e.Body, " ", e.PublishedAt.UnixMicro(), " ", len(e.Topics)))
		}
		return out
	}
	counted := &deepReads{Store: db}
	listings := ReadOnce(counted)
	memoOf(listings).orderChunk = 4 // orders read in several chunks
	bases := []gazette.EntryFilter{
		{},
		{TopicID: news.ID},
		{TopicID: arts.ID, OldestFirst: true},
		{AuthorID: a.ID},
		{From: start.Add(3 * time.Hour), To: start.Add(11 * time.Hour)},
		{From: start.Add(3 * time.Hour), To: start.Add(11 * time.Hour), OldestFirst: true},
	}
	for round := range 3 {
		for _, base := range bases {
			for _, limit := range []int{1, 2, 3, 5} {
				for offset := range 32 {
					f := base
					f.VisibleAt, f.Limit, f.Offset = now, limit, offset
					agree(t, ctx, fmt.Sprint("round ", round, ", listing"), f, rows, db.Entries, listings.Entries)
				}
			}
		}
	}
	// Each listing's first deep page is the store's to answer; the others
	// come from its order.
	if n := counted.deep.Load(); n > int64(len(bases)) {
		t.Errorf("the store was asked %d deep pages of %d listings", n, len(bases))
	}

	// Each reader gets copies of its own.
	f := gazette.EntryFilter{PrimaryTopicID: news.ID, To: now, VisibleAt: now, Limit: 3, NoText: true, NoTotal: true, NoTerms: true}
	first, _, _ := store.Entries(ctx, f)
	first[0].Title = "changed by a page"
	if again, _, _ := store.Entries(ctx, f); again[0].Title == "changed by a page" {
		t.Error("a related entry changed by one page shows on the next")
	}
	cf := gazette.CommentFilter{EntryID: entries[1].ID, Status: gazette.CommentApproved}
	comments, _, _ := store.Comments(ctx, cf)
	comments[0].Body = "changed by a page"
	if again, _, _ := store.Comments(ctx, cf); again[0].Body == "changed by a page" {
		t.Error("a comment changed by one page shows on the next")
	}
}

// agree fails t unless memo answers f as store does, the answers shown by
// show.
func agree[F, T any](t *testing.T, ctx context.Context, what string, f F, show func([]T) []string,
	store, memo func(context.Context, F) ([]T, int, error)) {
	t.Helper()
	want, wantTotal, err := store(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	got, total, err := memo(ctx, f)
	if err != nil || fmt.Sprint(show(got)) != fmt.Sprint(show(want)) || total != wantTotal {
		t.Fatalf("%s %+v: got %q (total %d), %v; the store answers %q (total %d)", what, f, show(got), total, err, show(want), wantTotal)
	}
}

// memoOf returns ReadOnce's own store.
func memoOf(s gazette.Store) *memoStore {
	if g, ok := s.(struct {
		*memoStore
		gazette.GoneStore
	}); ok {
		return g.memoStore
	}
	return s.(*memoStore)
}

// deepReads counts the pages past the first of a listing that the store is
// asked for (with their texts: not the chunks of a listing's order), and
// keeps the most entries one read without a limit returned.
type deepReads struct {
	gazette.Store
	deep, widest atomic.Int64
}

// Entries implements gazette.EntryStore.
func (d *deepReads) Entries(ctx context.Context, f gazette.EntryFilter) ([]*gazette.Entry, int, error) {
	if f.Offset > 0 && !f.NoText {
		d.deep.Add(1)
	}
	list, total, err := d.Store.Entries(ctx, f)
	if f.Limit == 0 && int64(len(list)) > d.widest.Load() {
		d.widest.Store(int64(len(list)))
	}
	return list, total, err
}

// TestReadOnceListingEdges holds the pages of a listing ReadOnce answers
// to the store's where they are not simply found from its order: pages
// whose edges fall among more entries of one time than it sets aside, a
// window without a bound, and pages asked after entries were added to the
// listing and one deleted since its order was read, where a page is the
// store's answer from before the writes or after them, never a mix.
func TestReadOnceListingEdges(t *testing.T) {
	ctx := context.Background()
	db, a := openWithAuthor(t)
	start := time.Date(2007, 3, 1, 12, 0, 0, 0, time.UTC)
	now := start.AddDate(0, 1, 0)
	add := func(i int, at time.Time) {
		t.Helper()
		e := &gazette.Entry{Title: fmt.Sprint("Entry ", i), Basename: fmt.Sprint("e", i), Path: gazette.EntryPath(at, time.UTC, fmt.Sprint("e", i)),
			Format: gazette.FormatConvertBreaks, Status: gazette.StatusPublished, PublishedAt: at, AuthorID: a.ID}
		if err := db.CreateEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 100 {
		// Entries 10 to 89 share one time, more than a page sets aside;
		// the others have times of their own.
		at := start.Add(time.Duration(i) * time.Hour)
		if i >= 10 && i < 90 {
			at = start.Add(50 * time.Hour)
		}
		add(i, at)
	}
	titles := func(list []*gazette.Entry) string {
		var out []string
		for _, e := range list {
			out = append(out, e.Title)
		}
		return fmt.Sprint(out)
	}
	counted := &deepReads{Store: db}
	store := ReadOnce(counted)
	memoOf(store).orderChunk = 7 // orders read in chunks that split entries of one time
	before := map[gazette.EntryFilter]string{}
	check := func(stage string) {
		t.Helper()
		for _, oldest := range []bool{false, true} {
			for _, limit := range []int{7, math.MaxInt} {
				for offset := range 105 {
					f := gazette.EntryFilter{VisibleAt: now, Limit: limit, Offset: offset, OldestFirst: oldest}
					want, wantTotal, err := db.Entries(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					counted.widest.Store(0)
					got, total, err := store.Entries(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					if n := counted.widest.Load(); limit == 7 && n > 7+2*mostEdgeTies {
						t.Fatalf("%s, %+v: a page of 7 read %d entries", stage, f, n)
					}
					if stage == "after a write" {
						if titles(got) != titles(want) && titles(got) != before[f] {
							t.Fatalf("%s, %+v: got %s; the store answers %s, and answered %s before",
								stage, f, titles(got), titles(want), before[f])
						}
						continue
					}
					if titles(got) != titles(want) || total != wantTotal {
						t.Fatalf("%s, %+v: got %s (total %d); the store answers %s (total %d)",
							stage, f, titles(got), total, titles(want), wantTotal)
					}
					before[f] = titles(want)
				}
			}
		}
	}
	check("read")
	check("remembered")
	add(100, start.Add(5*time.Hour+30*time.Minute))
	add(101, start.Add(95*time.Hour+30*time.Minute))
	gone, _, err := db.Entries(ctx, gazette.EntryFilter{VisibleAt: now, Limit: 1, Offset: 97})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteEntry(ctx, gone[0].ID); err != nil {
		t.Fatal(err)
	}
	check("after a write")
}
