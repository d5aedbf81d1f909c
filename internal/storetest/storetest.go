// Package storetest is the conformance suite of gazette.Store: the behaviour
// the domain's doc comments promise, checked through the interface alone so
// that every implementation (SQLite, PostgreSQL, ...) runs the same tests.
//
// An implementation's test calls Run with a function that opens an empty store:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) gazette.Store { ... })
//	}
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

// Run runs the whole suite. open is called once per subtest and must return
// a new, empty store; Run closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) gazette.Store) {
	suites := []struct {
		name string
		run  func(t *testing.T, open func(t *testing.T) *fixture)
	}{
		{"Authors", testAuthors},
		{"Topics", testTopics},
		{"Entries", testEntries},
		{"EntryFilter", testEntryFilter},
		{"AdjacentEntries", testAdjacentEntries},
		{"Months", testMonths},
		{"Comments", testComments},
		{"Mentions", testMentions},
		{"Redirects", testRedirects},
		{"Imported", testImported},
		{"Settings", testSettings},
		{"Atomic", testAtomic},
		{"Search", testSearch},
		{"Linkbacks", testLinkbacks},
		{"Gone", testGone},
		{"Pings", testPings},
		{"PingClaims", testPingClaims},
		{"EntryLock", testEntryLock},
		{"CommentFilterEmailBody", testCommentFilterEmailBody},
		{"CommentTokens", testCommentTokens},
		{"Secrets", testSecrets},
		{"SpamCounts", testSpamCounts},
		{"Sessions", testSessions},
		{"LoginFailures", testLoginFailures},
		{"Media", testMedia},
		{"Revisions", testRevisions},
		{"CommentEdit", testCommentEdit},
		{"EntryIDByPath", testEntryIDByPath},
		{"ChangeJournal", testChangeJournal},
	}
	for _, s := range suites {
		t.Run(s.name, func(t *testing.T) {
			s.run(t, func(t *testing.T) *fixture {
				st := open(t)
				t.Cleanup(func() {
					if err := st.Close(); err != nil {
						t.Errorf("Close: %v", err)
					}
				})
				return &fixture{t: t, ctx: context.Background(), s: st}
			})
		})
	}
}

// base is the time the suite's entries are published around: the seed entry's.
var base = time.Date(2007, 3, 11, 13, 5, 0, 0, time.UTC)

// now is when the suite's readers read: long after base, long before the
// future entries.
var now = base.AddDate(1, 0, 0)

// fixture is an empty store and helpers that fill it, failing the test on
// any error.
type fixture struct {
	t      *testing.T
	ctx    context.Context
	s      gazette.Store
	author *gazette.Author
	n      int // entries made, for unique paths
}

func (f *fixture) mustAuthor(name string) *gazette.Author {
	f.t.Helper()
	a := &gazette.Author{Slug: gazette.Slugify(name), Name: name, Email: gazette.Slugify(name) + "@example.com", Role: gazette.RoleAuthor}
	if err := f.s.CreateAuthor(f.ctx, a); err != nil {
		f.t.Fatalf("CreateAuthor(%q): %v", name, err)
	}
	return a
}

func (f *fixture) mustTopic(name string) *gazette.Topic {
	f.t.Helper()
	tp := &gazette.Topic{Slug: gazette.Slugify(name), Name: name}
	if err := f.s.CreateTopic(f.ctx, tp); err != nil {
		f.t.Fatalf("CreateTopic(%q): %v", name, err)
	}
	return tp
}

// newEntry returns an unsaved published entry by the fixture's author,
// published at base plus hours, changed by opts.
func (f *fixture) newEntry(hours int, opts ...func(e *gazette.Entry)) *gazette.Entry {
	f.t.Helper()
	if f.author == nil {
		f.author = f.mustAuthor("Richard")
	}
	f.n++
	at := base.Add(time.Duration(hours) * time.Hour)
	e := &gazette.Entry{
		Title:         fmt.Sprintf("Entry %d", f.n),
		Basename:      fmt.Sprintf("entry_%d", f.n),
		Format:        gazette.FormatHTML,
		Body:          "<p>Body.</p>",
		BodyHTML:      "<p>Body.</p>",
		Status:        gazette.StatusPublished,
		PublishedAt:   at,
		AuthorID:      f.author.ID,
		AllowComments: true,
	}
	e.Path = gazette.EntryPath(at, time.UTC, e.Basename)
	for _, o := range opts {
		o(e)
	}
	return e
}

// mustEntry stores newEntry(hours, opts...).
func (f *fixture) mustEntry(hours int, opts ...func(e *gazette.Entry)) *gazette.Entry {
	f.t.Helper()
	e := f.newEntry(hours, opts...)
	if err := f.s.CreateEntry(f.ctx, e); err != nil {
		f.t.Fatalf("CreateEntry(%q): %v", e.Title, err)
	}
	return e
}

func (f *fixture) mustComment(e *gazette.Entry, at time.Time, s gazette.CommentStatus, opts ...func(c *gazette.Comment)) *gazette.Comment {
	f.t.Helper()
	c := &gazette.Comment{EntryID: e.ID, Name: "Reader", Body: "A comment.", Status: s, CreatedAt: at}
	for _, o := range opts {
		o(c)
	}
	if err := f.s.CreateComment(f.ctx, c); err != nil {
		f.t.Fatalf("CreateComment: %v", err)
	}
	return c
}

func (f *fixture) mustGetEntry(id int64) *gazette.Entry {
	f.t.Helper()
	e, err := f.s.Entry(f.ctx, id)
	if err != nil {
		f.t.Fatalf("Entry(%d): %v", id, err)
	}
	return e
}

// wantKind fails the test unless err is a *gazette.Error of the given kind
// with a message.
func wantKind(t *testing.T, what string, err, kind error) {
	t.Helper()
	var ge *gazette.Error
	switch {
	case err == nil:
		t.Errorf("%s: got no error, want %v", what, kind)
	case !errors.Is(err, kind):
		t.Errorf("%s: got error %q, want kind %v", what, err, kind)
	case !errors.As(err, &ge) || ge.Message == "":
		t.Errorf("%s: got %#v, want a *gazette.Error with a message", what, err)
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// ids returns the IDs of entries, in order.
func ids(list []*gazette.Entry) []int64 {
	out := []int64{}
	for _, e := range list {
		out = append(out, e.ID)
	}
	return out
}

func wantIDs(t *testing.T, what string, got []*gazette.Entry, want ...*gazette.Entry) {
	t.Helper()
	if g, w := ids(got), ids(want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s: got entries %v, want %v", what, g, w)
	}
}

func withTitle(s string) func(*gazette.Entry) { return func(e *gazette.Entry) { e.Title = s } }

func withBody(html string) func(*gazette.Entry) {
	return func(e *gazette.Entry) { e.Body, e.BodyHTML = html, html }
}

func withStatus(s gazette.EntryStatus) func(*gazette.Entry) {
	return func(e *gazette.Entry) { e.Status = s }
}

func withTopics(ts ...*gazette.Topic) func(*gazette.Entry) {
	return func(e *gazette.Entry) {
		e.Topics = nil
		for _, t := range ts {
			e.Topics = append(e.Topics, gazette.Topic{ID: t.ID})
		}
	}
}

func withAuthor(a *gazette.Author) func(*gazette.Entry) {
	return func(e *gazette.Entry) { e.AuthorID = a.ID }
}
