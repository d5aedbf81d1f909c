package feed

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// feedparserScript reads each file named on its command line with Python's
// feedparser and prints what it made of it as one JSON line.
const feedparserScript = `
import json, sys, feedparser
for path in sys.argv[1:]:
    # The hostile bodies make feedparser's own HTML sanitiser crash
    # (sgmllib on "<!DOCTYPE x [ &..."), after the XML was read; the XML is
    # what is under test, so those files are read without it.
    hostile = "naughty" in path
    d = feedparser.parse(path, sanitize_html=not hostile, resolve_relative_uris=not hostile)
    print(json.dumps({
        "bozo": int(d.bozo),
        "exception": str(d.get("bozo_exception", "")),
        "title": d.feed.get("title", ""),
        "entries": [{"id": e.get("id", ""), "title": e.get("title", ""), "link": e.get("link", ""),
                     "author": e.get("author", "")} for e in d.entries],
    }))
`

// TestFeedparser runs Debian's python3-feedparser, the second independent
// reader, over the Atom and RSS feeds and wants bozo == 0: no well-formedness or
// encoding problem at all.
func TestFeedparser(t *testing.T) {
	python := ""
	// Debian's package is for the system interpreter, which a python3
	// earlier on PATH (pyenv, a virtualenv) may hide.
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import feedparser").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		t.Skip("no python3 with feedparser (Debian: apt-get install python3-feedparser)")
	}
	dir := t.TempDir()
	var paths []string
	feeds := map[string]*Feed{"entries": testFeed(t), "comments": testCommentFeed(t)}
	for i, f := range naughtyFeeds(t) {
		feeds["naughty"+strconv.Itoa(i)] = f
	}
	for name, f := range feeds {
		// feedparser 6.0 (Debian 12) reads no JSON Feed; gofeed and
		// encoding/json check that format.
		for _, fm := range formats[:2] {
			p := filepath.Join(dir, name+"."+fm.name)
			if err := os.WriteFile(p, write(t, f, fm), 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
	}
	cmd := exec.Command(python, append([]string{"-c", feedparserScript}, paths...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("feedparser: %v\n%s", err, stderr.Bytes())
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for _, p := range paths {
		var got struct {
			Bozo      int
			Exception string
			Title     string
			Entries   []struct{ ID, Title, Link, Author string }
		}
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("reading feedparser's answer for %s: %v", p, err)
		}
		name := filepath.Base(p)
		if got.Bozo != 0 {
			t.Errorf("%s: bozo = %d: %s", name, got.Bozo, got.Exception)
		}
		f := feeds[name[:len(name)-len(filepath.Ext(name))]]
		if strings.HasPrefix(name, "naughty") {
			continue // well-formedness is the point; values are TestNaughty's
		}
		if len(got.Entries) != len(f.Items) {
			t.Fatalf("%s: %d entries, want %d", name, len(got.Entries), len(f.Items))
		}
		for i, it := range f.Items {
			e := got.Entries[i]
			if e.Link != it.URL {
				t.Errorf("%s entry %d: link %q, want %q", name, i, e.Link, it.URL)
			}
			wantID := it.ID
			if filepath.Ext(name) == ".rss" {
				wantID = it.URL
			}
			if e.ID != wantID {
				t.Errorf("%s entry %d: id %q, want %q", name, i, e.ID, wantID)
			}
			if e.Author != it.Authors[0].Name {
				t.Errorf("%s entry %d: author %q, want %q", name, i, e.Author, it.Authors[0].Name)
			}
			// Titles with markup-like text are where readers differ (the
			// fixture's first title is one); plain ones must survive.
			if i > 0 && e.Title != it.Title {
				t.Errorf("%s entry %d: title %q, want %q", name, i, e.Title, it.Title)
			}
		}
	}
}
