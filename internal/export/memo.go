package export

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/gazette-blog/gazette"
)

// ReadOnce returns store with the reads that every page of a build makes
// alike answered from the first: the settings, the newest entries of the
// banner and the sidebar, the sidebar's topics and months, and the count
// of a listing that each of its pages shows in its pager. It also keeps
// the last few entries read by path and their approved comments, which an
// entry's page and its comment feed both read, answers the entries
// related to an entry (the newest few before it in its primary topic) from
// one read of the topic's titles, and finds the entries of a listing's
// deep page from one read of the listing's order. Every other call goes
// to store. The answers are the same
// for every page only when the site's clock stands still for the build
// (site.Config.Now), as it should: a build shows the blog as it is at one
// time. A write during the build is left to the next one, as it would be
// for a page already built.
func ReadOnce(store gazette.Store) gazette.Store {
	m := &memoStore{Store: store, settings: map[memoKey]gazette.Settings{}, entries: map[memoKey][]*gazette.Entry{},
		topics: map[memoKey][]gazette.TopicCount{}, months: map[memoKey][]gazette.MonthCount{},
		totals: map[totalKey]int{}, orders: map[totalKey][]listed{}, orderAsks: map[totalKey]int{}, orderChunk: orderChunk, byPath: map[string]*gazette.Entry{},
		topicLists: map[memoKey][]*gazette.Entry{}, topicAsks: map[memoKey]int{}, comments: map[int64][]*gazette.Comment{}}
	if g, ok := store.(gazette.GoneStore); ok {
		// The deleted entries' pages answer 410 Gone, as the server's do.
		return struct {
			*memoStore
			gazette.GoneStore
		}{m, g}
	}
	return m
}

// memoStore is ReadOnce's store.
type memoStore struct {
	gazette.Store

	mu       sync.Mutex
	settings map[memoKey]gazette.Settings // under the zero key
	entries  map[memoKey][]*gazette.Entry
	topics   map[memoKey][]gazette.TopicCount
	months   map[memoKey][]gazette.MonthCount
	// totals holds each listing's count.
	totals map[totalKey]int
	// orders holds each listing's entries, in its order, or nil for a
	// listing too long to remember; orderRows counts them.
	orders     map[totalKey][]listed
	orderRows  int
	orderAsks  map[totalKey]int
	orderChunk int // orderChunk, but in tests
	// byPath holds the entries read last by their paths.
	byPath map[string]*gazette.Entry
	// topicLists holds the titles of each primary topic's entries, newest
	// first, under the topic's ID, or nil for a topic with too many to
	// remember; topicRows counts them.
	topicLists map[memoKey][]*gazette.Entry
	topicRows  int
	topicAsks  map[memoKey]int
	// comments holds the approved comments, oldest first, of the entries
	// read last, by entry ID.
	comments map[int64][]*gazette.Comment
}

// mostByPath bounds the entries remembered by path: an entry's page and its
// comment feed each read the entry, and a build asks for the feed soon
// after the page (see builder.done), so a few are enough.
const mostByPath = 64

// memoKey is what a remembered read was asked.
type memoKey struct {
	at    int64 // the visibleAt, in Unix nanoseconds
	limit int
	loc   string
	topic int64
}

// mostTopicRows bounds the entries remembered for related entries, some
// 15 MB (each is an Entry of about 600 bytes with its strings, less its
// texts): past it, a topic's entries' related entries are read from the
// store. Workers that read two topics at once may pass it by a topic.
const mostTopicRows = 25_000

// mostOrderRows bounds the entries remembered in the listings' orders, 16
// bytes each: past it, a listing's pages are read from the store as they
// are asked. Workers that read two listings at once may pass it by a
// listing.
const mostOrderRows = 2_000_000

// orderChunk is how many entries of a listing are read at a time to learn
// its order: they pass through memory as entries without their texts, some
// 600 bytes each.
const orderChunk = 10_000

// mostEdgeTies bounds the entries outside a page that share its first or
// its last entry's time which a page read from a listing's order reads and
// sets aside: where more share it (an import that gave a whole listing one
// date), the store's own walk to the page costs less.
const mostEdgeTies = 32

// listed is an entry's place in a listing: its time, in the whole
// microseconds the stores keep, and its ID.
type listed struct {
	at, id int64
}

// mostRemembered bounds the lists of newest entries that are remembered:
// a banner's and a sidebar's, not a page of a listing.
const mostRemembered = 10

// Settings implements gazette.SettingsStore.
func (m *memoStore) Settings(ctx context.Context) (gazette.Settings, error) {
	return lookup(m, m.settings, memoKey{}, 0, func() (gazette.Settings, error) { return m.Store.Settings(ctx) })
}

// Entries implements gazette.EntryStore.
func (m *memoStore) Entries(ctx context.Context, f gazette.EntryFilter) ([]*gazette.Entry, int, error) {
	newest := gazette.EntryFilter{VisibleAt: f.VisibleAt, Limit: f.Limit, NoText: true, NoTotal: true, NoTerms: true}
	if f != newest || f.VisibleAt.IsZero() || f.Limit <= 0 || f.Limit > mostRemembered {
		if list, ok, err := m.related(ctx, f); ok {
			return list, uncounted(len(list), f.Limit), err
		}
		return m.listing(ctx, f)
	}
	list, err := lookup(m, m.entries, memoKey{at: f.VisibleAt.UnixNano(), limit: f.Limit}, 0, func() ([]*gazette.Entry, error) {
		list, _, err := m.Store.Entries(ctx, f)
		return list, err
	})
	if err != nil {
		return nil, 0, err
	}
	// Each page gets entries of its own, free to change.
	out := make([]*gazette.Entry, len(list))
	for i, e := range list {
		out[i] = copyEntry(e)
	}
	return out, -1, nil
}

// related answers the titles of the entries before f.To in f's primary
// topic from the whole topic's titles, read once, when f asks that and
// nothing else, and reports whether it did. It answers as the stores do:
// entries ordered by PublishedAt then ID, newest first, and times compared
// in whole microseconds, which is what the stores keep.
func (m *memoStore) related(ctx context.Context, f gazette.EntryFilter) ([]*gazette.Entry, bool, error) {
	shape := gazette.EntryFilter{VisibleAt: f.VisibleAt, PrimaryTopicID: f.PrimaryTopicID, To: f.To, Limit: f.Limit,
		NoText: true, NoTotal: true, NoTerms: true}
	if f != shape || f.PrimaryTopicID == 0 || f.VisibleAt.IsZero() || f.To.IsZero() ||
		f.Limit <= 0 || f.Limit > mostRemembered {
		return nil, false, nil
	}
	key := memoKey{at: f.VisibleAt.UnixNano(), topic: f.PrimaryTopicID}
	all, ok, err := whole(m, m.topicLists, m.topicAsks, &m.topicRows, mostTopicRows, key, func(room int) ([]*gazette.Entry, error) {
		// Read no more than there is room for, and one more to tell that
		// the topic does not fit.
		topic := f
		topic.To, topic.Limit = time.Time{}, room+1
		all, _, err := m.Store.Entries(ctx, topic)
		if len(all) > room {
			all = nil // too many to remember: the store answers this topic
		}
		return all, err
	})
	if err != nil || !ok {
		return nil, err != nil, err
	}
	to := f.To.UnixMicro()
	i, _ := slices.BinarySearchFunc(all, to, func(e *gazette.Entry, to int64) int {
		if e.PublishedAt.UnixMicro() < to {
			return 1 // before f.To: in the answer
		}
		return -1
	})
	out := make([]*gazette.Entry, 0, min(f.Limit, len(all)-i))
	for _, e := range all[i:min(i+f.Limit, len(all))] {
		out = append(out, copyEntry(e))
	}
	return out, true, nil
}

// totalKey is what a listing's count depends on: its filter without the
// window and what each row carries, with its times as instants (two equal
// times may carry different *time.Location values).
type totalKey struct {
	f                   gazette.EntryFilter
	visibleAt, from, to int64
}

// listing reads a window of a listing, counting the listing only the first
// time: its pages all show the same count.
func (m *memoStore) listing(ctx context.Context, f gazette.EntryFilter) ([]*gazette.Entry, int, error) {
	if f.NoTotal || f.VisibleAt.IsZero() || f.Limit <= 0 {
		return m.Store.Entries(ctx, f) // counted once anyway, or not at all
	}
	key := totalKey{f: f, visibleAt: f.VisibleAt.UnixNano(), from: unixNano(f.From), to: unixNano(f.To)}
	key.f.Limit, key.f.Offset, key.f.NoText, key.f.NoTerms = 0, 0, false, false
	key.f.VisibleAt, key.f.From, key.f.To = time.Time{}, time.Time{}, time.Time{}
	if f.Offset > 0 {
		if list, total, ok, err := m.window(ctx, f, key); ok {
			return list, total, err
		}
	}
	m.mu.Lock()
	total, ok := m.totals[key]
	m.mu.Unlock()
	if ok {
		f.NoTotal = true
		list, _, err := m.Store.Entries(ctx, f)
		return list, total, err
	}
	list, total, err := m.Store.Entries(ctx, f)
	if err == nil && total >= 0 {
		m.mu.Lock()
		m.totals[key] = total
		m.mu.Unlock()
	}
	return list, total, err
}

// window answers a deep page of a listing, f at an offset, and reports
// whether it did. A store finds such a page by walking past every entry
// before it, and a topic's or an author's listing walks the whole blog's
// entries to find its own: the walk grows with the page's depth, and
// building every page of a long listing walks it over and over. So the
// listing's order (each entry's time and ID) is read once, at its second
// deep page, and a page is then read as the entries between its first and
// its last entry's times, the few that share those times with entries
// outside the page set aside; where more than a few share them, or the
// read does not find the entries the order names (a write during the
// build), the store answers.
func (m *memoStore) window(ctx context.Context, f gazette.EntryFilter, key totalKey) ([]*gazette.Entry, int, bool, error) {
	order, ok, err := whole(m, m.orders, m.orderAsks, &m.orderRows, mostOrderRows, key, func(room int) ([]listed, error) {
		var order []listed
		for {
			chunk := f
			chunk.Offset, chunk.Limit, chunk.NoText, chunk.NoTerms, chunk.NoTotal = len(order), m.orderChunk, true, true, true
			all, _, err := m.Store.Entries(ctx, chunk)
			if err != nil {
				return nil, err
			}
			for _, e := range all {
				order = append(order, listed{at: e.PublishedAt.UnixMicro(), id: e.ID})
			}
			if len(order) > room {
				return nil, nil // too long to remember: the store answers
			}
			if len(all) < m.orderChunk {
				return slices.Clip(order), nil
			}
		}
	})
	if err != nil || !ok {
		return nil, 0, err != nil, err
	}
	total := len(order)
	if f.Offset >= total {
		return nil, total, true, nil
	}
	first, end := f.Offset, total
	if f.Limit < total-first {
		end = first + f.Limit
	}
	// The entries between the page's first and last times are order[lo:hi]:
	// the page and those just outside it that share its edge times.
	lo, hi := first, end
	for lo > 0 && order[lo-1].at == order[first].at && first-lo <= mostEdgeTies {
		lo--
	}
	for hi < total && order[hi].at == order[end-1].at && hi-end <= mostEdgeTies {
		hi++
	}
	if first-lo > mostEdgeTies || hi-end > mostEdgeTies {
		return nil, 0, false, nil
	}
	newest, oldest := order[first].at, order[end-1].at
	if f.OldestFirst {
		newest, oldest = oldest, newest
	}
	// The page's entries lie within f's own bounds, if it has any, so
	// these replace them.
	between := f
	between.Offset, between.Limit, between.NoTotal = 0, 0, true
	between.From, between.To = time.UnixMicro(oldest), time.UnixMicro(newest+1)
	list, _, err := m.Store.Entries(ctx, between)
	if err != nil {
		return nil, 0, true, err
	}
	if len(list) != hi-lo {
		return nil, 0, false, nil // written to since: let the store answer
	}
	list = list[first-lo : end-lo]
	for i, e := range list {
		if e.ID != order[first+i].id {
			return nil, 0, false, nil
		}
	}
	return list, total, true, nil
}

// unixNano is t in Unix nanoseconds, or 0 for the zero time.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// EntryByPath implements gazette.EntryStore.
func (m *memoStore) EntryByPath(ctx context.Context, path string) (*gazette.Entry, error) {
	e, err := lookup(m, m.byPath, path, mostByPath, func() (*gazette.Entry, error) { return m.Store.EntryByPath(ctx, path) })
	if err != nil {
		return nil, err
	}
	return copyEntry(e), nil
}

// Comments implements gazette.CommentStore. An entry's page asks for its
// approved comments, oldest first, and its comment feed for the newest
// few of the same; both are answered from one read, kept for the last few
// entries.
func (m *memoStore) Comments(ctx context.Context, f gazette.CommentFilter) ([]*gazette.Comment, int, error) {
	page := gazette.CommentFilter{EntryID: f.EntryID, Status: gazette.CommentApproved}
	feed := page
	feed.NewestFirst, feed.Limit, feed.NoTotal = true, f.Limit, f.NoTotal
	if f.EntryID == 0 || (f != page && (f != feed || f.Limit <= 0)) {
		return m.Store.Comments(ctx, f)
	}
	all, err := lookup(m, m.comments, f.EntryID, mostByPath, func() ([]*gazette.Comment, error) {
		all, _, err := m.Store.Comments(ctx, page)
		return all, err
	})
	if err != nil {
		return nil, 0, err
	}
	out := make([]*gazette.Comment, 0, len(all))
	for _, c := range all {
		cc := *c
		out = append(out, &cc)
	}
	if !f.NewestFirst {
		return out, len(all), nil
	}
	slices.Reverse(out)
	out = out[:min(f.Limit, len(out))]
	if f.NoTotal {
		return out, uncounted(len(out), f.Limit), nil
	}
	return out, len(all), nil
}

// copyEntry returns a copy of e for one page, free to change.
func copyEntry(e *gazette.Entry) *gazette.Entry {
	c := *e
	c.Topics, c.Tags = slices.Clone(e.Topics), slices.Clone(e.Tags)
	return &c
}

// Topics implements gazette.TopicStore.
func (m *memoStore) Topics(ctx context.Context, visibleAt time.Time) ([]gazette.TopicCount, error) {
	return remember(m, m.topics, memoKey{at: visibleAt.UnixNano()}, func() ([]gazette.TopicCount, error) {
		return m.Store.Topics(ctx, visibleAt)
	})
}

// Months implements gazette.EntryStore.
func (m *memoStore) Months(ctx context.Context, visibleAt time.Time, loc *time.Location) ([]gazette.MonthCount, error) {
	return remember(m, m.months, memoKey{at: visibleAt.UnixNano(), loc: loc.String()}, func() ([]gazette.MonthCount, error) {
		return m.Store.Months(ctx, visibleAt, loc)
	})
}

// remember answers read from memo under key, reading it the first time,
// and returns a copy of its own to each caller.
func remember[T any](m *memoStore, memo map[memoKey][]T, key memoKey, read func() ([]T, error)) ([]T, error) {
	list, err := lookup(m, memo, key, 0, read)
	return slices.Clone(list), err
}

// lookup answers read from memo under key, reading it the first time. Two
// pages asking at once may both read; the answers are the same. A memo of
// more than most answers (when most is not 0) is emptied first: it keeps
// what the pages being built ask for.
func lookup[K comparable, V any](m *memoStore, memo map[K]V, key K, most int, read func() (V, error)) (V, error) {
	m.mu.Lock()
	v, ok := memo[key]
	m.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := read()
	if err != nil {
		return v, err
	}
	m.mu.Lock()
	if most > 0 && len(memo) >= most {
		clear(memo)
	}
	memo[key] = v
	m.mu.Unlock()
	return v, nil
}

// whole answers from memo the whole list under key, which read reads with
// room for at most room rows, or nil when there are more. It reads
// nothing at the key's first ask, so that a build that renders a page or
// two again (after a comment) reads no more than they show, nor once the
// memo's rows reach most; it reports whether it has the list. Two pages
// asking at once may both read; the answers are the same.
func whole[K comparable, V any](m *memoStore, memo map[K][]V, asks map[K]int, rows *int, most int, key K, read func(room int) ([]V, error)) ([]V, bool, error) {
	m.mu.Lock()
	list, ok := memo[key]
	room := most - *rows
	asks[key]++
	first := asks[key] == 1
	m.mu.Unlock()
	if !ok {
		if room <= 0 || first {
			return nil, false, nil
		}
		var err error
		if list, err = read(room); err != nil {
			return nil, false, err
		}
		m.mu.Lock()
		if _, again := memo[key]; !again {
			memo[key] = list
			*rows += len(list)
		}
		m.mu.Unlock()
	}
	return list, list != nil, nil
}

// uncounted is the total a store gives for a window of n rows of at most
// limit that it was allowed not to count: n when the window is short, so
// that it is all there is, else -1.
func uncounted(n, limit int) int {
	if n < limit {
		return n
	}
	return -1
}
