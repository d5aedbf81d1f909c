package export

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
)

// This file makes a build incremental. Each page records, while it is
// rendered, the page-cache keys of what it shows and when it changes by
// itself (pagecache.WithDeps); the manifest keeps them beside the hashes,
// with the change journal's cursor of the moment the build began. The next
// build asks the journal for the keys written since, and renders again
// only the pages that show one of them, those whose time came, and those
// they link to that the last build did not have. The manifest keeps each
// page's links too (see reach.go), so that what a full build finds by its
// links an incremental one finds as well, and what it would not find is
// removed. When the journal cannot
// vouch for every write since (a write that named no keys, an import, a
// journal pruned past the cursor), or the binary, theme or address
// changed, it renders everything.

// buildInfo is what the manifest keeps for the next build beyond the
// hashes of its files.
type buildInfo struct {
	// Fingerprint names what the pages were made with besides the blog's
	// content: the program, its theme, the base URL.
	Fingerprint string               `json:"fingerprint"`
	Cursor      gazette.ChangeCursor `json:"cursor"`
	// Keys are the dependency keys of the pages, each once; a page names
	// them by index.
	Keys []string `json:"keys"`
	// Addresses are the escaped paths the pages link to, each once; a
	// page names them by index.
	Addresses []string            `json:"addresses"`
	Pages     map[string]pageDeps `json:"pages"`
}

// pageDeps is what one file's page depends on.
type pageDeps struct {
	Path    string `json:"p"`           // the escaped address it was asked at
	Keys    []int  `json:"k,omitempty"` // indexes into buildInfo.Keys
	Expires int64  `json:"x,omitempty"` // Unix seconds; zero for never
	// Links are the addresses it links to, as indexes into
	// buildInfo.Addresses.
	Links []int `json:"l,omitempty"`
	// Redirect says it is a page for a redirect (see moved.go).
	Redirect bool `json:"r,omitempty"`
}

// pageRecord is pageDeps while a build runs. Its keys and links are
// numbers in the builder's keyTable and addrs, which begin with the last
// build's tables, so that a page kept from it keeps its numbers.
type pageRecord struct {
	path     string
	keys     []int
	links    []int
	expires  time.Time
	written  bool // its files were written by this build
	redirect bool // a page for a redirect (see moved.go)
}

// incremental is the plan of an incremental build.
type incremental struct {
	dirty []string // the addresses to render again
	// retry are the addresses pages link to that were no page at the
	// last build (a redirect, a page not found): asked again, in case
	// one has become a page, which a full build would find by the link.
	retry []string
}

// plan decides between a full and an incremental build and sets b up for
// it: for an incremental one, it keeps the last build's files and records
// and lists the pages to render again. It returns why the build is full,
// or "" for an incremental one.
func (b *builder) plan(ctx context.Context, old manifest) (reason string, err error) {
	b.records = map[string]pageRecord{}
	defer func() {
		if reason != "" && b.inc == nil {
			// A full build starts from nothing the plan gathered.
			clear(b.files)
			clear(b.records)
			b.oldAddrs = nil
		}
	}()
	j := b.cfg.Journal
	if j == nil {
		return "the store keeps no change journal", nil
	}
	info := old.Build
	switch {
	case b.cfg.Full:
		reason = "asked for"
	case info == nil:
		reason = "no record of the last build"
	case info.Fingerprint != b.fingerprint():
		reason = "the program, theme, base URL or compressed copies changed"
	case !old.native:
		reason = "the record of the last build is not in this gazette's layout (edited?)"
	}
	if reason != "" {
		cur, err := j.LatestChange(ctx)
		b.cursor = cur
		if err != nil {
			return reason, fmt.Errorf("export: %w", err)
		}
		return reason, nil
	}
	keys, cur, complete, err := j.ChangesSince(ctx, info.Cursor)
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	b.cursor = cur
	if !complete {
		return "the blog changed by writes that named no pages", nil
	}
	changed := make([]bool, len(info.Keys))
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	for i, k := range info.Keys {
		changed[i] = want[k]
	}
	now := time.Now().Unix()
	inc := &incremental{}
	b.oldAddrs = info.Addresses
	for name, hash := range old.Files {
		d, ok := info.Pages[name]
		if !ok || d.Path == "" {
			return "a file of the last build has no record", nil
		}
		b.files[name] = hash
		stale := len(d.Keys) == 0 || d.Expires != 0 && d.Expires <= now
		for _, k := range d.Keys {
			if k < 0 || k >= len(changed) {
				return "the record of the last build is damaged", nil
			}
			stale = stale || changed[k]
		}
		for _, l := range d.Links {
			if l < 0 || l >= len(b.oldAddrs) {
				return "the record of the last build is damaged", nil
			}
		}
		if stale {
			inc.dirty = append(inc.dirty, d.Path)
			continue
		}
		rec := pageRecord{path: d.Path, keys: d.Keys, links: d.Links, redirect: d.Redirect}
		if d.Expires != 0 {
			rec.expires = time.Unix(d.Expires, 0)
		}
		b.records[name] = rec
	}
	for _, a := range b.oldAddrs {
		if name, ok := fileName(a); ok && !b.known(name) {
			inc.retry = append(inc.retry, a)
		}
	}
	slices.Sort(inc.dirty)
	b.inc, b.keyTable, b.oldPages = inc, info.Keys, info.Pages
	return "", nil
}

// starts are the addresses a build begins with: the seeds, or for an
// incremental build the pages to render again and the seeds the last
// build did not have. A page new since (an entry, a month) is linked from
// a list that shows it, which is among the pages rendered again.
func (b *builder) starts() []string {
	if b.inc == nil {
		return b.seeds()
	}
	starts := slices.Concat(b.inc.dirty, b.inc.retry)
	for _, p := range b.seeds() {
		if name, ok := fileName(p); ok && (!b.known(name) || b.oldPages[name].Path != p && b.redirects[p]) {
			// A seed with no file yet, or an old address whose file
			// another address holds (/n/index.html, /n/'s page), which
			// is asked again in case that page has gone.
			starts = append(starts, p)
		}
	}
	return starts
}

// addLink queues a page that a built page links to, unless an incremental
// build keeps it from the last build; b.mu is held.
func (b *builder) addLink(p string) {
	if b.inc != nil {
		if name, ok := fileName(p); ok && b.known(name) {
			return
		}
	}
	b.add(p)
}

// known reports whether the last build had the file name.
func (b *builder) known(name string) bool {
	_, ok := b.old[name]
	return ok
}

// render asks for the page at p while recording what it shows.
func (b *builder) render(ctx context.Context, p string) (answer, *pagecache.Deps) {
	rctx, deps := pagecache.WithDeps(ctx)
	a := b.ask(rctx, p, "")
	if redirected(a.status) {
		a = b.follow(rctx, p, a)
		if redirected(a.status) && b.claimed(rctx, p, a) {
			a = answer{status: http.StatusConflict, header: http.Header{}} // no page of its own
		}
	}
	b.mu.Lock()
	b.res.Rendered++
	b.mu.Unlock()
	return a, deps
}

// record keeps what the page at p, in file name, showed and linked to,
// whether its files were written and whether it leads from a redirect's
// old address; b.mu is held.
func (b *builder) record(name, p string, deps *pagecache.Deps, links []string, written, redirect bool) {
	b.records[name] = pageRecord{path: p, keys: number(deps.Keys(), &b.keyTable, b.keyIndex), expires: deps.Expires(),
		links: number(links, &b.addrs, b.addrIndex), written: written, redirect: redirect}
}

// index returns the numbers of the names in table.
func index(table []string) map[string]int {
	m := make(map[string]int, len(table))
	for i, n := range table {
		m[n] = i
	}
	return m
}

// number returns the numbers of names in table, whose index it is, adding
// those it lacks; b.mu is held.
func number(names []string, table *[]string, index map[string]int) []int {
	out := make([]int, len(names))
	for i, n := range names {
		j, ok := index[n]
		if !ok {
			j = len(*table)
			index[n] = j
			*table = append(*table, n)
		}
		out[i] = j
	}
	return out
}

// seeds are the addresses every build reaches: Seeds, and the old
// addresses of the redirects that a file can stand for.
func (b *builder) seeds() []string {
	seeds := slices.Clone(Seeds)
	for p := range b.redirects {
		if movable(p) {
			seeds = append(seeds, p)
		}
	}
	slices.Sort(seeds[len(Seeds):])
	return seeds
}

// gone drops the file of a page that an incremental build rendered again
// and found no more; the build then removes it. b.mu is held.
func (b *builder) gone(p string) {
	name, ok := fileName(p)
	if !ok || b.inc == nil {
		return
	}
	if rec, ok := b.records[name]; ok && rec.path != p {
		return // another address of the same file ("/n/index.html" for "/n/")
	}
	delete(b.files, name)
	delete(b.records, name)
}

// info returns the manifest's record of this build for the next one.
func (b *builder) info() *buildInfo {
	if b.cfg.Journal == nil {
		return nil
	}
	info := &buildInfo{Fingerprint: b.fingerprint(), Cursor: b.cursor, Pages: make(map[string]pageDeps, len(b.records))}
	info.Addresses = b.graph.compact(b.files)
	// The keys are renumbered into a table of those the pages still show.
	renumber := make([]int, len(b.keyTable))
	for i := range renumber {
		renumber[i] = -1
	}
	for name, rec := range b.records {
		if _, ok := b.files[name]; !ok {
			continue
		}
		d := pageDeps{Path: rec.path, Keys: make([]int, len(rec.keys))}
		for i, k := range rec.keys {
			if renumber[k] < 0 {
				renumber[k] = len(info.Keys)
				info.Keys = append(info.Keys, b.keyTable[k])
			}
			d.Keys[i] = renumber[k]
		}
		if !rec.expires.IsZero() {
			d.Expires = rec.expires.Unix()
		}
		d.Links = b.graph.links(name)
		d.Redirect = rec.redirect
		info.Pages[name] = d
	}
	return info
}

// fingerprint names what the pages are made with besides the content.
func (b *builder) fingerprint() string {
	// The manifest's version goes with it: a record without the pages'
	// links cannot tell which pages are still reached, nor one without
	// redirects' pages which of its files are pages of their own.
	fp := b.cfg.Fingerprint + " " + b.cfg.BaseURL + " manifest 4"
	if b.cfg.Uncompressed {
		fp += " uncompressed"
	}
	return fp
}
