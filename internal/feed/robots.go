package feed

import (
	"fmt"
	"io"
)

// WriteRobots writes the blog's robots.txt: crawlers are kept out of the
// authors' area and out of search results (endless, and copies of pages they
// can crawl anyway), and told where the sitemap is, as the absolute URL the
// Sitemap line requires. For a blog below a path, robots.txt still lives at
// the root of the host, and the paths include the blog's.
func (b *Blog) WriteRobots(w io.Writer) error {
	_, err := fmt.Fprintf(w, "User-agent: *\nDisallow: %s/admin/\nDisallow: %s/search\n\nSitemap: %s\n",
		b.base.EscapedPath(), b.base.EscapedPath(), b.URL("/sitemap.xml"))
	return err
}
