package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/exporter"
	"github.com/gazette-blog/gazette/internal/exporter/mt"
	"github.com/gazette-blog/gazette/internal/exporter/wxr"
)

func (e *env) export(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "", "mt or wxr")
	out := fs.String("o", "", "file to write (default: standard output)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return errors.New("export: unexpected arguments (gazette export --format mt|wxr [-o FILE])")
	}
	var write func(context.Context, io.Writer, gazette.Store, exporter.Options) (exporter.Summary, error)
	switch *format {
	case "mt":
		write = mt.Write
	case "wxr":
		write = wxr.Write
	case "":
		return errors.New("export: --format is required: mt or wxr")
	default:
		return fmt.Errorf("export: --format %q: want mt or wxr", *format)
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	w, summary := e.stdout, e.stderr
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer f.Close()
		w, summary = f, e.stdout
	}
	start := time.Now()
	p := &exportProgress{w: e.stderr, tty: isTerminal(e.stderr)}
	sum, err := write(ctx, w, store, exporter.Options{Progress: p.update})
	p.done()
	if err == nil && f != nil {
		err = f.Close()
	}
	if err != nil {
		if f != nil {
			os.Remove(*out)
		}
		return fmt.Errorf("export: %w", err)
	}
	// With the export on standard output, the summary goes to standard
	// error, so that it does not end up in the file.
	fmt.Fprintf(summary, "%s in %.1fs\n", sum, time.Since(start).Seconds())
	return nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// exportProgress shows an export's progress on a terminal, on one
// rewritten line, and stays silent when stderr is a file or pipe.
type exportProgress struct {
	w     io.Writer
	tty   bool
	last  time.Time
	shown bool
}

func (p *exportProgress) update(pr exporter.Progress) {
	if !p.tty || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\rexporting: %d of %d entries ", pr.Entries, pr.Total)
	p.shown = true
}

func (p *exportProgress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
