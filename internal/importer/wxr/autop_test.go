package wxr

import "testing"

// The expected outputs are what WordPress's wpautop returns for these inputs
// (its behaviour as its own unit tests pin it down, and as the classic
// editor's users know it).
func TestAutop(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "  \n ", ""},
		{"one line", "Hello", "<p>Hello</p>\n"},
		{"paragraphs and breaks",
			"First line\nsecond line\n\nNext paragraph",
			"<p>First line<br />\nsecond line</p>\n<p>Next paragraph</p>\n"},
		{"list between paragraphs",
			"First things first:\n<ul>\n<li>One</li>\n</ul>\nAfter the list.\nAnd more.",
			"<p>First things first:</p>\n<ul>\n<li>One</li>\n</ul>\n<p>After the list.<br />\nAnd more.</p>\n"},
		{"pre untouched",
			"Look at this code\n\n<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\nActual Line 3</pre>\n\nCool, huh?",
			"<p>Look at this code</p>\n<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\nActual Line 3</pre>\n<p>Cool, huh?</p>\n"},
		{"inline input elements",
			`Username: <input type="text" id="username" name="username" /><br />Password: <input type="password" id="password1" name="password1" />`,
			`<p>Username: <input type="text" id="username" name="username" /><br />Password: <input type="password" id="password1" name="password1" /></p>` + "\n"},
		{"select and options",
			`Country: <select id="state" name="state"><option value="1">Alabama</option><option value="2">Alaska</option></select>`,
			`<p>Country: <select id="state" name="state"><option value="1">Alabama</option><option value="2">Alaska</option></select></p>` + "\n"},
		{"blockquote",
			"<blockquote>Quoted\n\nTwice</blockquote>",
			"<blockquote><p>Quoted</p>\n<p>Twice</p></blockquote>\n"},
		{"newline inside a tag kept",
			"<a\nhref=\"x\">link</a> text",
			"<p><a\nhref=\"x\">link</a> text</p>\n"},
		{"object params collapsed",
			"Paragraph one.\n\n<object width=\"400\">\n\t<param name=\"src\" value=\"x.swf\" />\n\t<embed src=\"x.swf\" />\n</object>\n\nParagraph two.",
			"<p>Paragraph one.</p>\n<p><object width=\"400\"><param name=\"src\" value=\"x.swf\" /><embed src=\"x.swf\" /></object></p>\n<p>Paragraph two.</p>\n"},
		{"script keeps its newlines",
			"<script>\nvar a = 1;\nvar b = 2;\n</script>",
			"<p><script>\nvar a = 1;\nvar b = 2;\n</script></p>\n"},
		{"br then newline stays one break",
			"one<br />\ntwo",
			"<p>one<br />\ntwo</p>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Autop(tt.in); got != tt.want {
				t.Errorf("Autop(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}
