package main

import (
	"context"
	"fmt"
	"os"

	"github.com/gazette-blog/gazette/internal/fetch"
	htmlpages "github.com/gazette-blog/gazette/internal/importer/html"
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
	return e.runImport(ctx, store, r, 0, nil)
}
