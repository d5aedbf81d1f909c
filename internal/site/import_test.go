package site_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/importer"
	"github.com/gazette-blog/gazette/internal/importer/blogger"
	"github.com/gazette-blog/gazette/internal/importer/movabletype"
	"github.com/gazette-blog/gazette/internal/importer/wxr"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
)

const importMT = `AUTHOR: Richard
TITLE: An MT entry
BASENAME: an_mt_entry
STATUS: Publish
DATE: 03/11/2006 01:05:00 PM
-----
BODY:
Old words.
--------
`

const importWXR = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<wp:author><wp:author_login>ann</wp:author_login><wp:author_display_name>Ann Author</wp:author_display_name></wp:author>
<wp:category><wp:category_nicename>news</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>News</wp:cat_name></wp:category>
<wp:tag><wp:tag_slug>go-lang</wp:tag_slug><wp:tag_name>Go Lang</wp:tag_name></wp:tag>
<item><title>A WordPress post</title><link>http://old.example/2006/03/12/wp-post/</link><dc:creator>ann</dc:creator>
<guid>http://old.example/?p=7</guid>
<category domain="category" nicename="news">News</category><category domain="post_tag" nicename="go-lang">Go Lang</category>
<content:encoded>Hello</content:encoded>
<wp:post_id>7</wp:post_id><wp:post_date>2006-03-12 10:00:00</wp:post_date><wp:post_date_gmt>2006-03-12 10:00:00</wp:post_date_gmt>
<wp:post_name>wp-post</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><wp:is_sticky>1</wp:is_sticky></item>
<item><title>About</title><link>http://old.example/about-us/</link><dc:creator>ann</dc:creator><guid>http://old.example/?page_id=8</guid>
<content:encoded>About us.</content:encoded>
<wp:post_id>8</wp:post_id><wp:post_date>2006-01-01 10:00:00</wp:post_date><wp:post_date_gmt>2006-01-01 10:00:00</wp:post_date_gmt>
<wp:post_name>about-us</wp:post_name><wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>
</channel></rss>
`

const importBlogger = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
<entry><id>tag:blogger.com,1999:blog-1.post-5</id><published>2006-04-01T10:00:00.000-07:00</published>
<category scheme="http://schemas.google.com/g/2005#kind" term="http://schemas.google.com/blogger/2008/kind#post"/>
<category scheme="http://www.blogger.com/atom/ns#" term="Travel"/>
<title type="text">A Blogger post</title><content type="html">Blogged.</content>
<link rel="alternate" type="text/html" href="http://old.blogspot.com/2006/04/blogger-post.html"/>
<author><name>Bea</name></author></entry>
</feed>
`

// TestOldURLs imports a Movable Type, a WordPress and a Blogger export into
// one blog and follows every style of old address each of them had.
func TestOldURLs(t *testing.T) {
	b := newBlog(t)
	ctx := context.Background()
	pub := publish.New(markdown.New(), sanitize.New())
	for _, r := range []importer.Reader{
		movabletype.New(strings.NewReader(importMT), "mt.txt", b.loc),
		wxr.New(strings.NewReader(importWXR), "wp.xml", b.loc),
		blogger.New(strings.NewReader(importBlogger), "blogger.xml"),
	} {
		if _, err := importer.Import(ctx, b.store, pub, r, importer.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	path := func(title string) string {
		t.Helper()
		list, _, err := b.store.Entries(ctx, gazette.EntryFilter{Kind: gazette.AnyKind})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range list {
			if e.Title == title {
				return e.Path
			}
		}
		t.Fatalf("no entry %q", title)
		return ""
	}
	mt, wp, page, bl := path("An MT entry"), path("A WordPress post"), path("About"), path("A Blogger post")
	if page != "/about-us/" {
		t.Errorf("page at %q, want /about-us/", page)
	}
	srv := b.serve(t, "default")
	tests := []struct {
		style, path, want string
	}{
		{"MT archive number", "/archives/000001.html", mt},
		{"MT archive number, .php", "/archives/000001.php", mt},
		{"MT basename, .php", "/archives/2006/03/an_mt_entry.php", mt},
		{"MT basename with dashes", "/archives/2006/03/an-mt-entry.html", mt},
		{"MT basename with dashes, .php", "/archives/2006/03/an-mt-entry.php", mt},
		{"WordPress ?p=", "/?p=7", wp},
		{"WordPress day permalink", "/2006/03/12/wp-post/", wp},
		{"WordPress month permalink", "/2006/03/wp-post/", wp},
		{"WordPress ?page_id=", "/?page_id=8", page},
		{"WordPress category", "/category/news/", "/topics/news/"},
		{"WordPress category feed", "/category/news/feed/", "/topics/news/atom.xml"},
		{"WordPress tag", "/tag/go-lang/", "/tags/go-lang/"},
		{"WordPress author", "/author/ann/", "/authors/ann-author/"},
		{"WordPress feed", "/feed/", "/atom.xml"},
		{"WordPress RSS feed", "/feed/rss2/", "/index.xml"},
		{"Blogger permalink", "/2006/04/blogger-post.html", bl},
		{"Blogger label", "/search/label/Travel", "/topics/travel/"},
		{"unknown old address", "/2006/04/never-was.html", ""},
	}
	for _, tt := range tests {
		t.Run(tt.style, func(t *testing.T) {
			r := do(t, "GET", srv.URL+tt.path, nil)
			if tt.want == "" {
				if r.status != 404 {
					t.Errorf("status %d, want 404", r.status)
				}
				return
			}
			if r.status != 301 || r.header.Get("Location") != tt.want {
				t.Errorf("status %d to %q, want 301 to %q", r.status, r.header.Get("Location"), tt.want)
			}
		})
	}

	t.Run("page served at its path and kept out of listings", func(t *testing.T) {
		r := do(t, "GET", srv.URL+page, nil)
		if r.status != 200 || !strings.Contains(r.body, "About us.") {
			t.Errorf("page: status %d", r.status)
		}
		for _, list := range []string{"/", "/archives/2006/01/", "/authors/ann-author/"} {
			if r := do(t, "GET", srv.URL+list, nil); strings.Contains(r.body, "About us.") || strings.Contains(r.body, `href="/about-us/"`) {
				t.Errorf("%s lists the page", list)
			}
		}
	})
	t.Run("tag archive", func(t *testing.T) {
		r := do(t, "GET", srv.URL+"/tags/go-lang/", nil)
		if r.status != 200 || !strings.Contains(r.body, "A WordPress post") || !strings.Contains(r.body, "Go Lang") {
			t.Errorf("status %d, or the entry or tag name missing", r.status)
		}
		if r := do(t, "GET", srv.URL+"/tags/no-such-tag/", nil); r.status != 404 {
			t.Errorf("unknown tag: status %d, want 404", r.status)
		}
	})
	t.Run("sticky first on the home page", func(t *testing.T) {
		r := do(t, "GET", srv.URL+"/", nil)
		i, j := strings.Index(r.body, "A WordPress post"), strings.Index(r.body, b.seed.title)
		if i < 0 || j >= 0 && i > j {
			t.Errorf("the sticky post is not first (at %d, newest entry at %d)", i, j)
		}
	})
}
