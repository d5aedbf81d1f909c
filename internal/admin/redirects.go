package admin

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/web"
)

const redirectsPerPage = 50

// RedirectsPage lists the blog's redirects, old path by old path, with a
// form to add one and a button to delete each.
type RedirectsPage struct {
	Base
	Redirects []RedirectRow
	Total     int
	Text      string // the filter on old paths, as typed
	Page      int
	PrevURL   string
	NextURL   string
	// Form holds what was typed into the add form when it was refused, with
	// the reason in Error, so that nothing has to be typed again.
	Form  RedirectForm
	Error string
}

// RedirectRow is one redirect and where it leads.
type RedirectRow struct {
	gazette.Redirect
	// Entry is the entry it leads to; nil for a redirect to a path, or when
	// the entry is gone.
	Entry *gazette.Entry
	// Hidden is set when the entry is not visible to readers (a draft, or
	// scheduled), so that the redirect does not answer yet.
	Hidden bool
}

// RedirectForm is the add form's fields.
type RedirectForm struct {
	Path   string
	Entry  string // an entry's permalink, or the full URL of it
	Target string
}

func (a *Admin) redirectList(w http.ResponseWriter, r *http.Request, q *request) error {
	v := r.URL.Query()
	p := &RedirectsPage{Base: a.base(q, "Redirects", "redirects"), Text: strings.TrimSpace(v.Get("q"))}
	p.Notice = notice(r)
	p.Page, _ = strconv.Atoi(v.Get("page"))
	p.Page = max(p.Page, 1)
	return a.showRedirects(w, r, q, p, http.StatusOK)
}

// showRedirects fills in p's page of redirects and writes it with status.
// The store lists every redirect at once; a blog has thousands at most, one
// for each old address it moved in with.
func (a *Admin) showRedirects(w http.ResponseWriter, r *http.Request, q *request, p *RedirectsPage, status int) error {
	all, err := a.store.Redirects(q.ctx)
	if err != nil {
		return err
	}
	if p.Text != "" {
		kept := all[:0]
		for _, rd := range all {
			if strings.Contains(strings.ToLower(rd.Path), strings.ToLower(p.Text)) {
				kept = append(kept, rd)
			}
		}
		all = kept
	}
	p.Total = len(all)
	start := min((p.Page-1)*redirectsPerPage, len(all))
	now := a.now()
	for _, rd := range all[start:min(start+redirectsPerPage, len(all))] {
		row := RedirectRow{Redirect: rd}
		if rd.EntryID != 0 {
			e, err := a.store.Entry(q.ctx, rd.EntryID)
			if err != nil && !errors.Is(err, gazette.ErrNotFound) {
				return err
			}
			row.Entry = e
			row.Hidden = e != nil && !e.VisibleAt(now)
		}
		p.Redirects = append(p.Redirects, row)
	}
	page := func(n int) string {
		u := url.Values{"page": {strconv.Itoa(n)}}
		if p.Text != "" {
			u.Set("q", p.Text)
		}
		return "/admin/redirects?" + u.Encode()
	}
	if p.Page > 1 {
		p.PrevURL = page(p.Page - 1)
	}
	if p.Page*redirectsPerPage < p.Total {
		p.NextURL = page(p.Page + 1)
	}
	body, err := a.pages.render("redirects", p)
	if err != nil {
		return err
	}
	web.WriteHTML(w, status, body)
	return nil
}

// redirectCreate adds a redirect, or shows the form again with what is
// wrong with it.
func (a *Admin) redirectCreate(w http.ResponseWriter, r *http.Request, q *request) error {
	f := RedirectForm{Path: strings.TrimSpace(r.PostFormValue("path")), Entry: strings.TrimSpace(r.PostFormValue("entry")),
		Target: strings.TrimSpace(r.PostFormValue("target"))}
	rd, err := a.checkRedirect(q, f)
	if err == nil {
		err = a.store.AddRedirect(q.ctx, rd)
	}
	var ge *gazette.Error
	if errors.As(err, &ge) && ge.Kind == gazette.ErrInvalid {
		p := &RedirectsPage{Base: a.base(q, "Redirects", "redirects"), Page: 1, Form: f, Error: ge.Message}
		return a.showRedirects(w, r, q, p, http.StatusBadRequest)
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/admin/redirects?notice=saved")
}

// checkRedirect turns the add form into a redirect, refusing one that
// could never answer or would answer in a loop.
func (a *Admin) checkRedirect(q *request, f RedirectForm) (gazette.Redirect, error) {
	if !sitePath(f.Path) {
		return gazette.Redirect{}, gazette.Errorf(gazette.ErrInvalid,
			"Old path: %q must start with one / (such as /archives/000123.html or /?p=123).", f.Path)
	}
	e, err := a.store.EntryByPath(q.ctx, f.Path)
	switch {
	case err == nil && e.VisibleAt(a.now()):
		return gazette.Redirect{}, gazette.Errorf(gazette.ErrInvalid,
			"Old path: %s is the permalink of the entry %q, which readers see there; a redirect from it would never be used.", f.Path, e.Title)
	case err != nil && !errors.Is(err, gazette.ErrNotFound):
		return gazette.Redirect{}, err
	}
	switch {
	case f.Entry == "" && f.Target == "":
		return gazette.Redirect{}, gazette.Errorf(gazette.ErrInvalid, "Lead to: give an entry's permalink or a path of this blog.")
	case f.Entry != "" && f.Target != "":
		return gazette.Redirect{}, gazette.Errorf(gazette.ErrInvalid, "Lead to: give an entry's permalink or a path, not both.")
	case f.Target != "":
		if !sitePath(f.Target) {
			return gazette.Redirect{}, gazette.Errorf(gazette.ErrInvalid, "Path: %q must start with one / (a path of this blog, such as /topics/news/).", f.Target)
		}
		if f.Target == f.Path {
			return gazette.Redirect{}, gazette.Errorf(gazette.ErrInvalid, "Path: %s would lead to itself.", f.Target)
		}
		return gazette.Redirect{Path: f.Path, Target: f.Target}, nil
	}
	permalink := f.Entry
	if u, err := url.Parse(f.Entry); err == nil && u.Host != "" {
		permalink = u.EscapedPath() // the address bar's copy of a permalink
	}
	e, err = a.store.EntryByPath(q.ctx, permalink)
	if errors.Is(err, gazette.ErrNotFound) {
		return gazette.Redirect{}, gazette.Errorf(gazette.ErrInvalid, "Entry: there is no entry at %q; give its permalink, such as /archives/2007/03/title.html.", f.Entry)
	}
	if err != nil {
		return gazette.Redirect{}, err
	}
	if e.Path == f.Path {
		return gazette.Redirect{}, gazette.Errorf(gazette.ErrInvalid, "Entry: %q is at %s, so the redirect would lead to itself.", e.Title, e.Path)
	}
	return gazette.Redirect{Path: f.Path, EntryID: e.ID}, nil
}

// sitePath reports whether s is a path of this blog: one leading slash, as
// two would make it the address of another host.
func sitePath(s string) bool {
	return strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") && !strings.ContainsAny(s, " \t\r\n")
}

// redirectDelete deletes the redirect of the posted old path. The path is
// a field rather than part of the URL, as it has slashes and may have a
// query of its own.
func (a *Admin) redirectDelete(w http.ResponseWriter, r *http.Request, q *request) error {
	path := r.PostFormValue("path")
	if path == "" {
		return gazette.Errorf(gazette.ErrInvalid, "Delete: no redirect named (the form has no path).")
	}
	if err := a.store.DeleteRedirect(q.ctx, path); err != nil {
		return err
	}
	back := "/admin/redirects?notice=deleted"
	if n, _ := strconv.Atoi(r.PostFormValue("page")); n > 1 {
		back += "&page=" + strconv.Itoa(n)
	}
	return seeOther(w, r, back)
}
