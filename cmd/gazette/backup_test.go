package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// addMedia stores a file in the blog's media folder and its record in the
// store, in that order, as an upload in the authors' area does.
func addMedia(t *testing.T, dataDir, urlPath, ctype string, data []byte) {
	t.Helper()
	file := filepath.Join(dataDir, "media", filepath.FromSlash(strings.TrimPrefix(urlPath, "/media/")))
	if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o640); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dataDir, "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateMedia(ctx, &gazette.Media{Path: urlPath, Type: ctype, Size: int64(len(data)), Alt: "a test file"}); err != nil {
		t.Fatal(err)
	}
}

// randomBytes returns n bytes that do not compress, so that they stand in
// a backup as they are.
func randomBytes(n int, seed uint64) []byte {
	r := rand.NewChaCha8([32]byte{byte(seed)})
	b := make([]byte, n)
	r.Read(b)
	return b
}

// blogWithMedia makes a demo blog with two media files, backs it up while
// it is served, and returns the backup's file and the files by address.
func blogWithMedia(t *testing.T) (string, map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	_, stop := startServe(t, dir, "--demo")
	files := map[string][]byte{
		"/media/2026/01/photo-x1y2.png":     nil,
		"/media/2026/02/report-a7b8.pdf":    append([]byte("%PDF-1.4\n"), randomBytes(64<<10, 1)...),
		"/media/2026/02/sub/notes-c3d4.txt": []byte("Notes on the move.\n"),
	}
	png := filepath.Join(t.TempDir(), "p.png")
	writePNG(t, png, 40, 30)
	data, err := os.ReadFile(png)
	if err != nil {
		t.Fatal(err)
	}
	files["/media/2026/01/photo-x1y2.png"] = data
	for p, data := range files {
		addMedia(t, dir, p, http.DetectContentType(data), data)
	}
	backup := filepath.Join(t.TempDir(), "blog.backup")
	out, err := gazetteRun(t, dir, "backup", backup)
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !strings.Contains(out, "3 media files") {
		t.Errorf("backup says %q, want it to count 3 media files", out)
	}
	if _, err := gazetteRun(t, dir, "backup", backup); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a backup over an existing file: %v, want a refusal saying it exists", err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	return backup, files
}

// TestBackupMedia backs up a blog with uploads, restores it into a new
// directory and reads every file from the restored blog's server.
func TestBackupMedia(t *testing.T) {
	backup, files := blogWithMedia(t)
	m := readManifest(t, backup)
	if m.Format != 1 || m.Gazette != version || m.Created.IsZero() || m.Counts.Files != 3 || m.Counts.Media != 3 ||
		m.Counts.Entries == 0 || m.Counts.Comments == 0 || len(m.Members) != 4 || m.Members[0].Name != "gazette.db" {
		t.Errorf("manifest: %+v", m)
	}

	// A data directory a first start left (an empty database) takes it.
	fresh := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(fresh, "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, err := gazetteRun(t, fresh, "restore", backup)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if !strings.Contains(out, "3 media files") {
		t.Errorf("restore says %q", out)
	}
	base, stop := startServe(t, fresh)
	defer stop()
	for p, want := range files {
		status, got := get(t, base+p)
		if status != http.StatusOK || got != string(want) {
			t.Errorf("GET %s from the restored blog: status %d, %d bytes; want 200 and the %d bytes uploaded", p, status, len(got), len(want))
		}
	}
	if status, _ := get(t, base+seedPath); status != http.StatusOK {
		t.Errorf("GET the seed entry from the restored blog: status %d", status)
	}

	// A directory with a blog, or with any other file, is refused.
	if _, err := gazetteRun(t, fresh, "restore", backup); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore into a directory with a blog: %v, want a refusal saying it is not empty", err)
	}
	other := t.TempDir()
	writeFile(t, filepath.Join(other, "notes.txt"), "mine")
	if _, err := gazetteRun(t, other, "restore", backup); err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("restore into a directory with a file: %v, want a refusal naming the file", err)
	}
	withDB := t.TempDir()
	addAuthor(t, withDB, "Richard", "richard@example.org", "a long password", gazette.RoleAdmin)
	if _, err := gazetteRun(t, withDB, "restore", backup); err == nil || !strings.Contains(err.Error(), "holds a blog") {
		t.Errorf("restore over a database with an author: %v, want a refusal saying it holds a blog", err)
	}
}

// readManifest reads the manifest of a backup as any tar reader would.
func readManifest(t *testing.T, backup string) manifest {
	t.Helper()
	f, err := os.Open(backup)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var m manifest
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Name == "manifest.json" {
			if err := json.NewDecoder(tr).Decode(&m); err != nil {
				t.Fatal(err)
			}
		}
	}
	return m
}

// TestBackupDamaged: a backup with one byte changed, or cut short, is
// refused with a message naming the damaged member, and nothing is put in
// place.
func TestBackupDamaged(t *testing.T) {
	backup, files := blogWithMedia(t)
	good, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	pdf := files["/media/2026/02/report-a7b8.pdf"]
	inPDF := bytes.Index(good, pdf[30000:30064])
	if inPDF < 0 {
		t.Fatal("the random part of the PDF is not in the backup as it is")
	}
	for _, tc := range []struct {
		name   string
		damage func([]byte) []byte
		want   string
	}{
		{"a byte of a media file", func(b []byte) []byte { b[inPDF+10] ^= 0x20; return b }, "member media/2026/02/report-a7b8.pdf"},
		{"a byte of the database", func(b []byte) []byte { b[1000] ^= 0x01; return b }, "member gazette.db"},
		{"cut short", func(b []byte) []byte { return b[:len(b)-200] }, "manifest"},
		{"not a backup", func([]byte) []byte { return []byte("hello") }, "not a gazette backup"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.backup")
			if err := os.WriteFile(bad, tc.damage(bytes.Clone(good)), 0o644); err != nil {
				t.Fatal(err)
			}
			fresh := t.TempDir()
			_, err := gazetteRun(t, fresh, "restore", bad)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("restore: %v, want an error naming %q", err, tc.want)
			}
			t.Log(err)
			left, err := os.ReadDir(fresh)
			if err != nil {
				t.Fatal(err)
			}
			if len(left) != 0 {
				t.Errorf("the refused restore left %s in the data directory", left[0].Name())
			}
		})
	}
}

// TestRestoreBareDatabase restores a backup of the first versions, the bare
// SQLite copy, detected by its first bytes.
func TestRestoreBareDatabase(t *testing.T) {
	dir := t.TempDir()
	base, stop := startServe(t, dir, "--demo")
	get(t, base+seedPath)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	addComment(t, dir, seedPath)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(t.TempDir(), "old.db")
	err = db.Backup(ctx, old)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	fresh := t.TempDir()
	if _, err := gazetteRun(t, fresh, "restore", old); err != nil {
		t.Fatalf("restore of a bare database: %v", err)
	}
	out, err := gazetteRun(t, fresh, "comments", "list")
	if err != nil || !strings.Contains(out, "Mary Reader") {
		t.Errorf("comments in the restored blog: %q, %v", out, err)
	}
}

// TestBackupDuringCommentStream takes a backup while readers post comments
// as fast as the server takes them, and finds every comment acknowledged
// before the backup began in the restored blog.
func TestBackupDuringCommentStream(t *testing.T) {
	dir := t.TempDir()
	base, stop := startServe(t, dir, "--demo")
	defer stop()
	changeSettings(t, dir, func(s *gazette.Settings) {
		s.TokenMinAge, s.RatePerMinute, s.Moderation, s.SpamFilter = 0, 0, gazette.ModerateNone, false
	})

	var (
		mu      sync.Mutex
		acked   []string
		failure error
	)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	// Posters share the entry page, whose cached copy shows one form token
	// until a comment changes it, and a token is good for one comment: the
	// second post with it is refused (409), not acknowledged.
	refused := 0
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			for i := 0; ctx.Err() == nil; i++ {
				body := fmt.Sprintf("Stream comment %d from poster %d.", i, w)
				ok, why := postOnce(c, base, body)
				mu.Lock()
				switch {
				case ok:
					acked = append(acked, body)
				case why == "POST: 409 Conflict":
					refused++
				case failure == nil && ctx.Err() == nil:
					failure = errors.New(why)
				}
				mu.Unlock()
			}
		}()
	}
	// Let the stream run, then note what was acknowledged: all of it must be
	// in the backup.
	for {
		mu.Lock()
		n, f := len(acked), failure
		mu.Unlock()
		if f != nil {
			cancel()
			wg.Wait()
			t.Fatalf("a post failed before the backup: %v", f)
		}
		if n >= 40 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()
	backup := filepath.Join(t.TempDir(), "blog.backup")
	_, err := gazetteRun(t, dir, "backup", backup)
	mu.Lock()
	during := len(acked) - len(before)
	mu.Unlock()
	cancel()
	wg.Wait()
	if err != nil {
		t.Fatalf("backup during the stream: %v", err)
	}
	if failure != nil {
		t.Errorf("a post failed: %v", failure)
	}
	t.Logf("%d comments acknowledged before the backup began, %d while it ran; %d posts refused for a used token", len(before), during, refused)

	fresh := t.TempDir()
	if _, err := gazetteRun(t, fresh, "restore", backup); err != nil {
		t.Fatalf("restore: %v", err)
	}
	base2, stop2 := startServe(t, fresh)
	defer stop2()
	status, page := get(t, base2+seedPath)
	if status != http.StatusOK {
		t.Fatalf("the restored blog serves the seed entry with status %d", status)
	}
	missing := 0
	for _, body := range before {
		if !strings.Contains(page, body) {
			missing++
			if missing <= 3 {
				t.Errorf("%q was acknowledged before the backup began and is not in the restored blog", body)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d comments acknowledged before the backup are missing", missing, len(before))
	}
}
