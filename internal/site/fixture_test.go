package site_test

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the blog's zone must load on any machine

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/site"
	"github.com/gazette-blog/gazette/internal/sqlite"
	"github.com/gazette-blog/gazette/internal/theme"
)

// now is the fixed clock of every test: after the seed entry and its
// neighbours, before the scheduled and future entries.
var now = time.Date(2007, 3, 20, 12, 0, 0, 0, time.UTC)

const zone = "America/New_York"

// baseURL is the test blog's public address, which its absolute links use
// whatever address the test server listens on.
const baseURL = "https://blog.example.com"

// seed is what the tests read from testdata/seed-page.txt.
type seed struct {
	lines       []string // the page's non-empty lines, trimmed
	latestTitle string
	prevTitle   string
	nextTitle   string
	title       string
	topic       string
	author      string
	published   time.Time // in the blog's zone
	paragraphs  []string
}

// quotedPrefixes start the paragraphs the seed page shows as quotations.
var quotedPrefixes = []string{
	"A daring getaway", "According to the Iranian sources", "Asgari is said to have carried",
	"An Israeli newspaper", "It is unclear which intelligence", "Asgari's escape has provoked",
	"In 1997 he was appointed", "During an overseas business trip", "On February 7, four days",
	"... His defection ends", "The defection embarrasses Teheran",
}

func readSeed(t testing.TB, loc *time.Location) *seed {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "seed-page.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s := &seed{}
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(strings.ReplaceAll(l, "\u00a0", " ")); l != "" {
			s.lines = append(s.lines, l)
		}
	}
	m := regexp.MustCompile(`^Latest Entry:\s*(.*?)\s+Latest Comments:`).FindStringSubmatch(s.lines[0])
	if m == nil {
		t.Fatalf("seed line 1 is no banner: %q", s.lines[0])
	}
	s.latestTitle = m[1]
	m = regexp.MustCompile(`^« (.*) \| Main \| (.*) »$`).FindStringSubmatch(s.lines[1])
	if m == nil {
		t.Fatalf("seed line 2 is no entry navigation: %q", s.lines[1])
	}
	s.prevTitle, s.nextTitle = m[1], m[2]
	s.title = s.lines[3]
	s.topic = strings.TrimPrefix(s.lines[4], "Topics: ")
	i := 5
	for ; !strings.HasPrefix(s.lines[i], "Posted by "); i++ {
		s.paragraphs = append(s.paragraphs, s.lines[i])
	}
	m = regexp.MustCompile(`^Posted by (.*) at (.*)$`).FindStringSubmatch(s.lines[i])
	s.author = m[1]
	s.published, err = time.ParseInLocation("January 2, 2006 3:04 PM", m[2], loc)
	if err != nil {
		t.Fatalf("seed date: %v", err)
	}
	return s
}

// bodyHTML renders seed paragraphs as the publish path would: quotations as
// blockquotes, and three made-up links on reserved example domains.
func bodyHTML(paras []string) string {
	links := map[string]string{
		"Times of London version of the story": "http://www.example.com/times/2007/03/asgari_defector.html",
		"Captain Ed points out":                "http://www.example.org/captainsquarters/2007/03/asgari_mole.html",
		"HERE'S HOW":                           "http://www.example.net/iran/2007/03/womens_day_tehran.html",
	}
	var b strings.Builder
	for _, p := range paras {
		text := html.EscapeString(p)
		for phrase, href := range links {
			esc := html.EscapeString(phrase)
			text = strings.Replace(text, esc, `<a href="`+href+`">`+esc+`</a>`, 1)
		}
		quoted := false
		for _, q := range quotedPrefixes {
			quoted = quoted || strings.HasPrefix(p, q)
		}
		if quoted {
			fmt.Fprintf(&b, "<blockquote><p>%s</p></blockquote>\n", text)
		} else {
			fmt.Fprintf(&b, "<p>%s</p>\n", text)
		}
	}
	return b.String()
}

// blog is a test blog: its store, its seed and the IDs the tests need.
type blog struct {
	store   *sqlite.DB
	seed    *seed
	loc     *time.Location
	seedID  int64
	ids     map[string]int64 // entry IDs by title
	paths   map[string]string
	authors map[string]*gazette.Author
	topics  map[string]*gazette.Topic
}

// newBlog builds the seed entry, its neighbours and banner, older entries of
// its topic, 8 comments, and entries and comments readers must never see,
// all through the store.
func newBlog(t testing.TB) *blog {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	b := &blog{store: db, loc: loc, seed: readSeed(t, loc), ids: map[string]int64{}, paths: map[string]string{},
		authors: map[string]*gazette.Author{}, topics: map[string]*gazette.Topic{}}
	st := gazette.DefaultSettings()
	st.Title = "Talk Back & Read"
	st.Description = "A blog of 2007, served again"
	st.TimeZone = zone
	st.EntriesPerPage = 4
	st.BaseURL = baseURL
	if err := db.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{b.seed.author, "Guest Writer", "Quiet Editor"} {
		a := &gazette.Author{Slug: gazette.Slugify(name), Name: name, Email: gazette.Slugify(name) + "@example.com", Role: gazette.RoleAuthor}
		if err := db.CreateAuthor(ctx, a); err != nil {
			t.Fatal(err)
		}
		b.authors[name] = a
	}
	for _, name := range []string{b.seed.topic, "Britain", "Media", "Empty Topic"} {
		tp := &gazette.Topic{Slug: gazette.Slugify(name), Name: name, Description: "Entries about " + name + "."}
		if err := db.CreateTopic(ctx, tp); err != nil {
			t.Fatal(err)
		}
		b.topics[name] = tp
	}
	s := b.seed
	at := func(d time.Duration) time.Time { return s.published.Add(d) }
	iran := s.topic
	split := len(s.paragraphs) - 7 // the last paragraphs are the extended body
	b.add(t, s.title, s.author, gazette.StatusPublished, at(0), []string{iran},
		bodyHTML(s.paragraphs[:split]), bodyHTML(s.paragraphs[split:]), "")
	b.seedID = b.ids[s.title]
	b.add(t, s.prevTitle, s.author, gazette.StatusPublished, at(-3*time.Hour), []string{"Britain"},
		"<p>The council's plans for the schools.</p>", "", "")
	b.add(t, s.nextTitle, s.author, gazette.StatusPublished, at(4*time.Hour), []string{iran},
		"<p>Democrats talk and Iran listens.</p>", "", "")
	b.add(t, s.latestTitle, "Guest Writer", gazette.StatusPublished, at(8*24*time.Hour), []string{"Media"},
		"<p>The paper of record and the families.</p>", "<p>More on the families.</p>", "The newspaper and the mob.")
	for i, d := range []int{1, 2, 9, 20} {
		b.add(t, fmt.Sprintf("Earlier Iran Story %d", i+1), s.author, gazette.StatusPublished,
			at(-time.Duration(d)*24*time.Hour), []string{iran}, fmt.Sprintf("<p>Iran story number %d, about the nuclear talks.</p>", i+1), "", "")
	}
	b.add(t, "Media Story Mentioning Iran", "Guest Writer", gazette.StatusPublished, at(-5*24*time.Hour),
		[]string{"Media", iran}, "<p>A media story, filed under Iran as well, about the nuclear talks.</p>", "", "")
	// Entries readers must never see, each with the word the search test looks for.
	b.add(t, "SECRET draft on Iran", s.author, gazette.StatusDraft, at(-6*time.Hour), []string{iran},
		"<p>A draft about nuclear talks, zanzibar.</p>", "", "")
	b.add(t, "SECRET scheduled on Iran", s.author, gazette.StatusScheduled, now.Add(48*time.Hour), []string{iran},
		"<p>A scheduled entry about nuclear talks, zanzibar.</p>", "", "")
	b.add(t, "SECRET future on Iran", "Guest Writer", gazette.StatusPublished, now.Add(72*time.Hour), []string{"Empty Topic"},
		"<p>A future entry about nuclear talks, zanzibar.</p>", "", "")

	comments := []struct {
		name, url, body string
		status          gazette.CommentStatus
	}{
		{"NahnCee", "http://nahncee.example.net/", "If Iran knew or strongly suspected he was a mole, what are the chances they were feeding him misinformation?", gazette.CommentApproved},
		{"Lisa B.", "", "A gold mine indeed.\n\nLet us hope the documents are real.", gazette.CommentApproved},
		{"Mallory", "javascript:alert(2)", `Nice post<script>alert("x")</script> and <a href="javascript:alert(1)" onclick="steal()">a link</a>.`, gazette.CommentApproved},
		{"Spammer", "http://spam.example.com/", "SECRET spam comment", gazette.CommentSpam},
		{"Waiting", "", "SECRET pending comment", gazette.CommentPending},
		{"Bob", "https://bob.example.org/blog", "<em>Mossad</em> again.", gazette.CommentApproved},
		{"Carol", "", "Locking the barn door after the horse has bolted.", gazette.CommentApproved},
		{"Dave", "", "Iran's economy is failing.", gazette.CommentApproved},
		{"Erin", "", "Great Game aspirations, indeed.", gazette.CommentApproved},
		{"Frank", "http://frank.example.net/", "The West knew more than we suspected.", gazette.CommentApproved},
	}
	for i, c := range comments {
		err := db.CreateComment(ctx, &gazette.Comment{
			EntryID: b.seedID, Name: c.name, Email: "reader@example.com", URL: c.url, IP: "192.0.2.1",
			Body: c.body, Status: c.status, CreatedAt: at(time.Duration(i+1) * 47 * time.Minute).UTC(),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	err = db.CreateComment(ctx, &gazette.Comment{EntryID: b.ids["SECRET draft on Iran"], Name: "Early", Body: "SECRET comment on a draft",
		Status: gazette.CommentApproved, CreatedAt: at(time.Hour).UTC()})
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range []gazette.Mention{
		{Kind: gazette.MentionWebmention, SourceURL: "https://captain.example.org/2007/03/asgari.html", Title: "Asgari the mole",
			Excerpt: "Richard at Talk Back has more on the general.", Status: gazette.CommentApproved, BlogName: "Captain's Quarters"},
		{Kind: gazette.MentionTrackback, SourceURL: "http://old.example.net/archives/001.html", Title: "Defection",
			Excerpt: "A TrackBack of 2007.", BlogName: "Old Blog", Status: gazette.CommentApproved},
		{Kind: gazette.MentionPingback, SourceURL: "http://spam.example.com/", Title: "SECRET pending mention", Status: gazette.CommentPending},
	} {
		m.EntryID, m.CreatedAt = b.seedID, at(time.Duration(i+2)*time.Hour).UTC()
		if err := db.CreateMention(ctx, &m); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []gazette.Redirect{
		{Path: "/archives/000123.html", EntryID: b.seedID},
		{Path: "/?p=77", EntryID: b.ids[s.prevTitle]},
		{Path: "/2007/03/11/iranian-general/", EntryID: b.seedID},
		{Path: "/archives/000999.html", EntryID: b.ids["SECRET draft on Iran"]},
		// A renamed topic's old address, and an old archive of the
		// month, both under routes with pages of their own.
		{Path: "/topics/persia/", Target: "/topics/iran/"},
		{Path: "/archives/1999/12/", Target: "/archives/"},
		// Left by a topic renamed away and back: the address is the
		// topic's own again, empty as it is.
		{Path: "/topics/empty-topic/", Target: "/topics/iran/"},
		// WordPress keeps a non-ASCII slug escaped, in lower case.
		{Path: "/2007/03/11/%e6%97%a5%e6%9c%ac/", EntryID: b.seedID},
	} {
		if err := db.AddRedirect(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

var basenameRE = regexp.MustCompile(`[^a-z0-9]+`)

func (b *blog) add(t testing.TB, title, author string, status gazette.EntryStatus, at time.Time, topics []string, body, extended, excerpt string) {
	t.Helper()
	basename := strings.Trim(basenameRE.ReplaceAllString(strings.ToLower(title), "_"), "_")
	if len(basename) > 30 {
		basename = strings.TrimRight(basename[:30], "_")
	}
	e := &gazette.Entry{
		Basename: basename, Path: gazette.EntryPath(at, b.loc, basename), Title: title,
		Body: body, ExtendedBody: extended, Excerpt: excerpt, Format: gazette.FormatHTML,
		BodyHTML: body, ExtendedHTML: extended, Status: status, PublishedAt: at.UTC(),
		AuthorID: b.authors[author].ID, AllowComments: true, AllowPings: true,
		CreatedAt: at.UTC(), UpdatedAt: at.UTC(),
	}
	for _, name := range topics {
		e.Topics = append(e.Topics, *b.topics[name])
	}
	if err := b.store.CreateEntry(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	b.ids[title] = e.ID
	b.paths[title] = e.Path
}

// serve starts the site over the blog with the given theme.
func (b *blog) serve(t testing.TB, themeName string) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	st, err := b.store.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.Theme = themeName
	if err := b.store.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	themes, err := theme.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.New(site.Config{
		Store:     b.store,
		Themes:    themes,
		Sanitizer: sanitize.New(),
		Logger:    slog.New(slog.NewTextHandler(testWriter{t}, nil)),
		Now:       func() time.Time { return now },
	}))
	t.Cleanup(srv.Close)
	return srv
}

// testWriter sends the site's log to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// noRedirect returns a client that reports redirects instead of following them.
func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
