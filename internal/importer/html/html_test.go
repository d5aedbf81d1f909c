package html

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/fetch"
	"github.com/gazette-blog/gazette/internal/importer"
)

// wantEntry is what a page must give, read by hand from the page.
type wantEntry struct {
	path      string // the page's path below the folder
	title     string
	published string // RFC 3339, UTC
	author    string
	topics    string // comma-separated
	comments  int
	commenter string // the first comment's name
	oldPath   string // when not path
	body      string // words the body holds
}

// readAll reads every item, returning the entries by path, the reasons
// the other pages were skipped, and the topics with their old addresses.
func readAll(t *testing.T, r *Reader) (map[string]*importer.Item, []string, []string) {
	t.Helper()
	items := map[string]*importer.Item{}
	var skipped, terms []string
	for {
		it, err := r.Next()
		if err == io.EOF {
			return items, skipped, terms
		}
		if err != nil {
			t.Fatal(err)
		}
		if it.Term != nil {
			terms = append(terms, it.Term.Name+" "+strings.Join(it.Term.OldPaths, " "))
			continue
		}
		src := r.sources[r.next-1]
		if it.Skipped != "" {
			skipped = append(skipped, src.path+": "+it.Skipped)
			continue
		}
		items[src.path] = it
	}
}

func check(t *testing.T, items map[string]*importer.Item, want []wantEntry) {
	t.Helper()
	if len(items) != len(want) {
		var got []string
		for p := range items {
			got = append(got, p)
		}
		t.Errorf("%d entries (%v), want %d", len(items), got, len(want))
	}
	for _, w := range want {
		it := items[w.path]
		if it == nil {
			t.Errorf("%s: no entry", w.path)
			continue
		}
		e := it.Entry
		var topics []string
		for _, tp := range e.Topics {
			topics = append(topics, tp.Name)
		}
		if e.Title != w.title || e.PublishedAt.Format(time.RFC3339) != w.published || e.Author.Name != w.author || strings.Join(topics, ", ") != w.topics {
			t.Errorf("%s: %q %s by %q in %q, want %q %s by %q in %q", w.path, e.Title, e.PublishedAt.Format(time.RFC3339), e.Author.Name, strings.Join(topics, ", "),
				w.title, w.published, w.author, w.topics)
		}
		if e.Status != gazette.StatusPublished || e.Format != gazette.FormatHTML || e.ImportKey == "" {
			t.Errorf("%s: status %q, format %q, key %q", w.path, e.Status, e.Format, e.ImportKey)
		}
		if !strings.Contains(words(gazette.PlainText(e.Body)), w.body) {
			t.Errorf("%s: body %q does not hold %q", w.path, gazette.PlainText(e.Body), w.body)
		}
		if len(it.Comments) != w.comments {
			t.Errorf("%s: %d comments, want %d", w.path, len(it.Comments), w.comments)
		} else if w.comments > 0 && it.Comments[0].Name != w.commenter {
			t.Errorf("%s: first comment by %q, want %q", w.path, it.Comments[0].Name, w.commenter)
		}
		keys := map[string]bool{}
		for _, c := range it.Comments {
			if c.ImportKey == "" || keys[c.ImportKey] || c.Status != gazette.CommentApproved || c.CreatedAt.IsZero() {
				t.Errorf("%s: comment %q: key %q (repeated: %v), status %q, time %v", w.path, c.Name, c.ImportKey, keys[c.ImportKey], c.Status, c.CreatedAt)
			}
			keys[c.ImportKey] = true
		}
		old := w.oldPath
		if old == "" {
			old = w.path
		}
		if len(it.OldPaths) != 1 || it.OldPaths[0] != old {
			t.Errorf("%s: old paths %q, want %q", w.path, it.OldPaths, old)
		}
	}
}

func words(s string) string { return strings.Join(strings.Fields(s), " ") }

func zone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s: %v", name, err)
	}
	return loc
}

// TestSharedArchives reads the real archived pages of eight blogs of
// 2004-2008 in ../shared/testdata/html (not copied here: most have no
// licence), with values read from the pages by hand.
func TestSharedArchives(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..", "shared", "testdata", "html")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("the archived blogs of ../shared/testdata/html are not here (%v); they are not in the repository for want of a licence", err)
	}
	tests := []struct {
		dir     string
		zone    string
		skipped int
		want    []wantEntry
	}{
		{"mt3-billy-classic", "Europe/London", 2, []wantEntry{
			{path: "/2005/04/a_new_analogy.html", title: "a new analogy", published: "2005-04-10T23:45:00Z", author: "Billy", topics: "Cycle loving speccie", body: "The guy in the bike shop offered a new analogy"},
			{path: "/2005/04/dont_look_backf.html", title: "don't look back/forward", published: "2005-04-08T15:20:00Z", author: "Billy", comments: 4, commenter: "Mai", body: "Middlesex is closing its Tottenham campus"},
			{path: "/2005/12/cats_and_gorillas.html", title: "cats and gorillas", published: "2005-12-09T14:07:00Z", author: "Billy", body: "John Martin Gallery"},
			{path: "/2005/12/nice_odd.html", title: "'nice odd'", published: "2005-12-03T15:57:00Z", author: "Billy", comments: 4, commenter: "Hanna", body: "Just had an email from a student"},
			{path: "/2005/12/take_the_skinheads_bowling.html", title: "take the skinheads bowling", published: "2005-12-03T15:56:00Z", author: "Billy", comments: 1, commenter: "robbie", body: "B-)"},
			{path: "/2006/02/civic_pride.html", title: "civic pride", published: "2006-02-03T18:32:00Z", author: "Billy", body: "being interviewed by Liberation"},
		}},
		{"mt4-billy-hatom", "Europe/London", 3, []wantEntry{
			{path: "/2005/12/cats-and-gorillas.html", title: "cats and gorillas", published: "2005-12-09T14:07:36Z", author: "Billy", topics: "Life of Billy", body: "John Martin Gallery"},
			{path: "/2005/12/nice-odd.html", title: "'nice odd'", published: "2005-12-03T15:57:57Z", author: "Billy", topics: "Life of Billy", comments: 4, commenter: "Hanna", body: "Just had an email from a student"},
			{path: "/2005/12/take-the-skinheads-bowling.html", title: "take the skinheads bowling", published: "2005-12-03T15:56:32Z", author: "Billy", topics: "Music", comments: 1, commenter: "robbie", body: "B-)"},
			{path: "/2006/02/civic-pride.html", title: "civic pride", published: "2006-02-03T18:32:15Z", author: "Billy", topics: "Music", body: "being interviewed by Liberation"},
		}},
		{"mt32-lostandfound", "UTC", 3, []wantEntry{
			{path: "/2006/04/apple_invincible.php", oldPath: "/lostandfound/2006/04/apple_invincible.php", title: "Apple Invincible", published: "2006-04-16T11:29:00Z", author: "Phil", topics: "Apple", body: "Invincible Mac to the rescue"},
			{path: "/2006/04/cockney_lookup_tables.php", oldPath: "/lostandfound/2006/04/cockney_lookup_tables.php", title: "Cockney Lookup Tables", published: "2006-04-16T11:02:00Z", author: "Phil", topics: "Life", body: "get some Apple"},
			{path: "/2006/04/futureme.php", oldPath: "/lostandfound/2006/04/futureme.php", title: "FutureMe", published: "2006-04-16T10:57:00Z", author: "Phil", topics: "Life", body: "Send e-mails to yourself in the future"},
			{path: "/2006/04/hemingway_wordpress_theme.php", oldPath: "/lostandfound/2006/04/hemingway_wordpress_theme.php", title: "Hemingway Wordpress Theme", published: "2006-04-16T10:53:00Z", author: "Phil", topics: "design", body: "best/simplist/most-beautiful wordpress theme"},
			{path: "/2006/04/pimp_you_kids_ride.php", oldPath: "/lostandfound/2006/04/pimp_you_kids_ride.php", title: "Pimp you kids ride", published: "2006-04-16T10:58:00Z", author: "Phil", topics: "Life", body: "chrome and go faster"},
		}},
		// The entry published twice (1868 and its orphaned double 1869)
		// is read once.
		{"mt32-yapcasia", "Asia/Tokyo", 4, []wantEntry{
			{path: "/blog/2005/12/yapcasia_2006_in_tokyo_march_2.html", title: "YAPC::Asia 2006 in Tokyo, March 29th - 30th", published: "2005-12-16T02:29:00Z", author: "miyagawa", body: "Shibuya Perl Mongers are pleased to announce"},
			{path: "/blog/2006/03/sessions_and_speakers_bio_are.html", title: "Sessions and Speakers Bio are out", published: "2006-03-23T03:59:17Z", author: "miyagawa", body: "fixed Sessions schedule"},
			{path: "/blog/2006/03/yapcasia_is_over.html", title: "YAPC::Asia is over", published: "2006-03-30T16:06:38Z", author: "miyagawa", body: "Thank you everybody for coming!"},
			{path: "/blog/2006/04/donated_800_us_dollars_to_perl.html", title: "Donated 800 US Dollars to the Perl Foundation", published: "2006-04-17T15:44:47Z", author: "miyagawa", body: "registration fee"},
		}},
		{"blogger-classic-lasthalo", "Asia/Singapore", 2, []wantEntry{
			{path: "/2005/04/switching-server.html", title: "Switching Server", published: "2005-04-05T15:33:00Z", author: "uzyn", body: "LastHalo has been experiencing lots of down time"},
			{path: "/2005/04/upgrade-of-haloscan-account.html", title: "Upgrade of Haloscan Account", published: "2005-04-09T20:04:00Z", author: "uzyn", body: "Thanks Jeevan, for the upgrade"},
			{path: "/2005/04/v02-beta-is-live.html", title: "v0.2 Beta Is Live", published: "2005-04-01T14:48:00Z", author: "uzyn", body: "today's April Fool's Day"},
		}},
		{"blogger-classic-mikeaustin", "America/Los_Angeles", 2, []wantEntry{
			{path: "/blog/2005/10/benefits-of-multi-methods.html", title: "Benefits of multi-methods", published: "2005-10-08T20:46:00Z", author: "Mike Austin", comments: 3, commenter: "aurelien", body: "C++, Ruby and Python"},
			{path: "/blog/2005/10/dylan-macro-system-is-badass.html", title: "Dylan macro system is badass!", published: "2005-10-12T03:43:00Z", author: "Mike Austin", comments: 3, commenter: "Jared Nuzzolillo", body: "Dylan macro facility"},
			{path: "/blog/2006/04/syntax-irregularities-in-smalltalk.html", title: "Syntax irregularities in Smalltalk", published: "2006-04-08T05:43:00Z", author: "Mike Austin", comments: 13, commenter: "Mike Hales", body: "Smalltalk is a very small and elegant language"},
		}},
		{"wp20-peiratikos", "UTC", 3, []wantEntry{
			{path: "/archives/2006/08/21/july-reading-list/index.html", title: "July Reading List", published: "2006-08-21T21:58:00Z", author: "Rose", topics: "Literature", comments: 2, commenter: "Anonymous", body: "the month where I didn’t read much"},
			{path: "/archives/2006/09/04/august-reading-list/index.html", title: "August Reading List", published: "2006-09-04T19:42:00Z", author: "Rose", topics: "Literature", comments: 5, commenter: "Dave Intermittent", body: "August wasn’t a huge month for reading"},
			{path: "/archives/2006/10/29/sept-reading-list/index.html", title: "September Reading List", published: "2006-10-29T21:02:00Z", author: "Rose", topics: "Literature", comments: 2, commenter: "David Golding", body: "working on my October reading list"},
		}},
		{"wp45-eightbar", "Europe/London", 2, eightbar},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			r, err := New(filepath.Join(root, tc.dir), zone(t, tc.zone))
			if err != nil {
				t.Fatal(err)
			}
			items, skipped, _ := readAll(t, r)
			if len(skipped) != tc.skipped {
				t.Errorf("skipped %d pages, want %d: %q", len(skipped), tc.skipped, skipped)
			}
			check(t, items, tc.want)
		})
	}
}

// eightbar are the entries of testdata/eightbar (and of the shared copy).
var eightbar = []wantEntry{
	{path: "/2006/06/16/ever-wanted-to-work-at-hursley/index.html", oldPath: "/2006/06/16/ever-wanted-to-work-at-hursley/", title: "Ever wanted to work at Hursley?",
		published: "2006-06-16T14:02:46Z", author: "Roo", topics: "Hursley, Life, News", comments: 2, commenter: "morison dony", body: "following our adventures here on eightbar"},
	{path: "/2006/06/17/eat-friday/index.html", oldPath: "/2006/06/17/eat-friday/", title: "Eat Friday!",
		published: "2006-06-17T16:43:19Z", author: "Darren Shaw", topics: "Hursley", comments: 2, commenter: "James Governor", body: "sit out in the sun amidst a beautiful country estate"},
	{path: "/2006/06/21/happy-birthday-second-life-and-well-done-supernova/index.html", oldPath: "/2006/06/21/happy-birthday-second-life-and-well-done-supernova/",
		title: "Happy Birthday Second Life and well done Supernova", published: "2006-06-21T20:02:11Z", author: "epredator", topics: "Hursley, Second Life", body: "users and providers of Second Life"},
}

// TestFolder reads the copy of eightbar kept in testdata.
func TestFolder(t *testing.T) {
	r, err := New(filepath.Join("testdata", "eightbar"), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	items, skipped, _ := readAll(t, r)
	if want := []string{"/2006/06/index.html: " + skipIndex}; strings.Join(skipped, "|") != strings.Join(want, "|") {
		t.Errorf("skipped %q, want %q", skipped, want)
	}
	check(t, items, eightbar)
}

// TestURLList fetches the pages of a list of addresses from a server, each
// page's old path taken from its address where the page names none.
func TestURLList(t *testing.T) {
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join("testdata", "eightbar"))))
	defer srv.Close()
	list := "# eightbar, June 2006\n\n" + srv.URL + "/2006/06/17/eat-friday/\n" + srv.URL + "/2006/06/\n"
	client := fetch.New(fetch.Config{AllowPrivate: true})
	r, err := NewURLs(t.Context(), client, strings.NewReader(list), "urls.txt", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var entries, skipped int
	for {
		it, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if it.Skipped != "" {
			skipped++
			if it.Line != 4 {
				t.Errorf("the archive page is reported at line %d, want 4", it.Line)
			}
			continue
		}
		entries++
		if it.Entry.Title != "Eat Friday!" || len(it.Comments) != 2 || strings.Join(it.OldPaths, " ") != "/2006/06/17/eat-friday/" {
			t.Errorf("got %q with %d comments at %q", it.Entry.Title, len(it.Comments), it.OldPaths)
		}
	}
	if entries != 1 || skipped != 1 {
		t.Errorf("%d entries and %d skipped pages, want 1 and 1", entries, skipped)
	}

	// The private address is refused without AllowPrivate.
	r, err = NewURLs(t.Context(), fetch.New(fetch.Config{}), strings.NewReader(srv.URL+"/2006/06/17/eat-friday/\n"), "urls.txt", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); !errors.Is(err, gazette.ErrForbidden) || !strings.Contains(err.Error(), "urls.txt:1") {
		t.Errorf("fetching from loopback without AllowPrivate: %v, want a refusal naming urls.txt:1", err)
	}
}

func TestBadInput(t *testing.T) {
	t.Run("bad address", func(t *testing.T) {
		_, err := NewURLs(t.Context(), fetch.New(fetch.Config{}), strings.NewReader("http://ok.example/a\nftp://x.example/b\n"), "urls.txt", time.UTC)
		if !errors.Is(err, gazette.ErrInvalid) || !strings.Contains(err.Error(), "urls.txt:2") {
			t.Errorf("got %v, want an invalid-input error naming urls.txt:2", err)
		}
	})
	t.Run("no entry at all", func(t *testing.T) {
		dir := t.TempDir()
		pages := map[string]string{
			"index.html":   `<html><body><div class="post"><h3>One</h3></div><div class="post"><h3>Two</h3></div></body></html>`,
			"undated.html": `<html><head><title>Blog: Undated</title></head><body><div class="entry"><h3 class="entry-header">Undated</h3><div class="entry-body"><p>No date anywhere.</p></div></div></body></html>`,
		}
		for name, body := range pages {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		r, err := New(dir, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		var reasons []string
		for {
			it, err := r.Next()
			if err != nil {
				if !errors.Is(err, gazette.ErrInvalid) || !strings.Contains(err.Error(), dir) {
					t.Errorf("after the last page: %v, want an invalid-input error naming the folder", err)
				}
				break
			}
			reasons = append(reasons, it.Skipped)
		}
		if got := strings.Join(reasons, "|"); got != skipNoDate+"|"+skipIndex {
			t.Errorf("skipped for %q", got)
		}
	})
	t.Run("empty folder", func(t *testing.T) {
		if _, err := New(t.TempDir(), time.UTC); !errors.Is(err, gazette.ErrInvalid) {
			t.Errorf("got %v, want an invalid-input error", err)
		}
	})
}

// TestLatin1 reads a page in ISO-8859-1, as it says in its meta element.
func TestLatin1(t *testing.T) {
	page := "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><title>Blog: Caf\xe9</title></head><body>" +
		"<div class=\"entry\"><h3 class=\"entry-header\">Caf\xe9</h3><div class=\"entry-body\"><p>Cr\xe8me br\xfbl\xe9e.</p></div>" +
		"<p class=\"entry-footer\"><span class=\"post-footers\">Posted by Jos\xe9 on April 16, 2006 10:57 AM</span></p></div></body></html>"
	it, skip, err := Page([]byte(page), "", "/2006/04/cafe.html", time.UTC)
	if err != nil || skip != "" {
		t.Fatalf("got %v, skipped for %q", err, skip)
	}
	e := it.Entry
	if e.Title != "Café" || gazette.PlainText(e.Body) != "Crème brûlée." || e.Author.Name != "José" || e.PublishedAt.Format(time.RFC3339) != "2006-04-16T10:57:00Z" {
		t.Errorf("got %q, %q by %q at %v", e.Title, gazette.PlainText(e.Body), e.Author.Name, e.PublishedAt)
	}
}

// classicPage is an entry page of Movable Type's first default templates,
// which name no topic.
func classicPage(title, date, posted, body string) string {
	return `<html><head><title>Old Blog: ` + title + `</title></head><body><div id="content">
<h2 class="date">` + date + `</h2><div class="blogbody"><h3 class="title">` + title + `</h3>
<p>` + body + `</p><div class="posted">Posted by Ann at ` + posted + `</div></div></div>
<div id="links"><a href="http://old.example/blog/2007/03/one.html">Recent: One</a></div></body></html>`
}

// classicArchive lists entries as Movable Type's archives did, under the
// given title, each with its comments link.
func classicArchive(title string, entries ...string) string {
	b := `<html><head><title>Old Blog: ` + title + `</title></head><body><div class="content">`
	for _, e := range entries {
		b += `<h2 class="date">March 11, 2007</h2><h3>` + e + `</h3><p>Words.</p>
<p class="posted">Posted by Ann at 1:05 PM | <a href="http://old.example/blog/2007/03/` + e + `.html#comments">Comments (0)</a></p>`
	}
	return b + `</div><div id="links"><a href="http://old.example/blog/2007/03/three.html">Recent: Three</a></div></body></html>`
}

// TestTopicArchives: entries whose pages name no topic get the topics
// whose archive pages list them; the archives' addresses are kept for the
// topics; month and author archives give no topic.
func TestTopicArchives(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"2007/03/one.html":      classicPage("one", "March 11, 2007", "March 11, 2007 01:05 PM", "First."),
		"2007/03/two.html":      classicPage("two", "March 12, 2007", "March 12, 2007 01:05 PM", "Second."),
		"2007/03/three.html":    classicPage("three", "March 13, 2007", "March 13, 2007 01:05 PM", "Third."),
		"iran/index.html":       classicArchive("Iran Archives", "one", "two"),
		"archives/cat_war.html": classicArchive("War Archives", "two"),
		"2007/03/index.html":    classicArchive("March 2007 Archives", "one", "two", "three"),
		"ann/index.html":        classicArchive("Posts by Ann", "one", "two", "three"),
		"monthly/index.html":    classicArchive("March 2007 Archives", "one", "two", "three"),
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := New(dir, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	entries, _, terms := readAll(t, r)
	items := map[string]string{}
	for _, it := range entries {
		var names []string
		for _, tp := range it.Entry.Topics {
			names = append(names, tp.Name)
		}
		items[it.Entry.Title] = strings.Join(names, ", ")
	}
	if got, want := strings.Join(terms, "|"), "War /archives/cat_war.html|Iran /iran/index.html"; got != want {
		t.Errorf("topics %q, want %q", got, want)
	}
	for title, want := range map[string]string{"one": "Iran", "two": "War, Iran", "three": ""} {
		if items[title] != want {
			t.Errorf("entry %q: topics %q, want %q", title, items[title], want)
		}
	}
}
