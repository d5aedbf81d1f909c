package admin

import (
	"net/http"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/auth"
	"github.com/gazette-blog/gazette/internal/web"
)

// LoginPage is the sign-in form.
type LoginPage struct {
	Base
	Email string
	Next  string
	Error string
}

func (a *Admin) loginForm(w http.ResponseWriter, r *http.Request, q *request) error {
	if q.session != nil {
		return seeOther(w, r, "/admin/")
	}
	return a.show(w, "login", &LoginPage{Base: a.base(q, "Sign in", ""), Next: r.URL.Query().Get("next")})
}

func (a *Admin) login(w http.ResponseWriter, r *http.Request, q *request) error {
	email, next := r.PostFormValue("email"), r.PostFormValue("next")
	author, err := a.auth.SignIn(q.ctx, email, r.PostFormValue("password"), web.ClientIP(r))
	if err != nil {
		if web.Status(err) == http.StatusInternalServerError {
			return err
		}
		p := &LoginPage{Base: a.base(q, "Sign in", ""), Email: email, Next: next, Error: gazette.ErrorMessage(err)}
		body, rerr := a.pages.render("login", p)
		if rerr != nil {
			return rerr
		}
		// 401, not 403: the page asks for credentials again.
		web.WriteHTML(w, http.StatusUnauthorized, body)
		return nil
	}
	if _, err := a.auth.StartSession(q.ctx, w, author, auth.Secure(r, q.settings.BaseURL)); err != nil {
		return err
	}
	// Only a path of the authors' area is a place to go next, never
	// another site.
	if !strings.HasPrefix(next, "/admin/") || strings.HasPrefix(next, "//") {
		next = "/admin/"
	}
	return seeOther(w, r, next)
}

func (a *Admin) logout(w http.ResponseWriter, r *http.Request, q *request) error {
	if err := a.auth.EndSession(w, r, q.session); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/login")
}
