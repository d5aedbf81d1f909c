package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/importer"
	"github.com/gazette-blog/gazette/internal/importer/blogger"
	"github.com/gazette-blog/gazette/internal/importer/movabletype"
	"github.com/gazette-blog/gazette/internal/importer/wxr"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
)

func (e *env) importFile(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "", "mt, wxr, blogger or html (detected from the content when omitted; a folder is html)")
	allowPrivate := fs.Bool("allow-private", false, "with --format html and a list of addresses: let the pages be fetched from private and loopback addresses")
	mediaDir := fs.String("media-dir", "", "a copy of the WordPress blog's wp-content/uploads, whose files are copied into media")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("import: want one FILE (gazette import [--format mt|wxr|blogger|html] [--media-dir DIR] FILE|DIR)")
	}
	name := fs.Arg(0)
	if st, err := os.Stat(name); err == nil && st.IsDir() || *format == "html" {
		if *format != "" && *format != "html" {
			return fmt.Errorf("import: %s is a folder: only --format html reads a folder (of published pages)", name)
		}
		return e.importPages(ctx, name, *allowPrivate)
	}
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	br := bufio.NewReaderSize(f, 64<<10)
	if *format == "" {
		head, _ := br.Peek(4096)
		*format = detectFormat(head)
		if *format == "" {
			return fmt.Errorf("import: %s: not a Movable Type, WordPress (WXR) or Blogger export (give --format to say which)", name)
		}
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	settings, err := store.Settings(ctx)
	if err != nil {
		return err
	}
	var r importer.Reader
	switch *format {
	case "mt":
		r = movabletype.New(br, name, settings.Location())
	case "wxr":
		r = wxr.New(br, name, settings.Location())
	case "blogger":
		r = blogger.New(br, name)
	default:
		return fmt.Errorf("import: --format %q: want mt, wxr, blogger or html", *format)
	}
	var uploads *importer.Uploads
	if *mediaDir != "" {
		if uploads, err = e.uploads(*mediaDir, *format, name); err != nil {
			return err
		}
	}
	return e.runImport(ctx, store, r, size, uploads)
}

// runImport imports what r reads into store, size bytes in all (0 when
// unknown), showing progress on a terminal, and prints the summary. Every
// format's import ends here.
func (e *env) runImport(ctx context.Context, store gazette.Store, r importer.Reader, size int64, uploads *importer.Uploads) error {
	// An import allocates fast and keeps little: collecting garbage half as
	// often takes a tenth off its time, within its memory budget.
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	start := time.Now()
	progress := newProgress(e.stderr, size)
	sum, err := importer.Import(ctx, store, publish.New(markdown.New(), sanitize.New()), r, importer.Options{
		Progress: progress.update,
		Uploads:  uploads,
	})
	progress.done()
	if err != nil {
		return fmt.Errorf("import: %w (nothing was imported)", err)
	}
	e.tellServers(ctx, store)
	fmt.Fprintf(e.stdout, "%s in %.1fs\n", sum, time.Since(start).Seconds())
	return nil
}

// uploads reads the attachments of the WordPress export name, for their
// files in dir to be copied into media.
func (e *env) uploads(dir, format, name string) (*importer.Uploads, error) {
	if format != "wxr" {
		return nil, fmt.Errorf("import: --media-dir is for WordPress exports, and %s is not one", name)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("import: --media-dir %s is not a folder (give a copy of the old blog's wp-content/uploads)", dir)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	list, err := wxr.Attachments(bufio.NewReaderSize(f, 64<<10), name)
	if err != nil {
		return nil, fmt.Errorf("import: %w (nothing was imported)", err)
	}
	return &importer.Uploads{From: dir, To: filepath.Join(e.dataDir, "media"), Attachments: list}, nil
}

// detectFormat names the format of an export from its first bytes, or
// returns "" when it is none gazette reads.
func detectFormat(head []byte) string {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if bytes.HasPrefix(trimmed, []byte("<")) {
		switch {
		case bytes.Contains(head, []byte("wordpress.org/export/")):
			return "wxr"
		case bytes.Contains(head, []byte("<feed")) && (bytes.Contains(head, []byte("blogger")) || bytes.Contains(head, []byte("schemas.google.com"))):
			return "blogger"
		}
		return ""
	}
	for _, key := range []string{"AUTHOR:", "TITLE:", "DATE:", "STATUS:", "BASENAME:", "BODY:", "CONVERT BREAKS:", "PRIMARY CATEGORY:"} {
		if bytes.HasPrefix(trimmed, []byte(key)) || bytes.Contains(head, []byte("\n"+key)) {
			return "mt"
		}
	}
	return ""
}

// progress shows an import's progress on a terminal, on one rewritten line,
// and stays silent when stderr is a file or pipe.
type progress struct {
	w     io.Writer
	tty   bool
	size  int64
	last  time.Time
	shown bool
}

// newProgress returns the progress of reading a file of size bytes; the
// bytes read come from the reader, through importer.Progress.
func newProgress(w io.Writer, size int64) *progress {
	p := &progress{w: w, size: size}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) update(pr importer.Progress) {
	if !p.tty || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	of := ""
	if p.size > 0 {
		of = fmt.Sprintf(" of %.1f MB (%d%%)", float64(p.size)/1e6, pr.Bytes*100/p.size)
	}
	fmt.Fprintf(p.w, "\rimporting: %d entries, %.1f MB%s ", pr.Items, float64(pr.Bytes)/1e6, of)
	p.shown = true
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
