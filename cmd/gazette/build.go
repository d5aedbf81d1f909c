package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"time"

	"github.com/gazette-blog/gazette"

	"github.com/gazette-blog/gazette/internal/export"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/server"
)

// build writes the public site into OUTDIR as static files. The copy is
// read-only: it shows the comments but no comment form, since a static
// host takes no posts (and a form's token would change every file at every
// build).
func (e *env) build(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	themeDir := fs.String("theme-dir", "", "folder whose files override the theme's templates and assets (as serve's)")
	workers := fs.Int("workers", 0, "pages built at once; 0 means one per core, two with PostgreSQL")
	full := fs.Bool("full", false, "render every page, not only those that show what changed since the last build")
	precompress := fs.Bool("precompress", true, "write a .gz and a .br copy beside each file, for servers that send precompressed files")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("build: want one OUTDIR, got %d arguments", fs.NArg())
	}
	out := fs.Arg(0)
	if *workers == 0 && e.dbURL != "" {
		// Every read waits for a round trip to the database server:
		// twice as many pages at once as cores keep the cores busy
		// meanwhile (docs/PERFORMANCE.md has the figures).
		*workers = 2 * runtime.NumCPU()
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	st, err := store.Settings(ctx)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	base := st.BaseURL
	if base == "" {
		base = "http://localhost"
		fmt.Fprintln(e.stderr, "gazette: the blog has no base URL setting: its links point at http://localhost/")
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// A build's garbage is each page's, a few megabytes at a time: the
	// collector runs less often, against a ceiling on the heap, unless the
	// environment says otherwise (docs/PERFORMANCE.md has the figures).
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(buildGCPercent))
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(buildMemoryLimit))
		defer followLiveHeap()()
	}
	// The site's clock stands still for the build, so that every page
	// shows the blog as it is at one time and the reads that every page
	// makes alike are made once.
	now := time.Now()
	site, err := server.New(server.Config{Store: export.ReadOnce(store), Sanitizer: sanitize.New(), Logger: logger,
		ThemeDir: *themeDir, Now: func() time.Time { return now }})
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	start := time.Now()
	fingerprint, err := buildFingerprint(*themeDir)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	journal, _ := store.(gazette.ChangeJournal)
	redirects, err := store.Redirects(ctx)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	old := make([]string, 0, len(redirects))
	for _, r := range redirects {
		old = append(old, r.Path)
	}
	show := buildProgress(e.stderr)
	res, err := export.Build(ctx, export.Config{Handler: site, BaseURL: base, Workers: *workers, Progress: show.update,
		Journal: journal, Fingerprint: fingerprint, Full: *full, Uncompressed: !*precompress, Redirects: old}, out)
	show.done()
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	how := "incremental"
	if res.Full != "" {
		how = "full: " + res.Full
	}
	moved := ""
	if res.Redirects > 0 {
		moved = fmt.Sprintf("; %d of them lead from old addresses", res.Redirects)
	}
	fmt.Fprintf(e.stdout, "built %d pages (%.1f MB%s) into %s in %.2fs: %d written, %d unchanged, %d removed, %d rendered (%s)\n",
		res.Pages, float64(res.Bytes)/1e6, moved, out, time.Since(start).Seconds(), res.Written, res.Unchanged, res.Removed, res.Rendered, how)
	return nil
}

// The collector's settings for a build: the heap grows to five times what
// is live (some 30 MB for a blog of 10,000 entries) before a collection,
// but no further than the limit.
const (
	buildGCPercent   = 400
	buildMemoryLimit = 192 << 20
)

// followLiveHeap raises the build's memory limit to twice the live heap
// whenever the heap outgrows half of it, until the function it returns is
// called. What a build keeps grows with the blog (a record of each page
// for the next build), and under a limit near the live heap the collector
// runs again and again: on a blog of 100,000 entries, half the build's CPU.
func followLiveHeap() (stop func()) {
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		limit := uint64(buildMemoryLimit)
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(live)
			if n := live[0].Value.Uint64(); 2*n > limit {
				limit = 2 * n
				debug.SetMemoryLimit(int64(limit))
			}
		}
	}()
	return func() {
		close(done)
		<-exited // no limit set after the caller restores its own
	}
}

// buildFingerprint names what a build's pages are made with besides the
// blog's content, so that a build by another program or with other theme
// files renders everything: a hash of this program's file and of the
// theme folder's files.
func buildFingerprint(themeDir string) (string, error) {
	h := sha256.New()
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("reading this program's file: %w", err)
	}
	if err := hashFile(h, exe); err != nil {
		return "", err
	}
	if themeDir != "" {
		err := filepath.WalkDir(themeDir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			fmt.Fprintf(h, "\x00%s\x00", filepath.ToSlash(path))
			return hashFile(h, path)
		})
		if err != nil {
			return "", fmt.Errorf("reading the theme folder: %w", err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(h hash.Hash, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(h, f)
	return err
}

// pageProgress shows a build's progress on a terminal, on one rewritten
// line, and stays silent when stderr is a file or pipe.
type pageProgress struct {
	w     io.Writer
	tty   bool
	last  time.Time
	shown bool
}

func buildProgress(w io.Writer) *pageProgress {
	p := &pageProgress{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

// update is called by every worker, under the build's lock.
func (p *pageProgress) update(done, found int) {
	if !p.tty || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\rbuilding: %d of %d pages found so far ", done, found)
	p.shown = true
}

func (p *pageProgress) done() {
	if p.shown {
		fmt.Fprintln(p.w)
	}
}
