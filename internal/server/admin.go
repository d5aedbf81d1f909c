package server

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gazette-blog/gazette/internal/admin"
	"github.com/gazette-blog/gazette/internal/auth"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/site"
	"github.com/gazette-blog/gazette/internal/theme"
	"github.com/gazette-blog/gazette/internal/web"
)

// AdminConfig is what the authors' area needs beyond Config.
type AdminConfig struct {
	Auth     *auth.Auth
	Markdown *markdown.Renderer
	// MediaDir holds the uploads, served at /media/.
	MediaDir string
	// Changed is called after each write of the area, to drop the cached
	// pages it changes; nil for none.
	Changed func(ctx context.Context)
}

// mountAdmin mounts the authors' area at /admin/ and the uploads at /media/.
func mountAdmin(mux *http.ServeMux, cfg Config, public *site.Site, themes *theme.Themes) error {
	store, ok := cfg.Store.(admin.Store)
	if !ok {
		return fmt.Errorf("the store (%T) lacks what the authors' area needs", cfg.Store)
	}
	if cfg.Publisher == nil {
		return fmt.Errorf("the authors' area needs a Publisher")
	}
	mux.Handle("/admin/", admin.New(admin.Config{
		Store:     store,
		Auth:      cfg.Admin.Auth,
		Publisher: cfg.Publisher,
		Preview:   public,
		Markdown:  cfg.Admin.Markdown,
		Sanitizer: cfg.Sanitizer,
		MediaDir:  cfg.Admin.MediaDir,
		Themes:    themes.Names(),
		Logger:    cfg.Logger,
		Now:       cfg.Now,
		Changed:   cfg.Admin.Changed,
	}))
	mux.Handle("GET /media/", admin.MediaHandler(cfg.Admin.MediaDir))
	return nil
}

// limitBody caps request bodies at MaxRequestBody, except uploads to the
// authors' area, which may be as large as an image (admin.MaxUpload).
func limitBody(next http.Handler) http.Handler {
	small := web.LimitBody(MaxRequestBody)(next)
	large := web.LimitBody(admin.MaxUpload + 1<<20)(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/admin/media" {
			large.ServeHTTP(w, r)
			return
		}
		small.ServeHTTP(w, r)
	})
}
