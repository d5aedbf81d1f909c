package site_test

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestSitemap reads /sitemap.xml as served: every visible entry and every
// archive page, dated, nothing invisible, and valid against the
// sitemaps.org schema when xmllint is installed.
func TestSitemap(t *testing.T) {
	b := newBlog(t)
	srv := b.serve(t, "default")
	r := do(t, "GET", srv.URL+"/sitemap.xml", nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/xml") {
		t.Fatalf("status %d, type %s", r.status, r.header.Get("Content-Type"))
	}
	var set struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(r.body), &set); err != nil {
		t.Fatal(err)
	}
	var locs []string
	for _, u := range set.URLs {
		locs = append(locs, strings.TrimPrefix(u.Loc, baseURL))
		if u.LastMod == "" {
			t.Errorf("%s has no lastmod", u.Loc)
		}
	}
	for title, path := range b.paths {
		if has := slices.Contains(locs, path); has == strings.HasPrefix(title, "SECRET") {
			t.Errorf("sitemap lists %s: %v", title, has)
		}
	}
	for _, want := range []string{"/", "/topics/iran/", "/topics/media/", "/authors/richard/", "/authors/guest-writer/", "/archives/2007/03/", "/archives/2007/02/"} {
		if !slices.Contains(locs, want) {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	if slices.Contains(locs, "/topics/empty-topic/") {
		t.Error("sitemap lists a topic with no visible entry")
	}
	if r := do(t, "GET", srv.URL+"/sitemap/1.xml", nil); r.status != http.StatusNotFound {
		t.Errorf("/sitemap/1.xml of a small blog: status %d, want 404", r.status)
	}
	if c := do(t, "GET", srv.URL+"/sitemap.xml", map[string]string{"If-None-Match": r.header.Get("ETag")}); c.status != http.StatusNotModified {
		t.Errorf("conditional GET: status %d", c.status)
	}

	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint is not installed (Debian: apt-get install libxml2-utils)")
	}
	file := filepath.Join(t.TempDir(), "sitemap.xml")
	if err := os.WriteFile(file, []byte(r.body), 0o644); err != nil {
		t.Fatal(err)
	}
	xsd := filepath.Join("..", "feed", "testdata", "xsd", "sitemap.xsd")
	if out, err := exec.Command("xmllint", "--noout", "--schema", xsd, file).CombinedOutput(); err != nil {
		t.Errorf("/sitemap.xml does not validate: %v\n%s", err, out)
	}
}

func TestRobots(t *testing.T) {
	b := newBlog(t)
	srv := b.serve(t, "default")
	r := do(t, "GET", srv.URL+"/robots.txt", nil)
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	for _, want := range []string{"Disallow: /admin/", "Sitemap: " + baseURL + "/sitemap.xml"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("robots.txt lacks %q:\n%s", want, r.body)
		}
	}
}

// TestHead parses pages of both themes and checks what search engines,
// feed readers, link previews and other blogs read in them.
func TestHead(t *testing.T) {
	b := newBlog(t)
	entry := b.paths[b.seed.title]
	for _, themeName := range []string{"default", "classic"} {
		srv := b.serve(t, themeName)
		t.Run(themeName+"/entry", func(t *testing.T) {
			r := do(t, "GET", srv.URL+entry, nil)
			doc := parse(t, r.body)
			if got := attr(find(doc, "link", "rel", "canonical"), "href"); got != baseURL+entry {
				t.Errorf("canonical = %q", got)
			}
			for _, f := range []string{"/atom.xml", "/index.xml", "/feed.json"} {
				if !hasLink(doc, "alternate", baseURL+f) {
					t.Errorf("no autodiscovery link to %s", f)
				}
			}
			if got := attr(find(doc, "link", "rel", "webmention"), "href"); got != baseURL+"/webmention" {
				t.Errorf("webmention link = %q", got)
			}
			if got := attr(find(doc, "link", "rel", "pingback"), "href"); got != baseURL+"/xmlrpc" {
				t.Errorf("pingback link = %q", got)
			}
			if got := attr(find(doc, "link", "rel", "trackback"), "href"); !strings.HasPrefix(got, baseURL+"/trackback/") {
				t.Errorf("trackback link = %q", got)
			}
			if got := r.header.Get("Link"); got != "<"+baseURL+`/webmention>; rel="webmention"` {
				t.Errorf("Link header = %q", got)
			}
			if got := r.header.Get("X-Pingback"); got != baseURL+"/xmlrpc" {
				t.Errorf("X-Pingback = %q", got)
			}
			for prop, want := range map[string]string{"og:type": "article", "og:title": b.seed.title, "og:url": baseURL + entry, "og:site_name": "Talk Back & Read"} {
				if got := attr(find(doc, "meta", "property", prop), "content"); got != want {
					t.Errorf("%s = %q, want %q", prop, got, want)
				}
			}
			if got := attr(find(doc, "meta", "name", "twitter:card"), "content"); got != "summary" {
				t.Errorf("twitter:card = %q", got)
			}
			ld := jsonLD(t, doc)
			if ld["@type"] != "BlogPosting" || ld["headline"] != b.seed.title || ld["url"] != baseURL+entry ||
				ld["datePublished"] != "2007-03-11T13:05:00-04:00" {
				t.Errorf("JSON-LD = %v", ld)
			}
			if a, _ := ld["author"].(map[string]any); a["name"] != b.seed.author {
				t.Errorf("JSON-LD author = %v", ld["author"])
			}
			hentry := findClass(doc, "h-entry")
			if hentry == nil {
				t.Fatal("no h-entry")
			}
			for _, class := range []string{"p-name", "e-content", "dt-published", "u-url", "h-card"} {
				if findClass(hentry, class) == nil {
					t.Errorf("h-entry has no %s", class)
				}
			}
			if m := findClass(doc, "h-cite"); m == nil || findClass(m, "u-url") == nil {
				t.Error("mentions are not h-cite with a u-url")
			}
		})
		t.Run(themeName+"/home", func(t *testing.T) {
			doc := parse(t, do(t, "GET", srv.URL+"/", nil).body)
			if ld := jsonLD(t, doc); ld["@type"] != "Blog" || ld["url"] != baseURL+"/" {
				t.Errorf("JSON-LD = %v", ld)
			}
			if findClass(doc, "h-feed") == nil {
				t.Error("home page has no h-feed")
			}
			if find(doc, "link", "rel", "webmention") != nil {
				t.Error("home page advertises a webmention endpoint it does not take")
			}
		})
		t.Run(themeName+"/topic", func(t *testing.T) {
			doc := parse(t, do(t, "GET", srv.URL+"/topics/iran/", nil).body)
			if !hasLink(doc, "alternate", baseURL+"/topics/iran/atom.xml") || !hasLink(doc, "alternate", baseURL+"/atom.xml") {
				t.Error("topic page lacks its feed or the blog's")
			}
			if findClass(doc, "h-feed") == nil {
				t.Error("topic page has no h-feed")
			}
		})
	}
}

func parse(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// find returns the first element named tag whose attribute key is val.
func find(n *html.Node, tag, key, val string) *html.Node {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == tag && attr(d, key) == val {
			return d
		}
	}
	return nil
}

func hasLink(n *html.Node, rel, href string) bool {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == "link" && attr(d, "rel") == rel && attr(d, "href") == href {
			return true
		}
	}
	return false
}

func findClass(n *html.Node, class string) *html.Node {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && slices.Contains(strings.Fields(attr(d, "class")), class) {
			return d
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func jsonLD(t *testing.T, doc *html.Node) map[string]any {
	t.Helper()
	s := find(doc, "script", "type", "application/ld+json")
	if s == nil || s.FirstChild == nil {
		t.Fatal("no JSON-LD")
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(s.FirstChild.Data), &v); err != nil {
		t.Fatalf("JSON-LD: %v", err)
	}
	return v
}
