package feed

import (
	"io"
	"time"

	"github.com/gazette-blog/gazette"
)

// MaxURLs is the most URLs one sitemap file may list (sitemaps.org); a site
// with more gets a sitemap index naming several files.
const MaxURLs = 50000

// maxLocLen is the longest URL a sitemap may list (sitemaps.org).
const maxLocLen = 2048

// URL is one page in a sitemap, or one sitemap in a sitemap index.
type URL struct {
	Loc     string    // absolute URL, as Blog.URL makes it
	LastMod time.Time // when the page last changed; zero to leave it out
}

// SitemapPages returns how many sitemap files n URLs need: 1 up to MaxURLs,
// and then a sitemap index of that many files.
func SitemapPages(n int) int {
	if n <= MaxURLs {
		return 1
	}
	return (n + MaxURLs - 1) / MaxURLs
}

// WriteSitemap writes the sitemap of a site: a urlset of urls when there are
// at most MaxURLs of them, else a sitemap index whose i-th entry (from 1) is
// pageURL(i), dated by the newest LastMod on that page, for WriteSitemapPage
// to serve. A site can always serve /sitemap.xml with WriteSitemap and
// /sitemap-N.xml (or whatever pageURL names) with WriteSitemapPage.
func WriteSitemap(w io.Writer, urls []URL, pageURL func(page int) string) error {
	pages := SitemapPages(len(urls))
	if pages == 1 {
		return writeURLSet(w, urls)
	}
	index := make([]URL, pages)
	for i := range index {
		index[i].Loc = pageURL(i + 1)
		for _, u := range page(urls, i+1) {
			if u.LastMod.After(index[i].LastMod) {
				index[i].LastMod = u.LastMod
			}
		}
	}
	return writeSitemapFile(w, "sitemapindex", "sitemap", index)
}

// WriteSitemapPage writes page n (from 1) of urls split into files of
// MaxURLs, as named by the index WriteSitemap writes. A page past the last is
// ErrNotFound.
func WriteSitemapPage(w io.Writer, urls []URL, n int) error {
	if n < 1 || n > SitemapPages(len(urls)) {
		return gazette.Errorf(gazette.ErrNotFound, "sitemap page %d does not exist", n)
	}
	return writeURLSet(w, page(urls, n))
}

func page(urls []URL, n int) []URL {
	start := (n - 1) * MaxURLs
	return urls[start:min(start+MaxURLs, len(urls))]
}

func writeURLSet(w io.Writer, urls []URL) error {
	return writeSitemapFile(w, "urlset", "url", urls)
}

func writeSitemapFile(w io.Writer, root, elem string, urls []URL) error {
	x := newXMLWriter()
	x.open(root, "xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")
	for i, u := range urls {
		if err := checkURL(u.Loc); err != nil {
			return gazette.Errorf(gazette.ErrInvalid, "sitemap URL %d: %v", i+1, err)
		}
		if len(u.Loc) > maxLocLen {
			return gazette.Errorf(gazette.ErrInvalid, "sitemap URL %d: %q is longer than %d characters", i+1, u.Loc, maxLocLen)
		}
		x.open(elem)
		x.text("loc", u.Loc)
		if !u.LastMod.IsZero() {
			x.text("lastmod", rfc3339(u.LastMod))
		}
		x.close(elem)
	}
	x.close(root)
	_, err := io.WriteString(w, x.String())
	return err
}
