package wxr_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/importer"
	"github.com/gazette-blog/gazette/internal/importer/wxr"
)

// readAll reads every item of src, or returns the reader's error.
func readAll(src string) ([]*importer.Item, error) {
	r := wxr.New(strings.NewReader(src), "export.xml", time.UTC)
	var items []*importer.Item
	for {
		it, err := r.Next()
		if err == io.EOF {
			return items, nil
		}
		if err != nil {
			return items, err
		}
		items = append(items, it)
	}
}

func entries(items []*importer.Item) []*importer.Item {
	var list []*importer.Item
	for _, it := range items {
		if it.IsEntry() {
			list = append(list, it)
		}
	}
	return list
}

const head = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="NS" xmlns:excerpt="NS/excerpt/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<wp:author><wp:author_login>ann</wp:author_login><wp:author_display_name><![CDATA[Ann Author]]></wp:author_display_name></wp:author>
<wp:category><wp:category_nicename>news</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>News</wp:cat_name></wp:category>
<wp:category><wp:category_nicename>local</wp:category_nicename><wp:category_parent>news</wp:category_parent><wp:cat_name>Local</wp:cat_name></wp:category>
`

const post = `<item>
<title>Hello &amp; welcome</title>
<link>http://old.example/2010/10/20/hello/</link>
<dc:creator>ann</dc:creator>
<guid isPermaLink="false">http://old.example/?p=4</guid>
<category domain="category" nicename="local"><![CDATA[Local]]></category>
<category domain="post_tag" nicename="go"><![CDATA[Go]]></category>
<content:encoded><![CDATA[First line
second line

[caption id="attachment_9" align="alignleft" width="300"]<img src="a.jpg" /> A cat[/caption]

<!--more-->
Rest [unknown x=1]]]></content:encoded>
<excerpt:encoded><![CDATA[Short]]></excerpt:encoded>
<wp:post_id>4</wp:post_id>
<wp:post_date>2010-10-20 14:09:37</wp:post_date>
<wp:post_date_gmt>2010-10-20 12:09:37</wp:post_date_gmt>
<wp:post_name>hello</wp:post_name>
<wp:status>STATUS</wp:status>
<wp:post_type>post</wp:post_type>
<wp:is_sticky>1</wp:is_sticky>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Bob</wp:comment_author><wp:comment_date_gmt>2010-10-21 00:00:00</wp:comment_date_gmt><wp:comment_content>Hi</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author>Ann</wp:comment_author><wp:comment_date_gmt>2010-10-21 01:00:00</wp:comment_date_gmt><wp:comment_content>Hello Bob</wp:comment_content><wp:comment_approved>0</wp:comment_approved><wp:comment_parent>1</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_author>Other blog</wp:comment_author><wp:comment_author_url>http://other.example/x</wp:comment_author_url><wp:comment_date_gmt>2010-10-21 02:00:00</wp:comment_date_gmt><wp:comment_content>linked</wp:comment_content><wp:comment_approved>spam</wp:comment_approved><wp:comment_type>pingback</wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>
</item>
`

const tail = "</channel>\n</rss>\n"

func export(ns, status string) string {
	return strings.ReplaceAll(head, "NS", ns) + strings.ReplaceAll(post, "STATUS", status) + tail
}

func TestPost(t *testing.T) {
	for _, ns := range []string{"http://wordpress.org/export/1.2/", "https://wordpress.org/export/1.2/", "http://wordpress.org/export/1.0/"} {
		t.Run(ns, func(t *testing.T) {
			items, err := readAll(export(ns, "publish"))
			if err != nil {
				t.Fatal(err)
			}
			list := entries(items)
			if len(list) != 1 {
				t.Fatalf("got %d entries, want 1", len(list))
			}
			it := list[0]
			e := it.Entry
			checks := []struct {
				what      string
				got, want any
			}{
				{"title", e.Title, "Hello & welcome"},
				{"author", e.Author.Name, "Ann Author"},
				{"status", e.Status, gazette.StatusPublished},
				{"sticky", e.Sticky, true},
				{"basename", e.Basename, "hello"},
				{"published", e.PublishedAt, time.Date(2010, 10, 20, 12, 9, 37, 0, time.UTC)},
				{"topics", len(e.Topics) == 1 && e.Topics[0].Name == "Local", true},
				{"tags", strings.Join(e.Tags, ","), "Go"},
				{"excerpt", e.Excerpt, "Short"},
				{"body", e.Body, `<p>First line<br />` + "\n" + `second line</p>` + "\n" +
					`<figure id="attachment_9" style="width: 300px" class="wp-caption alignleft"><img src="a.jpg" /><figcaption class="wp-caption-text">A cat</figcaption></figure>`},
				{"extended", e.ExtendedBody, "<p>Rest [unknown x=1]</p>"},
				{"comments", len(it.Comments), 2},
				{"reply status", it.Comments[1].Status, gazette.CommentPending},
				{"thread", it.Parents, []int{-1, 0}},
				{"pingback", len(it.Mentions) == 1 && it.Mentions[0].Kind == gazette.MentionPingback && it.Mentions[0].Status == gazette.CommentSpam, true},
				{"old paths", strings.Join(it.OldPaths, " "), "/?p=4 /2010/10/20/hello/ /2010/10/hello/"},
			}
			for _, c := range checks {
				if g, w := fmtAny(c.got), fmtAny(c.want); g != w {
					t.Errorf("%s = %s, want %s", c.what, g, w)
				}
			}
		})
	}
}

func fmtV(v any) string { return fmt.Sprintf("%v", v) }

func fmtAny(v any) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(fmtV(v), "\n", `\n`), "\t", " "))
}

func TestStatuses(t *testing.T) {
	tests := []struct {
		status  string
		want    gazette.EntryStatus
		private bool
	}{
		{"publish", gazette.StatusPublished, false},
		{"future", gazette.StatusScheduled, false},
		{"draft", gazette.StatusDraft, false},
		{"pending", gazette.StatusDraft, false},
		{"private", gazette.StatusDraft, true},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			items, err := readAll(export("http://wordpress.org/export/1.2/", tt.status))
			if err != nil {
				t.Fatal(err)
			}
			it := entries(items)[0]
			if it.Entry.Status != tt.want || it.Private != tt.private {
				t.Errorf("status %q, private %v; want %q, %v", it.Entry.Status, it.Private, tt.want, tt.private)
			}
		})
	}
}

// TestHostile feeds files an attacker or a broken disk could produce: each
// must fail with an error naming the file and line, and yield no entry.
func TestHostile(t *testing.T) {
	ns := "http://wordpress.org/export/1.2/"
	full := export(ns, "publish")
	tests := []struct {
		name, src, want string
	}{
		{"billion laughs", `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><item><title>&lol3;</title></item></channel></rss>`, "export.xml:6: the file has a DOCTYPE"},
		{"external entity", `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&xxe;</title></item></channel></rss>`, "export.xml:2: the file has a DOCTYPE"},
		{"undeclared entity", "<rss><channel><item><title>&xxe;</title></item></channel></rss>", "export.xml:1: malformed XML"},
		{"truncated", full[:strings.Index(full, "<wp:post_name>")], "truncated"},
		{"not WXR", `<feed xmlns="http://www.w3.org/2005/Atom"></feed>`, "not a WordPress export"},
		{"empty", "", "not a WordPress export"},
		{"bad date", strings.Replace(full, "2010-10-20 12:09:37", "yesterday", 1), "wp:post_date_gmt"},
		{"unknown encoding", strings.Replace(full, `encoding="UTF-8"`, `encoding="EBCDIC"`, 1), "EBCDIC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := readAll(tt.src)
			var ge *gazette.Error
			if !errors.As(err, &ge) || !errors.Is(err, gazette.ErrInvalid) {
				t.Fatalf("err = %v, want a gazette.ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "export.xml:") {
				t.Errorf("err = %q, want it to name the file and line and say %q", err, tt.want)
			}
			if n := len(entries(items)); n != 0 {
				t.Errorf("%d entries read before the error", n)
			}
		})
	}
}

// TestRepair reads a file with Windows-1252 bytes and a stray control
// character: both are repaired, not refused.
func TestRepair(t *testing.T) {
	src := strings.Replace(export("http://wordpress.org/export/1.2/", "publish"), "Hello &amp; welcome", "Caf\xe9 \x93quoted\x94\x0c", 1)
	items, err := readAll(src)
	if err != nil {
		t.Fatal(err)
	}
	if got := entries(items)[0].Entry.Title; got != "Café \u201cquoted\u201d" {
		t.Errorf("title %q", got)
	}
}

func TestGallery(t *testing.T) {
	ns := "http://wordpress.org/export/1.2/"
	src := strings.ReplaceAll(head, "NS", ns) +
		`<item><title>G</title><content:encoded><![CDATA[Look:

[gallery columns="2"]]]></content:encoded><wp:post_id>10</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item>
<item><title>img</title><wp:post_id>11</wp:post_id><wp:post_parent>10</wp:post_parent><wp:post_type>attachment</wp:post_type><wp:attachment_url>http://old.example/wp-content/uploads/a.jpg</wp:attachment_url></item>
` + tail
	items, err := readAll(src)
	if err != nil {
		t.Fatal(err)
	}
	want := "<p>Look:</p>\n" + `<div class="gallery gallery-columns-2"><figure class="gallery-item"><a href="http://old.example/wp-content/uploads/a.jpg"><img src="http://old.example/wp-content/uploads/a.jpg" alt=""></a></figure></div>`
	if got := entries(items)[0].Entry.Body; got != want {
		t.Errorf("body\n got %q\nwant %q", got, want)
	}
}
