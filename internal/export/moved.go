package export

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/gazette-blog/gazette/internal/pagecache"
)

// movedPage is the page for the redirect of an old address, found while
// the pages are built and written once they all are, so that a page with
// the same file (an old /n/index.html redirected while /n/ is a page) wins
// whatever the order the workers reach them in.
type movedPage struct {
	name, path string
	target     string // the absolute address it leads to
	deps       *pagecache.Deps
	links      []string
}

// requestAddress returns a stored address (a path, with its query if it had
// one) as a request names it: its path escaped, once. An import may have
// stored it escaped already (WordPress keeps a non-ASCII slug as
// %e6%97%a5), and that spelling is kept, as the redirect is looked up by it.
func requestAddress(p string) string {
	path, query, hasQuery := strings.Cut(p, "?")
	u := &url.URL{Path: path}
	if unescaped, err := url.PathUnescape(path); err == nil && unescaped != path {
		u = &url.URL{Path: unescaped, RawPath: path}
	}
	escaped := u.EscapedPath()
	if hasQuery {
		return escaped + "?" + query
	}
	return escaped
}

// movable reports whether the old address p can be a file that static
// hosts send as a page: one of a folder (/2007/03/11/slug/) or an .html or
// .htm file (/archives/000123.html). A query (WordPress's /?p=123) names
// no file, and a static host would send an old .php or .asp address as a
// download, so those are left to the server.
func movable(p string) bool {
	if strings.Contains(p, "?") {
		return false
	}
	lower := strings.ToLower(p)
	return strings.HasSuffix(p, "/") || strings.HasSuffix(lower, ".html") || strings.HasSuffix(lower, ".htm")
}

// folderOf returns /n/ for an old address /n/index.html, whose file is the
// folder's page: a static host sends it for both.
func folderOf(p string) (string, bool) {
	return strings.CutSuffix(p, "index.html")
}

// claimed reports whether the file of p, an old address that a redirect
// answers with a, is a page of the site's at another address: the one it
// leads to (/index.html to /), or its folder's (/n/index.html is /n/'s
// page, whether or not this build reaches it). What answers at the folder
// is recorded in ctx, for the build after it comes or goes.
func (b *builder) claimed(ctx context.Context, p string, a answer) bool {
	name, _ := fileName(p)
	if to, ok := b.leadsTo(b.at(p), a); ok && to.RawQuery == "" {
		if toName, ok := fileName(to.EscapedPath()); ok && toName == name {
			return true
		}
	}
	folder, ok := folderOf(p)
	if !ok {
		return false
	}
	pagecache.Depend(ctx, pagecache.Address(folder))
	return b.ask(ctx, folder, "").status == http.StatusOK
}

// at is the address p on the blog's site.
func (b *builder) at(p string) *url.URL {
	return &url.URL{Scheme: b.base.Scheme, Host: b.base.Host, Path: p}
}

// leadsTo returns where a, the answer at the address at, sends a reader,
// when that is on the blog's site.
func (b *builder) leadsTo(at *url.URL, a answer) (*url.URL, bool) {
	to, err := at.Parse(a.header.Get("Location"))
	if err != nil || to.Host != b.base.Host || (to.Scheme != "http" && to.Scheme != "https") {
		return nil, false
	}
	return to, true
}

// maxHops bounds the redirects followed from an old address to the page
// it leads to.
const maxHops = 8

// follow follows a, a redirect of p, through the redirects of the blog's
// old addresses it leads to, and returns a redirect straight to where they
// end: a static host cannot send the next hop, and a page that leads to
// another page that leads on is one refresh too many. What each redirect
// on the way shows is recorded in ctx, as is what answers at the end: what
// the page there shows (its comments, say) is not the redirect's business.
// Redirects that come back to an address they passed answer 508 Loop
// Detected: they lead nowhere.
func (b *builder) follow(ctx context.Context, p string, a answer) answer {
	seen := map[string]bool{p: true}
	at := b.at(p)
	for range maxHops {
		to, ok := b.leadsTo(at, a)
		if !ok {
			return a
		}
		if seen[to.RequestURI()] {
			return answer{status: http.StatusLoopDetected, header: http.Header{}}
		}
		seen[to.RequestURI()] = true
		var next answer
		if b.redirects[to.RequestURI()] {
			// Only an old address leads on: a page is not asked for,
			// which would render it whole. What the hop shows is
			// recorded, whether it leads on or not: a hop to an entry
			// not yet visible answers 404 until its time.
			next = b.ask(ctx, to.RequestURI(), "")
		}
		if !redirected(next.status) {
			pagecache.Depend(ctx, pagecache.Address(to.Path))
			h := a.header.Clone()
			h.Set("Location", to.RequestURI())
			return answer{status: a.status, header: h}
		}
		a, at = next, to
	}
	return answer{status: http.StatusLoopDetected, header: http.Header{}}
}

// redirected reports whether status sends a reader on for good.
func redirected(status int) bool {
	return status == http.StatusMovedPermanently || status == http.StatusPermanentRedirect
}

// movedPage returns the page for a's redirect of p to another page of the
// site, and whether there is one.
func (b *builder) movedPage(p string, a answer, deps *pagecache.Deps) (movedPage, bool) {
	if !redirected(a.status) || !movable(p) {
		return movedPage{}, false
	}
	name, ok := fileName(p)
	if !ok {
		return movedPage{}, false
	}
	to, ok := b.leadsTo(b.at(p), a)
	if !ok {
		return movedPage{}, false
	}
	m := movedPage{name: name, path: p, deps: deps,
		target: b.base.Scheme + "://" + b.base.Host + to.RequestURI()}
	if to.RawQuery == "" {
		m.links = []string{to.EscapedPath()}
	}
	return m, true
}

// movedHTML is the page that stands for a redirect on a static host: the
// browser goes on at once, and search engines, which read a refresh of no
// delay as a permanent redirect, take the canonical address as the one to
// keep.
func movedHTML(target string) []byte {
	t := html.EscapeString(target)
	// A feed reader does not follow a refresh, but finds a feed named as
	// the page's alternate.
	alternate := ""
	if u, err := url.Parse(target); err == nil {
		for suffix, mt := range map[string]string{"atom.xml": "application/atom+xml", "index.xml": "application/rss+xml",
			"feed.json": "application/feed+json"} {
			if strings.HasSuffix(u.Path, "/"+suffix) {
				alternate = `<link rel="alternate" type="` + mt + `" href="` + t + `">` + "\n"
			}
		}
	}
	return []byte(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Moved to ` + t + `</title>
<link rel="canonical" href="` + t + `">
` + alternate + `<meta http-equiv="refresh" content="0; url=` + t + `">
</head>
<body>
<p>This page has moved to <a href="` + t + `">` + t + `</a>.</p>
</body>
</html>
`)
}

// writeMoved writes the pages for the redirects found, but not over a
// page's file, with the workers; the walk is done.
func (b *builder) writeMoved(ctx context.Context, workers int) {
	next := make(chan movedPage)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for m := range next {
				if err := b.writeMovedPage(m); err != nil {
					b.mu.Lock()
					if b.err == nil {
						b.err = err
					}
					b.mu.Unlock()
				}
			}
		})
	}
	// Two old addresses may name one file (an escaped and an unescaped
	// spelling of one path): the first by address writes it, whatever
	// order the walk found them in.
	slices.SortFunc(b.moved, func(x, y movedPage) int { return strings.Compare(x.path, y.path) })
	written := map[string]bool{}
	for _, m := range b.moved {
		if ctx.Err() != nil {
			break
		}
		if written[m.name] {
			continue
		}
		written[m.name] = true
		next <- m
	}
	close(next)
	wg.Wait()
}

func (b *builder) writeMovedPage(m movedPage) error {
	b.mu.Lock()
	rec, taken := b.records[m.name]
	b.mu.Unlock()
	if taken && !rec.redirect {
		return nil // a page's file
	}
	body := movedHTML(m.target)
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	file := filepath.Join(b.out, filepath.FromSlash(m.name))
	unchanged := b.old[m.name] == hash && exists(file)
	if !unchanged {
		if err := b.makeDir(filepath.Dir(file)); err != nil {
			return err
		}
		if err := writeFile(file, body); err != nil {
			return err
		}
	}
	// The page that was here may have had copies, which a static server
	// would send in its place; a page this small needs none.
	if err := removeFiles(file+".gz", file+".br"); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.files[m.name] = hash
	b.record(m.name, m.path, m.deps, m.links, !unchanged, true)
	b.res.Bytes += int64(len(body))
	if !unchanged {
		b.res.Written++
	}
	return nil
}
