// Package html recovers a blog from its published pages, for the blogs whose
// database and export are lost but whose HTML survives in a folder (a
// backup, a mirror, a web archive) or at its addresses.
//
// Each page is read for one entry: by its microformats (h-entry, or the
// older hAtom) where it has them, else by the structure of the classic
// Movable Type, Blogger and WordPress layouts: a title, a date heading,
// "Posted by NAME at TIME", topics and comments. Pages holding several
// entries (the front page, archives) and pages without a readable date are
// skipped and counted in the summary: an archive is recovered as far as it
// goes.
package html

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/fetch"
	"github.com/gazette-blog/gazette/internal/importer"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// pageExts are the file names of published pages: Movable Type could be
// told to publish with any extension, and blogs often used .php or .shtml.
var pageExts = map[string]bool{".html": true, ".htm": true, ".php": true, ".shtml": true, ".asp": true, ".aspx": true, ".jsp": true, ".cfm": true}

// Reader reads published pages one at a time. It implements importer.Reader.
type Reader struct {
	name    string // the folder or the URL list, for messages
	loc     *time.Location
	sources []source
	next    int
	entries int
	seen    map[string]bool // ImportKeys read, to tell a page published twice
	bytes   int64
	load    func(source) (body []byte, contentType string, err error)
	remote  bool // pages are fetched, not read from files

	// What the topics' archive pages, read before the rest, tell.
	prepared bool
	topics   archiveTopics
	terms    []*importer.Item // the topics, to return first
	done     map[int]bool     // sources read as topic archives
	kept     map[int]loaded   // fetched pages that were no topic archive
}

// source is one page: a file of the folder or an address of the list.
type source struct {
	where string // file name or URL, for messages
	path  string // its path on the old blog
	line  int    // line of the URL list
}

// New returns a Reader of the pages below dir. loc is the blog's time zone,
// in which dates printed without one are read.
func New(dir string, loc *time.Location) (*Reader, error) {
	if loc == nil {
		loc = time.UTC
	}
	r := &Reader{name: dir, loc: loc, seen: map[string]bool{}}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !pageExts[strings.ToLower(filepath.Ext(p))] {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		r.sources = append(r.sources, source{where: p, path: "/" + filepath.ToSlash(rel)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("html: read %s: %w", dir, err)
	}
	// Archive pages last: one that holds a single entry is then taken for
	// a duplicate of that entry's own page rather than the other way round.
	sort.SliceStable(r.sources, func(i, j int) bool {
		ai, aj := archiveShaped(r.sources[i].path), archiveShaped(r.sources[j].path)
		if ai != aj {
			return aj
		}
		return r.sources[i].path < r.sources[j].path
	})
	if len(r.sources) == 0 {
		return nil, gazette.Errorf(gazette.ErrInvalid, "%s: no HTML pages in the folder", dir)
	}
	r.load = func(s source) ([]byte, string, error) {
		b, err := os.ReadFile(s.where)
		return b, "", err
	}
	return r, nil
}

// NewURLs returns a Reader of the pages at the addresses listed in list, one
// a line (blank lines and lines starting with # are ignored), fetched with
// client. name names the list in messages.
func NewURLs(ctx context.Context, client *fetch.Client, list io.Reader, name string, loc *time.Location) (*Reader, error) {
	if loc == nil {
		loc = time.UTC
	}
	r := &Reader{name: name, loc: loc, seen: map[string]bool{}, remote: true}
	sc := bufio.NewScanner(list)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, gazette.Errorf(gazette.ErrInvalid, "%s:%d: %q is not an http or https address", name, line, s)
		}
		p := u.EscapedPath()
		if p == "" {
			p = "/"
		}
		if u.RawQuery != "" {
			p += "?" + u.RawQuery
		}
		r.sources = append(r.sources, source{where: s, path: p, line: line})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("html: read %s: %w", name, err)
	}
	if len(r.sources) == 0 {
		return nil, gazette.Errorf(gazette.ErrInvalid, "%s: no addresses in the list", name)
	}
	r.load = func(s source) ([]byte, string, error) {
		resp, err := client.Get(ctx, s.where)
		if err != nil {
			return nil, "", fmt.Errorf("%s:%d: %w", name, s.line, err)
		}
		if resp.StatusCode != 200 {
			return nil, "", gazette.Errorf(gazette.ErrInvalid, "%s:%d: %s answered %d", name, s.line, s.where, resp.StatusCode)
		}
		return resp.Body, resp.Header.Get("Content-Type"), nil
	}
	return r, nil
}

// BytesRead returns how many bytes of pages have been read.
func (r *Reader) BytesRead() int64 { return r.bytes }

// Next returns the entry of the next page, or an item naming why a page was
// skipped; io.EOF after the last page. That no page held an entry is an
// error.
func (r *Reader) Next() (*importer.Item, error) {
	if !r.prepared {
		r.prepared = true
		if err := r.readTopicArchives(); err != nil {
			return nil, err
		}
	}
	if len(r.terms) > 0 {
		it := r.terms[0]
		r.terms = r.terms[1:]
		return it, nil
	}
	if r.next >= len(r.sources) {
		if r.entries == 0 {
			return nil, gazette.Errorf(gazette.ErrInvalid, "%s: none of its %d pages holds an entry that could be read", r.name, len(r.sources))
		}
		return nil, io.EOF
	}
	i, s := r.next, r.sources[r.next]
	r.next++
	if r.done[i] {
		return &importer.Item{Skipped: skipIndex, Line: s.line}, nil
	}
	b, contentType := r.kept[i].body, r.kept[i].contentType
	if b != nil {
		delete(r.kept, i)
	} else {
		var err error
		if b, contentType, err = r.load(s); err != nil {
			return nil, err
		}
	}
	r.bytes += int64(len(b))
	it, skip, err := Page(b, contentType, s.path, r.loc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.where, err)
	}
	if skip == "" && archiveShaped(s.path) {
		skip = skipIndex // a date archive of one entry, whose own page is the one to keep
	}
	if skip == "" && r.seen[it.Entry.ImportKey] {
		skip = skipDup
	}
	if skip != "" {
		return &importer.Item{Skipped: skip, Line: s.line}, nil
	}
	r.topics.give(it, append([]string{s.path}, it.OldPaths...)...)
	r.seen[it.Entry.ImportKey] = true
	r.entries++
	it.Line = s.line
	return it, nil
}

// Page reads one published page whose path on the old blog was path. It
// returns the entry, or else why the page holds none (an index, no date).
// contentType is the page's Content-Type header, if it came with one: pages
// of the era were as often in ISO-8859-1 or windows-1252 as in UTF-8, said
// so there or in a meta element.
func Page(b []byte, contentType, path string, loc *time.Location) (it *importer.Item, skip string, err error) {
	p, err := parse(b, contentType, path, loc)
	if err != nil {
		return nil, "", err
	}
	it, skip = p.extract()
	return it, skip, nil
}

// parse reads a page in the character set it was written in.
func parse(b []byte, contentType, path string, loc *time.Location) (*page, error) {
	enc, _, _ := charset.DetermineEncoding(b, contentType)
	if utf8, err := enc.NewDecoder().Bytes(b); err == nil {
		b = utf8
	}
	doc, err := xhtml.Parse(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	return &page{doc: doc, path: path, loc: loc}, nil
}

var archivePath = regexp.MustCompile(`^/$|^/index\.\w+$|(^|/)(\d{4}(/\d{2}){0,2}/(index\.\w+)?|\d{4}_\d{2}_\d{2}_archive\.html)$`)

// archiveShaped reports whether path looks like a date archive or a front
// page rather than an entry's own page.
func archiveShaped(path string) bool {
	return archivePath.MatchString(path) && !singleWP.MatchString(path)
}

// singleWP matches WordPress's /2006/08/21/slug/index.html, an entry page.
var singleWP = regexp.MustCompile(`\d{4}/\d{2}/\d{2}/[^/]+/index\.\w+$`)
