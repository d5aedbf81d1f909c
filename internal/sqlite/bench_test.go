package sqlite_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

var benchEntries = flag.Int("entries", 1000, "entries written by BenchmarkImport and read by BenchmarkEntryPage")

// corpus makes entries shaped like a real blog's: ~650 words of HTML, five
// authors, twenty topics, eight comments of ~60 words each.
type corpus struct {
	rng     *rand.Rand
	words   []string
	authors []int64
	topics  []int64
}

func newCorpus() *corpus {
	words := strings.Fields(`the of and to a in is that for it as was with be by on not he this are or his
		from at which but have an they you were government president minister regime congress senate
		election campaign voters policy sanctions nuclear program oil prices market economy inflation
		budget deficit taxes report story newspaper editor reporters coverage television bloggers readers
		intelligence agency officials sources defense military troops war peace talks diplomats embassy
		border security leaders party court judge ruling law rights freedom speech press students church
		energy climate science research hospital doctors workers jobs companies investors bank trade`)
	return &corpus{rng: rand.New(rand.NewPCG(1, 2)), words: words}
}

func (c *corpus) text(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c.words[c.rng.IntN(len(c.words))])
	}
	return b.String()
}

func (c *corpus) html(words int) string {
	var b strings.Builder
	for words > 0 {
		n := min(words, 40+c.rng.IntN(60))
		fmt.Fprintf(&b, "<p>%s.</p>\n", c.text(n))
		words -= n
	}
	return b.String()
}

// setup creates the authors and topics an import finds or creates first.
func (c *corpus) setup(ctx context.Context, tx gazette.Tx) error {
	for i := range 5 {
		a := &gazette.Author{Slug: fmt.Sprintf("author-%d", i), Name: fmt.Sprintf("Author %d", i), Role: gazette.RoleAuthor}
		if err := tx.CreateAuthor(ctx, a); err != nil {
			return err
		}
		c.authors = append(c.authors, a.ID)
	}
	for i := range 20 {
		t := &gazette.Topic{Slug: fmt.Sprintf("topic-%d", i), Name: fmt.Sprintf("Topic %d", i)}
		if err := tx.CreateTopic(ctx, t); err != nil {
			return err
		}
		c.topics = append(c.topics, t.ID)
	}
	return nil
}

var start = time.Date(2003, 1, 1, 0, 0, 0, 0, time.UTC)

// item is one entry of an export with its comments, as a reader gives it.
type item struct {
	entry    *gazette.Entry
	comments []*gazette.Comment
}

// items makes n items, ready before any store call is timed.
func (c *corpus) items(n int) []item {
	list := make([]item, n)
	for i := range list {
		list[i] = c.item(i)
	}
	return list
}

func (c *corpus) item(i int) item {
	key := fmt.Sprintf("mt:%08d", i)
	at := start.Add(time.Duration(i) * 7 * time.Hour)
	basename := fmt.Sprintf("entry_%d", i)
	words := 150 + c.rng.IntN(1000)
	e := &gazette.Entry{
		Title: c.text(6), Basename: basename, Path: gazette.EntryPath(at, time.UTC, basename),
		Format: gazette.FormatConvertBreaks, Status: gazette.StatusPublished, PublishedAt: at,
		AuthorID: c.authors[i%len(c.authors)], AllowComments: true, ImportKey: key,
		Topics: []gazette.Topic{{ID: c.topics[i%len(c.topics)]}, {ID: c.topics[(i*7+3)%len(c.topics)]}},
	}
	e.BodyHTML = c.html(min(words, 250))
	if words > 250 {
		e.ExtendedHTML = c.html(words - 250)
	}
	e.Body, e.ExtendedBody = e.BodyHTML, e.ExtendedHTML
	it := item{entry: e}
	for j := range 8 {
		it.comments = append(it.comments, &gazette.Comment{Name: "Reader", Email: "reader@example.com",
			URL: "http://example.com/", IP: "192.0.2.1", Body: c.text(60), Status: gazette.CommentApproved,
			ImportKey: fmt.Sprintf("%s:c%d", key, j), CreatedAt: at.Add(time.Duration(j+1) * time.Minute)})
	}
	return it
}

// importItem makes the calls the importer makes for one item of an export.
func importItem(ctx context.Context, tx gazette.Tx, i int, it item) error {
	e := it.entry
	if _, err := tx.EntryByImportKey(ctx, e.ImportKey); err == nil {
		return nil
	}
	if err := tx.CreateEntry(ctx, e); err != nil {
		return err
	}
	if err := tx.AddRedirect(ctx, gazette.Redirect{Path: fmt.Sprintf("/archives/%06d.html", i+1), EntryID: e.ID}); err != nil {
		return err
	}
	for _, cm := range it.comments {
		if ok, err := tx.CommentExists(ctx, cm.ImportKey); err != nil || ok {
			return err
		}
		cm.EntryID = e.ID
		if err := tx.CreateComment(ctx, cm); err != nil {
			return err
		}
	}
	return nil
}

// fill imports items in one transaction, after creating the corpus's authors
// and topics (which must come first: items name them by ID).
func fill(b *testing.B, db *sqlite.DB, c *corpus, items []item) {
	ctx := context.Background()
	err := db.Atomic(ctx, func(tx gazette.Tx) error {
		for i, it := range items {
			if err := importItem(ctx, tx, i, it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// newDB opens an empty database holding the corpus's authors and topics.
func newDB(b *testing.B, c *corpus) *sqlite.DB {
	db := open(b, filepath.Join(b.TempDir(), "gazette.db"))
	c.authors, c.topics = nil, nil
	if err := db.Atomic(context.Background(), func(tx gazette.Tx) error { return c.setup(context.Background(), tx) }); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkImport writes -entries entries with eight comments each in one
// transaction, through the calls the importer makes.
func BenchmarkImport(b *testing.B) {
	n := *benchEntries
	for b.Loop() {
		b.StopTimer()
		c := newCorpus()
		db := newDB(b, c)
		items := c.items(n)
		b.StartTimer()
		fill(b, db, c, items)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	perEntry := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / float64(n)
	b.ReportMetric(perEntry/1e3, "µs/entry")
	b.ReportMetric(perEntry*10000/1e9, "s/10k-entries")
}

// BenchmarkEntryPage times each read of an entry page on a database of
// -entries entries.
func BenchmarkEntryPage(b *testing.B) {
	ctx := context.Background()
	n := *benchEntries
	c := newCorpus()
	db := newDB(b, c)
	defer db.Close()
	fill(b, db, c, c.items(n))
	now := start.Add(time.Duration(n) * 7 * time.Hour)
	// Entries from the middle of the blog, read in turn.
	var pages []*gazette.Entry
	for i := n / 4; i < n*3/4; i += max(1, n/200) {
		at := start.Add(time.Duration(i) * 7 * time.Hour)
		e, err := db.EntryByPath(ctx, gazette.EntryPath(at, time.UTC, fmt.Sprintf("entry_%d", i)))
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, e)
	}
	reads := []struct {
		name string
		read func(e *gazette.Entry) error
	}{
		{"EntryByPath", func(e *gazette.Entry) error { _, err := db.EntryByPath(ctx, e.Path); return err }},
		{"AdjacentEntries", func(e *gazette.Entry) error { _, _, err := db.AdjacentEntries(ctx, e, now); return err }},
		{"Comments", func(e *gazette.Entry) error {
			_, _, err := db.Comments(ctx, gazette.CommentFilter{EntryID: e.ID, Status: gazette.CommentApproved})
			return err
		}},
		{"Related", func(e *gazette.Entry) error {
			_, _, err := db.Entries(ctx, gazette.EntryFilter{PrimaryTopicID: e.Topics[0].ID, To: e.PublishedAt, VisibleAt: now, Limit: 10, NoText: true})
			return err
		}},
		{"RelatedNoTotal", func(e *gazette.Entry) error {
			_, _, err := db.Entries(ctx, gazette.EntryFilter{PrimaryTopicID: e.Topics[0].ID, To: e.PublishedAt, VisibleAt: now, Limit: 10, NoText: true, NoTotal: true})
			return err
		}},
		{"RelatedLinks", func(e *gazette.Entry) error {
			_, _, err := db.Entries(ctx, gazette.EntryFilter{PrimaryTopicID: e.Topics[0].ID, To: e.PublishedAt, VisibleAt: now, Limit: 10, NoText: true, NoTotal: true, NoTerms: true})
			return err
		}},
		{"Latest", func(*gazette.Entry) error {
			_, _, err := db.Entries(ctx, gazette.EntryFilter{VisibleAt: now, Limit: 1, NoText: true})
			return err
		}},
		{"Home", func(*gazette.Entry) error {
			_, _, err := db.Entries(ctx, gazette.EntryFilter{VisibleAt: now, Limit: 15})
			return err
		}},
		{"Topic", func(e *gazette.Entry) error {
			_, _, err := db.Entries(ctx, gazette.EntryFilter{TopicID: e.Topics[0].ID, VisibleAt: now, Limit: 20, NoTotal: true})
			return err
		}},
		{"TopicWindow", func(e *gazette.Entry) error {
			// A page of a topic as a build's ReadOnce reads it: the
			// entries between two times.
			_, _, err := db.Entries(ctx, gazette.EntryFilter{TopicID: e.Topics[0].ID, VisibleAt: now, NoTotal: true,
				From: e.PublishedAt.AddDate(0, 0, -20), To: e.PublishedAt})
			return err
		}},
		// Deep pages of the listings, as a static build reads them all:
		// the entries skipped before the page must cost little.
		{"HomeDeep", func(*gazette.Entry) error {
			_, _, err := db.Entries(ctx, gazette.EntryFilter{VisibleAt: now, Limit: 15, Offset: n / 2})
			return err
		}},
		{"TopicDeep", func(e *gazette.Entry) error {
			_, _, err := db.Entries(ctx, gazette.EntryFilter{TopicID: e.Topics[0].ID, VisibleAt: now, Limit: 20, Offset: n / 40})
			return err
		}},
		{"AuthorDeep", func(*gazette.Entry) error {
			_, _, err := db.Entries(ctx, gazette.EntryFilter{AuthorID: c.authors[0], VisibleAt: now, Limit: 20, Offset: n / 10})
			return err
		}},
		{"Search", func(*gazette.Entry) error {
			_, _, err := db.Search(ctx, gazette.SearchQuery{Text: "nuclear sanctions", VisibleAt: now, Limit: 10})
			return err
		}},
	}
	for _, r := range reads {
		b.Run(r.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if err := r.read(pages[i%len(pages)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
