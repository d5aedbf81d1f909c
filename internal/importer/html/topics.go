package html

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/importer"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Many blogs of the era named an entry's topics only on the topic's own
// archive page: Movable Type's first default templates print no category on
// the entry page, but publish "Blog: Topic Archives" listing every entry
// filed under it. Those archive pages are read first, so that each entry
// gets the topics whose archives list it, and each archive's old address
// leads to the topic's page here.

// topicTitles read a topic's name from the title of its archive page.
var topicTitles = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\bCategory Archives?:\s*(.+)$`),
	regexp.MustCompile(`(?i)\bArchive for the [‘'"“](.+?)[’'"”] Category\b`),
	regexp.MustCompile(`(?i)(?:^|[:»|–—]\s*)(?:Category|Topic):\s*(.+)$`),
	// Movable Type: "<$MTBlogName$>: <$MTArchiveTitle$> Archives".
	regexp.MustCompile(`(?i)(?:^|[:»|–—]\s+)([^:»|–—]+?)\s+Archives$`),
}

// notTopic is a name that is an archive's date or an author's archive,
// not a topic.
var notTopic = regexp.MustCompile(`(?i)^(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}|\d{4}(?:[-/]\d{2})?|(?:posts|entries) by\b.*|author\b.*|monthly|daily|weekly)$`)

// topicCandidate reports whether the page at p may be a topic's archive:
// a folder's index page that is not a date archive or an entry's page, or
// Movable Type's cat_NAME.html.
func topicCandidate(p string) bool {
	if archiveShaped(p) || singleWP.MatchString(p) {
		return false
	}
	base := path.Base(p)
	return strings.HasPrefix(base, "cat_") || strings.HasPrefix(base, "index.") || strings.HasSuffix(p, "/")
}

// topicArchive reads p as a topic's archive: the topic's name and the
// paths of its entries' pages. ok is false for a page whose title names no
// topic or that links to no entry.
func (p *page) topicArchive() (name string, links []string, ok bool) {
	// An archive may list one entry only: its title tells it from the
	// entry's own page.
	scopes, _ := p.entryScopes()
	title := text(first(p.doc, byTag(atom.Title)))
	for _, re := range topicTitles {
		if m := re.FindStringSubmatch(title); m != nil {
			name = strings.TrimSpace(m[1])
			break
		}
	}
	if name == "" || notTopic.MatchString(name) {
		return "", nil, false
	}
	base := &url.URL{Path: p.path}
	seen := map[string]bool{}
	for _, scope := range scopes {
		for _, a := range find(scope, byTag(atom.A), true) {
			if isCommentish(a) || !permalinkish(a, scope) {
				continue
			}
			u, err := base.Parse(strings.TrimSpace(attr(a, "href")))
			if err != nil || u.Path == "" || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") {
				continue
			}
			if lp := pagePath(u.Path); !seen[lp] {
				seen[lp] = true
				links = append(links, lp)
			}
		}
	}
	return name, links, len(links) > 0
}

// permalinkish reports whether a, within an entry's scope, is a link to
// that entry's own page (its title, permalink, comments or "continue
// reading"), rather than a link its text makes to another page.
func permalinkish(a, scope *xhtml.Node) bool {
	if hasWord(attr(a, "rel"), "bookmark") || hasClass(a, "u-url", "permalink") {
		return true
	}
	href := attr(a, "href")
	if i := strings.IndexByte(href, '#'); i >= 0 {
		switch frag := strings.ToLower(href[i+1:]); {
		case frag == "more" || frag == "respond" || frag == "trackbacks" || frag == "trackback" || strings.HasPrefix(frag, "comment"):
			return true
		}
	}
	label := strings.ToLower(text(a))
	for _, w := range []string{"comments", "comment", "permalink", "continue reading", "read more", "trackbacks"} {
		if strings.HasPrefix(label, w) {
			return true
		}
	}
	for n := a.Parent; n != nil && n != scope.Parent; n = n.Parent {
		if n.DataAtom == atom.H1 || n.DataAtom == atom.H2 || n.DataAtom == atom.H3 ||
			hasClass(n, "entry-title", "post-title", "p-name") {
			return true
		}
	}
	return false
}

// pagePath is p without the index file name a folder's page has, which
// links leave out: /2006/08/slug/ for /2006/08/slug/index.html.
func pagePath(p string) string {
	if base := path.Base(p); strings.HasPrefix(base, "index.") && pageExts[path.Ext(base)] {
		return strings.TrimSuffix(p, base)
	}
	return p
}

// archiveTopics are the topics the archive pages give entries, by each of
// the trailing parts of the paths their archives link to: a link to
// /billy/2005/04/a.html names the entry found at /2005/04/a.html in a copy
// of the blog's folder.
type archiveTopics map[string][]string

func (at archiveTopics) add(name string, links []string) {
	for _, l := range links {
		for s := l; ; {
			if !containsFold(at[s], name) {
				at[s] = append(at[s], name)
			}
			i := strings.IndexByte(s[1:], '/')
			if i < 0 {
				break
			}
			s = s[i+1:]
		}
	}
}

// give adds to the entry of it, found at the given paths, the topics whose
// archives list it, after its own.
func (at archiveTopics) give(it *importer.Item, paths ...string) {
	for _, p := range paths {
		for _, name := range at[pagePath(p)] {
			if !hasTopic(it, name) {
				it.Entry.Topics = append(it.Entry.Topics, gazette.Topic{Name: name})
			}
		}
	}
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func hasTopic(it *importer.Item, name string) bool {
	for _, t := range it.Entry.Topics {
		if strings.EqualFold(t.Name, name) {
			return true
		}
	}
	return false
}

// readTopicArchives reads the pages that may be topics' archives, before
// any entry: it returns the terms they define and marks them done. A page
// that is no topic archive is left for Next (its bytes kept when fetched,
// so that it is fetched once).
func (r *Reader) readTopicArchives() error {
	r.topics, r.done, r.kept = archiveTopics{}, map[int]bool{}, map[int]loaded{}
	for i, s := range r.sources {
		if !topicCandidate(s.path) {
			continue
		}
		b, contentType, err := r.load(s)
		if err != nil {
			return err
		}
		p, err := parse(b, contentType, s.path, r.loc)
		if err != nil {
			return fmt.Errorf("%s: %w", s.where, err)
		}
		name, links, ok := p.topicArchive()
		if !ok {
			if r.remote {
				r.kept[i] = loaded{b, contentType}
			}
			continue
		}
		r.bytes += int64(len(b))
		r.done[i] = true
		r.topics.add(name, links)
		old := []string{s.path}
		if canon := p.oldPath(nil); canon != s.path {
			old = append(old, canon)
		}
		r.terms = append(r.terms, &importer.Item{Term: &importer.Term{Kind: importer.TermTopic, Name: name, OldPaths: old}, Line: s.line})
	}
	return nil
}

// loaded is a fetched page kept for Next.
type loaded struct {
	body        []byte
	contentType string
}
