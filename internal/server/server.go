// Package server assembles gazette's root HTTP handler: the surfaces (the
// public site now; the authors' area and the client APIs as they arrive)
// mounted on one mux, inside the middleware every request passes through.
package server

import (
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/linkback"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/site"
	"github.com/gazette-blog/gazette/internal/theme"
	"github.com/gazette-blog/gazette/internal/web"
)

// MaxRequestBody is the largest request body any surface accepts. Public
// pages take only small forms; uploads will get their own, larger limit.
const MaxRequestBody = 1 << 20

// Config holds what the server needs.
type Config struct {
	Store     gazette.Store
	Sanitizer *sanitize.Sanitizer
	Logger    *slog.Logger
	// ThemeDir, when set, is a folder whose files override the themes' files
	// by name: ThemeDir/default/entry.html replaces the default theme's entry
	// page, ThemeDir/NAME/ adds a theme called NAME.
	ThemeDir string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Linkback receives webmentions, pingbacks and TrackBacks; nil leaves
	// their endpoints out. Store must then be a linkback.Store.
	Linkback *linkback.Receiver
	// Publisher takes readers' comments; nil shows no comment form.
	Publisher *publish.Publisher
	// Admin, when set, mounts the authors' area at /admin/.
	Admin *AdminConfig
	// Cache keeps the public site's rendered pages; nil renders each
	// request.
	Cache *pagecache.Cache
	// AccessLog receives one line per request; nil means Logger. A logger
	// of slog.DiscardHandler turns the lines off.
	AccessLog *slog.Logger
}

// New returns the root handler.
func New(cfg Config) (http.Handler, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	var override fs.FS
	if cfg.ThemeDir != "" {
		st, err := os.Stat(cfg.ThemeDir)
		if err != nil {
			return nil, fmt.Errorf("theme folder: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("theme folder %s is not a folder", cfg.ThemeDir)
		}
		override = os.DirFS(cfg.ThemeDir)
	}
	themes, err := theme.Load(override)
	if err != nil {
		return nil, fmt.Errorf("themes: %w", err)
	}
	public := site.New(site.Config{
		Store:     cfg.Store,
		Themes:    themes,
		Sanitizer: cfg.Sanitizer,
		Logger:    cfg.Logger,
		Now:       cfg.Now,
		Publisher: cfg.Publisher,
		Cache:     cfg.Cache,
	})
	mux := http.NewServeMux()
	mux.Handle("/", public)
	if cfg.Admin != nil {
		if err := mountAdmin(mux, cfg, public, themes); err != nil {
			return nil, err
		}
	}

	// Cross-origin protection rejects state-changing requests that a browser
	// sends on another site's behalf, for every form and API at once.
	csrf := http.NewCrossOriginProtection()
	if cfg.Linkback != nil {
		mountLinkbacks(mux, csrf, cfg)
	}
	access := cfg.AccessLog
	if access == nil {
		access = cfg.Logger
	}
	return web.Chain(mux,
		web.AccessLog(access),
		web.Recover(cfg.Logger),
		web.SecurityHeaders,
		limitBody,
		csrf.Handler,
	), nil
}
