package export

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// linkCases are markup where a scan that looks for href= would go wrong.
var linkCases = []string{
	`<a href="/a/">a</a> <img src='/b.png'> <link rel=stylesheet href=/c.css>`,
	`<A HREF="/upper/">x</A><IMG SRC=/up.png>`,
	`<a href = "/spaced/" >x</a><a` + "\n\t" + `href="/newline/">y</a>`,
	`<a title="a > b" href="/after-gt/">x</a>`,
	`<a href="/first/" href="/second/" src="/s1" SRC="/s2">x</a>`,
	`<a data-href="/no/" hreflang="en" href="/yes/">x</a>`,
	`<p>text with href="/not-a-tag/" and a < b > c</p>`,
	`<!-- <a href="/commented/"> --><a href="/after-comment/">`,
	`<!--> <a href="/after-empty-comment/">`,
	`<!---> <a href="/after-dash-comment/">`,
	`<!-- a --!> <a href="/after-bang-comment/">`,
	`<!DOCTYPE html><a href="/after-doctype/">`,
	`<?xml version="1.0"?><a href="/after-pi/">`,
	`<script>var s = '<a href="/in-script/">';</script><a href="/after-script/">`,
	`<script src="/js.js"></script><style>a[href="/in-style/"]{}</style>`,
	`<title><a href="/in-title/"></title><textarea><a href="/in-textarea/"></textarea ><a href="/after-textarea/">`,
	`<script><!-- document.write("<script>x</script>"); <a href="/in-escaped-script/"> --></script><a href="/after-escaped/">`,
	`<scripts><a href="/not-raw/"></scripts>`,
	`<a href="/q?x=1&amp;y=2">x</a><a href="/copy?a=1&copy=2">y</a><a href="/caf&eacute;/">z</a>`,
	`<a href="/cr` + "\r\n" + `lf/">x</a>`,
	`<a href=/unquoted/>x</a><a href=/unquoted-gt>y</a>`,
	`<br/><img/src="/slash.png"><a =href="/eq/">`,
	`</a href="/end-tag/"><a href="/after-end-tag/">`,
	`</ a href="/bogus-end/"><a href="/after-bogus-end/">`,
	`</>`,
	`<a href="/unterminated`,
	`<a href="/cut/" title=`,
	`<plaintext><a href="/in-plaintext/">`,
	`<a href=''>empty</a><a href>bare</a><a href=>nothing</a>`,
	`<<a href="/double-lt/">`,
	`<noscript><a href="/in-noscript/"></noscript>`,
	`<a href="/nul` + "\x00" + `/">`,
}

func TestHTMLLinksMatchTokenizer(t *testing.T) {
	for _, page := range linkCases {
		checkLinks(t, page, []byte(page))
	}
}

// TestHTMLLinksOnRealPages compares the scan with the tokenizer on the
// pages of gazette's themes and on archived pages of other blogs.
func TestHTMLLinksOnRealPages(t *testing.T) {
	n := 0
	for _, dir := range []string{"../site/testdata/golden", "../importer/html/testdata", "../../../shared/testdata/html"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") && !strings.HasSuffix(path, ".htm") {
				return err
			}
			page, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			checkLinks(t, path, page)
			n++
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	if n < 20 {
		t.Skipf("only %d pages found to compare", n)
	}
	t.Logf("%d pages", n)
}

func FuzzHTMLLinks(f *testing.F) {
	for _, page := range linkCases {
		f.Add([]byte(page))
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		checkLinks(t, "fuzzed page", page)
	})
}

func checkLinks(t *testing.T, name string, page []byte) {
	t.Helper()
	got, want := htmlLinks(page), tokenizerLinks(page)
	if !slices.Equal(got, want) {
		t.Errorf("%.60q: scan finds\n%q\nthe tokenizer\n%q", name, got, want)
	}
}

// BenchmarkHTMLLinks times the scan and the tokenizer over the pages of
// gazette's themes.
func BenchmarkHTMLLinks(b *testing.B) {
	var pages [][]byte
	size := 0
	files, _ := filepath.Glob("../site/testdata/golden/*.html")
	for _, f := range files {
		page, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, page)
		size += len(page)
	}
	if len(pages) == 0 {
		b.Skip("no pages in ../site/testdata/golden")
	}
	for _, bm := range []struct {
		name  string
		links func([]byte) []string
	}{{"scan", htmlLinks}, {"tokenizer", tokenizerLinks}} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, p := range pages {
					bm.links(p)
				}
			}
		})
	}
}
