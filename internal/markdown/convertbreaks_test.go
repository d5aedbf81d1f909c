package markdown_test

import (
	"testing"

	"github.com/gazette-blog/gazette/internal/markdown"
)

// The expectations follow Movable Type's html_text_transform to the byte,
// quirks included (see ConvertBreaks).
func TestConvertBreaks(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", ""},
		{"one line", "Hello", "<p>Hello</p>"},
		{"line breaks", "one\ntwo\nthree", "<p>one<br />\ntwo<br />\nthree</p>"},
		{"paragraphs", "one\n\ntwo", "<p>one</p>\n\n<p>two</p>"},
		{"crlf", "one\r\ntwo\r\n\r\nthree", "<p>one<br />\ntwo</p>\n\n<p>three</p>"},
		{"mixed newlines", "a\n\r\nb\r\n\nc", "<p>a</p>\n\n<p>b</p>\n\n<p>c</p>"},
		{"lone cr kept", "a\rb", "<p>a\rb</p>"},
		{"trailing newlines dropped", "a\n\n\n\n", "<p>a</p>"},
		{"one trailing newline kept", "a\n", "<p>a<br />\n</p>"},
		{"three newlines", "a\n\n\nb", "<p>a</p>\n\n<p><br />\nb</p>"},
		{"four newlines make an empty paragraph", "a\n\n\n\nb", "<p>a</p>\n\n<p></p>\n\n<p>b</p>"},
		{"leading blank line", "\n\na", "<p></p>\n\n<p>a</p>"},
		{"blockquote left alone", "<blockquote>\nquoted\nlines\n</blockquote>", "<blockquote>\nquoted\nlines\n</blockquote>"},
		{"closing tag left alone", "</div>\nafter", "</div>\nafter"},
		{"every block tag", "<h1>a</h1>\n\n<h6>b</h6>\n\n<table>\n\n<ol>\n\n<dl>\n\n<ul>\n\n<menu>\n\n<dir>\n\n<p>c</p>\n\n<pre>d\ne</pre>\n\n<center>\n\n<form>\n\n<fieldset>\n\n<select>\n\n<address>\n\n<div>\n\n<hr />",
			"<h1>a</h1>\n\n<h6>b</h6>\n\n<table>\n\n<ol>\n\n<dl>\n\n<ul>\n\n<menu>\n\n<dir>\n\n<p>c</p>\n\n<pre>d\ne</pre>\n\n<center>\n\n<form>\n\n<fieldset>\n\n<select>\n\n<address>\n\n<div>\n\n<hr />"},
		{"prefix match as in MT", "<param name=x>\n\n<picture>", "<param name=x>\n\n<picture>"},
		{"inline tag wrapped", "<em>hi</em>\nthere", "<p><em>hi</em><br />\nthere</p>"},
		{"upper case tag wrapped as in MT", "<P>hi</P>", "<p><P>hi</P></p>"},
		{"tag must start the paragraph", " <div>x</div>", "<p> <div>x</div></p>"},
		{"list item wrapped", "<li>x</li>", "<p><li>x</li></p>"},
		{"blank line of spaces is text", "a\n  \nb", "<p>a<br />\n  <br />\nb</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := markdown.ConvertBreaks(tt.src); got != tt.want {
				t.Errorf("ConvertBreaks(%q)\n got %q\nwant %q", tt.src, got, tt.want)
			}
		})
	}
}
