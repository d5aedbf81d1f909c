package site

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/web"
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
	// The answer, a redirect or none, shows what answers at this address
	// and the entry it leads to: a static build keeps a page for it.
	pagecache.Depend(r.Context(), pagecache.Address(r.URL.Path))
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
	// WordPress keeps a non-ASCII slug escaped in lower case (%e6%97%a5),
	// and browsers send it in upper case.
	add(lowerEscapes(r.URL.EscapedPath()))
	// Movable Type published an entry under variants of its address, by
	// its settings; they are derived here rather than stored for each
	// entry, so they work for every entry, imported or not.
	alternates := mtVariants(r.URL.Path)
	for _, p := range alternates {
		add(p)
	}
	for _, p := range alternates {
		e, err := s.store.EntryByPath(r.Context(), p)
		if errors.Is(err, gazette.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("looking up the entry at %s: %w", p, err)
		}
		s.dependOnTarget(r, e)
		if e.VisibleAt(s.now()) && e.Path != r.URL.Path {
			http.Redirect(w, r, e.Path, http.StatusMovedPermanently)
			return true, nil
		}
	}
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
		pagecache.Depend(r.Context(), pagecache.Entry(rd.EntryID))
		e, err := s.store.Entry(r.Context(), rd.EntryID)
		if errors.Is(err, gazette.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("reading the entry %s redirects to: %w", path, err)
		}
		s.dependOnTarget(r, e)
		if !e.VisibleAt(s.now()) || e.Path == r.URL.Path {
			continue
		}
		http.Redirect(w, r, e.Path, http.StatusMovedPermanently)
		return true, nil
	}
	return false, nil
}

// dependOnTarget records that a redirect's answer shows entry e: its
// address and whether it is visible, which a scheduled entry becomes by
// itself at its time.
func (s *Site) dependOnTarget(r *http.Request, e *gazette.Entry) {
	pagecache.Depend(r.Context(), pagecache.Entry(e.ID))
	if e.Status == gazette.StatusPublished && e.PublishedAt.After(s.now()) {
		pagecache.ExpireAt(r.Context(), e.PublishedAt)
	}
}

// orRedirect answers a request for which h has no page with the redirect of
// its address, when there is one: the old address of a renamed topic is
// routed to the topic archive, which knows no such topic.
func (s *Site) orRedirect(h web.HandlerFunc) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		err := h(w, r)
		var own settled
		if !errors.Is(err, gazette.ErrNotFound) || errors.As(err, &own) {
			return err
		}
		if done, rerr := s.redirect(w, r); done || rerr != nil {
			return rerr
		}
		return err
	}
}

// lowerEscapes returns p with the hex digits of its escapes in lower case.
func lowerEscapes(p string) string {
	if !strings.Contains(p, "%") {
		return p
	}
	b := []byte(p)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lowerHex(b[i+1]), lowerHex(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lowerHex(c byte) byte {
	if 'A' <= c && c <= 'F' {
		return c + ('a' - 'A')
	}
	return c
}

// mtVariants returns the addresses that an old Movable Type address under
// /archives/ may stand for: NAME.php for NAME.html (MT could publish either
// extension), and the basename with dashes for underscores or the other way
// round (MT's two word separators). It returns nothing for other addresses.
func mtVariants(path string) []string {
	if !strings.HasPrefix(path, "/archives/") {
		return nil
	}
	base, ok := strings.CutSuffix(path, ".php")
	if !ok {
		if base, ok = strings.CutSuffix(path, ".html"); !ok {
			return nil
		}
	}
	dir, name := base[:strings.LastIndexByte(base, '/')+1], base[strings.LastIndexByte(base, '/')+1:]
	var out []string
	if strings.HasSuffix(path, ".php") {
		out = append(out, dir+name+".html")
	}
	swapped := strings.ReplaceAll(name, "_", "-")
	if swapped == name {
		swapped = strings.ReplaceAll(name, "-", "_")
	}
	if swapped != name {
		out = append(out, dir+swapped+".html")
	}
	return out
}
