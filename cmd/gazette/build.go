package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

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
	workers := fs.Int("workers", 0, "pages built at once; 0 means one per core")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("build: want one OUTDIR, got %d arguments", fs.NArg())
	}
	out := fs.Arg(0)
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
	site, err := server.New(server.Config{Store: store, Sanitizer: sanitize.New(), Logger: logger, ThemeDir: *themeDir})
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	start := time.Now()
	show := buildProgress(e.stderr)
	res, err := export.Build(ctx, export.Config{Handler: site, BaseURL: base, Workers: *workers, Progress: show.update}, out)
	show.done()
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	fmt.Fprintf(e.stdout, "built %d pages (%.1f MB) into %s in %.1fs: %d written, %d unchanged, %d removed\n",
		res.Pages, float64(res.Bytes)/1e6, out, time.Since(start).Seconds(), res.Written, res.Unchanged, res.Removed)
	return nil
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
