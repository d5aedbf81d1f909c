package sanitize_test

import (
	"strings"
	"testing"

	"github.com/gazette-blog/gazette/internal/sanitize"
)

func TestComment(t *testing.T) {
	tests := []sanitizeCase{
		{"empty", "", ""},
		{"only spaces", "  \n\n \t", ""},
		{"one line", "Nice post.", "<p>Nice post.</p>\n"},
		{"surrounding space trimmed", "\n\n  Nice post.  \n\n", "<p>Nice post.  </p>\n"},
		{"line breaks", "one\ntwo", "<p>one<br>\ntwo</p>\n"},
		{"paragraphs", "one\n\ntwo", "<p>one</p>\n<p>two</p>\n"},
		{"many blank lines make one break", "one\n\n\n\n\ntwo", "<p>one</p>\n<p>two</p>\n"},
		{"blank line with spaces", "one\n \t \ntwo", "<p>one</p>\n<p>two</p>\n"},
		{"crlf", "one\r\ntwo\r\n\r\nthree", "<p>one<br>\ntwo</p>\n<p>three</p>\n"},
		{"old mac newlines", "one\rtwo", "<p>one<br>\ntwo</p>\n"},
		{"escaped text stays escaped", "&lt;script&gt;alert(1)&lt;/script&gt;", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"},
		{"loose angle brackets escaped", "5 < 6 and 7 > 3 & so on", "<p>5 &lt; 6 and 7 &gt; 3 &amp; so on</p>\n"},
		{"quotes escaped", `He said "hi" & 'bye'`, "<p>He said &#34;hi&#34; &amp; &#39;bye&#39;</p>\n"},
		{"unicode kept", "Ünïcödé — 日本語 🎉", "<p>Ünïcödé — 日本語 🎉</p>\n"},

		{"bare url", "See http://example.com/a?b=1&c=2 now",
			`<p>See <a href="http://example.com/a?b=1&amp;c=2" rel="nofollow ugc">http://example.com/a?b=1&amp;c=2</a> now</p>` + "\n"},
		{"https url", "https://example.com", `<p><a href="https://example.com" rel="nofollow ugc">https://example.com</a></p>` + "\n"},
		{"www url gets http", "go to www.example.com.", `<p>go to <a href="http://www.example.com" rel="nofollow ugc">www.example.com</a>.</p>` + "\n"},
		{"trailing punctuation not linked", "(see http://example.com/x), ok?",
			`<p>(see <a href="http://example.com/x" rel="nofollow ugc">http://example.com/x</a>), ok?</p>` + "\n"},
		{"balanced parenthesis kept", "http://en.wikipedia.org/wiki/Go_(game)",
			`<p><a href="http://en.wikipedia.org/wiki/Go_(game)" rel="nofollow ugc">http://en.wikipedia.org/wiki/Go_(game)</a></p>` + "\n"},
		{"escaped brackets around url", "&lt;http://example.com&gt;",
			`<p>&lt;<a href="http://example.com" rel="nofollow ugc">http://example.com</a>&gt;</p>` + "\n"},
		{"scheme alone not linked", "http:// and www. alone", "<p>http:// and www. alone</p>\n"},
		{"other schemes not linked", "ftp://example.com javascript:alert(1)", "<p>ftp://example.com javascript:alert(1)</p>\n"},
		{"url inside link not linked again", `<a href="http://a.example">http://b.example</a>`,
			`<p><a href="http://a.example" rel="nofollow ugc">http://b.example</a></p>` + "\n"},
		{"url at line end then break", "http://example.com\nnext",
			`<p><a href="http://example.com" rel="nofollow ugc">http://example.com</a><br>` + "\nnext</p>\n"},

		{"allowed tags kept", "<b>b</b> <strong>s</strong> <i>i</i> <em>e</em> <code>c</code>",
			"<p><b>b</b> <strong>s</strong> <i>i</i> <em>e</em> <code>c</code></p>\n"},
		{"reader link", `<a href="https://example.com/x" title="t" rel="me" target="_blank">x</a>`,
			`<p><a href="https://example.com/x" rel="nofollow ugc">x</a></p>` + "\n"},
		{"mailto link", `<a href="mailto:me@example.com">mail</a>`,
			`<p><a href="mailto:me@example.com" rel="nofollow ugc">mail</a></p>` + "\n"},
		{"relative link dropped", `<a href="/admin/">x</a>`, "<p>x</p>\n"},
		{"javascript link dropped", `<a href="javascript:alert(1)">x</a>`, "<p>x</p>\n"},
		{"other tags stripped, text kept", "<span>a</span> <h1>b</h1> <u>c</u>", "<p>a </p>\n<p>b</p>\n<p>c</p>\n"},
		{"blockquote", "Earlier:\n<blockquote>\nquoted\ntwice\n</blockquote>\nMy reply.",
			"<p>Earlier:</p>\n<blockquote><p>quoted<br>\ntwice</p>\n</blockquote><p>My reply.</p>\n"},
		{"reader paragraphs", "<p>one</p><p>two</p>", "<p>one</p>\n<p>two</p>\n"},
		{"pre keeps lines and urls", "<pre>a\n\n  http://x.example\n</pre>after", "<pre>a\n\n  http://x.example\n</pre><p>after</p>\n"},
		{"br not doubled", "one<br>\ntwo", "<p>one<br>two</p>\n"},
		{"html comment dropped", "a<!-- hidden -->b", "<p>ab</p>\n"},
	}
	runCases(t, "Comment", sanitize.New().Comment, true, tests)
}

func TestAuthorHTML(t *testing.T) {
	tests := []sanitizeCase{
		{"headings and text", "<h2>Title</h2><p>Text <em>and</em> <strong>more</strong>.</p>", "<h2>Title</h2><p>Text <em>and</em> <strong>more</strong>.</p>"},
		{"lists", "<ul><li>a</li></ul><ol start=\"3\"><li>b</li></ol><dl><dt>t</dt><dd>d</dd></dl>", "<ul><li>a</li></ul><ol><li>b</li></ol><dl><dt>t</dt><dd>d</dd></dl>"},
		{"link keeps its own rel, no forced nofollow", `<a href="https://example.com" rel="me">x</a>`, `<a href="https://example.com" rel="me">x</a>`},
		{"link without rel", `<a href="https://example.com">x</a>`, `<a href="https://example.com">x</a>`},
		{"relative links and media", `<a href="/archives/2007/03/x.html">x</a><img src="/media/a.jpg" alt="A">`, `<a href="/archives/2007/03/x.html">x</a><img src="/media/a.jpg" alt="A">`},
		{"image", `<img src="https://example.com/a.png" alt="a" width="100" height="50" onerror="x()">`, `<img src="https://example.com/a.png" alt="a" width="100" height="50">`},
		{"figure", "<figure><img src=\"/media/a.jpg\"><figcaption>Cap</figcaption></figure>", "<figure><img src=\"/media/a.jpg\"><figcaption>Cap</figcaption></figure>"},
		{"blockquote cite", `<blockquote cite="https://example.com/src">q</blockquote>`, `<blockquote cite="https://example.com/src">q</blockquote>`},
		{"code", `<pre><code class="language-go">x := 1 &lt; 2</code></pre>`, `<pre><code class="language-go">x := 1 &lt; 2</code></pre>`},
		{"table", `<table><thead><tr><th align="right">a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>`, `<table><thead><tr><th align="right">a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>`},
		{"footnotes from markdown", `<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>`, `<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>`},
		{"script dropped with content", "a<script>alert(1)</script>b", "ab"},
		{"style dropped with content", "a<style>body{display:none}</style>b", "ab"},
		{"style attribute dropped", `<p style="position:fixed">x</p>`, "<p>x</p>"},
		{"event handler dropped", `<p onclick="x()">x</p>`, "<p>x</p>"},
		{"iframe dropped", `<iframe src="https://example.com"></iframe>x`, "x"},
		{"form dropped", `<form action="https://evil.example"><input name="p"><button>go</button></form>`, "go"},
		{"javascript link dropped", `<a href="javascript:alert(1)">x</a>`, "x"},
		{"data image dropped", `<img src="data:image/png;base64,iVBORw0KGgo=">`, ""},
		{"data link dropped", `<a href="data:text/html,<script>alert(1)</script>">x</a>`, "x"},
	}
	runCases(t, "AuthorHTML", sanitize.New().AuthorHTML, false, tests)
}

type sanitizeCase struct {
	name, in, want string
}

// runCases checks that fn, named name, turns each case's input into its
// want, and that the result holds nothing executable.
func runCases(t *testing.T, name string, fn func(string) string, comment bool, tests []sanitizeCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fn(tt.in)
			if got != tt.want {
				t.Errorf("%s(%q)\n got %q\nwant %q", name, tt.in, got, tt.want)
			}
			if p := unsafeContent(got, comment); p != "" {
				t.Errorf("%s(%q) = %q: %s", name, tt.in, got, p)
			}
		})
	}
}

// attacks are classic ways to run script through a sanitiser.
var attacks = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>`,
	`<scr<script>ipt>alert(1)</scr</script>ipt>`,
	`<img src=x onerror=alert(1)>`,
	`<img src="javascript:alert(1)">`,
	`<IMG SRC=JaVaScRiPt:alert('XSS')>`,
	`<img src=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>`,
	`<a href="jav&#x09;ascript:alert(1)">x</a>`,
	`<a href="jav	ascript:alert(1)">x</a>`,
	`<a href=" javascript:alert(1)">x</a>`,
	`<a href="JAVASCRIPT:alert(1)">x</a>`,
	`<a href="vbscript:msgbox(1)">x</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
	`<a href="http://ok.example" onmouseover="alert(1)">x</a>`,
	`<a href="http://ok.example"style="x:expression(alert(1))">x</a>`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<object data="javascript:alert(1)"></object>`,
	`<embed src="javascript:alert(1)">`,
	`<form action="javascript:alert(1)"><input type=submit></form>`,
	`<button formaction="javascript:alert(1)">x</button>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<base href="javascript:alert(1)//">`,
	`<link rel=stylesheet href="http://evil.example/x.css">`,
	`<style>@import 'http://evil.example/x.css';</style>`,
	`<div style="background:url(javascript:alert(1))">x</div>`,
	`<body onload=alert(1)>`,
	`<details open ontoggle=alert(1)>`,
	`<p title="</p><script>alert(1)</script>">x</p>`,
	`<!--<script>alert(1)</script>-->`,
	`<![CDATA[<script>alert(1)</script>]]>`,
	`<a href="http://ok.example/"><script>alert(1)</script></a>`,
	`http://ok.example/"onmouseover="alert(1)`,
	`www.ok.example/'onmouseover='alert(1)`,
	`http://ok.example/&quot;onmouseover=&quot;alert(1)`,
	`http://ok.example/<script>alert(1)</script>`,
	"<pre>\n<script>alert(1)</script>\n</pre>",
	"<a href=\"http://ok.example\">\n\nhttp://x.example <img src=x onerror=alert(1)>\n\n</a>",
	`<textarea><script>alert(1)</script></textarea>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	`<xmp><script>alert(1)</script></xmp>`,
	`<plaintext><script>alert(1)</script>`,
}

func TestAttacks(t *testing.T) {
	s := sanitize.New()
	for _, a := range attacks {
		for _, in := range []string{a, "text before\n\n" + a + "\nafter", "<blockquote>" + a} {
			if got := s.Comment(in); unsafeContent(got, true) != "" {
				t.Errorf("Comment(%q) = %q: %s", in, got, unsafeContent(got, true))
			} else if strings.Contains(strings.ToLower(got), "<script") {
				t.Errorf("Comment(%q) = %q holds a script tag", in, got)
			}
			if got := s.AuthorHTML(in); unsafeContent(got, false) != "" {
				t.Errorf("AuthorHTML(%q) = %q: %s", in, got, unsafeContent(got, false))
			} else if strings.Contains(strings.ToLower(got), "<script") {
				t.Errorf("AuthorHTML(%q) = %q holds a script tag", in, got)
			}
		}
	}
}
