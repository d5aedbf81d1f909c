package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

// startServe runs `gazette --data DIR serve --demo` on a free port, as a user
// would, and returns the base URL and a function that stops it and returns
// the command's error.
func startServe(t *testing.T, dataDir string, extra ...string) (string, func() error) {
	t.Helper()
	return startServeLogging(t, dataDir, io.Discard, extra...)
}

// startServeLogging is startServe with the server's log written to stderr.
func startServeLogging(t *testing.T, dataDir string, stderr io.Writer, extra ...string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	args := append([]string{"--data", dataDir, "serve", "--addr", "127.0.0.1:0"}, extra...)
	go func() {
		err := run(ctx, args, strings.NewReader(""), pw, stderr)
		pw.Close()
		done <- err
	}()
	lines := bufio.NewScanner(pr)
	base := ""
	re := regexp.MustCompile(`serving (http://[^/ ]+)/`)
	for lines.Scan() {
		if m := re.FindStringSubmatch(lines.Text()); m != nil {
			base = m[1]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if base == "" {
		cancel()
		t.Fatalf("serve did not start: %v", <-done)
	}
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(15 * time.Second):
			t.Fatal("serve did not stop within 15 s of its context ending")
			return nil
		}
	}
	return base, stop
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

const seedPath = "/archives/2007/03/iranian_general_that_defected_was_spy_for_west.html"

// TestServeDemoSeedPage runs the README's first command and reads the seed
// entry's page: every element of the 2007 page, in the 2007 page's order.
func TestServeDemoSeedPage(t *testing.T) {
	base, stop := startServe(t, t.TempDir(), "--demo")
	status, page := get(t, base+seedPath)
	if status != http.StatusOK {
		t.Fatalf("GET %s: status %d", seedPath, status)
	}
	text := gazette.PlainText(page)
	want := []string{
		"Latest Entry:", "American Pravda and New York's Sixth Crime Family",
		"Latest Comments:", "Talk Back Here",
		"« Muslim Council Of Britain Has Plans For \"Sensitizing\" the schools", "Main", "Iran Talks - Democrats listen, Democrats Talk - Iran Listens »",
		"March 11, 2007",
		"Iranian General That Defected Was Spy For West",
		"Topics: Iran",
		"It sounds almost like a spy novel",
		"A daring getaway via Damascus",
		"Related reading: Iran's Dissenters",
		"Posted by Richard at March 11, 2007 1:05 PM",
		"Posted by:",
		"Articles Related to Iran:",
	}
	pos := 0
	for _, w := range want {
		i := strings.Index(text[pos:], w)
		if i < 0 {
			if j := strings.Index(text, w); j >= 0 {
				t.Errorf("%q is on the page, but out of the seed's order (at %d, before %d)", w, j, pos)
			} else {
				t.Errorf("%q is not on the page", w)
			}
			continue
		}
		pos += i + len(w)
	}
	if n := strings.Count(page, "<blockquote"); n < 2 {
		t.Errorf("the seed entry's quoted passages: %d <blockquote> elements, want at least 2", n)
	}
	for _, link := range []string{`href="/comments/"`, `href="/topics/iran/"`, `href="/authors/richard/"`, `href="/"`} {
		if !strings.Contains(page, link) {
			t.Errorf("the page has no link %s", link)
		}
	}
	if err := stop(); err != nil {
		t.Errorf("serve returned %v after its context ended, want nil", err)
	}
}

// TestServeDemoKeepsExistingBlog: --demo fills only an empty blog, so a
// second start neither duplicates the demo nor touches a blog with entries.
func TestServeDemoKeepsExistingBlog(t *testing.T) {
	dir := t.TempDir()
	// Pages name their absolute address, which is the listening one when
	// the blog sets no base URL; it changes between starts.
	base, stop := startServe(t, dir, "--demo")
	_, home1 := get(t, base+"/archives/")
	home1 = strings.ReplaceAll(home1, base, "")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	base, stop = startServe(t, dir, "--demo")
	_, home2 := get(t, base+"/archives/")
	home2 = strings.ReplaceAll(home2, base, "")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if home1 != home2 {
		t.Error("the archive index changed on the second --demo start; the demo was imported twice")
	}
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "blog.txt")
	writeFile(t, export, `AUTHOR: Richard
TITLE: First post
STATUS: Publish
CONVERT BREAKS: 1
PRIMARY CATEGORY: Iran
DATE: 03/11/2007 01:05:00 PM
-----
BODY:
Hello, world.

A second paragraph.
-----
COMMENT:
AUTHOR: Reader
DATE: 03/11/2007 02:00:00 PM
Nice one.
-----
--------
`)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--data", dir, "import", export}, nil, &out, io.Discard); err != nil {
		t.Fatalf("import: %v", err)
	}
	if !strings.Contains(out.String(), "1 entries") && !strings.Contains(out.String(), "1 entry") {
		t.Errorf("summary %q does not count the one entry", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"--data", dir, "import", export}, nil, &out, io.Discard); err != nil {
		t.Fatalf("second import: %v", err)
	}
	if !strings.Contains(out.String(), "1 already present") {
		t.Errorf("second import's summary %q does not say the entry was already present", out.String())
	}

	bad := filepath.Join(dir, "bad.txt")
	writeFile(t, bad, "AUTHOR: Richard\nTITLE: Broken\nDATE: 13/45/2007 01:05:00 PM\n-----\nBODY:\nx\n-----\n--------\n")
	err := run(context.Background(), []string{"--data", dir, "import", bad}, nil, io.Discard, io.Discard)
	if err == nil {
		t.Fatal("importing a file with a bad DATE succeeded")
	}
	for _, w := range []string{"bad.txt:3", "DATE", "nothing was imported"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}

	err = run(context.Background(), []string{"--data", dir, "import", filepath.Join(dir, "missing.txt")}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("importing a missing file: %v, want an error naming it", err)
	}
}

func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	base, stop := startServe(t, dir, "--demo")
	_, before := get(t, base+seedPath)
	// The absolute address changes between starts, and each showing of the
	// comment form has a token of its own.
	before = formTokenRE.ReplaceAllString(strings.ReplaceAll(before, base, ""), "TOKEN")
	backup := filepath.Join(t.TempDir(), "blog.backup")
	// The backup is taken while the server runs.
	if err := run(context.Background(), []string{"--data", dir, "backup", backup}, nil, io.Discard, io.Discard); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	fresh := t.TempDir()
	if err := run(context.Background(), []string{"--data", fresh, "restore", backup}, nil, io.Discard, io.Discard); err != nil {
		t.Fatalf("restore: %v", err)
	}
	base, stop = startServe(t, fresh)
	status, after := get(t, base+seedPath)
	after = formTokenRE.ReplaceAllString(strings.ReplaceAll(after, base, ""), "TOKEN")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if status != http.StatusOK || after != before {
		t.Errorf("the restored blog serves the seed page with status %d and %d bytes; before the backup it had %d bytes", status, len(after), len(before))
	}
	notDB := filepath.Join(dir, "not-a-db")
	writeFile(t, notDB, "hello")
	if err := run(context.Background(), []string{"--data", fresh, "restore", notDB}, nil, io.Discard, io.Discard); err == nil {
		t.Error("restoring from a file that is not a backup succeeded")
	}
}

func TestCommandErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", dir}, "no command"},
		{[]string{"--data", dir, "frobnicate"}, "unknown command"},
		{[]string{"--data", dir, "import"}, "want one FILE"},
		{[]string{"--data", dir, "export", "--format", "xml"}, "want mt or wxr"},
		{[]string{"--data", dir, "export"}, "--format is required"},
		{[]string{"--data", dir, "build"}, "want one OUTDIR"},
		{[]string{"--data", dir, "serve", "--db", "postgres://u:secret@127.0.0.1:1/blog"}, "cannot reach the database"},
	} {
		err := run(context.Background(), tc.args, nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("gazette %s: error %v, want one saying %q", strings.Join(tc.args[2:], " "), err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("gazette %s: the error shows the database password: %v", strings.Join(tc.args[2:], " "), err)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
