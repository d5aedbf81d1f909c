// Package theme renders gazette's public pages: themes of html/template
// files and static assets, embedded in the binary, parsed once at start, and
// optionally overridden file by file from a folder on disk.
//
// A theme is a folder of files. Every *.html file at its top is a template:
// those named after a page kind (home.html, entry.html, …; see the Page
// types) are pages, the others are shared partials such as layout.html.
// Files under static/ are assets, served under URLs that carry a hash of
// their bytes. A theme other than "default" needs only the files it changes:
// every file it lacks is taken from default.
package theme

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed themes
var embedded embed.FS

// DefaultName is the theme used when a blog names none, or one that is not
// installed; every other theme falls back to its files.
const DefaultName = "default"

// StaticPrefix is the URL path under which theme assets are served.
const StaticPrefix = "/static/"

// Themes is the set of installed themes, ready to render.
type Themes struct {
	themes map[string]*Theme
	assets map[string]asset // by URL path
}

// Theme is one parsed theme.
type Theme struct {
	name    string
	pages   map[string]*template.Template
	assets  Assets
	sidebar bool
}

type asset struct {
	name string
	data []byte
}

// Load parses the embedded themes, each with the files of override laid over
// it: override's folder default/ replaces files of the default theme,
// classic/ those of classic, and a folder of another name adds a theme of
// that name. override may be nil. Load fails on a template that does not
// parse, a page template that is missing, or one that fails to render an
// empty page.
func Load(override fs.FS) (*Themes, error) {
	names, err := themeNames(override)
	if err != nil {
		return nil, err
	}
	ts := &Themes{themes: make(map[string]*Theme), assets: make(map[string]asset)}
	for _, name := range names {
		files, err := themeFiles(name, override)
		if err != nil {
			return nil, err
		}
		t, err := ts.build(name, files)
		if err != nil {
			return nil, err
		}
		ts.themes[name] = t
	}
	return ts, nil
}

// Names returns the names of the installed themes, sorted.
func (ts *Themes) Names() []string {
	names := make([]string, 0, len(ts.themes))
	for name := range ts.themes {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Theme returns the theme called name, or the default theme when there is
// none of that name, so that a blog whose theme was removed still renders.
func (ts *Themes) Theme(name string) *Theme {
	if t, ok := ts.themes[name]; ok {
		return t
	}
	return ts.themes[DefaultName]
}

// Name returns the theme's name.
func (t *Theme) Name() string { return t.name }

// Assets returns the URLs of the theme's static files.
func (t *Theme) Assets() Assets { return t.assets }

// HasSidebar reports whether the theme shows a sidebar (it defines a
// "sidebar" template), so that pages fill Site.Sidebar only when it is
// shown.
func (t *Theme) HasSidebar() bool { return t.sidebar }

// Render executes the page's template and returns the HTML. It sets the
// page's Site.Assets to the theme's.
func (t *Theme) Render(p Page) ([]byte, error) {
	p.site().Assets = t.assets
	tmpl, ok := t.pages[p.template()]
	if !ok {
		return nil, fmt.Errorf("theme %s: no template for page %s", t.name, p.template())
	}
	var buf bytes.Buffer
	buf.Grow(32 << 10)
	if err := tmpl.Execute(&buf, p); err != nil {
		return nil, fmt.Errorf("theme %s: rendering %s: %w", t.name, p.template(), err)
	}
	return buf.Bytes(), nil
}

// themeNames lists the embedded themes and the folders of override.
func themeNames(override fs.FS) ([]string, error) {
	var names []string
	add := func(fsys fs.FS, dir string) error {
		ents, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return err
		}
		for _, e := range ents {
			if e.IsDir() && !slices.Contains(names, e.Name()) {
				names = append(names, e.Name())
			}
		}
		return nil
	}
	if err := add(embedded, "themes"); err != nil {
		return nil, fmt.Errorf("theme: reading embedded themes: %w", err)
	}
	if override != nil {
		if err := add(override, "."); err != nil {
			return nil, fmt.Errorf("theme: reading override folder: %w", err)
		}
	}
	return names, nil
}

// source is one file of a theme and where it came from, for messages.
type source struct {
	fsys   fs.FS
	path   string
	origin string
}

// layer is a folder of theme files and a name for it in messages.
type layer struct {
	fsys   fs.FS // nil for an absent override
	root   string
	origin string
}

// themeFiles returns the files of theme name by their path in the theme:
// default's embedded files, default's overrides, then the theme's own
// embedded files and its overrides, each layer replacing the one before.
func themeFiles(name string, override fs.FS) (map[string]source, error) {
	layers := []layer{
		{embedded, "themes/" + DefaultName, "embedded theme " + DefaultName},
		{override, DefaultName, "override " + DefaultName},
	}
	if name != DefaultName {
		layers = append(layers,
			layer{embedded, "themes/" + name, "embedded theme " + name},
			layer{override, name, "override " + name})
	}
	files := make(map[string]source)
	for _, l := range layers {
		if l.fsys == nil {
			continue
		}
		if _, err := fs.Stat(l.fsys, l.root); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		err := fs.WalkDir(l.fsys, l.root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel := strings.TrimPrefix(p, l.root+"/")
			files[rel] = source{fsys: l.fsys, path: p, origin: l.origin + "/" + rel}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("theme %s: reading %s: %w", name, l.origin, err)
		}
	}
	return files, nil
}

// build parses the templates of one theme and registers its assets.
func (ts *Themes) build(name string, files map[string]source) (*Theme, error) {
	t := &Theme{name: name, pages: make(map[string]*template.Template)}
	pageFiles := make(map[string]source)
	base := template.New(name)
	for _, rel := range sortedKeys(files) {
		src := files[rel]
		data, err := fs.ReadFile(src.fsys, src.path)
		if err != nil {
			return nil, fmt.Errorf("theme %s: %w", name, err)
		}
		switch {
		case strings.HasPrefix(rel, "static/"):
			file := strings.TrimPrefix(rel, "static/")
			sum := sha256.Sum256(data)
			url := StaticPrefix + hex.EncodeToString(sum[:6]) + "/" + file
			ts.assets[url] = asset{name: file, data: data}
			switch file {
			case "style.css":
				t.assets.Style = url
			case "favicon.svg":
				t.assets.Favicon = url
			}
		case path.Ext(rel) == ".html" && !strings.Contains(rel, "/"):
			page := strings.TrimSuffix(rel, ".html")
			if slices.Contains(pageTemplates(), page) {
				pageFiles[page] = src
				continue
			}
			if _, err := base.New(rel).Parse(string(data)); err != nil {
				return nil, fmt.Errorf("theme %s: parsing %s: %w", name, src.origin, err)
			}
		}
	}
	if t.assets.Style == "" {
		return nil, fmt.Errorf("theme %s: no static/style.css", name)
	}
	t.sidebar = base.Lookup("sidebar") != nil
	for _, page := range pageTemplates() {
		src, ok := pageFiles[page]
		if !ok {
			return nil, fmt.Errorf("theme %s: no template %s.html", name, page)
		}
		data, err := fs.ReadFile(src.fsys, src.path)
		if err != nil {
			return nil, fmt.Errorf("theme %s: %w", name, err)
		}
		tmpl, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("theme %s: %w", name, err)
		}
		if tmpl, err = tmpl.New(page).Parse(string(data)); err != nil {
			return nil, fmt.Errorf("theme %s: parsing %s: %w", name, src.origin, err)
		}
		t.pages[page] = tmpl
	}
	// Rendering an empty page of each kind makes html/template escape every
	// template now, so a broken theme stops the server at start, not on the
	// first visit to the page it breaks.
	for _, p := range emptyPages() {
		if _, err := t.Render(p); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// emptyPages returns a zero page of every kind.
func emptyPages() []Page {
	return []Page{&HomePage{}, &EntryPage{}, &MonthPage{}, &MonthsPage{}, &TopicPage{},
		&TopicsPage{}, &AuthorPage{}, &CommentsPage{}, &SearchPage{}, &ErrorPage{}}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
