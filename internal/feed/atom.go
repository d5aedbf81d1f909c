package feed

import (
	"io"
	"net/url"
)

// WriteAtom writes f as an Atom 1.0 feed (RFC 4287). Every link in it is
// absolute, so it carries no xml:base.
func (f *Feed) WriteAtom(w io.Writer) error {
	if err := f.check(); err != nil {
		return err
	}
	updated, err := f.updated()
	if err != nil {
		return err
	}
	x := newXMLWriter()
	x.open("feed", "xmlns", "http://www.w3.org/2005/Atom", "xml:lang", f.Language)
	id := f.ID
	if id == "" {
		id = f.FeedURL
	}
	x.text("id", id)
	x.text("title", f.Title)
	x.optional("subtitle", f.Subtitle)
	x.text("updated", rfc3339(updated))
	x.empty("link", "rel", "alternate", "type", "text/html", "href", f.alternate())
	x.empty("link", "rel", "self", "type", "application/atom+xml", "href", f.FeedURL)
	// An entry without an author takes the feed's (RFC 4287 4.1.2); the
	// blog speaks for those.
	for _, it := range f.Items {
		if len(it.Authors) == 0 {
			x.open("author")
			name := f.Title
			if name == "" {
				name = hostOf(f.HomeURL)
			}
			x.text("name", name)
			x.close("author")
			break
		}
	}
	x.text("generator", "gazette")
	for _, it := range f.Items {
		x.open("entry")
		x.text("id", it.ID)
		x.text("title", it.Title)
		x.empty("link", "rel", "alternate", "type", "text/html", "href", it.URL)
		x.text("published", rfc3339(it.Published))
		x.text("updated", rfc3339(it.Updated))
		for _, p := range it.Authors {
			x.open("author")
			x.text("name", p.Name)
			x.optional("uri", p.URL)
			x.close("author")
		}
		for _, c := range it.Categories {
			x.empty("category", "term", c.Term, "label", c.Label, "scheme", c.Scheme)
		}
		x.optional("summary", it.Summary)
		x.text("content", it.ContentHTML, "type", "html")
		x.close("entry")
	}
	x.close("feed")
	_, err = io.WriteString(w, x.String())
	return err
}

func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.Host
}
