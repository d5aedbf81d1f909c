package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/demo"
	"github.com/gazette-blog/gazette/internal/fastpath"
	"github.com/gazette-blog/gazette/internal/importer"
	"github.com/gazette-blog/gazette/internal/importer/movabletype"
	"github.com/gazette-blog/gazette/internal/mail"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/server"
	"github.com/gazette-blog/gazette/internal/web"
)

func (e *env) serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&e.dbURL, "db", e.dbURL, "database URL (postgres://…); default: SQLite in the data directory")
	withDemo := fs.Bool("demo", false, "fill an empty blog with a demo blog")
	themeDir := fs.String("theme-dir", "", "folder whose files override the theme's templates and assets")
	readOnly := fs.Bool("read-only", false, "serve the public site alone, as gazette build writes it: no comment form, no authors' area")
	cacheMB := fs.Int("cache-mb", pagecache.DefaultMaxBytes>>20, "megabytes of rendered pages (and their compressed copies) kept in memory")
	accessLog := fs.Bool("access-log", true, "log a line for each request to stderr")
	var lb linkbackOptions
	fs.BoolVar(&lb.allowPrivate, "allow-private", false, "let outbound requests (webmentions, pingbacks) reach private and loopback addresses; for tests and intranets")
	fs.DurationVar(&lb.pingInterval, "ping-interval", 5*time.Second, "how often to send queued webmentions")
	var ao adminOptions
	fs.DurationVar(&ao.scheduleInterval, "schedule-interval", 20*time.Second, "how often to publish the scheduled entries whose time has come")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	if *cacheMB < 1 {
		return fmt.Errorf("serve: --cache-mb %d: the page cache needs at least 1 megabyte", *cacheMB)
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))

	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	sanitizer := sanitize.New()
	if *withDemo {
		if err := fillDemo(ctx, store, sanitizer, logger); err != nil {
			return err
		}
	}
	// The fast path answers cached pages without the handlers in front
	// of the cache: its answers carry their header fields all the same.
	cacheCfg := pagecache.Config{MaxBytes: int64(*cacheMB) << 20, Header: web.SecurityHeader()}
	if e.dbURL == "" {
		// Other processes write the same SQLite file (gazette comments,
		// import): their writes drop the cached pages.
		cacheCfg.Watch = newWALWatcher(e.sqlitePath())
	}
	cache := pagecache.New(cacheCfg)
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit of the cache's budget and room to render: the
		// collector works harder rather than let garbage double the heap.
		// After a crawl of 10,000 entries the live heap is about the
		// budget plus 50 MB; see docs/PERFORMANCE.md.
		debug.SetMemoryLimit(cacheCfg.MaxBytes + 96<<20)
	}
	bgCtx, stopBackground := context.WithCancel(ctx)
	// On PostgreSQL, writes here drop the pages of every instance.
	inv := shareInvalidations(bgCtx, store, cache, logger)
	lb.inv = inv
	receiver, waitBackground := startLinkbacks(bgCtx, store, lb, logger)
	defer waitBackground()
	defer stopBackground()
	// Comments: the mailer tells authors of new ones in the background,
	// with the SMTP settings read at each comment.
	mailer := mail.New(logger)
	defer mailer.Close()
	publisher := publish.New(markdown.New(), sanitizer)
	publisher.SetMailer(mailer)
	publisher.SetInvalidator(inv)
	// An admin's write may show on any page: drop them all, on every instance.
	changed := func(ctx context.Context) { publisher.Changed(ctx, pagecache.Settings) }
	adminCfg, waitAdmin, err := e.startAdmin(bgCtx, store, publisher, ao, changed, logger)
	if err != nil {
		return err
	}
	defer func() { stopBackground(); waitAdmin() }()
	adminCfg.Changed = changed
	public, admin := publisher, adminCfg
	if *readOnly {
		public, admin = nil, nil
	}
	// Request lines go through a buffer flushed a few times a second: a
	// write to stderr for each would cost more than answering from the
	// cache.
	var access *slog.Logger
	if *accessLog {
		lw := newLogBuffer(e.stderr, 200*time.Millisecond)
		defer lw.Close()
		access = slog.New(slog.NewTextHandler(lw, nil))
	}
	handler, err := server.New(server.Config{
		Store:     store,
		Sanitizer: sanitizer,
		Logger:    logger,
		ThemeDir:  *themeDir,
		Linkback:  receiver,
		Publisher: public,
		Cache:     cache,
		Admin:     admin,
		AccessLog: cmp.Or(access, slog.New(slog.DiscardHandler)),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(e.stdout, "gazette: serving http://%s/ (data in %s; Ctrl-C to stop)\n", ln.Addr(), e.dataDir)
	if err := e.printSetupLink(ctx, store, adminCfg, "http://"+ln.Addr().String()); err != nil {
		return fmt.Errorf("serve: setup link: %w", err)
	}
	// Pages in the cache are answered in front of net/http; srv answers
	// the rest.
	front := fastpath.New(fastpath.Config{HTTP: srv, Cache: cache, AccessLog: access})
	errc := make(chan error, 1)
	go func() { errc <- front.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := front.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// fillDemo imports the demo blog into a blog that has no entries yet, and
// leaves a blog with entries alone.
func fillDemo(ctx context.Context, store gazette.Store, san *sanitize.Sanitizer, logger *slog.Logger) error {
	_, n, err := store.Entries(ctx, gazette.EntryFilter{Limit: 1})
	if err != nil {
		return err
	}
	if n > 0 {
		logger.Info("demo: the blog has entries already; left as it is", "entries", n)
		return nil
	}
	settings := demo.Settings()
	if err := store.SaveSettings(ctx, settings); err != nil {
		return err
	}
	r := movabletype.New(demo.Export(), demo.FileName, settings.Location())
	sum, err := importer.Import(ctx, store, publish.New(markdown.New(), san), r, importer.Options{})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	logger.Info("demo: filled the blog", "summary", sum.String())
	return nil
}

// logBuffer holds log lines and writes them a few times a second, or when
// it is full.
type logBuffer struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

func newLogBuffer(w io.Writer, every time.Duration) *logBuffer {
	b := &logBuffer{w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				b.flush()
			case <-b.stop:
				b.flush()
				return
			}
		}
	}()
	return b
}

// Write implements io.Writer.
func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Write(p)
}

func (b *logBuffer) flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = b.w.Flush() // a log that cannot be written has nowhere to say so
}

// Close writes what is held and stops.
func (b *logBuffer) Close() error {
	close(b.stop)
	<-b.done
	return nil
}
