package feed

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestFeedValidatorCases turns the Feed Validator's test cases that bear on
// what gazette emits (../shared/testdata/feeds/feedvalidator, MIT, from
// w3c/feedvalidator testcases/ at 43dabeb217bd) into checks on our own
// output. Each check names the cases it stands for.
func TestFeedValidatorCases(t *testing.T) {
	atom := string(write(t, testFeed(t), formats[0]))
	rss := string(write(t, testFeed(t), formats[1]))
	comments := string(write(t, testCommentFeed(t), formats[0]))

	check := func(cases string, ok bool, format string, args ...any) {
		t.Helper()
		if !ok {
			t.Errorf(cases+": "+format, args...)
		}
	}
	values := func(doc, tag string) []string {
		re := regexp.MustCompile("<" + tag + `(?: [^>]*)?>([^<]*)</` + tag + ">")
		var out []string
		for _, m := range re.FindAllStringSubmatch(doc, -1) {
			out = append(out, m[1])
		}
		return out
	}
	attrs := func(doc, tag, attr string) []string {
		re := regexp.MustCompile("<" + tag + ` [^>]*` + attr + `="([^"]*)"`)
		var out []string
		for _, m := range re.FindAllStringSubmatch(doc, -1) {
			out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
		}
		return out
	}

	// atom/3.3/*, 4.2.9, 4.2.15: dates are RFC 3339 with a T, seconds and
	// a zone with a colon; lowercase, date-only and spaced forms are errors.
	for _, doc := range []string{atom, comments} {
		for _, tag := range []string{"updated", "published"} {
			for _, v := range values(doc, tag) {
				_, err := time.Parse(time.RFC3339, v)
				check("atom/3.3/published_*", err == nil && regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$`).MatchString(v),
					"%s %q is not an RFC 3339 date-time", tag, v)
			}
		}
	}

	// atom/4.2.6/id-*: ids are absolute, canonical URIs: no relative id,
	// lower-case scheme and host, upper-case percent-encoding, no dot
	// segments. atom/4.1.1/duplicate-entries*: no two entries share one.
	seen := map[string]bool{}
	for _, id := range values(atom+comments, "id") {
		id = strings.ReplaceAll(id, "&amp;", "&")
		u, err := url.Parse(id)
		check("atom/4.2.6/id-relative-uri, id-not-uri", err == nil && u.IsAbs(), "id %q is not an absolute URI", id)
		check("atom/4.2.6/id-uppercase-scheme, id-host-uppercase", strings.ToLower(id[:strings.IndexAny(id, ",/")]) == id[:strings.IndexAny(id, ",/")], "id %q is not lower case up to its path", id)
		check("atom/4.2.6/id-percent-encoded-lower", !regexp.MustCompile(`%[0-9A-F]?[a-f]`).MatchString(id), "id %q has lower-case percent-encoding", id)
		check("atom/4.2.6/id-dot-segments", !strings.Contains(id, "/./") && !strings.Contains(id, "/../"), "id %q has dot segments", id)
		check("atom/4.1.1/duplicate-entries", !seen[id], "id %q appears twice", id)
		seen[id] = true
		if strings.HasPrefix(id, "tag:") {
			check("atom/4.2.6/id-valid-tag-uris (RFC 4151)", regexp.MustCompile(`^tag:[a-z0-9.-]+,\d{4}-\d\d-\d\d:[^\s]+$`).MatchString(id), "tag URI %q malformed", id)
		}
	}

	// atom/4.1.1/missing-self, 4.2.7.2/link-rel-self-*: one self link,
	// absolute, to the feed itself, typed as Atom (self-vs-alternate).
	check("atom/4.1.1/missing-self", strings.Count(atom, `rel="self"`) == 1 && strings.Contains(atom, `<link rel="self" type="application/atom+xml" href="https://blog.example.com/atom.xml"/>`), "no single absolute self link of Atom type")
	// atom/4.1.1/multiple-alternates-matching, 4.1.2/link-same-rel-type-*:
	// one alternate link per entry and one for the feed.
	check("atom/4.1.2/link-same-rel-type-no-hreflang", strings.Count(atom, `rel="alternate"`) == 1+strings.Count(atom, "<entry>"), "alternate links are not one per entry plus the feed's")
	// atom/4.1.1/multiple-*: no feed-level element twice.
	head := atom[:strings.Index(atom, "<entry>")]
	for _, tag := range []string{"id", "title", "subtitle", "updated", "generator", "author"} {
		check("atom/4.1.1/multiple-"+tag+"s", strings.Count(head, "<"+tag+">")+strings.Count(head, "<"+tag+" ") <= 1, "feed has %s twice", tag)
	}
	// atom/4.1.1/misplaced-metadata: no feed metadata after the first entry.
	check("atom/4.1.1/misplaced-metadata", !regexp.MustCompile(`</entry>\s*<(?:id|title|updated|link|author|generator)`).MatchString(atom), "feed metadata after an entry")
	// atom/4.1.1/authorless-with-one-entry: an entry without an author
	// needs one on the feed.
	noAuthor := testFeed(t)
	noAuthor.Items[0].Authors = nil
	na := string(write(t, noAuthor, formats[0]))
	check("atom/4.1.1/authorless-with-one-entry", strings.Contains(na[:strings.Index(na, "<entry>")], "<author>\n<name>Captain's Log"), "an authorless entry but no feed author:\n%.800s", na)
	// atom/2/*xml-base*, 4.2.7.1/link-href-relative,
	// rss20/element-channel-item-description/description_contains_reluri:
	// every link is absolute, so there is no xml:base to get wrong and no
	// relative reference in any content.
	check("atom/2/xml-base", !strings.Contains(atom+rss, "xml:base"), "xml:base emitted")
	for _, doc := range []string{atom, rss, comments} {
		for _, h := range append(attrs(doc, "link", "href"), attrs(doc, "atom:link", "href")...) {
			u, err := url.Parse(h)
			check("atom/4.2.7.1/link-href-*", err == nil && u.IsAbs(), "link href %q is not absolute", h)
		}
		for _, m := range regexp.MustCompile(`(?:href|src|poster|cite)=&quot;([^&]*)&quot;|(?:href|src|poster|cite)="([^"]*)"`).FindAllStringSubmatch(contentOf(doc), -1) {
			ref := m[1] + m[2]
			check("rss20/.../description_contains_reluri", strings.Contains(ref, ":"), "relative URL %q left in content", ref)
		}
	}
	// atom/3.1.1.1/escaped_text, 3.1.1.2/*, atom/2/infoset-cdata,
	// rss20/data-types-characterdata/amp-cdata*: in Atom, HTML is escaped
	// text with type="html", never CDATA; text constructs are plain text.
	// In RSS only the elements that hold HTML (description,
	// content:encoded) may be CDATA sections, as Movable Type wrote them.
	check("atom/2/infoset-cdata", !strings.Contains(atom+comments, "<![CDATA["), "CDATA section emitted in Atom")
	for _, m := range regexp.MustCompile(`<([a-zA-Z:]+)(?: [^>]*)?><!\[CDATA\[`).FindAllStringSubmatch(rss, -1) {
		check("rss20/data-types-characterdata/amp-cdata", m[1] == "description" || m[1] == "content:encoded", "CDATA section in RSS's %s, which holds text", m[1])
	}
	check("atom/3.1.1.2/valid_html", strings.Count(atom, `<content type="html">`) == strings.Count(atom, "<entry>"), "content without type=html")
	check("atom/3.1.1.1/example_text_title", !strings.Contains(atom, `<title type=`), "title with a type other than the default text")

	// rss20/data-types-datetime/*: RFC 822 dates with a numeric zone, a
	// four-digit year and a correct weekday (invalid_pubdate_dow).
	for _, tag := range []string{"pubDate", "lastBuildDate"} {
		for _, v := range values(rss, tag) {
			d, err := mail.ParseDate(v)
			check("rss20/data-types-datetime/invalid_pubdate", err == nil, "%s %q: %v", tag, v, err)
			check("rss20/data-types-datetime/pubdate_pre_y2k, invalid_pubdate_differential", regexp.MustCompile(`^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$`).MatchString(v), "%s %q is not in the form Mon, 02 Jan 2006 15:04:05 -0700", tag, v)
			check("rss20/data-types-datetime/invalid_pubdate_dow", err != nil || d.Weekday().String()[:3] == v[:3], "%s %q has the wrong weekday", tag, v)
		}
	}
	// rss20/element-channel-item-guid/*: the guid is the permalink, an
	// http(s) URL with isPermaLink="true" spelt so; never a tag URI
	// (invalid_permalink_tag) and never blank.
	for _, g := range values(rss, "guid") {
		check("rss20/element-channel-item-guid/guid_value_isPermalink_true", strings.HasPrefix(g, "https://"), "guid %q is not an http URL", g)
	}
	check("rss20/element-channel-item-guid/guid_value_isPermaLink_badAttributeCase", strings.Count(rss, `<guid isPermaLink="true">`) == strings.Count(rss, "<item>"), "guid without isPermaLink=\"true\"")
	// rss20/namespace-elements-atom-link/noself: an atom:link rel=self.
	check("rss20/namespace-elements-atom-link/noself", strings.Contains(rss, `<atom:link href="https://blog.example.com/atom.xml" rel="self" type="application/rss+xml"/>`), "no atom:link rel=self")
	// rss20/namespace-elements-content-encoded/content_before_description,
	// content_without_description: every item has a description, before
	// content:encoded when it has that.
	for _, item := range strings.Split(rss, "<item>")[1:] {
		d, c := strings.Index(item, "<description>"), strings.Index(item, "<content:encoded>")
		check("rss20/namespace-elements-content-encoded/content_before_description", d >= 0 && (c < 0 || d < c), "description missing or after content:encoded")
	}
	// rss20/data-types-url/iri: links are URIs, non-ASCII percent-encoded.
	for _, l := range append(values(rss, "link"), values(rss, "guid")...) {
		check("rss20/data-types-url/iri", isASCII(l), "link %q is an IRI, not a URI", l)
	}
}

// contentOf returns the HTML content of a feed as it is written, escaped.
func contentOf(doc string) string {
	var b strings.Builder
	for _, tag := range []string{"content", "content:encoded", "description"} {
		for _, part := range strings.Split(doc, "<"+tag)[1:] {
			body, _, _ := strings.Cut(part, "</"+tag+">")
			b.WriteString(body)
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
