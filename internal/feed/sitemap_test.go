package feed

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

func sitemapURLs(b *Blog, n int) []URL {
	urls := make([]URL, n)
	t0 := time.Date(2007, 3, 11, 13, 5, 0, 0, newYork)
	for i := range urls {
		urls[i] = URL{Loc: b.URL(fmt.Sprintf("/archives/2007/03/e%d.html", i)), LastMod: t0.Add(time.Duration(i) * time.Minute)}
	}
	return urls
}

func pageURL(n int) string { return fmt.Sprintf("https://blog.example.com/sitemap-%d.xml", n) }

func TestSitemapGolden(t *testing.T) {
	b := testBlog(t)
	urls := append([]URL{{Loc: b.URL("/")}}, sitemapURLs(b, 2)...)
	urls = append(urls, URL{Loc: b.URL("/archives/2007/03/ação_&_日本.html"), LastMod: time.Date(2007, 3, 12, 4, 30, 0, 0, time.UTC)})
	var buf bytes.Buffer
	if err := WriteSitemap(&buf, urls, pageURL); err != nil {
		t.Fatal(err)
	}
	golden(t, "sitemap.xml", buf.Bytes())

	buf.Reset()
	if err := b.WriteRobots(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, "robots.txt", buf.Bytes())

	sub, _ := NewBlog("https://example.org/blog/", nil)
	buf.Reset()
	sub.WriteRobots(&buf)
	if want := "User-agent: *\nDisallow: /blog/admin/\nDisallow: /blog/search\n\nSitemap: https://example.org/blog/sitemap.xml\n"; buf.String() != want {
		t.Errorf("robots.txt of a blog below a path:\n%s\nwant\n%s", buf.String(), want)
	}
}

// TestSitemapIndex crosses MaxURLs: the root becomes an index of pages, each
// page a urlset of at most MaxURLs, every URL on exactly one page.
func TestSitemapIndex(t *testing.T) {
	b := testBlog(t)
	for _, tc := range []struct{ n, pages int }{{0, 1}, {1, 1}, {MaxURLs, 1}, {MaxURLs + 1, 2}, {2*MaxURLs + 5, 3}} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			urls := sitemapURLs(b, tc.n)
			if got := SitemapPages(tc.n); got != tc.pages {
				t.Fatalf("SitemapPages(%d) = %d, want %d", tc.n, got, tc.pages)
			}
			var root bytes.Buffer
			if err := WriteSitemap(&root, urls, pageURL); err != nil {
				t.Fatal(err)
			}
			wellFormed(t, root.Bytes())
			if tc.pages == 1 {
				if got := strings.Count(root.String(), "<url>"); got != tc.n {
					t.Errorf("urlset has %d URLs, want %d", got, tc.n)
				}
				return
			}
			if !strings.Contains(root.String(), "<sitemapindex ") || strings.Count(root.String(), "<sitemap>") != tc.pages {
				t.Fatalf("root is not an index of %d sitemaps:\n%.500s", tc.pages, root.String())
			}
			total := 0
			for p := 1; p <= tc.pages; p++ {
				if !strings.Contains(root.String(), "<loc>"+pageURL(p)+"</loc>") {
					t.Errorf("index does not name page %d", p)
				}
				var page bytes.Buffer
				if err := WriteSitemapPage(&page, urls, p); err != nil {
					t.Fatal(err)
				}
				n := strings.Count(page.String(), "<url>")
				if n > MaxURLs {
					t.Errorf("page %d has %d URLs", p, n)
				}
				total += n
				// The index dates each page by its newest URL.
				newest := urls[min(p*MaxURLs, len(urls))-1].LastMod
				if !strings.Contains(root.String(), "<lastmod>"+rfc3339(newest)+"</lastmod>") {
					t.Errorf("index lacks lastmod %s for page %d", rfc3339(newest), p)
				}
			}
			if total != tc.n {
				t.Errorf("pages hold %d URLs, want %d", total, tc.n)
			}
			if err := WriteSitemapPage(&root, urls, tc.pages+1); !errors.Is(err, gazette.ErrNotFound) {
				t.Errorf("page past the last: %v, want ErrNotFound", err)
			}
		})
	}
}

func TestSitemapErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  URL
		want string
	}{
		{"relative", URL{Loc: "/archives/"}, "sitemap URL 2"},
		{"too long", URL{Loc: "https://blog.example.com/" + strings.Repeat("x", 2048)}, "longer than 2048"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			urls := []URL{{Loc: "https://blog.example.com/"}, tc.url}
			err := WriteSitemap(&bytes.Buffer{}, urls, pageURL)
			if !errors.Is(err, gazette.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want ErrInvalid with %q", err, tc.want)
			}
		})
	}
}

// TestSitemapSchema validates a sitemap and a sitemap index against the
// sitemaps.org schemas with xmllint (Debian: libxml2-utils).
func TestSitemapSchema(t *testing.T) {
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint is not installed (Debian: apt-get install libxml2-utils)")
	}
	b := testBlog(t)
	dir := t.TempDir()
	urls := sitemapURLs(b, MaxURLs+2)
	urls[0] = URL{Loc: b.URL("/archives/2007/03/ação_&_日本.html")} // no lastmod, escaped path
	write := func(name string, fn func(*bytes.Buffer) error) string {
		var buf bytes.Buffer
		if err := fn(&buf); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	index := write("index.xml", func(w *bytes.Buffer) error { return WriteSitemap(w, urls, pageURL) })
	page1 := write("page1.xml", func(w *bytes.Buffer) error { return WriteSitemapPage(w, urls, 1) })
	page2 := write("page2.xml", func(w *bytes.Buffer) error { return WriteSitemapPage(w, urls, 2) })
	for _, tc := range []struct{ file, xsd string }{
		{index, "siteindex.xsd"}, {page1, "sitemap.xsd"}, {page2, "sitemap.xsd"},
	} {
		out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join("testdata", "xsd", tc.xsd), tc.file).CombinedOutput()
		if err != nil {
			t.Errorf("%s does not validate against %s: %v\n%.2000s", filepath.Base(tc.file), tc.xsd, err, out)
		}
	}
	// The schema is strict enough to fail a broken file, so the check
	// above means something.
	bad := filepath.Join(dir, "bad.xml")
	os.WriteFile(bad, []byte(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><lastmod>yesterday</lastmod></url></urlset>`), 0o644)
	if exec.Command("xmllint", "--noout", "--schema", filepath.Join("testdata", "xsd", "sitemap.xsd"), bad).Run() == nil {
		t.Error("xmllint accepted a sitemap without loc and with a bad lastmod")
	}
}
