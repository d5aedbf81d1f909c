package admin

import (
	"net/http"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/auth"
	"github.com/gazette-blog/gazette/internal/web"
)

// SetupPage creates the blog's first admin, from the link serve prints.
type SetupPage struct {
	Base
	Name, Email string
	Error       string
}

func (a *Admin) setupForm(w http.ResponseWriter, r *http.Request, q *request) error {
	if err := a.auth.CheckSetup(q.ctx, r.PathValue("secret")); err != nil {
		return err
	}
	return a.show(w, "setup", &SetupPage{Base: a.base(q, "Welcome to gazette", "")})
}

func (a *Admin) setup(w http.ResponseWriter, r *http.Request, q *request) error {
	secret := r.PathValue("secret")
	if err := a.auth.CheckSetup(q.ctx, secret); err != nil {
		return err
	}
	author := &gazette.Author{
		Name:  strings.TrimSpace(r.PostFormValue("name")),
		Email: strings.TrimSpace(r.PostFormValue("email")),
		Role:  gazette.RoleAdmin,
	}
	author.Slug = gazette.Slugify(author.Name)
	err := a.createFirstAdmin(q, author, r.PostFormValue("password"), secret)
	if err != nil {
		if web.Status(err) == http.StatusInternalServerError {
			return err
		}
		p := &SetupPage{Base: a.base(q, "Welcome to gazette", ""), Name: author.Name, Email: author.Email,
			Error: gazette.ErrorMessage(err)}
		body, rerr := a.pages.render("setup", p)
		if rerr != nil {
			return rerr
		}
		web.WriteHTML(w, http.StatusBadRequest, body)
		return nil
	}
	if _, err := a.auth.StartSession(q.ctx, w, author, auth.Secure(r, q.settings.BaseURL)); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/")
}

// createFirstAdmin stores the admin and spends the setup link in one
// transaction, so that the link makes one admin at most.
func (a *Admin) createFirstAdmin(q *request, author *gazette.Author, password, secret string) error {
	if err := checkAuthorFields(author); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	author.PasswordHash = hash
	return a.store.Atomic(q.ctx, func(tx gazette.Tx) error {
		has, err := auth.HasAdmin(q.ctx, tx)
		if err != nil {
			return err
		}
		if has {
			return gazette.Errorf(gazette.ErrConflict, "The blog has an admin already; sign in instead.")
		}
		if err := auth.UseSetup(q.ctx, tx, secret); err != nil {
			return err
		}
		return tx.CreateAuthor(q.ctx, author)
	})
}

// checkAuthorFields reports a missing name or a malformed email address.
func checkAuthorFields(au *gazette.Author) error {
	switch {
	case au.Name == "" || au.Slug == "":
		return gazette.Errorf(gazette.ErrInvalid, "The name needs at least one letter or digit.")
	case !strings.Contains(au.Email, "@") || strings.ContainsAny(au.Email, " \t\r\n<>"):
		return gazette.Errorf(gazette.ErrInvalid, "The email address %q is not valid.", au.Email)
	case !au.Role.Valid():
		return gazette.Errorf(gazette.ErrInvalid, "The role %q is not admin, editor or author.", au.Role)
	}
	return nil
}
