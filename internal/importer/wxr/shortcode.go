package wxr

import (
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// attachment is what a [gallery] needs of an attachment.
type attachment struct {
	id, parent, url, title, alt string
}

// media looks attachments up for [gallery].
type media interface {
	attachment(id string) (attachment, bool)
	children(postID string) []attachment
}

// handled are the shortcodes turned into HTML; any other is left as text, as
// WordPress shows a shortcode whose plugin is gone.
var handled = map[string]bool{"caption": true, "wp_caption": true, "gallery": true, "embed": true}

// shortcodes replaces the shortcodes of a post's HTML (after Autop) with the
// HTML WordPress makes of them. A shortcode alone in a paragraph loses the
// paragraph, as shortcode_unautop does.
func shortcodes(s, postID string, m media) string {
	if !strings.Contains(s, "[") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '[')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		sc, ok := parseShortcode(s[i:])
		if !ok {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		start, end := i, i+sc.length
		out := sc.literal
		if !sc.escaped {
			out = sc.html(postID, m)
			if pre := strings.TrimRight(s[:start], " \t\n"); strings.HasSuffix(pre, "<p>") {
				if post := strings.TrimLeft(s[end:], " \t\n"); strings.HasPrefix(post, "</p>") {
					start = len(pre) - len("<p>")
					end = len(s) - len(post) + len("</p>")
				}
			}
		}
		b.WriteString(s[:start])
		b.WriteString(out)
		s = s[end:]
	}
}

// shortcode is one shortcode found in text.
type shortcode struct {
	name    string
	attrs   map[string]string
	content string
	length  int    // bytes of text it spans
	escaped bool   // written [[name]] to show it as text
	literal string // the text an escaped shortcode stands for
}

// parseShortcode reads the shortcode at the start of s, which begins with
// '['; ok is false when it is none gazette handles.
func parseShortcode(s string) (sc shortcode, ok bool) {
	rest := s[1:]
	if strings.HasPrefix(rest, "[") {
		sc.escaped = true
		rest = rest[1:]
	}
	n := 0
	for n < len(rest) && (isWordByte(rest[n]) || rest[n] == '-') {
		n++
	}
	sc.name = rest[:n]
	if !handled[sc.name] || n == len(rest) || !(rest[n] == ' ' || rest[n] == ']' || rest[n] == '/' || rest[n] == '\t' || rest[n] == '\n') {
		return sc, false
	}
	close := strings.IndexByte(rest, ']')
	if close < 0 {
		return sc, false
	}
	attrText := rest[n:close]
	selfClosing := strings.HasSuffix(attrText, "/")
	attrText = strings.TrimSuffix(attrText, "/")
	sc.attrs = parseAttrs(attrText)
	consumed := 1 + len(s[1:]) - len(rest) + close + 1
	if !selfClosing {
		endTag := "[/" + sc.name + "]"
		if j := strings.Index(s[consumed:], endTag); j >= 0 {
			sc.content = s[consumed : consumed+j]
			consumed += j + len(endTag)
		}
	}
	if sc.escaped {
		if !strings.HasPrefix(s[consumed:], "]") {
			return sc, false
		}
		sc.literal = s[1:consumed]
		consumed++
	}
	sc.length = consumed
	return sc, true
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// reAttr is WordPress's shortcode attribute syntax: name="v", name='v',
// name=v, or a bare value.
var reAttr = regexp.MustCompile(`([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)`)

func parseAttrs(s string) map[string]string {
	attrs := map[string]string{}
	pos := 0
	for _, m := range reAttr.FindAllStringSubmatch(s, -1) {
		switch {
		case m[1] != "":
			attrs[strings.ToLower(m[1])] = m[2]
		case m[3] != "":
			attrs[strings.ToLower(m[3])] = m[4]
		case m[5] != "":
			attrs[strings.ToLower(m[5])] = m[6]
		default:
			attrs[strconv.Itoa(pos)] = m[7] + m[8] + m[9]
			pos++
		}
	}
	return attrs
}

// reCaptioned splits a caption's content into its image (maybe linked) and
// the caption text after it, as img_caption_shortcode does.
var reCaptioned = regexp.MustCompile(`(?is)^\s*((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)$`)

// html returns what WordPress makes of sc, in the HTML5 markup of its themes.
func (sc shortcode) html(postID string, m media) string {
	switch sc.name {
	case "caption", "wp_caption":
		content, caption := sc.content, sc.attrs["caption"]
		if caption == "" {
			if g := reCaptioned.FindStringSubmatch(content); g != nil {
				content, caption = g[1], strings.TrimSpace(g[2])
			}
		}
		var b strings.Builder
		b.WriteString(`<figure`)
		if id := sc.attrs["id"]; id != "" {
			b.WriteString(` id="` + html.EscapeString(id) + `"`)
		}
		if w, err := strconv.Atoi(sc.attrs["width"]); err == nil && w > 0 {
			b.WriteString(` style="width: ` + strconv.Itoa(w) + `px"`)
		}
		b.WriteString(` class="wp-caption ` + html.EscapeString(orDefault(sc.attrs["align"], "alignnone")) + `">`)
		b.WriteString(strings.TrimSpace(content))
		if caption != "" {
			b.WriteString(`<figcaption class="wp-caption-text">` + caption + `</figcaption>`)
		}
		b.WriteString(`</figure>`)
		return b.String()
	case "gallery":
		return gallery(sc.attrs, postID, m)
	case "embed":
		return embed(strings.TrimSpace(sc.content))
	}
	return ""
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// gallery lists the images of a [gallery]: those its ids (or include)
// attribute names, else the attachments of the post.
func gallery(attrs map[string]string, postID string, m media) string {
	var list []attachment
	ids := attrs["ids"]
	if ids == "" {
		ids = attrs["include"]
	}
	if ids != "" {
		for _, id := range strings.Split(ids, ",") {
			if a, ok := m.attachment(strings.TrimSpace(id)); ok {
				list = append(list, a)
			}
		}
	} else {
		if id := attrs["id"]; id != "" {
			postID = id
		}
		exclude := map[string]bool{}
		for _, id := range strings.Split(attrs["exclude"], ",") {
			exclude[strings.TrimSpace(id)] = true
		}
		for _, a := range m.children(postID) {
			if !exclude[a.id] {
				list = append(list, a)
			}
		}
	}
	if len(list) == 0 {
		return ""
	}
	columns, err := strconv.Atoi(attrs["columns"])
	if err != nil || columns < 0 {
		columns = 3
	}
	var b strings.Builder
	b.WriteString(`<div class="gallery gallery-columns-` + strconv.Itoa(columns) + `">`)
	for _, a := range list {
		u := html.EscapeString(a.url)
		b.WriteString(`<figure class="gallery-item"><a href="` + u + `"><img src="` + u + `" alt="` + html.EscapeString(a.alt) + `"></a></figure>`)
	}
	b.WriteString(`</div>`)
	return b.String()
}

// embed turns an [embed] URL into HTML without asking its site (WordPress
// asks by oEmbed): a YouTube or Vimeo player, else a link.
func embed(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return html.EscapeString(raw)
	}
	host := strings.TrimPrefix(u.Hostname(), "www.")
	var player string
	switch {
	case host == "youtube.com" && u.Query().Get("v") != "":
		player = "https://www.youtube.com/embed/" + url.PathEscape(u.Query().Get("v"))
	case host == "youtu.be" && len(u.Path) > 1:
		player = "https://www.youtube.com/embed/" + url.PathEscape(u.Path[1:])
	case host == "vimeo.com" && len(u.Path) > 1:
		player = "https://player.vimeo.com/video/" + url.PathEscape(strings.Trim(u.Path, "/"))
	}
	if player != "" {
		return `<iframe width="560" height="315" src="` + html.EscapeString(player) + `" allowfullscreen></iframe>`
	}
	e := html.EscapeString(u.String())
	return `<a href="` + e + `">` + e + `</a>`
}
