// Package export writes a blog's public site as static files. It walks the
// site's http.Handler in-process, from the home page, the sitemap and the
// feeds through every link, so the files hold exactly the bytes the server
// sends; beside each it puts the gzip and Brotli copies that the server
// sends to clients that accept them, for static servers that serve
// precompressed files.
//
// A static host sends no 301, so the old address of a redirect (a Movable
// Type /archives/000123.html, say) gets a small page that sends the browser
// on and names the new address as canonical, as Hugo does for its aliases.
//
// A build is incremental: OUTDIR keeps a manifest of the hash of every file,
// and a later build rewrites only the files whose content changed and
// removes those of pages that are gone or that no page links to any more.
package export

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gazette-blog/gazette"
)

// ManifestName is the file in OUTDIR that lists the files of the last build
// with the hash of each.
const ManifestName = ".gazette-build.json"

// Seeds are the addresses a build starts from; every other page is reached
// by a link from one of them.
var Seeds = []string{
	"/", "/sitemap.xml", "/robots.txt", "/atom.xml", "/index.xml", "/feed.json",
	"/archives/", "/topics/", "/comments/", "/comments/atom.xml", NotFoundPath,
}

// NotFoundPath is the address of the page the build writes with the
// site's answer to an address it has no page for: static hosts (GitHub
// Pages, Netlify, Cloudflare Pages) send /404.html for such addresses,
// and nginx does with "error_page 404 /404.html".
const NotFoundPath = "/404.html"

// Config says what to build.
type Config struct {
	// Handler is the public site.
	Handler http.Handler
	// BaseURL is the blog's public address; links under it (and relative
	// ones) are followed, others are not.
	BaseURL string
	// Workers is how many pages are fetched and written at once; zero
	// means one per core.
	Workers int
	// Progress, when set, is called after each page with the pages done
	// and the pages found so far.
	Progress func(done, found int)
	// Journal, when set, is the blog's change journal: a build then
	// renders again only the pages that show what changed since the last
	// one (see incremental.go).
	Journal gazette.ChangeJournal
	// Fingerprint names the program and theme the pages are made with; a
	// build with another renders everything.
	Fingerprint string
	// Full renders every page, whatever changed.
	Full bool
	// Uncompressed writes the pages alone, without their .gz and .br
	// copies: for hosts that compress as they send (GitHub Pages,
	// Netlify, Cloudflare), which have no use for them.
	Uncompressed bool
	// Redirects are the old addresses the blog redirects, as the store
	// keeps them (paths, escaped or not, with a query where they have
	// one), which no page may link to: each that a file can stand for
	// gets a page leading to its new address.
	Redirects []string
}

// Result counts what a build did.
type Result struct {
	Pages     int   // pages found and built
	Written   int   // pages whose files were (re)written
	Unchanged int   // pages whose files were already right
	Removed   int   // pages of the last build that are gone
	Bytes     int64 // bytes of the pages rendered, uncompressed
	Rendered  int   // pages asked of the site
	// Redirects are the pages, among Pages, that lead from an old
	// address to its new one.
	Redirects int
	// Full says why every page was rendered; empty for an incremental
	// build.
	Full string
}

// manifest is ManifestName's content: each file's path (slash-separated,
// relative to OUTDIR) and the SHA-256 of its bytes.
type manifest struct {
	Files map[string]string `json:"files"`
	Build *buildInfo        `json:"build,omitempty"`
	// native says the manifest was read as this package writes it, not
	// as JSON of another layout: one edited by hand may have lost what an
	// incremental build relies on, such as the pages' links.
	native bool
}

// Build writes the site into outDir, creating it if needed.
func Build(ctx context.Context, cfg Config, outDir string) (Result, error) {
	base, err := url.Parse(strings.TrimSuffix(cfg.BaseURL, "/"))
	if err != nil || base.Host == "" {
		return Result{}, fmt.Errorf("export: base URL %q is not an absolute address", cfg.BaseURL)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return Result{}, fmt.Errorf("export: %w", err)
	}
	old, err := readManifest(outDir)
	if err != nil {
		return Result{}, err
	}
	b := &builder{cfg: cfg, base: base, out: outDir, old: old.Files,
		seen: map[string]bool{}, files: map[string]string{}, redirects: map[string]bool{}}
	for _, p := range cfg.Redirects {
		b.redirects[requestAddress(p)] = true
	}
	if b.res.Full, err = b.plan(ctx, old); err != nil {
		return Result{}, err
	}
	b.addrs = slices.Clone(b.oldAddrs)
	b.addrIndex, b.keyIndex = index(b.addrs), index(b.keyTable)
	if b.inc == nil && old.Build != nil {
		// A full build may write files the last build's record does not
		// describe (with other settings, or copies where it made none):
		// until it ends, the manifest keeps the hashes, for the files of
		// pages since gone, but no record, so that a build after one
		// stopped half way is full too.
		if err := writeManifest(outDir, manifest{Files: old.Files}); err != nil {
			return Result{}, err
		}
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	b.run(ctx, workers)
	if b.err != nil {
		return b.res, b.err
	}
	if err := ctx.Err(); err != nil {
		return b.res, err
	}
	if cfg.Journal != nil {
		b.graph = b.linkGraph()
	}
	if b.inc != nil {
		// Pages no page reaches any more go, and with them the files of
		// those this build wrote first (not counted: the last build had
		// no such page to remove).
		for _, name := range b.prune() {
			if _, ok := old.Files[name]; ok {
				continue // removed below, with the pages that are gone
			}
			if err := removePage(outDir, name); err != nil {
				return b.res, err
			}
		}
	}
	for name := range old.Files {
		if _, ok := b.files[name]; ok {
			continue
		}
		if err := removePage(outDir, name); err != nil {
			return b.res, err
		}
		b.res.Removed++
	}
	b.res.Pages, b.res.Unchanged = len(b.files), len(b.files)-b.res.Written
	for name := range b.files {
		if b.records[name].redirect {
			b.res.Redirects++
		}
	}
	if b.inc != nil && b.res.Rendered == 0 && b.res.Removed == 0 && len(b.files) == len(old.Files) && b.cursor == old.Build.Cursor {
		// Nothing was asked and nothing changed since: the record is
		// the last build's, megabytes not worth writing again.
		return b.res, nil
	}
	if err := writeManifest(outDir, manifest{Files: b.files, Build: b.info()}); err != nil {
		return b.res, err
	}
	return b.res, nil
}

// builder is one build's state, shared by its workers.
type builder struct {
	cfg  Config
	base *url.URL
	out  string
	old  map[string]string
	dirs sync.Map // the folders made so far

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []string
	pending int // queued or being built
	seen    map[string]bool
	files   map[string]string
	res     Result
	err     error

	// records hold what each file's page shows, for the next build.
	records map[string]pageRecord
	inc     *incremental // nil for a full build
	cursor  gazette.ChangeCursor
	// oldAddrs are the addresses the last build's record numbers its
	// pages' links by.
	oldAddrs []string
	// addrs numbers the addresses pages link to, beginning with oldAddrs,
	// and keyTable the keys of what pages show, beginning with the last
	// build's (plan sets it for an incremental build): a page's record
	// keeps numbers, since a big blog's pages hold millions of links and
	// keys, most of them to the same few pages and things, and a page
	// kept from the last build keeps its numbers.
	addrs     []string
	addrIndex map[string]int
	keyTable  []string
	keyIndex  map[string]int
	graph     *linkGraph // the pages' links, once every page is built
	// moved are the redirects found, written once every page is built.
	moved []movedPage
	// redirects are the old addresses of Config.Redirects, as requests
	// name them.
	redirects map[string]bool
	// oldPages is the last build's record of its files' pages, for an
	// incremental build.
	oldPages map[string]pageDeps
}

func (b *builder) run(ctx context.Context, workers int) {
	b.cond = sync.NewCond(&b.mu)
	for _, p := range b.starts() {
		b.add(p)
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			c := newCompressor()
			for {
				p, ok := b.next(ctx)
				if !ok {
					return
				}
				links, err := b.page(ctx, c, p)
				b.done(links, err)
			}
		})
	}
	wg.Wait()
	if b.err == nil && ctx.Err() == nil {
		b.writeMoved(ctx, workers)
	}
}

// add queues the page at path p unless it was seen; b.mu is held.
func (b *builder) add(p string) {
	if b.seen[p] {
		return
	}
	b.seen[p] = true
	b.queue = append(b.queue, p)
	b.pending++
}

func (b *builder) next(ctx context.Context) (string, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.queue) == 0 && b.pending > 0 && b.err == nil && ctx.Err() == nil {
		b.cond.Wait()
	}
	if len(b.queue) == 0 || b.err != nil || ctx.Err() != nil {
		b.cond.Broadcast()
		return "", false
	}
	p := b.queue[len(b.queue)-1]
	b.queue = b.queue[:len(b.queue)-1]
	return p, true
}

func (b *builder) done(links []string, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err != nil && b.err == nil {
		b.err = err
	}
	// The queue is a stack: the page's first new link is built next. On
	// an entry's page that is its comment feed, which reads the entry
	// again while ReadOnce still holds it.
	for _, l := range slices.Backward(links) {
		b.addLink(l)
	}
	b.pending--
	if b.cfg.Progress != nil {
		b.cfg.Progress(len(b.seen)-b.pending, len(b.seen))
	}
	b.cond.Broadcast()
}

// page builds the page at path p and returns the links it holds. A path
// that is no page (an error, a redirect, a form's address) is skipped.
func (b *builder) page(ctx context.Context, c *compressor, p string) ([]string, error) {
	a, deps := b.render(ctx, p)
	if m, ok := b.movedPage(p, a, deps); ok {
		b.mu.Lock()
		b.moved = append(b.moved, m)
		b.mu.Unlock()
		return m.links, nil
	}
	if !b.isPage(p, a) {
		b.mu.Lock()
		b.gone(p)
		b.mu.Unlock()
		return nil, nil
	}
	body, header := a.body, a.header
	ctype := header.Get("Content-Type")
	// A page from the page cache has compressed copies to ask for; one
	// rendered afresh is compressed here the same way.
	negotiated := strings.Contains(header.Get("Vary"), "Accept-Encoding")
	name, ok := fileName(p)
	if !ok {
		return nil, nil
	}
	links := b.links(p, ctype, body)
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	file := filepath.Join(b.out, filepath.FromSlash(name))
	unchanged := b.old[name] == hash && exists(file) && (b.cfg.Uncompressed || exists(file+".gz") && exists(file+".br"))
	if !unchanged {
		if err := b.write(ctx, c, p, file, body, negotiated); err != nil {
			return nil, err
		}
	}
	if b.cfg.Uncompressed && b.inc == nil {
		// An earlier build may have made copies, even one that was
		// stopped; they would now be stale. Switching to no copies makes
		// the build full, as does a build after a full one that was
		// stopped (see Build), and an incremental one after it finds
		// none.
		if err := removeFiles(file+".gz", file+".br"); err != nil {
			return nil, err
		}
	}
	b.mu.Lock()
	b.files[name] = hash
	b.record(name, p, deps, links, !unchanged, false)
	b.res.Bytes += int64(len(body))
	if !unchanged {
		b.res.Written++ // Pages and Unchanged are counted from b.files at the end
	}
	b.mu.Unlock()
	return links, nil
}

// isPage reports whether a, the answer for p, is a page to write: a 200,
// or at NotFoundPath the site's own page for an address with none.
func (b *builder) isPage(p string, a answer) bool {
	if a.header.Get("Content-Encoding") != "" {
		return false
	}
	if a.status == http.StatusNotFound && p == NotFoundPath {
		mt, _, _ := mime.ParseMediaType(a.header.Get("Content-Type"))
		return mt == "text/html"
	}
	return a.status == http.StatusOK
}

// write writes a page and the copies the server sends to clients that
// accept gzip and Brotli: asked of the site when it negotiates them, else
// made here.
func (b *builder) write(ctx context.Context, c *compressor, p, file string, body []byte, negotiated bool) error {
	if err := b.makeDir(filepath.Dir(file)); err != nil {
		return err
	}
	if err := writeFile(file, body); err != nil {
		return err
	}
	if b.cfg.Uncompressed {
		return nil
	}
	for _, enc := range []struct {
		coding, ext string
		compress    func([]byte) []byte
	}{{"gzip", ".gz", c.gzip}, {"br", ".br", c.brotli}} {
		var data []byte
		if negotiated {
			var ok bool
			if data, _, ok = b.get(ctx, p, enc.coding); !ok {
				return fmt.Errorf("export: %s answered no %s copy", p, enc.coding)
			}
		} else {
			data = enc.compress(body)
		}
		if err := writeFile(file+enc.ext, data); err != nil {
			return err
		}
	}
	return nil
}

// makeDir makes the folder dir unless this build made it already: most
// folders hold many pages.
func (b *builder) makeDir(dir string) error {
	if _, ok := b.dirs.Load(dir); ok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	b.dirs.Store(dir, true)
	return nil
}

// answer is the site's answer to a request.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// ask asks the site for p in the given content coding ("" for none), as a
// reader's browser would.
func (b *builder) ask(ctx context.Context, p, coding string) answer {
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, b.base.Scheme+"://"+b.base.Host+p, nil)
	if coding != "" {
		req.Header.Set("Accept-Encoding", coding)
	}
	rec := httptest.NewRecorder()
	b.cfg.Handler.ServeHTTP(rec, req)
	return answer{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// get asks the site for p in the given content coding and returns a 200
// answer's body and header.
func (b *builder) get(ctx context.Context, p, coding string) ([]byte, http.Header, bool) {
	a := b.ask(ctx, p, coding)
	if a.status != http.StatusOK || a.header.Get("Content-Encoding") != coding {
		return nil, nil, false
	}
	return a.body, a.header, true
}

// links returns the site's pages that body links to.
func (b *builder) links(p, ctype string, body []byte) []string {
	mt, _, _ := mime.ParseMediaType(ctype)
	var raw []string
	switch {
	case mt == "text/html":
		raw = htmlLinks(body)
	case strings.HasSuffix(mt, "xml") && strings.HasPrefix(p, "/sitemap"):
		raw = sitemapLinks(body)
	}
	page := b.at(p)
	var out []string
	for _, l := range raw {
		u, err := page.Parse(strings.TrimSpace(l))
		if err != nil || u.Host != b.base.Host || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		if u.RawQuery != "" || u.Path == "" {
			continue // search and forms: pages of a server, not files
		}
		if ep := u.EscapedPath(); !slices.Contains(out, ep) {
			out = append(out, ep)
		}
	}
	return out
}

// sitemapLinks returns the loc elements of a sitemap or sitemap index.
func sitemapLinks(body []byte) []string {
	var out []string
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "loc" {
			var loc string
			if d.DecodeElement(&loc, &se) == nil {
				out = append(out, loc)
			}
		}
	}
}

// fileName returns the file, relative to OUTDIR, of the page at the
// escaped path p: index.html in a folder for an address that ends in a
// slash (the pretty URLs), else the path itself.
func fileName(p string) (string, bool) {
	unescaped, err := url.PathUnescape(p)
	if err != nil {
		return "", false
	}
	if strings.HasSuffix(unescaped, "/") {
		unescaped += "index.html"
	}
	name := strings.TrimPrefix(path.Clean(unescaped), "/")
	if name == "" || name == "." || name == ManifestName || strings.Contains(name, "\\") ||
		slices.Contains(strings.Split(name, "/"), "..") {
		return "", false
	}
	return name, true
}

func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// writeFile replaces name with data through a temporary file, so that a
// server reading the folder never sees half a file. The file is made
// readable by all, less what the umask takes, as other programs' files are.
func writeFile(name string, data []byte) error {
	var tmp *os.File
	var err error
	for range 100 {
		t := filepath.Join(filepath.Dir(name), ".tmp-"+strconv.FormatUint(rand.Uint64(), 36))
		if tmp, err = os.OpenFile(t, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("export: writing %s: %w", name, err)
	}
	return nil
}

// removePage removes a page's files and the folders it leaves empty.
func removePage(outDir, name string) error {
	file := filepath.Join(outDir, filepath.FromSlash(name))
	if err := removeFiles(file, file+".gz", file+".br"); err != nil {
		return err
	}
	for dir := filepath.Dir(file); dir != filepath.Clean(outDir) && strings.HasPrefix(dir, filepath.Clean(outDir)); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break // not empty
		}
	}
	return nil
}

// removeFiles removes the named files where they exist.
func removeFiles(names ...string) error {
	for _, name := range names {
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("export: removing %s: %w", name, err)
		}
	}
	return nil
}

func readManifest(outDir string) (manifest, error) {
	m := manifest{Files: map[string]string{}}
	data, err := os.ReadFile(filepath.Join(outDir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("export: %w", err)
	}
	if fast, ok := decodeManifest(data); ok {
		return fast, nil
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("export: %s: %w (remove it to build everything again)", filepath.Join(outDir, ManifestName), err)
	}
	if m.Files == nil {
		m.Files = map[string]string{}
	}
	return m, nil
}

func writeManifest(outDir string, m manifest) error {
	return writeFile(filepath.Join(outDir, ManifestName), encodeManifest(m))
}
