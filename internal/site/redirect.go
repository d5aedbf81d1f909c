package site

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gazette-blog/gazette"
)

// redirectOrNotFound answers an address no route knows: a page at /SLUG/,
// else a 301 from an old address, else the themed 404. Pages are looked up
// here rather than routed, as a /{slug}/ pattern would clash with the
// prefixes other handlers are mounted at.
func (s *Site) redirectOrNotFound(w http.ResponseWriter, r *http.Request) error {
	if done, err := s.page(w, r); done || err != nil {
		return err
	}
	done, err := s.redirect(w, r)
	if done || err != nil {
		return err
	}
	return notFound(r)
}

// redirect sends a 301 to the permalink of the visible entry that the
// request's old address stands for, or to the path it was redirected to, and
// reports whether it did. The address is tried with its query first, as
// WordPress's /?p=123 needs it.
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
		rd, err := s.store.Redirect(r.Context(), path)
		if errors.Is(err, gazette.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("looking up a redirect for %s: %w", path, err)
		}
		if rd.EntryID == 0 {
			if rd.Target == r.URL.Path || rd.Target == r.URL.RequestURI() {
				continue
			}
			http.Redirect(w, r, rd.Target, http.StatusMovedPermanently)
			return true, nil
		}
		e, err := s.store.Entry(r.Context(), rd.EntryID)
		if errors.Is(err, gazette.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("reading the entry %s redirects to: %w", path, err)
		}
		if !e.VisibleAt(s.now()) || e.Path == r.URL.Path {
			continue
		}
		http.Redirect(w, r, e.Path, http.StatusMovedPermanently)
		return true, nil
	}
	return false, nil
}
