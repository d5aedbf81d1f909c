package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/gazette-blog/gazette/internal/fetch"
	"github.com/gazette-blog/gazette/internal/importer"
	htmlpages "github.com/gazette-blog/gazette/internal/importer/html"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
)

// importPages recovers a blog from its published pages: the folder name, or
// the file name listing their addresses one a line.
func (e *env) importPages(ctx context.Context, name string, allowPrivate bool) error {
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	settings, err := store.Settings(ctx)
	if err != nil {
		return err
	}
	var r *htmlpages.Reader
	if st, err := os.Stat(name); err == nil && st.IsDir() {
		r, err = htmlpages.New(name, settings.Location())
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
	} else {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		client := fetch.New(fetch.Config{Version: version, BaseURL: settings.BaseURL, AllowPrivate: allowPrivate})
		if r, err = htmlpages.NewURLs(ctx, client, f, name, settings.Location()); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	start := time.Now()
	sum, err := importer.Import(ctx, store, publish.New(markdown.New(), sanitize.New()), r, importer.Options{})
	if err != nil {
		return fmt.Errorf("import: %w (nothing was imported)", err)
	}
	e.tellServers(ctx, store)
	fmt.Fprintf(e.stdout, "%s in %.1fs\n", sum, time.Since(start).Seconds())
	return nil
}
