package feed

import (
	"html"
	"io"
	"time"
)

// WriteRSS writes f as an RSS 2.0 feed with the extensions readers look for:
// atom:link rel="self" and dc:creator (RSS's own author element must be an
// e-mail address, which gazette never shows). Dates are RFC 1123 with a
// numeric zone, as RFC 822 asks.
//
// An item's description is its full text, as in Movable Type's RSS
// template, in a CDATA section as MT's encode_xml wrote it. Only an item
// whose author wrote a summary has that as its description and the full
// text in content:encoded: a summary cut from the text adds nothing a
// reader cannot cut itself, and the feed is the page every reader's client
// fetches again and again.
func (f *Feed) WriteRSS(w io.Writer) error {
	if err := f.check(); err != nil {
		return err
	}
	updated, err := f.updated()
	if err != nil {
		return err
	}
	x := newXMLWriter()
	x.open("rss", "version", "2.0",
		"xmlns:atom", "http://www.w3.org/2005/Atom",
		"xmlns:content", "http://purl.org/rss/1.0/modules/content/",
		"xmlns:dc", "http://purl.org/dc/elements/1.1/")
	x.open("channel")
	x.text("title", f.Title)
	x.text("link", f.alternate())
	desc := f.Subtitle
	if desc == "" {
		desc = f.Title // required, and an empty one is a validator warning
	}
	x.text("description", desc)
	x.optional("language", f.Language)
	x.text("lastBuildDate", rfc1123(updated))
	x.text("generator", "gazette")
	x.empty("atom:link", "href", f.FeedURL, "rel", "self", "type", "application/rss+xml")
	for _, it := range f.Items {
		x.open("item")
		x.text("title", it.Title)
		x.text("link", it.URL)
		x.text("guid", it.URL, "isPermaLink", "true")
		x.text("pubDate", rfc1123(it.Published))
		for _, p := range it.Authors {
			x.text("dc:creator", p.Name)
		}
		for _, c := range it.Categories {
			x.text("category", c.Label, "domain", c.Scheme)
		}
		if it.SummaryWritten && it.Summary != "" {
			// description is HTML in RSS, so the plain-text summary is
			// escaped as HTML before it is escaped as XML. Readers want
			// it before content:encoded.
			x.text("description", html.EscapeString(it.Summary))
			x.html("content:encoded", it.ContentHTML)
		} else {
			x.html("description", it.ContentHTML)
		}
		x.close("item")
	}
	x.close("channel")
	x.close("rss")
	_, err = io.WriteString(w, x.String())
	return err
}

// rfc1123 formats t for RSS, in t's own zone, with a numeric zone: RFC 822
// allows names only for North American zones, and "UTC" is not one of them.
func rfc1123(t time.Time) string { return t.Format(time.RFC1123Z) }
