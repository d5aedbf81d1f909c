package theme_test

import (
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gazette-blog/gazette/internal/theme"
)

// fullPages returns one page of every kind with every field and every
// optional part filled, so that executing them walks every branch of a
// template: a template that names a field its page lacks fails here.
func fullPages() map[string]theme.Page {
	site := func(title string) theme.Site {
		return theme.Site{
			Title:               "Dhimmi Watch & Co",
			Description:         "News, views <and> reviews",
			BaseURL:             "https://example.org",
			Lang:                "en",
			LatestEntry:         &theme.Link{Title: "American Pravda and New York's Sixth Crime Family", URL: "/archives/2007/03/american_pravda.html"},
			LatestCommentsLabel: "Talk Back Here",
			Year:                2007,
			PageTitle:           title,
			Path:                "/some/path/",
			Sidebar: &theme.Sidebar{
				Recent: []theme.Link{{Title: "Recent one", URL: "/archives/2007/03/one.html"}},
				Topics: []theme.Count{{Link: theme.Link{Title: "Iran", URL: "/topics/iran/"}, Count: 12}},
				Months: []theme.Count{{Link: theme.Link{Title: "March 2007", URL: "/archives/2007/03/"}, Count: 40}},
			},
		}
	}
	entry := theme.Entry{
		Title: "Iranian General That Defected Was Spy For West", URL: "/archives/2007/03/iranian_general.html",
		Date: "March 11, 2007", Time: "1:05 PM", ISOTime: "2007-03-11T13:05:00-05:00", NewDay: true,
		Body:          template.HTML("<p>It sounds almost like a spy novel.</p><blockquote><p>A daring getaway.</p></blockquote>"),
		Extended:      template.HTML("<p>So, how much of the Times story can we believe?</p>"),
		Summary:       "It sounds almost like a spy novel…",
		Author:        theme.Link{Title: "Richard", URL: "/authors/richard/"},
		Topics:        []theme.Link{{Title: "Iran", URL: "/topics/iran/"}, {Title: "Spies", URL: "/topics/spies/"}},
		CommentCount:  2,
		AllowComments: true,
	}
	comment := theme.Comment{
		ID: 41, Name: "NahnCee", URL: "https://example.com/nahncee", Body: template.HTML("<p>Worthless information?</p>"),
		Date: "March 11, 2007", Time: "2:17 PM", ISOTime: "2007-03-11T14:17:00-05:00",
		EntryTitle: entry.Title, EntryURL: entry.URL,
	}
	anon := comment
	anon.ID, anon.Name, anon.URL = 42, "Anonymous", ""
	link := &theme.Link{Title: "Muslim Council Of Britain", URL: "/archives/2007/03/muslim_council.html"}
	pager := theme.Pager{Page: 2, Pages: 3, NewerURL: "/", OlderURL: "/page/3/"}
	plain := entry
	plain.NewDay, plain.Extended, plain.Topics = false, "", nil
	return map[string]theme.Page{
		"home":     &theme.HomePage{Site: site(""), Entries: []theme.Entry{entry, plain}, Pager: pager},
		"entry":    &theme.EntryPage{Site: site(entry.Title), Entry: entry, Prev: link, Next: link, Comments: []theme.Comment{comment, anon}, RelatedTopic: &theme.Link{Title: "Iran", URL: "/topics/iran/"}, Related: []theme.Link{*link}},
		"month":    &theme.MonthPage{Site: site("March 2007"), Month: "March 2007", Entries: []theme.Entry{entry, plain}, Prev: link, Next: link},
		"months":   &theme.MonthsPage{Site: site("Archives"), Years: []theme.Year{{Year: 2007, Months: []theme.Count{{Link: theme.Link{Title: "March 2007", URL: "/archives/2007/03/"}, Count: 3}}}}},
		"topic":    &theme.TopicPage{Site: site("Iran"), Topic: theme.Link{Title: "Iran", URL: "/topics/iran/"}, Description: "The Islamic Republic", Entries: []theme.Entry{entry}, Pager: pager},
		"topics":   &theme.TopicsPage{Site: site("Topics"), Topics: []theme.Count{{Link: theme.Link{Title: "Iran", URL: "/topics/iran/"}, Count: 3}}},
		"author":   &theme.AuthorPage{Site: site("Richard"), Author: theme.Link{Title: "Richard", URL: "/authors/richard/"}, Entries: []theme.Entry{entry}, Pager: pager},
		"comments": &theme.CommentsPage{Site: site("Latest comments"), Comments: []theme.Comment{comment, anon}},
		"search":   &theme.SearchPage{Site: site("Search"), Query: `spy "west"`, Results: []theme.SearchResult{{Entry: entry, Snippet: template.HTML("a <mark>spy</mark> novel")}}, Total: 21, First: 11, Pager: pager},
		"error":    &theme.ErrorPage{Site: site("Page not found"), Status: 404, Message: "not found"},
	}
}

func TestEveryTemplateOfEveryTheme(t *testing.T) {
	ts, err := theme.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ts.Names(), ","); got != "classic,default" {
		t.Fatalf("themes = %s, want classic,default", got)
	}
	for _, name := range ts.Names() {
		th := ts.Theme(name)
		for kind, page := range fullPages() {
			t.Run(name+"/"+kind, func(t *testing.T) {
				out, err := th.Render(page)
				if err != nil {
					t.Fatal(err)
				}
				html := string(out)
				for _, want := range []string{
					`<html lang="en"`, `<main id="main"`, `href="#main"`, th.Assets().Style,
					"Latest Entry: <a href=\"/archives/2007/03/american_pravda.html\">American Pravda and New York&#39;s Sixth Crime Family</a>",
					`Latest Comments: <a href="/comments/">Talk Back Here</a>`,
					"Dhimmi Watch &amp; Co",
				} {
					if !strings.Contains(html, want) {
						t.Errorf("page lacks %q", want)
					}
				}
				if strings.Contains(html, "ZgotmplZ") {
					t.Error("a value was rejected by the escaper (ZgotmplZ)")
				}
				if strings.Contains(html, "<script") {
					t.Error("page has a script element")
				}
				if got := strings.Count(html, "<h1"); got != 1 {
					t.Errorf("page has %d h1 elements, want 1", got)
				}
				if (name == "classic") != strings.Contains(html, `id="links"`) {
					t.Errorf("sidebar shown = %v in theme %s", !(name == "classic"), name)
				}
				checkHeadingOrder(t, html)
			})
		}
	}
}

var headingRE = regexp.MustCompile(`<h([1-6])`)

// checkHeadingOrder fails when a heading skips a level on the way down.
func checkHeadingOrder(t *testing.T, html string) {
	t.Helper()
	last := 0
	for _, m := range headingRE.FindAllStringSubmatch(html, -1) {
		level := int(m[1][0] - '0')
		if level > last+1 {
			t.Errorf("heading h%d follows h%d", level, last)
		}
		last = level
	}
}

func TestHasSidebar(t *testing.T) {
	ts, err := theme.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if ts.Theme("default").HasSidebar() || !ts.Theme("classic").HasSidebar() {
		t.Error("only classic should have a sidebar")
	}
	if got := ts.Theme("no-such-theme").Name(); got != "default" {
		t.Errorf("unknown theme falls back to %q, want default", got)
	}
}

func TestOverride(t *testing.T) {
	override := fstest.MapFS{
		"default/static/style.css": {Data: []byte("body{color:red}")},
		"classic/error.html":       {Data: []byte(`{{template "layout" .}}{{define "content"}}<h1>Lost in {{.Site.Title}}</h1>{{end}}`)},
		"mine/partials.html":       {Data: []byte(`{{define "posted"}}by {{.Author.Title}}{{end}}{{define "topics"}}{{end}}{{define "dated"}}{{range .}}<p>{{.Title}}</p>{{end}}{{end}}{{define "summaries"}}{{end}}{{define "pager"}}{{end}}{{define "comment"}}{{end}}`)},
	}
	ts, err := theme.Load(override)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ts.Names(), ","); got != "classic,default,mine" {
		t.Errorf("themes = %s", got)
	}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	if body := fetch(t, srv.URL+ts.Theme("default").Assets().Style); body != "body{color:red}" {
		t.Errorf("default style = %q, want the override", body)
	}
	if body := fetch(t, srv.URL+ts.Theme("classic").Assets().Style); !strings.Contains(body, "Movable Type") {
		t.Errorf("classic style was replaced: %q", body)
	}
	out, err := ts.Theme("classic").Render(&theme.ErrorPage{Site: theme.Site{Title: "Blog"}, Status: 404})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "<h1>Lost in Blog</h1>") || !strings.Contains(string(out), `id="banner"`) {
		t.Errorf("classic error page did not use the override inside classic's layout:\n%s", out)
	}
	out, err = ts.Theme("mine").Render(&theme.HomePage{Entries: []theme.Entry{{Title: "Hello", NewDay: true}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "<p>Hello</p>") {
		t.Errorf("new theme did not use its partials:\n%s", out)
	}
}

func TestLoadFailsFast(t *testing.T) {
	tests := []struct {
		name    string
		files   fstest.MapFS
		wantErr string
	}{
		{"unparsable", fstest.MapFS{"default/entry.html": {Data: []byte("{{if}}")}}, "parsing override default/entry.html"},
		{"unparsable partial", fstest.MapFS{"classic/sidebar.html": {Data: []byte("{{define \"sidebar\"}}{{.Nope")}}, "parsing override classic/sidebar.html"},
		{"missing field", fstest.MapFS{"default/error.html": {Data: []byte(`{{template "layout" .}}{{define "content"}}{{.Missing}}{{end}}`)}}, "can't evaluate field Missing"},
		{"missing template", fstest.MapFS{"default/layout.html": {Data: []byte(`{{define "layout"}}{{template "nothing" .}}{{end}}`)}}, "nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := theme.Load(tt.files)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Load error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestStatic(t *testing.T) {
	ts, err := theme.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	a := ts.Theme("default").Assets()
	if !regexp.MustCompile(`^/static/[0-9a-f]{12}/style\.css$`).MatchString(a.Style) {
		t.Errorf("style URL %q is not content-hashed", a.Style)
	}
	if a.Style == ts.Theme("classic").Assets().Style {
		t.Error("the two themes share a style URL")
	}
	tests := []struct {
		path       string
		wantStatus int
		wantType   string
	}{
		{a.Style, 200, "text/css; charset=utf-8"},
		{a.Favicon, 200, "image/svg+xml"},
		{"/static/000000000000/style.css", 404, ""},
		{"/static/style.css", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus != 200 {
				return
			}
			if got := resp.Header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			if got := resp.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control = %q", got)
			}
			if resp.Header.Get("ETag") == "" {
				t.Error("no ETag")
			}
		})
	}
}

func fetch(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
