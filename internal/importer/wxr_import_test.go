package importer_test

import (
	"context"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/importer"
	"github.com/gazette-blog/gazette/internal/importer/blogger"
	"github.com/gazette-blog/gazette/internal/importer/wxr"
)

// sharedData holds the exports whose licences do not let them be copied
// here (the WordPress theme unit test data declares none).
const sharedData = "../../../shared/testdata"

func sharedFile(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(sharedData, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is absent (../shared/testdata is not part of the repository): %v", p, err)
	}
	return p
}

func importWith(t *testing.T, store gazette.Store, path string, r importer.Reader) (importer.Summary, error) {
	t.Helper()
	return importer.Import(context.Background(), store, newPublisher(), r, importer.Options{})
}

func openReader(t *testing.T, path string) io.Reader {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestImportEveryExport imports every WordPress and Blogger export of the
// fixtures; the deliberately malformed one fails and leaves the store empty.
func TestImportEveryExport(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedData, "wxr", "*", "*.x*"))
	more, _ := filepath.Glob(filepath.Join(sharedData, "wxr", "*", "*.wxr"))
	bl, _ := filepath.Glob(filepath.Join(sharedData, "blogger", "*", "*.xml"))
	files = append(append(files, more...), bl...)
	if len(files) == 0 {
		t.Skip("../shared/testdata is absent")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			store := openStore(t)
			var r importer.Reader = wxr.New(openReader(t, path), path, time.UTC)
			if strings.Contains(path, "blogger") {
				r = blogger.New(openReader(t, path), path)
			}
			sum, err := importWith(t, store, path, r)
			_, n, lerr := store.Entries(context.Background(), gazette.EntryFilter{Kind: gazette.AnyKind})
			if lerr != nil {
				t.Fatal(lerr)
			}
			if filepath.Base(path) == "crazy-cdata.xml" {
				if err == nil || !strings.Contains(err.Error(), "crazy-cdata.xml:18:") {
					t.Errorf("err = %v, want an error at line 18", err)
				}
				if n != 0 {
					t.Errorf("%d entries stored after a failed import", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 || n != sum.Entries {
				t.Errorf("store holds %d entries, summary says %d", n, sum.Entries)
			}
			t.Log(sum)
		})
	}
}

// TestThemeUnitTestData derives from the XML itself how many posts, pages,
// comments, categories and tags the WordPress theme unit test data holds,
// and finds them all in the store, with every reply still answering its
// comment.
func TestThemeUnitTestData(t *testing.T) {
	path := sharedFile(t, "wxr/theme-test-data/themeunittestdata.wordpress.xml")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	src := string(raw)
	field := func(item, name string) string {
		m := regexp.MustCompile(`<wp:` + name + `>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</wp:` + name + `>`).FindStringSubmatch(item)
		if m == nil {
			return ""
		}
		return m[1]
	}
	var posts, pages, comments, replies int
	for _, item := range regexp.MustCompile(`(?s)<item>.*?</item>`).FindAllString(src, -1) {
		typ, status := field(item, "post_type"), field(item, "status")
		if status == "trash" || status == "auto-draft" {
			continue
		}
		switch typ {
		case "post":
			posts++
		case "page":
			pages++
		default:
			continue
		}
		for _, c := range regexp.MustCompile(`(?s)<wp:comment>.*?</wp:comment>`).FindAllString(item, -1) {
			kind := field(c, "comment_type")
			if kind == "pingback" || kind == "trackback" {
				continue
			}
			comments++
			if p := field(c, "comment_parent"); p != "" && p != "0" {
				replies++
			}
		}
	}
	categories := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?s)<wp:cat_name>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</wp:cat_name>`).FindAllStringSubmatch(src, -1) {
		categories[m[1]] = true
	}
	// Tags are those defined at the top and those posts use without.
	tagSet := map[string]bool{}
	for _, re := range []string{`(?s)<wp:tag_name>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</wp:tag_name>`,
		`(?s)<category domain="post_tag"[^>]*>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</category>`} {
		for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(src, -1) {
			tagSet[html.UnescapeString(m[1])] = true
		}
	}
	tags := len(tagSet)
	if posts == 0 || pages == 0 || comments == 0 || replies == 0 || len(categories) == 0 || tags == 0 {
		t.Fatalf("the XML gave posts %d, pages %d, comments %d, replies %d, categories %d, tags %d",
			posts, pages, comments, replies, len(categories), tags)
	}

	store := openStore(t)
	sum, err := importWith(t, store, path, wxr.New(openReader(t, path), path, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, gotPosts, _ := store.Entries(ctx, gazette.EntryFilter{})
	_, gotPages, _ := store.Entries(ctx, gazette.EntryFilter{Kind: gazette.KindPage})
	stored, gotComments, _ := store.Comments(ctx, gazette.CommentFilter{})
	gotReplies := 0
	for _, c := range stored {
		if c.ParentID != 0 {
			parent, err := store.Comment(ctx, c.ParentID)
			if err != nil || parent.EntryID != c.EntryID {
				t.Errorf("comment %d answers %d, which is not on its entry (%v)", c.ID, c.ParentID, err)
			}
			gotReplies++
		}
	}
	topics, _ := store.Topics(ctx, time.Time{})
	nested := 0
	for _, tp := range topics {
		if tp.ParentID != 0 {
			nested++
		}
	}
	checks := []struct {
		what      string
		got, want int
	}{
		{"posts", gotPosts, posts},
		{"pages", gotPages, pages},
		{"comments", gotComments, comments},
		{"replies", gotReplies, replies},
		{"topics", len(topics), len(categories)},
		{"tags", sum.Tags, tags},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %d in the store, %d in the XML", c.what, c.got, c.want)
		}
	}
	if nested == 0 {
		t.Error("no topic has a parent; the category hierarchy was lost")
	}
	t.Log(sum)
}
