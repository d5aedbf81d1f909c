// Package blogger reads Blogger's Atom exports into importer Items.
//
// A Blogger export lists settings, the template, posts, pages and comments
// as Atom entries, comments after the posts they answer. The reader decodes
// one entry at a time, but keeps the posts until the end of the file so that
// each leaves with its comments: Blogger caps a blog's size, so its exports
// stay small.
package blogger

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/importer"
	"github.com/gazette-blog/gazette/internal/importer/repair"
)

// The kinds of entry, by the term of their kind category.
const kindPrefix = "http://schemas.google.com/blogger/2008/kind#"

// labelScheme marks the categories that are labels.
const labelScheme = "http://www.blogger.com/atom/ns#"

// Reader reads a Blogger export. It implements importer.Reader and
// importer.ByteCounter.
type Reader struct {
	src   *importer.CountingReader
	name  string
	err   error
	items []*importer.Item
	read  bool
}

// New returns a Reader of the export r; name is used in error messages.
func New(r io.Reader, name string) *Reader {
	return &Reader{src: &importer.CountingReader{R: r}, name: name}
}

// BytesRead returns how many bytes of the export have been read.
func (r *Reader) BytesRead() int64 { return r.src.N }

// Next returns the next item of the export, or io.EOF after the last one.
func (r *Reader) Next() (*importer.Item, error) {
	if r.err != nil {
		return nil, r.err
	}
	if !r.read {
		r.read = true
		if r.err = r.readAll(); r.err != nil {
			return nil, r.err
		}
	}
	if len(r.items) == 0 {
		return nil, io.EOF
	}
	it := r.items[0]
	r.items = r.items[1:]
	return it, nil
}

// entry is an Atom entry as Blogger writes it.
type entry struct {
	ID         string `xml:"id"`
	Published  string `xml:"published"`
	Title      string `xml:"title"`
	Content    string `xml:"content"`
	Categories []struct {
		Scheme string `xml:"scheme,attr"`
		Term   string `xml:"term,attr"`
	} `xml:"category"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Author struct {
		Name  string `xml:"name"`
		URI   string `xml:"uri"`
		Email string `xml:"email"`
	} `xml:"author"`
	Draft   string `xml:"control>draft"`
	ReplyTo struct {
		Ref string `xml:"ref,attr"`
	} `xml:"in-reply-to"`
}

func (e *entry) kind() string {
	for _, c := range e.Categories {
		if strings.HasPrefix(c.Term, kindPrefix) {
			return strings.TrimPrefix(c.Term, kindPrefix)
		}
	}
	return ""
}

func (e *entry) link(rel string) string {
	for _, l := range e.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

func (r *Reader) errorf(line int, format string, args ...any) error {
	return gazette.Errorf(gazette.ErrInvalid, "%s:%d: %s", r.name, line, fmt.Sprintf(format, args...))
}

func (r *Reader) xmlError(dec *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		if msg == "unexpected EOF" {
			msg = "the file ends in the middle of an element: it is truncated"
		}
		return r.errorf(se.Line, "malformed XML: %s", msg)
	}
	line, _ := dec.InputPos()
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return r.errorf(line, "the file ends in the middle of an element: it is truncated")
	}
	return r.errorf(line, "%v", err)
}

// readAll reads the export into items: the posts and pages with their
// comments, in the order of the file, after the labels' redirects.
func (r *Reader) readAll() error {
	dec := xml.NewDecoder(repair.NewXMLReader(r.src))
	var (
		posts     []*importer.Item
		byID      = map[string]*importer.Item{}
		commentOf = map[string]*importer.Item{} // the post of each comment, by the comment's ID
		commentAt = map[string]int{}            // the index of each comment in its post's Comments
		labels    []string
		seen      = map[string]bool{}
		skipped   []*importer.Item
		orphans   []*importer.Item
		sawFeed   bool
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return r.xmlError(dec, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(string(t))), "DOCTYPE") {
				line, _ := dec.InputPos()
				return r.errorf(line, "the file has a DOCTYPE declaration, which no Blogger export has; it is refused because its entities could expand without end or read other files")
			}
		case xml.StartElement:
			if !sawFeed {
				if t.Name.Local != "feed" {
					line, _ := dec.InputPos()
					return r.errorf(line, "not a Blogger export: the document is <%s>, not an Atom <feed>", t.Name.Local)
				}
				sawFeed = true
				continue
			}
			if t.Name.Local != "entry" {
				if err := dec.Skip(); err != nil {
					return r.xmlError(dec, err)
				}
				continue
			}
			line, _ := dec.InputPos()
			var e entry
			if err := dec.DecodeElement(&e, &t); err != nil {
				return r.xmlError(dec, err)
			}
			switch k := e.kind(); k {
			case "post", "page":
				it, err := r.post(&e, k, line)
				if err != nil {
					return err
				}
				posts = append(posts, it)
				byID[e.ID] = it
				for _, tp := range it.Entry.Topics {
					if !seen[tp.Name] {
						seen[tp.Name] = true
						labels = append(labels, tp.Name)
					}
				}
			case "comment":
				post, parent := byID[e.ReplyTo.Ref], -1
				if post == nil { // a reply to a comment
					if p := commentOf[e.ReplyTo.Ref]; p != nil {
						post, parent = p, commentAt[e.ReplyTo.Ref]
					}
				}
				if rel := e.link("related"); post != nil && rel != "" {
					// Newer exports name the comment replied to here.
					parentID := rel[strings.LastIndexByte(rel, '/')+1:]
					for id, p := range commentOf {
						if p == post && strings.HasSuffix(id, parentID) {
							parent = commentAt[id]
						}
					}
				}
				if post == nil {
					orphans = append(orphans, &importer.Item{Line: line, Skipped: "comments on no post of the export"})
					continue
				}
				c, err := r.comment(&e, post, line)
				if err != nil {
					return err
				}
				commentOf[e.ID] = post
				commentAt[e.ID] = len(post.Comments)
				post.Comments = append(post.Comments, c)
				post.Parents = append(post.Parents, parent)
			default:
				if k == "" {
					k = "entries of no kind"
				}
				skipped = append(skipped, &importer.Item{Line: line, Skipped: k})
			}
		}
	}
	if !sawFeed {
		return r.errorf(1, "not a Blogger export: no Atom <feed>")
	}
	for _, l := range labels {
		r.items = append(r.items, &importer.Item{Term: &importer.Term{
			Kind: importer.TermTopic, Name: l,
			OldPaths: []string{"/search/label/" + url.PathEscape(l)},
		}})
	}
	r.items = append(r.items, &importer.Item{Redirects: []gazette.Redirect{
		{Path: "/feeds/posts/default", Target: "/atom.xml"},
		{Path: "/feeds/posts/default?alt=rss", Target: "/index.xml"},
		{Path: "/feeds/comments/default", Target: "/comments/atom.xml"},
	}})
	r.items = append(r.items, posts...)
	r.items = append(r.items, skipped...)
	r.items = append(r.items, orphans...)
	return nil
}

// reDated is the end of a Blogger permalink: /YYYY/MM/slug.html.
var reDated = regexp.MustCompile(`/\d{4}/\d{2}/[^/]+\.html$`)

// post turns a post or page entry into an Item.
func (r *Reader) post(e *entry, kind string, line int) (*importer.Item, error) {
	it := &importer.Item{Line: line}
	en := &it.Entry
	en.Kind = gazette.KindEntry
	if kind == "page" {
		en.Kind = gazette.KindPage
	}
	en.Title = strings.TrimSpace(e.Title)
	en.Body = e.Content
	en.Format = gazette.FormatHTML
	en.Status = gazette.StatusPublished
	if strings.TrimSpace(e.Draft) == "yes" {
		en.Status = gazette.StatusDraft
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(e.Published))
	if err != nil {
		return nil, r.errorf(line, "published: %q is not an RFC 3339 time", e.Published)
	}
	en.PublishedAt = t.UTC()
	en.Author = gazette.Author{Name: strings.TrimSpace(e.Author.Name), Email: strings.TrimSpace(e.Author.Email)}
	if en.Author.Email == "noreply@blogger.com" {
		en.Author.Email = ""
	}
	for _, c := range e.Categories {
		if c.Scheme == labelScheme && strings.TrimSpace(c.Term) != "" {
			en.Topics = append(en.Topics, gazette.Topic{Name: strings.TrimSpace(c.Term)})
		}
	}
	en.AllowComments, en.AllowPings = true, true
	en.ImportKey = "blogger:" + strings.TrimSpace(e.ID)
	if strings.TrimSpace(en.Title) == "" && strings.TrimSpace(en.Body) == "" {
		en.Title = "Untitled"
	}
	if u, err := url.Parse(e.link("alternate")); err == nil && u.Path != "" {
		p := u.EscapedPath()
		base := p[strings.LastIndexByte(p, '/')+1:]
		if name, err := url.PathUnescape(strings.TrimSuffix(base, ".html")); err == nil {
			en.Basename = name
		}
		it.OldPaths = append(it.OldPaths, p)
		if m := reDated.FindString(p); m != "" && m != p {
			it.OldPaths = append(it.OldPaths, m)
		}
	}
	return it, nil
}

func (r *Reader) comment(e *entry, post *importer.Item, line int) (gazette.Comment, error) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(e.Published))
	if err != nil {
		return gazette.Comment{}, r.errorf(line, "published: %q is not an RFC 3339 time", e.Published)
	}
	c := gazette.Comment{
		Name:      strings.TrimSpace(e.Author.Name),
		URL:       strings.TrimSpace(e.Author.URI),
		Body:      e.Content,
		Status:    gazette.CommentApproved,
		ImportKey: post.Entry.ImportKey + "#" + strings.TrimSpace(e.ID),
		CreatedAt: t.UTC(),
	}
	if email := strings.TrimSpace(e.Author.Email); email != "noreply@blogger.com" {
		c.Email = email
	}
	return c, nil
}
