package theme

import (
	"mime"
	"net/http"
	"path"

	"github.com/gazette-blog/gazette/internal/web"
)

// ServeHTTP serves the themes' static files at their content-hashed URLs
// (StaticPrefix + HASH/NAME) with a one-year immutable cache: a changed file
// gets a new URL. Any other path under StaticPrefix is a 404.
func (ts *Themes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a, ok := ts.assets[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	ct := mime.TypeByExtension(path.Ext(a.name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	web.ServePage(w, r, web.Page{Body: a.data, ContentType: ct, CacheControl: web.ImmutableCacheControl})
}
