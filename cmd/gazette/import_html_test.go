package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

// blogEntries returns the published entries of the blog in dir, with their
// approved comments, by title.
func blogEntries(t *testing.T, dir string) (map[string]*gazette.Entry, map[string][]*gazette.Comment) {
	t.Helper()
	ctx := context.Background()
	store, err := (&env{dataDir: dir}).openStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	list, _, err := store.Entries(ctx, gazette.EntryFilter{Status: gazette.StatusPublished, Kind: gazette.KindEntry})
	if err != nil {
		t.Fatal(err)
	}
	entries := map[string]*gazette.Entry{}
	comments := map[string][]*gazette.Comment{}
	for _, e := range list {
		entries[e.Title] = e
		cs, _, err := store.Comments(ctx, gazette.CommentFilter{EntryID: e.ID, Status: gazette.CommentApproved})
		if err != nil {
			t.Fatal(err)
		}
		comments[e.Title] = cs
	}
	return entries, comments
}

// TestImportHTMLFromOwnThemes publishes the demo blog with each of gazette's
// themes, saves every entry's page (and the front page) into a folder as a
// mirror would, recovers the blog from that folder into an empty one, and
// compares the two.
func TestImportHTMLFromOwnThemes(t *testing.T) {
	src := t.TempDir()
	base, stop := startServe(t, src, "--demo")
	get(t, base+"/")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	want, wantComments := blogEntries(t, src)
	if len(want) < 5 {
		t.Fatalf("the demo blog has %d entries", len(want))
	}
	for _, theme := range []string{"default", "classic"} {
		t.Run(theme, func(t *testing.T) {
			setTheme(t, src, theme)
			base, stop := startServe(t, src)
			pages := filepath.Join(t.TempDir(), "site")
			save := func(path, file string) {
				status, body := get(t, base+path)
				if status != http.StatusOK {
					t.Fatalf("GET %s: %d", path, status)
				}
				name := filepath.Join(pages, filepath.FromSlash(file))
				if err := os.MkdirAll(filepath.Dir(name), 0o750); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(name, []byte(body), 0o640); err != nil {
					t.Fatal(err)
				}
			}
			for _, e := range want {
				save(e.Path, e.Path)
			}
			save("/", "index.html")
			if err := stop(); err != nil {
				t.Fatal(err)
			}

			dst := t.TempDir()
			var out strings.Builder
			if err := run(context.Background(), []string{"--data", dst, "import", pages}, strings.NewReader(""), &out, io.Discard); err != nil {
				t.Fatalf("import: %v", err)
			}
			if !strings.Contains(out.String(), "skipped 1 other item (index or archive page)") {
				t.Errorf("summary %q does not count the front page as skipped", out.String())
			}
			t.Log(out.String())
			got, gotComments := blogEntries(t, dst)
			if len(got) != len(want) {
				t.Errorf("recovered %d entries, want %d", len(got), len(want))
			}
			for title, w := range want {
				g := got[title]
				if g == nil {
					t.Errorf("entry %q not recovered", title)
					continue
				}
				if !g.PublishedAt.Equal(w.PublishedAt) {
					t.Errorf("%q: published %v, want %v", title, g.PublishedAt, w.PublishedAt)
				}
				if g.Author.Name != w.Author.Name {
					t.Errorf("%q: author %q, want %q", title, g.Author.Name, w.Author.Name)
				}
				if gt, wt := topicNames(g.Topics), topicNames(w.Topics); gt != wt {
					t.Errorf("%q: topics %q, want %q", title, gt, wt)
				}
				wantText := gazette.PlainText(w.BodyHTML + "\n" + w.ExtendedHTML)
				if gotText := gazette.PlainText(g.BodyHTML + "\n" + g.ExtendedHTML); words(gotText) != words(wantText) {
					t.Errorf("%q: body text\n%q\nwant\n%q", title, gotText, wantText)
				}
				gc, wc := gotComments[title], wantComments[title]
				if len(gc) != len(wc) {
					t.Errorf("%q: %d comments, want %d", title, len(gc), len(wc))
					continue
				}
				sort.Slice(gc, func(i, j int) bool { return gc[i].CreatedAt.Before(gc[j].CreatedAt) })
				sort.Slice(wc, func(i, j int) bool { return wc[i].CreatedAt.Before(wc[j].CreatedAt) })
				for i := range wc {
					if gc[i].Name != wc[i].Name || gc[i].URL != wc[i].URL || !gc[i].CreatedAt.Truncate(time.Minute).Equal(wc[i].CreatedAt.Truncate(time.Minute)) ||
						words(gazette.PlainText(gc[i].Body)) != words(gazette.PlainText(wc[i].Body)) {
						t.Errorf("%q: comment %d is %q %q %v %q, want %q %q %v %q", title, i,
							gc[i].Name, gc[i].URL, gc[i].CreatedAt, gc[i].Body, wc[i].Name, wc[i].URL, wc[i].CreatedAt, wc[i].Body)
					}
				}
			}

			// The old addresses answer on the recovered blog.
			base, stop = startServe(t, dst)
			defer stop()
			for _, w := range want {
				if status, _ := get(t, base+w.Path); status != http.StatusOK {
					t.Errorf("GET %s on the recovered blog: %d", w.Path, status)
				}
			}
		})
	}
}

func topicNames(ts []gazette.Topic) string {
	var names []string
	for _, t := range ts {
		names = append(names, t.Name)
	}
	return strings.Join(names, ", ")
}

// words compares text without regard to how the lines were broken.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestImportHTMLURLList recovers entries from a list of addresses: refused
// on loopback without --allow-private, read with it.
func TestImportHTMLURLList(t *testing.T) {
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join("..", "..", "internal", "importer", "html", "testdata", "eightbar"))))
	defer srv.Close()
	list := filepath.Join(t.TempDir(), "urls.txt")
	urls := srv.URL + "/2006/06/16/ever-wanted-to-work-at-hursley/\n" + srv.URL + "/2006/06/17/eat-friday/\n" + srv.URL + "/2006/06/\n"
	if err := os.WriteFile(list, []byte(urls), 0o600); err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	err := run(context.Background(), []string{"--data", dst, "import", "--format", "html", list}, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "urls.txt:1") {
		t.Errorf("import from loopback without --allow-private: %v, want a refusal naming urls.txt:1", err)
	}
	var out strings.Builder
	if err := run(context.Background(), []string{"--data", dst, "import", "--format", "html", "--allow-private", list}, strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "imported 2 entries, 4 comments") || !strings.Contains(out.String(), "skipped 1 other item (index or archive page)") {
		t.Errorf("summary %q", out.String())
	}
	got, _ := blogEntries(t, dst)
	if got["Eat Friday!"] == nil || got["Ever wanted to work at Hursley?"] == nil {
		t.Errorf("entries %v", got)
	}
}
