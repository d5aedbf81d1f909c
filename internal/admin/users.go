package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/auth"
)

// UsersPage lists the blog's authors with a form to add one.
type UsersPage struct {
	Base
	Users []*gazette.Author
}

// UserPage edits an author: name, email, role, password; or disables them.
type UserPage struct {
	Base
	User *gazette.Author
}

func (a *Admin) userList(w http.ResponseWriter, r *http.Request, q *request) error {
	users, err := a.store.Authors(q.ctx)
	if err != nil {
		return err
	}
	p := &UsersPage{Base: a.base(q, "Users", "users"), Users: users}
	p.Notice = notice(r)
	return a.show(w, "users", p)
}

func (a *Admin) userCreate(w http.ResponseWriter, r *http.Request, q *request) error {
	u := &gazette.Author{Name: strings.TrimSpace(r.PostFormValue("name")), Email: strings.TrimSpace(r.PostFormValue("email")),
		Role: gazette.Role(r.PostFormValue("role"))}
	u.Slug = gazette.Slugify(u.Name)
	if err := checkAuthorFields(u); err != nil {
		return err
	}
	hash, err := auth.HashPassword(r.PostFormValue("password"))
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	if err := a.store.CreateAuthor(q.ctx, u); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/users?notice=saved")
}

func (a *Admin) user(r *http.Request, q *request) (*gazette.Author, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return a.store.Author(q.ctx, id)
}

func (a *Admin) userEdit(w http.ResponseWriter, r *http.Request, q *request) error {
	u, err := a.user(r, q)
	if err != nil {
		return err
	}
	p := &UserPage{Base: a.base(q, "User: "+u.Name, "users"), User: u}
	p.Notice = notice(r)
	return a.show(w, "user", p)
}

// userUpdate saves an author's details, sets a new password, or disables
// the account: a disabled author keeps their entries but has no password
// and is signed out everywhere.
func (a *Admin) userUpdate(w http.ResponseWriter, r *http.Request, q *request) error {
	u, err := a.user(r, q)
	if err != nil {
		return err
	}
	signOut := false
	switch r.PostFormValue("action") {
	case "disable":
		if u.ID == q.me().ID {
			return gazette.Errorf(gazette.ErrInvalid, "You cannot disable your own account.")
		}
		u.PasswordHash, signOut = "", true
	case "password":
		hash, err := auth.HashPassword(r.PostFormValue("password"))
		if err != nil {
			return err
		}
		u.PasswordHash, signOut = hash, true
	default:
		u.Name = strings.TrimSpace(r.PostFormValue("name"))
		u.Email = strings.TrimSpace(r.PostFormValue("email"))
		u.Role = gazette.Role(r.PostFormValue("role"))
		if u.ID == q.me().ID && u.Role != gazette.RoleAdmin {
			return gazette.Errorf(gazette.ErrInvalid, "You cannot take away your own admin role.")
		}
		if err := checkAuthorFields(u); err != nil {
			return err
		}
	}
	err = a.store.Atomic(q.ctx, func(tx gazette.Tx) error {
		if err := tx.UpdateAuthor(q.ctx, u); err != nil {
			return err
		}
		if signOut && u.ID != q.me().ID {
			return tx.(gazette.SessionStore).DeleteAuthorSessions(q.ctx, u.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return seeOther(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10)+"?notice=saved")
}
