package admin

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages holds every page template, each parsed with the layout at start.
type pages struct {
	t map[string]*template.Template
	// assets maps a static file's name to its content-hashed URL.
	assets map[string]string
}

var funcs = template.FuncMap{
	"date": func(t time.Time, loc *time.Location) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("Jan 2, 2006 3:04 PM")
	},
	"list":   func(s ...string) []string { return s },
	"status": func(s string) gazette.CommentStatus { return gazette.CommentStatus(s) },
	"insert": func(m *gazette.Media, f string) string { return Insert(m, gazette.Format(f)) },
	// thumb is the smallest copy of an image, for lists of pictures.
	"thumb": func(m *gazette.Media) string {
		if len(m.Variants) > 0 {
			return m.Variants[0].Path
		}
		return m.Path
	},
}

func mustParse() *pages {
	p, err := parsePages()
	if err != nil {
		panic(err)
	}
	return p
}

func parsePages() (*pages, error) {
	p := &pages{t: map[string]*template.Template{}, assets: map[string]string{}}
	files, err := fs.Glob(staticFS, "static/*")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := fs.ReadFile(staticFS, f)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(f, "static/")
		p.assets[name] = "/admin/static/" + name + "?v=" + hex.EncodeToString(sum[:6])
	}
	fm := template.FuncMap{"asset": func(name string) (string, error) {
		u, ok := p.assets[name]
		if !ok {
			return "", fmt.Errorf("no static file %q", name)
		}
		return u, nil
	}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).Funcs(fm).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("admin: template %s: %w", name, err)
		}
		p.t[name] = t
	}
	return p, nil
}

// render executes the page template name with data.
func (p *pages) render(name string, data any) ([]byte, error) {
	t, ok := p.t[name]
	if !ok {
		return nil, fmt.Errorf("admin: no template %q", name)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", data); err != nil {
		return nil, fmt.Errorf("admin: render %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// show renders a page and writes it.
func (a *Admin) show(w http.ResponseWriter, name string, data any) error {
	body, err := a.pages.render(name, data)
	if err != nil {
		return err
	}
	web.WriteHTML(w, http.StatusOK, body)
	return nil
}

// static serves the area's style sheet and script. Their URLs carry a hash
// of their content, so browsers may keep them for good.
func (a *Admin) static(w http.ResponseWriter, r *http.Request, _ *request) error {
	name := r.PathValue("file")
	b, err := fs.ReadFile(staticFS, "static/"+name)
	if err != nil {
		return gazette.Errorf(gazette.ErrNotFound, "There is no file %s.", name)
	}
	ct := "text/css; charset=utf-8"
	if strings.HasSuffix(name, ".js") {
		ct = "text/javascript; charset=utf-8"
	}
	web.ServePage(w, r, web.Page{Body: b, ContentType: ct, CacheControl: web.ImmutableCacheControl})
	return nil
}

// Base is what every page of the authors' area shows: the title, the
// navigation for the signed-in author's role and the form token.
type Base struct {
	Title    string
	Nav      string // the section of the navigation to mark current
	BlogName string
	Me       *gazette.Author
	CSRF     string
	CanAll   bool // editor or admin
	IsAdmin  bool
	Loc      *time.Location
	Notice   string
}

func (a *Admin) base(q *request, title, nav string) Base {
	b := Base{Title: title, Nav: nav, BlogName: q.settings.Title, Loc: q.settings.Location()}
	if q.session != nil {
		b.Me = q.session.Author
		b.CSRF = q.session.CSRFToken()
		b.CanAll = q.canAll()
		b.IsAdmin = b.Me.Role == gazette.RoleAdmin
	}
	if b.BlogName == "" {
		b.BlogName = "gazette"
	}
	return b
}

// ErrorPage shows an error.
type ErrorPage struct {
	Base
	Status  int
	Message string
}
