package export

import (
	"bytes"
	"testing"

	"golang.org/x/net/html"
)

// TestMovedHTML reads the page for a redirect as a browser would: its
// canonical link and its refresh name the target exactly, whatever the
// target's query holds, and nothing in it becomes markup; a feed is named
// as the page's alternate.
func TestMovedHTML(t *testing.T) {
	for _, tt := range []struct{ target, feedType string }{
		{"https://blog.example.com/archives/2007/03/x.html", ""},
		{`https://blog.example.com/search?q="><script>alert(1)</script>&page=2`, ""},
		{"https://blog.example.com/topics/iran/atom.xml", "application/atom+xml"},
		{"https://blog.example.com/index.xml", "application/rss+xml"},
		{"https://blog.example.com/feed.json", "application/feed+json"},
	} {
		doc, err := html.Parse(bytes.NewReader(movedHTML(tt.target)))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				if n.Data == "script" {
					t.Errorf("%s: the page holds a script element", tt.target)
				}
				a := map[string]string{}
				for _, at := range n.Attr {
					a[at.Key] = at.Val
				}
				switch {
				case n.Data == "link" && a["rel"] == "canonical":
					got["canonical"] = a["href"]
				case n.Data == "link" && a["rel"] == "alternate":
					got["alternate"], got["type"] = a["href"], a["type"]
				case n.Data == "meta" && a["http-equiv"] == "refresh":
					got["refresh"] = a["content"]
				case n.Data == "a":
					got["a"] = a["href"]
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		want := map[string]string{"canonical": tt.target, "refresh": "0; url=" + tt.target, "a": tt.target}
		if tt.feedType != "" {
			want["alternate"], want["type"] = tt.target, tt.feedType
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", tt.target, k, got[k], v)
			}
		}
		if tt.feedType == "" && got["alternate"] != "" {
			t.Errorf("%s: a feed named where there is none", tt.target)
		}
	}
}
