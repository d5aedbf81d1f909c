// Package admin is the authors' area under /admin/: sign-in, the entries
// and their editor, topics, comment moderation, media, settings and users.
// Pages are rendered on the server from the package's own templates; a
// little JavaScript adds a live preview and conveniences, and nothing needs
// it to publish.
package admin

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/auth"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/web"
)

// Store is what the authors' area needs of a blog's store.
type Store interface {
	auth.Store
	gazette.MediaStore
	gazette.RevisionStore
	gazette.CommentEditStore
	gazette.RedirectDeleter
}

// Previewer renders an unsaved entry in the blog's theme.
type Previewer interface {
	Preview(w http.ResponseWriter, r *http.Request, e *gazette.Entry) error
}

// Config holds what the authors' area needs.
type Config struct {
	Store     Store
	Auth      *auth.Auth
	Publisher *publish.Publisher
	Preview   Previewer
	Markdown  *markdown.Renderer
	Sanitizer *sanitize.Sanitizer
	// MediaDir is the folder uploads are written to; /media/ serves it.
	MediaDir string
	// Themes names the installed themes, for the settings page.
	Themes []string
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Changed, when set, is called after each write the area commits, so
	// that cached public pages showing it are rendered again.
	Changed func(ctx context.Context)
}

// MaxUpload is the largest file an author may upload.
const MaxUpload = 10 << 20

// Admin is the authors' area as an http.Handler.
type Admin struct {
	cfg   Config
	store Store
	auth  *auth.Auth
	pages *pages
	errs  *web.Errors
	mux   *http.ServeMux
	now   func() time.Time
}

// access is who may use a route.
type access int

const (
	public     access = iota // anyone, signed in or not
	authorOnly               // any signed-in author (their own entries only)
	editorOnly               // editors and admins
	adminOnly                // admins
)

// allows reports whether role may use a route of access a.
func (a access) allows(role gazette.Role) bool {
	switch a {
	case public, authorOnly:
		return true
	case editorOnly:
		return role == gazette.RoleEditor || role == gazette.RoleAdmin
	}
	return role == gazette.RoleAdmin
}

// handlerFunc is a handler of the authors' area: q carries the session.
type handlerFunc func(w http.ResponseWriter, r *http.Request, q *request) error

// route is one row of the route table.
type route struct {
	pattern string
	access  access
	handler handlerFunc
}

// routes is the authors' area, in one table. TestRouteRoles holds a row
// for each.
func (a *Admin) routes() []route {
	return []route{
		{"GET /admin/login", public, a.loginForm},
		{"POST /admin/login", public, a.login},
		{"GET /admin/setup/{secret}", public, a.setupForm},
		{"POST /admin/setup/{secret}", public, a.setup},
		{"GET /admin/static/{file}", public, a.static},
		{"POST /admin/logout", authorOnly, a.logout},
		{"GET /admin/{$}", authorOnly, a.dashboard},
		{"GET /admin/entries", authorOnly, a.entryList},
		{"GET /admin/entries/new", authorOnly, a.entryNew},
		{"POST /admin/entries", authorOnly, a.entryCreate},
		{"GET /admin/entries/{id}", authorOnly, a.entryEdit},
		{"POST /admin/entries/{id}", authorOnly, a.entryUpdate},
		{"POST /admin/entries/{id}/delete", authorOnly, a.entryDelete},
		{"GET /admin/entries/{id}/revisions", authorOnly, a.revisionList},
		{"POST /admin/entries/{id}/revisions/{rev}/restore", authorOnly, a.revisionRestore},
		{"POST /admin/preview", authorOnly, a.preview},
		{"POST /admin/render", authorOnly, a.render},
		{"GET /admin/trash", editorOnly, a.trashList},
		{"POST /admin/trash/{id}/restore", editorOnly, a.trashRestore},
		{"GET /admin/topics", editorOnly, a.topicList},
		{"POST /admin/topics", editorOnly, a.topicCreate},
		{"POST /admin/topics/{id}", editorOnly, a.topicUpdate},
		{"POST /admin/topics/{id}/merge", editorOnly, a.topicMerge},
		{"POST /admin/topics/{id}/delete", editorOnly, a.topicDelete},
		{"GET /admin/comments", editorOnly, a.commentList},
		{"POST /admin/comments", editorOnly, a.commentBulk},
		{"GET /admin/comments/{id}", editorOnly, a.commentEdit},
		{"POST /admin/comments/{id}", editorOnly, a.commentUpdate},
		{"POST /admin/comments/{id}/reply", editorOnly, a.commentReply},
		{"GET /admin/media", authorOnly, a.mediaList},
		{"POST /admin/media", authorOnly, a.mediaUpload},
		{"GET /admin/redirects", adminOnly, a.redirectList},
		{"POST /admin/redirects", adminOnly, a.redirectCreate},
		{"POST /admin/redirects/delete", adminOnly, a.redirectDelete},
		{"GET /admin/settings", adminOnly, a.settingsForm},
		{"POST /admin/settings", adminOnly, a.settingsSave},
		{"GET /admin/users", adminOnly, a.userList},
		{"POST /admin/users", adminOnly, a.userCreate},
		{"GET /admin/users/{id}", adminOnly, a.userEdit},
		{"POST /admin/users/{id}", adminOnly, a.userUpdate},
	}
}

// New returns the authors' area. It panics when cfg lacks a dependency,
// which is a mistake in the program's wiring.
func New(cfg Config) *Admin {
	if cfg.Store == nil || cfg.Auth == nil || cfg.Publisher == nil || cfg.Preview == nil ||
		cfg.Markdown == nil || cfg.Sanitizer == nil || cfg.MediaDir == "" {
		panic("admin.New: Config needs Store, Auth, Publisher, Preview, Markdown, Sanitizer and MediaDir")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a := &Admin{cfg: cfg, store: cfg.Store, auth: cfg.Auth, pages: mustParse(), mux: http.NewServeMux(), now: cfg.Now}
	a.errs = &web.Errors{Logger: cfg.Logger, Page: a.errorPage}
	for _, rt := range a.routes() {
		a.mux.Handle(rt.pattern, a.errs.Handle(a.guard(rt)))
	}
	a.mux.Handle("/admin/", a.errs.Handle(func(w http.ResponseWriter, r *http.Request) error {
		return gazette.Errorf(gazette.ErrNotFound, "There is no page at %s.", r.URL.Path)
	}))
	return a
}

// ContentSecurityPolicy lets the authors' area run its own script and
// nothing else: entries' HTML shown in the live preview cannot run any.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
	"img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// ServeHTTP serves a page of the authors' area.
func (a *Admin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("Cache-Control", "no-store")
	a.mux.ServeHTTP(w, r)
}

// request is what a handler of the authors' area knows of its request.
type request struct {
	ctx      context.Context
	session  *auth.Session // nil on public routes when signed out
	settings gazette.Settings
}

// me returns the signed-in author.
func (q *request) me() *gazette.Author { return q.session.Author }

// can reports whether the signed-in author may manage everyone's entries.
func (q *request) canAll() bool {
	r := q.me().Role
	return r == gazette.RoleAdmin || r == gazette.RoleEditor
}

// guard checks the session, the role and, on POST, the form token, then
// runs the route's handler.
func (a *Admin) guard(rt route) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		st, err := a.store.Settings(ctx)
		if err != nil {
			return err
		}
		q := &request{ctx: ctx, settings: st}
		s, err := a.auth.Current(r)
		switch {
		case err == nil:
			q.session = s
		case !errors.Is(err, gazette.ErrNotFound):
			return err
		}
		if rt.access == public {
			return rt.handler(w, r, q)
		}
		if q.session == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return nil
			}
			return gazette.Errorf(gazette.ErrForbidden, "Sign in first.")
		}
		if !rt.access.allows(q.me().Role) {
			return gazette.Errorf(gazette.ErrForbidden, "Your role (%s) may not do this.", q.me().Role)
		}
		if r.Method != http.MethodPost {
			return rt.handler(w, r, q)
		}
		if err := q.session.CheckCSRF(formValue(r, "csrf")); err != nil {
			return err
		}
		err = rt.handler(w, r, q)
		if a.cfg.Changed != nil {
			// Even a failed post may have written part of its work.
			a.cfg.Changed(ctx)
		}
		return err
	}
}

// formValue reads a field of a form, multipart or not, without failing on
// a body it cannot parse (the handler then finds the field empty).
func formValue(r *http.Request, name string) string {
	if r.MultipartForm == nil && r.PostForm == nil {
		_ = r.ParseMultipartForm(32 << 10)
	}
	return r.FormValue(name)
}

// pathID returns the numeric path value name.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, gazette.Errorf(gazette.ErrNotFound, "There is no page at %s.", r.URL.Path)
	}
	return id, nil
}

// seeOther answers a form post with a redirect to the page to show next,
// so that reloading it does not post again.
func seeOther(w http.ResponseWriter, r *http.Request, path string) error {
	http.Redirect(w, r, path, http.StatusSeeOther)
	return nil
}

// errorPage writes the page of an error in the authors' area's look.
func (a *Admin) errorPage(w http.ResponseWriter, r *http.Request, status int, message string) {
	q := &request{ctx: r.Context()}
	if s, err := a.auth.Current(r); err == nil {
		q.session = s
	}
	p := &ErrorPage{Base: a.base(q, "Error", ""), Status: status, Message: message}
	body, err := a.pages.render("error", p)
	if err != nil {
		a.cfg.Logger.ErrorContext(r.Context(), "rendering error page", slog.Any("error", err))
		web.PlainError(w, status, message)
		return
	}
	web.WriteHTML(w, status, body)
}
