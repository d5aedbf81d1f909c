package site

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gazette-blog/gazette"
)

// redirectOrNotFound answers an address no route knows: a 301 to the entry
// now at an old address, else the themed 404.
func (s *Site) redirectOrNotFound(w http.ResponseWriter, r *http.Request) error {
	done, err := s.redirect(w, r)
	if done || err != nil {
		return err
	}
	return notFound(r)
}

// redirect sends a 301 to the permalink of the visible entry that the
// request's old address stands for, and reports whether it did. The address
// is tried with its query first, as WordPress's /?p=123 needs it.
func (s *Site) redirect(w http.ResponseWriter, r *http.Request) (bool, error) {
	var candidates []string
	add := func(p string) {
		for _, c := range candidates {
			if c == p {
				return
			}
		}
		candidates = append(candidates, p)
	}
	if r.URL.RawQuery != "" {
		add(r.URL.EscapedPath() + "?" + r.URL.RawQuery)
		add(r.URL.Path + "?" + r.URL.RawQuery)
	}
	add(r.URL.EscapedPath())
	add(r.URL.Path)
	for _, path := range candidates {
		e, err := s.store.RedirectTarget(r.Context(), path)
		if errors.Is(err, gazette.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("looking up a redirect for %s: %w", path, err)
		}
		if !e.VisibleAt(s.now()) || e.Path == r.URL.Path {
			continue
		}
		http.Redirect(w, r, e.Path, http.StatusMovedPermanently)
		return true, nil
	}
	return false, nil
}
