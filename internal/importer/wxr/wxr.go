// Package wxr reads WordPress eXtended RSS exports (WXR 1.0 to 1.2) into
// importer Items, one at a time.
//
// The file is streamed token by token with encoding/xml, so memory does not
// grow with its size: only the item being read, the names of its categories,
// tags and authors, and its attachments' addresses are held. encoding/xml
// expands no entity but XML's five and character references, and fetches no
// external entity; the reader refuses any DOCTYPE besides, so that a file
// that tries either is told so plainly.
package wxr

import (
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/importer"
	"github.com/gazette-blog/gazette/internal/importer/repair"
)

// maxField is the longest text one element of the export may hold; a post
// longer than this is not a post but an attack on memory.
const maxField = 32 << 20

// Reader reads a WXR file. It implements importer.Reader and
// importer.ByteCounter.
type Reader struct {
	dec   *xml.Decoder
	count *importer.CountingReader
	name  string
	loc   *time.Location

	level       int // 0 outside <rss>, 1 in <rss>, 2 in <channel>
	sawChannel  bool
	authors     map[string]string // display names by login
	catNames    map[string]string // category names by slug
	catPaths    map[string]string // category paths (parent/child) by slug
	attachments map[string]attachment
	childrenOf  map[string][]string // attachment IDs by the post they belong to
	deferred    []*post             // posts with a [gallery], written once every attachment is known
	onlyFiles   bool                // read attachments alone (Attachments)
	queue       []*importer.Item
	done        bool
	err         error
}

// New returns a Reader of the export r. name is the file name used in error
// messages; loc is the time zone of dates the export gives only as wall-clock
// times (those of unpublished drafts).
func New(r io.Reader, name string, loc *time.Location) *Reader {
	if loc == nil {
		loc = time.UTC
	}
	c := &importer.CountingReader{R: r}
	dec := xml.NewDecoder(repair.NewXMLReader(c))
	dec.CharsetReader = charsetReader
	return &Reader{
		dec: dec, count: c, name: name, loc: loc,
		authors: map[string]string{}, catNames: map[string]string{}, catPaths: map[string]string{},
		attachments: map[string]attachment{}, childrenOf: map[string][]string{},
	}
}

// charsetReader accepts the encodings old WordPress blogs declared. The bytes
// have been repaired to UTF-8 already (each byte outside UTF-8 read as
// Windows-1252, a superset of Latin-1), so they pass through.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii", "utf8":
		return input, nil
	}
	return nil, fmt.Errorf("the file declares the encoding %q, which gazette does not read (convert it to UTF-8)", label)
}

// BytesRead returns how many bytes of the export have been read.
func (r *Reader) BytesRead() int64 { return r.count.N }

// Next returns the next item of the export, or io.EOF after the last one.
func (r *Reader) Next() (*importer.Item, error) {
	if r.err != nil {
		return nil, r.err
	}
	it, err := r.next()
	if err != nil {
		r.err = err
		return nil, err
	}
	return it, nil
}

// line returns the line the decoder has reached.
func (r *Reader) line() int {
	l, _ := r.dec.InputPos()
	return l
}

func (r *Reader) errorf(line int, format string, args ...any) error {
	return gazette.Errorf(gazette.ErrInvalid, "%s:%d: %s", r.name, line, fmt.Sprintf(format, args...))
}

// xmlError turns an error of the decoder into one naming the file and line.
func (r *Reader) xmlError(err error) error {
	var ge *gazette.Error
	if errors.As(err, &ge) {
		return err
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		if msg == "unexpected EOF" {
			msg = "the file ends in the middle of an element: it is truncated"
		}
		return r.errorf(se.Line, "malformed XML: %s", msg)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return r.errorf(r.line(), "the file ends in the middle of an element: it is truncated")
	}
	return r.errorf(r.line(), "%v", err)
}

func (r *Reader) next() (*importer.Item, error) {
	for {
		if len(r.queue) > 0 {
			it := r.queue[0]
			r.queue[0] = nil
			r.queue = r.queue[1:]
			return it, nil
		}
		if r.done {
			return nil, io.EOF
		}
		tok, err := r.dec.Token()
		if err == io.EOF {
			if !r.sawChannel {
				return nil, r.errorf(r.line(), "not a WordPress export: no <rss> with a <channel>")
			}
			r.done = true
			for _, p := range r.deferred {
				it, err := r.item(p)
				if err != nil {
					return nil, err
				}
				r.queue = append(r.queue, it)
			}
			r.deferred = nil
			continue
		}
		if err != nil {
			return nil, r.xmlError(err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if d := strings.ToUpper(strings.TrimSpace(string(t))); strings.HasPrefix(d, "DOCTYPE") {
				return nil, r.errorf(r.line(), "the file has a DOCTYPE declaration, which no WordPress export has; it is refused because its entities could expand without end or read other files")
			}
		case xml.EndElement:
			r.level--
		case xml.StartElement:
			if err := r.start(t); err != nil {
				return nil, err
			}
		}
	}
}

// start handles an element that opens at the top levels of the file.
func (r *Reader) start(t xml.StartElement) error {
	switch r.level {
	case 0:
		if t.Name.Local != "rss" {
			return r.errorf(r.line(), "not a WordPress export: the document is <%s>, not <rss>", t.Name.Local)
		}
		r.level++
		return nil
	case 1:
		if t.Name.Local != "channel" {
			return r.skip()
		}
		r.level++
		r.sawChannel = true
		r.queue = append(r.queue, feedRedirects(r.line()))
		return nil
	}
	ns := space(t.Name.Space)
	switch {
	case ns == "" && t.Name.Local == "item":
		return r.readItem()
	case ns == "wp" && t.Name.Local == "category":
		return r.readTerm("category", map[string]string{"category_nicename": "slug", "category_parent": "parent", "cat_name": "name", "category_description": "description"})
	case ns == "wp" && t.Name.Local == "tag":
		return r.readTerm("post_tag", map[string]string{"tag_slug": "slug", "tag_name": "name", "tag_description": "description"})
	case ns == "wp" && t.Name.Local == "term":
		return r.readTerm("", map[string]string{"term_taxonomy": "taxonomy", "term_slug": "slug", "term_parent": "parent", "term_name": "name", "term_description": "description"})
	case ns == "wp" && t.Name.Local == "author":
		return r.readAuthor()
	}
	return r.skip()
}

func (r *Reader) skip() error {
	if err := r.dec.Skip(); err != nil {
		return r.xmlError(err)
	}
	return nil
}

// space names the namespaces of WXR by their role, whatever their version
// and whether they are spelt with http:// or https://.
func space(uri string) string {
	switch {
	case uri == "":
		return ""
	case strings.Contains(uri, "wordpress.org/export/") && strings.HasSuffix(uri, "/excerpt/"):
		return "excerpt"
	case strings.Contains(uri, "wordpress.org/export/"):
		return "wp"
	case strings.Contains(uri, "purl.org/rss/1.0/modules/content"):
		return "content"
	case strings.Contains(uri, "purl.org/dc/elements"):
		return "dc"
	}
	return "other"
}

// text reads the text of the element just opened, up to its end; elements
// inside it are skipped.
func (r *Reader) text() (string, error) {
	var b strings.Builder
	for {
		tok, err := r.dec.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return "", r.xmlError(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if b.Len()+len(t) > maxField {
				return "", r.errorf(r.line(), "an element holds more than %d MB of text", maxField>>20)
			}
			b.Write(t)
		case xml.StartElement:
			if err := r.skip(); err != nil {
				return "", err
			}
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

// fields reads the children of the element just opened, up to its end, and
// calls fn with each child's role, name and the element itself; fn reads the
// child (with text, fields or skip) or returns errSkip to have it skipped.
func (r *Reader) fields(fn func(ns string, t xml.StartElement) error) error {
	for {
		tok, err := r.dec.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return r.xmlError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			err := fn(space(t.Name.Space), t)
			if err == errSkip {
				err = r.skip()
			}
			if err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

var errSkip = errors.New("skip")

// textFields reads the children of the element just opened into a map from
// their local names (renamed by names) to their text; others are skipped.
func (r *Reader) textFields(names map[string]string) (map[string]string, error) {
	vals := map[string]string{}
	err := r.fields(func(ns string, t xml.StartElement) error {
		key, ok := names[t.Name.Local]
		if !ok || ns != "wp" {
			return errSkip
		}
		v, err := r.text()
		vals[key] = strings.TrimSpace(v)
		return err
	})
	return vals, err
}

// feedRedirects sends the old blog's feeds to gazette's.
func feedRedirects(line int) *importer.Item {
	it := &importer.Item{Line: line}
	for _, r := range [][2]string{
		{"/feed/", "/atom.xml"}, {"/feed/atom/", "/atom.xml"}, {"/feed/rss2/", "/index.xml"},
		{"/feed/rss/", "/index.xml"}, {"/feed/rdf/", "/index.xml"},
		{"/?feed=rss2", "/index.xml"}, {"/?feed=atom", "/atom.xml"}, {"/?feed=rss", "/index.xml"},
		{"/comments/feed/", "/comments/atom.xml"}, {"/?feed=comments-rss2", "/comments/atom.xml"},
	} {
		it.Redirects = append(it.Redirects, gazette.Redirect{Path: r[0], Target: r[1]})
	}
	return it
}

// readTerm reads a category, tag or term definition; taxonomy is the kind
// of term, or "" when the element says it.
func (r *Reader) readTerm(taxonomy string, names map[string]string) error {
	line := r.line()
	v, err := r.textFields(names)
	if err != nil {
		return err
	}
	if taxonomy == "" {
		taxonomy = v["taxonomy"]
	}
	name := html.UnescapeString(v["name"])
	slug := v["slug"]
	if name == "" {
		return nil
	}
	switch taxonomy {
	case "category":
		path := slug
		if p, ok := r.catPaths[v["parent"]]; ok {
			path = p + "/" + slug
		}
		r.catNames[slug] = name
		r.catPaths[slug] = path
		t := &importer.Term{Kind: importer.TermTopic, Name: name, Slug: slug, Description: v["description"], Parent: r.catNames[v["parent"]]}
		for _, p := range unique("/category/"+slug+"/", "/category/"+path+"/") {
			t.OldPaths = append(t.OldPaths, p)
			t.FeedPaths = append(t.FeedPaths, p+"feed/")
		}
		t.OldPaths = append(t.OldPaths, "/?cat="+slug)
		r.queue = append(r.queue, &importer.Item{Term: t, Line: line})
	case "post_tag":
		r.queue = append(r.queue, &importer.Item{Line: line, Term: &importer.Term{
			Kind: importer.TermTag, Name: name, Slug: slug,
			OldPaths: []string{"/tag/" + slug + "/", "/?tag=" + slug}, FeedPaths: []string{"/tag/" + slug + "/feed/"},
		}})
	}
	return nil
}

func unique(list ...string) []string {
	var out []string
	for _, s := range list {
		dup := false
		for _, o := range out {
			dup = dup || o == s
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

// readAuthor reads a wp:author, which maps the login that items name to a
// display name.
func (r *Reader) readAuthor() error {
	line := r.line()
	v, err := r.textFields(map[string]string{"author_login": "login", "author_email": "email", "author_display_name": "display"})
	if err != nil {
		return err
	}
	login := v["login"]
	if login == "" {
		return nil
	}
	name := html.UnescapeString(v["display"])
	if name == "" {
		name = login
	}
	r.authors[login] = name
	nice := url.PathEscape(strings.ToLower(strings.ReplaceAll(login, " ", "-")))
	r.queue = append(r.queue, &importer.Item{Line: line, Term: &importer.Term{
		Kind: importer.TermAuthor, Name: name, Email: v["email"],
		OldPaths: []string{"/author/" + nice + "/"}, FeedPaths: []string{"/author/" + nice + "/feed/"},
	}})
	return nil
}

// post is an item as the export has it.
type post struct {
	line                                  int
	title, link, pubDate, creator, guid   string
	content, excerpt                      string
	id, date, dateGMT, name, status, kind string
	commentStatus, pingStatus             string
	parent, password, sticky, attachURL   string
	alt, attachedFile                     string
	format, keywords                      string // gazette's own, from its exports
	categories, tags                      []string
	oldSlugs                              []string
	comments                              []comment
}

type comment struct {
	id, author, email, url, ip, date, dateGMT string
	content, approved, kind, parent           string
}

// readItem reads one <item>, and queues what it holds.
func (r *Reader) readItem() error {
	p := &post{line: r.line()}
	err := r.fields(func(ns string, t xml.StartElement) error {
		var dst *string
		switch ns + ":" + t.Name.Local {
		case ":title":
			dst = &p.title
		case ":link":
			dst = &p.link
		case ":pubDate":
			dst = &p.pubDate
		case ":guid":
			dst = &p.guid
		case "dc:creator":
			dst = &p.creator
		case "content:encoded":
			dst = &p.content
		case "excerpt:encoded":
			dst = &p.excerpt
		case "wp:post_id":
			dst = &p.id
		case "wp:post_date":
			dst = &p.date
		case "wp:post_date_gmt":
			dst = &p.dateGMT
		case "wp:post_name":
			dst = &p.name
		case "wp:status":
			dst = &p.status
		case "wp:post_type":
			dst = &p.kind
		case "wp:comment_status":
			dst = &p.commentStatus
		case "wp:ping_status":
			dst = &p.pingStatus
		case "wp:post_parent":
			dst = &p.parent
		case "wp:post_password":
			dst = &p.password
		case "wp:is_sticky":
			dst = &p.sticky
		case "wp:attachment_url":
			dst = &p.attachURL
		case ":category":
			return r.readCategory(t, p)
		case "wp:postmeta":
			return r.readMeta(p)
		case "wp:comment":
			return r.readComment(p)
		default:
			return errSkip
		}
		v, err := r.text()
		*dst = v
		return err
	})
	if err != nil {
		return err
	}
	p.kind = strings.TrimSpace(p.kind)
	p.status = strings.TrimSpace(p.status)
	p.id = strings.TrimSpace(p.id)
	switch p.kind {
	case "attachment":
		a := attachment{id: p.id, parent: strings.TrimSpace(p.parent), url: strings.TrimSpace(p.attachURL), title: p.title, alt: p.alt}
		if a.url == "" {
			a.url = strings.TrimSpace(p.guid)
		}
		r.attachments[a.id] = a
		if a.parent != "" && a.parent != "0" {
			r.childrenOf[a.parent] = append(r.childrenOf[a.parent], a.id)
		}
		r.queue = append(r.queue, &importer.Item{Line: p.line, Skipped: "attachment", Attachment: fileOf(p, a.url)})
		return nil
	}
	if r.onlyFiles {
		return nil
	}
	switch p.kind {
	case "post", "page", "draft", "":
	default:
		r.queue = append(r.queue, &importer.Item{Line: p.line, Skipped: p.kind})
		return nil
	}
	switch p.status {
	case "trash", "auto-draft", "inherit":
		r.queue = append(r.queue, &importer.Item{Line: p.line, Skipped: p.status + " post"})
		return nil
	}
	if strings.Contains(p.content, "[gallery") {
		r.deferred = append(r.deferred, p)
		return nil
	}
	it, err := r.item(p)
	if err != nil {
		return err
	}
	r.queue = append(r.queue, it)
	return nil
}

func (r *Reader) readCategory(t xml.StartElement, p *post) error {
	var domain string
	for _, a := range t.Attr {
		if a.Name.Local == "domain" {
			domain = a.Value
		}
	}
	v, err := r.text()
	if err != nil {
		return err
	}
	v = html.UnescapeString(strings.TrimSpace(v))
	if v == "" {
		return nil
	}
	// WXR 1.0 lists each term twice, once without a domain; that copy is
	// ignored.
	switch domain {
	case "category":
		p.categories = appendNew(p.categories, v)
	case "post_tag", "tag":
		p.tags = appendNew(p.tags, v)
	}
	return nil
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func (r *Reader) readMeta(p *post) error {
	v, err := r.textFields(map[string]string{"meta_key": "key", "meta_value": "value"})
	if err != nil {
		return err
	}
	switch v["key"] {
	case "_wp_old_slug":
		if v["value"] != "" {
			p.oldSlugs = append(p.oldSlugs, v["value"])
		}
	case "_wp_attachment_image_alt":
		p.alt = v["value"]
	case "_wp_attached_file":
		p.attachedFile = v["value"]
	case "_gazette_format": // written by internal/exporter/wxr
		p.format = v["value"]
	case "_gazette_keywords":
		p.keywords = v["value"]
	}
	return nil
}

func (r *Reader) readComment(p *post) error {
	v, err := r.textFields(map[string]string{
		"comment_id": "id", "comment_author": "author", "comment_author_email": "email",
		"comment_author_url": "url", "comment_author_IP": "ip", "comment_date": "date",
		"comment_date_gmt": "gmt", "comment_content": "content", "comment_approved": "approved",
		"comment_type": "type", "comment_parent": "parent",
	})
	if err != nil {
		return err
	}
	p.comments = append(p.comments, comment{
		id: v["id"], author: v["author"], email: v["email"], url: v["url"], ip: v["ip"],
		date: v["date"], dateGMT: v["gmt"], content: v["content"], approved: v["approved"],
		kind: v["type"], parent: v["parent"],
	})
	return nil
}

// attachment implements media.
func (r *Reader) attachment(id string) (attachment, bool) {
	a, ok := r.attachments[id]
	return a, ok
}

// children implements media.
func (r *Reader) children(postID string) []attachment {
	var list []attachment
	for _, id := range r.childrenOf[postID] {
		list = append(list, r.attachments[id])
	}
	return list
}

// reMore is WordPress's "read more" marker, which splits a post into the
// part listings show and the rest.
var reMore = regexp.MustCompile(`<!--more(.*?)?-->`)

// item turns a post or page into an Item.
func (r *Reader) item(p *post) (*importer.Item, error) {
	it := &importer.Item{Line: p.line}
	e := &it.Entry
	e.Kind = gazette.KindEntry
	if p.kind == "page" {
		e.Kind = gazette.KindPage
	}
	e.Title = html.UnescapeString(strings.TrimSpace(p.title))
	e.Format = gazette.FormatHTML
	body, extended := p.content, ""
	if loc := reMore.FindStringIndex(body); loc != nil {
		body, extended = body[:loc[0]], body[loc[1]:]
	}
	e.Body = r.render(body, p.id)
	e.ExtendedBody = r.render(extended, p.id)
	if f := gazette.Format(p.format); f.Valid() {
		// gazette's own export: the text as its author wrote it, which
		// gazette renders itself, not WordPress's.
		e.Format, e.Body, e.ExtendedBody = f, body, extended
	}
	e.Keywords = p.keywords
	e.Excerpt = strings.TrimSpace(p.excerpt)
	if name, err := url.PathUnescape(strings.TrimSpace(p.name)); err == nil {
		e.Basename = name
	}
	switch p.status {
	case "publish", "":
		e.Status = gazette.StatusPublished
	case "future":
		e.Status = gazette.StatusScheduled
	default: // draft, pending, private, and the draft post type of old WordPress.com
		e.Status = gazette.StatusDraft
	}
	if p.kind == "draft" {
		e.Status = gazette.StatusDraft
	}
	if p.status == "private" || p.password != "" {
		e.Status = gazette.StatusDraft
		it.Private = true
	}
	var err error
	e.PublishedAt, err = r.date(p.dateGMT, p.date, p.line, "wp:post_date")
	if err != nil {
		return nil, err
	}
	if e.PublishedAt.IsZero() && p.pubDate != "" {
		if t, err := time.Parse(time.RFC1123Z, strings.TrimSpace(p.pubDate)); err == nil {
			e.PublishedAt = t.UTC()
		}
	}
	creator := strings.TrimSpace(p.creator)
	e.Author = gazette.Author{Name: creator}
	if name, ok := r.authors[creator]; ok {
		e.Author.Name = name
	}
	for _, c := range p.categories {
		e.Topics = append(e.Topics, gazette.Topic{Name: c})
	}
	e.Tags = p.tags
	e.AllowComments = strings.TrimSpace(p.commentStatus) != "closed"
	e.AllowPings = strings.TrimSpace(p.pingStatus) != "closed"
	e.Sticky = strings.TrimSpace(p.sticky) == "1"
	// Exports have been seen to give two posts one guid, so the ID goes in too.
	e.ImportKey = "wxr:" + strings.TrimSpace(p.guid) + "#" + p.id
	if strings.TrimSpace(p.guid) == "" {
		e.ImportKey = "wxr:" + strings.TrimSpace(p.link) + "#" + p.id
	}
	if strings.TrimSpace(e.Title) == "" && strings.TrimSpace(e.Body) == "" {
		e.Title = "Untitled " + p.id
	}
	it.OldPaths = r.oldPaths(p)
	if err := r.replies(p, it); err != nil {
		return nil, err
	}
	return it, nil
}

// render makes the HTML WordPress showed of a post's text: automatic
// paragraphs for text of the classic editor (block editor content is HTML
// already, and WordPress leaves it alone), then shortcodes.
func (r *Reader) render(text, postID string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	if !strings.Contains(text, "<!-- wp:") {
		text = Autop(text)
	}
	return strings.TrimSpace(shortcodes(text, postID, r))
}

// wpTime is WordPress's date format; its zero is 0000-00-00 00:00:00.
const wpTime = "2006-01-02 15:04:05"

// date reads a WordPress date: gmt when it is set, else local in the blog's
// zone; both empty or zero give the zero time.
func (r *Reader) date(gmt, local string, line int, field string) (time.Time, error) {
	gmt, local = strings.TrimSpace(gmt), strings.TrimSpace(local)
	if gmt != "" && !strings.HasPrefix(gmt, "0000") {
		t, err := time.Parse(wpTime, gmt)
		if err != nil {
			return time.Time{}, r.errorf(line, "%s_gmt: %q is not a date like 2006-01-02 15:04:05", field, gmt)
		}
		return t, nil
	}
	if local == "" || strings.HasPrefix(local, "0000") {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(wpTime, local, r.loc)
	if err != nil {
		return time.Time{}, r.errorf(line, "%s: %q is not a date like 2006-01-02 15:04:05", field, local)
	}
	return t.UTC(), nil
}

// oldPaths returns the addresses WordPress answered for a post: its ID
// query, its link, and the dated permalinks of its slug and former slugs.
func (r *Reader) oldPaths(p *post) []string {
	var paths []string
	add := func(s string) {
		for _, x := range paths {
			if x == s {
				return
			}
		}
		paths = append(paths, s)
	}
	if p.id != "" {
		if p.kind == "page" {
			add("/?page_id=" + p.id)
		}
		add("/?p=" + p.id)
	}
	if u, err := url.Parse(strings.TrimSpace(p.link)); err == nil && strings.HasPrefix(u.EscapedPath(), "/") {
		path := u.EscapedPath()
		if u.RawQuery != "" {
			path += "?" + u.RawQuery
		}
		if path != "/" {
			add(path)
		}
	}
	if p.kind == "page" {
		return paths
	}
	local, err := time.ParseInLocation(wpTime, strings.TrimSpace(p.date), time.UTC)
	if err != nil || local.Year() < 1971 {
		return paths
	}
	for _, slug := range append([]string{strings.TrimSpace(p.name)}, p.oldSlugs...) {
		if slug == "" {
			continue
		}
		add(fmt.Sprintf("/%04d/%02d/%02d/%s/", local.Year(), int(local.Month()), local.Day(), slug))
		add(fmt.Sprintf("/%04d/%02d/%s/", local.Year(), int(local.Month()), slug))
	}
	return paths
}

// replies turns the post's comments into comments, with their threads, and
// its pingbacks and trackbacks into mentions.
func (r *Reader) replies(p *post, it *importer.Item) error {
	index := map[string]int{}
	var parents []string
	for _, c := range p.comments {
		created, err := r.date(c.dateGMT, c.date, p.line, "wp:comment_date")
		if err != nil {
			return err
		}
		if created.IsZero() {
			created = it.Entry.PublishedAt
		}
		status := commentStatus(c.approved)
		key := it.Entry.ImportKey + "#comment-" + c.id
		switch strings.TrimSpace(c.kind) {
		case "pingback", "trackback":
			kind := gazette.MentionPingback
			if strings.TrimSpace(c.kind) == "trackback" {
				kind = gazette.MentionTrackback
			}
			it.Mentions = append(it.Mentions, gazette.Mention{
				Kind: kind, SourceURL: c.url, Title: html.UnescapeString(c.author), Excerpt: c.content,
				IP: c.ip, Status: status, ImportKey: key, CreatedAt: created,
			})
			continue
		}
		index[c.id] = len(it.Comments)
		parents = append(parents, strings.TrimSpace(c.parent))
		it.Comments = append(it.Comments, gazette.Comment{
			Name: html.UnescapeString(c.author), Email: c.email, URL: c.url, IP: c.ip, Body: c.content,
			Status: status, ImportKey: key, CreatedAt: created,
		})
	}
	threaded := false
	it.Parents = make([]int, len(parents))
	for i, id := range parents {
		it.Parents[i] = -1
		if j, ok := index[id]; ok && id != "0" && j != i {
			it.Parents[i] = j
			threaded = true
		}
	}
	if !threaded {
		it.Parents = nil
	}
	return nil
}

// commentStatus maps wp:comment_approved to a status.
func commentStatus(v string) gazette.CommentStatus {
	switch strings.TrimSpace(v) {
	case "1", "approve", "approved":
		return gazette.CommentApproved
	case "spam":
		return gazette.CommentSpam
	case "trash", "post-trashed":
		return gazette.CommentTrash
	}
	return gazette.CommentPending
}

// Attachments reads the export r to its end and returns the files its
// attachments name, so that an import can store them before the entries
// linking to them, which often come first.
func Attachments(r io.Reader, name string) ([]importer.Attachment, error) {
	rd := New(r, name, time.UTC)
	rd.onlyFiles = true
	var list []importer.Attachment
	for {
		it, err := rd.Next()
		if err == io.EOF {
			return list, nil
		}
		if err != nil {
			return nil, err
		}
		if it.Attachment != nil {
			list = append(list, *it.Attachment)
		}
	}
}

// reUploadPath is the path below the uploads folder in an attachment's
// address: after wp-content/uploads/, or a dated path at its end (as
// WordPress.com's files.wordpress.com/2008/06/name.jpg).
var reUploadPath = regexp.MustCompile(`(?:/wp-content/uploads/(.+)|/(\d{4}/\d{2}/[^/]+))$`)

// fileOf describes the file of the attachment p, whose address is url.
func fileOf(p *post, url string) *importer.Attachment {
	a := &importer.Attachment{URL: url, File: strings.TrimSpace(p.attachedFile), Line: p.line}
	if a.File == "" {
		u := url
		if i := strings.IndexAny(u, "?#"); i >= 0 {
			u = u[:i]
		}
		if m := reUploadPath.FindStringSubmatch(u); m != nil {
			a.File = m[1] + m[2]
		}
	}
	a.Alt = strings.TrimSpace(html.UnescapeString(p.alt))
	if a.Alt == "" {
		a.Alt = strings.TrimSpace(html.UnescapeString(p.title))
	}
	return a
}
