package server_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/fetch"
	"github.com/gazette-blog/gazette/internal/linkback"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/server"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// linkbackBlog serves a blog with one entry that takes pings, and a source
// site on loopback whose page links to it.
type linkbackBlog struct {
	srv    *httptest.Server
	store  *sqlite.DB
	entry  *gazette.Entry
	closed *gazette.Entry
	source string // links to entry
	other  string // links nowhere
}

func newLinkbackBlog(t *testing.T) *linkbackBlog {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := &linkbackBlog{store: db}
	recv := linkback.New(linkback.Config{Store: db, Fetch: fetch.New(fetch.Config{AllowPrivate: true})})
	h, err := server.New(server.Config{Store: db, Sanitizer: sanitize.New(), Linkback: recv})
	if err != nil {
		t.Fatal(err)
	}
	b.srv = httptest.NewServer(h)
	t.Cleanup(b.srv.Close)
	st := gazette.DefaultSettings()
	st.BaseURL, st.Moderation = b.srv.URL, gazette.ModerateNone
	if err := db.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	a := &gazette.Author{Slug: "richard", Name: "Richard", Role: gazette.RoleAdmin}
	if err := db.CreateAuthor(ctx, a); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2007, 3, 11, 13, 5, 0, 0, time.UTC)
	for i, name := range []string{"general", "closed"} {
		e := &gazette.Entry{Basename: name, Title: name, Format: gazette.FormatHTML, Status: gazette.StatusPublished,
			PublishedAt: at, AuthorID: a.ID, AllowPings: i == 0, Path: gazette.EntryPath(at, time.UTC, name)}
		if err := db.CreateEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			b.entry = e
		} else {
			b.closed = e
		}
	}
	target := b.srv.URL + b.entry.Path
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/links" {
			io.WriteString(w, `<html><head><title>Captain's Quarters</title></head><body><p>See <a href="`+target+`">Richard</a>.</p></body></html>`)
			return
		}
		io.WriteString(w, `<p>Nothing here.</p>`)
	}))
	t.Cleanup(site.Close)
	b.source, b.other = site.URL+"/links", site.URL+"/nothing"
	return b
}

func (b *linkbackBlog) post(t *testing.T, path, contentType, body string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", b.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return send(t, req)
}

// send makes req and returns the status and body of its response.
func send(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}

func (b *linkbackBlog) mentions(t *testing.T) []*gazette.Mention {
	t.Helper()
	ms, err := b.store.Mentions(context.Background(), b.entry.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

const form = "application/x-www-form-urlencoded"

func TestWebmentionEndpoint(t *testing.T) {
	b := newLinkbackBlog(t)
	target := b.srv.URL + b.entry.Path
	for _, tc := range []struct {
		name   string
		values url.Values
		want   int
	}{
		{"no source", url.Values{"target": {target}}, http.StatusBadRequest},
		{"no target", url.Values{"source": {b.source}}, http.StatusBadRequest},
		{"source not http", url.Values{"source": {"javascript:alert(1)"}, "target": {target}}, http.StatusBadRequest},
		{"target elsewhere", url.Values{"source": {b.source}, "target": {"https://elsewhere.example" + b.entry.Path}}, http.StatusBadRequest},
		{"target no entry", url.Values{"source": {b.source}, "target": {b.srv.URL + "/archives/2007/03/none.html"}}, http.StatusBadRequest},
		{"entry takes no pings", url.Values{"source": {b.source}, "target": {b.srv.URL + b.closed.Path}}, http.StatusBadRequest},
		{"accepted", url.Values{"source": {b.source}, "target": {target}}, http.StatusAccepted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A browser form on another site may send it: no CSRF refusal.
			status, body := b.post(t, "/webmention", form, tc.values.Encode(), "Origin", "https://elsewhere.example", "Sec-Fetch-Site", "cross-site")
			if status != tc.want {
				t.Errorf("status %d, want %d: %s", status, tc.want, body)
			}
		})
	}
	// Verification runs in the background, started by serve; here the
	// receiver is not running, so nothing is stored yet.
	if ms := b.mentions(t); len(ms) != 0 {
		t.Errorf("a webmention was stored before verification: %+v", ms)
	}
}

type tbResponse struct {
	Error   int    `xml:"error"`
	Message string `xml:"message"`
}

func TestTrackbackEndpoint(t *testing.T) {
	b := newLinkbackBlog(t)
	ping := func(path string, v url.Values) tbResponse {
		t.Helper()
		status, body := b.post(t, path, form, v.Encode())
		if status != http.StatusOK {
			t.Fatalf("POST %s: status %d", path, status)
		}
		var r tbResponse
		if err := xml.Unmarshal([]byte(body), &r); err != nil {
			t.Fatalf("POST %s: %v\n%s", path, err, body)
		}
		return r
	}
	id := "/trackback/" + itoa(b.entry.ID)
	for _, tc := range []struct {
		name, path string
		v          url.Values
	}{
		{"no url", id, url.Values{"title": {"x"}}},
		{"unknown entry", "/trackback/999", url.Values{"url": {b.source}}},
		{"not an ID", "/trackback/abc", url.Values{"url": {b.source}}},
		{"closed entry", "/trackback/" + itoa(b.closed.ID), url.Values{"url": {b.source}}},
		{"source does not link", id, url.Values{"url": {b.other}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := ping(tc.path, tc.v); r.Error != 1 || r.Message == "" {
				t.Errorf("response %+v, want an error with a message", r)
			}
		})
	}
	r := ping(id, url.Values{"url": {b.source}, "title": {"Defection"}, "excerpt": {"An excerpt."}, "blog_name": {"Captain's Quarters"}})
	if r.Error != 0 {
		t.Fatalf("a good ping: %+v", r)
	}
	ms := b.mentions(t)
	if len(ms) != 1 || ms[0].Kind != gazette.MentionTrackback || ms[0].BlogName != "Captain's Quarters" || ms[0].Title != "Captain's Quarters" {
		t.Fatalf("mentions = %+v", ms)
	}
	_, page := get(t, b.srv.URL+b.entry.Path)
	if !strings.Contains(page, `<link rel="trackback" href="`+b.srv.URL+id+`">`) || !strings.Contains(page, b.source) {
		t.Error("the entry page neither advertises TrackBack nor shows the ping")
	}
}

func TestPingbackEndpoint(t *testing.T) {
	b := newLinkbackBlog(t)
	target := b.srv.URL + b.entry.Path
	call := func(path, method string, params ...string) (int, string) {
		t.Helper()
		var body strings.Builder
		body.WriteString(`<?xml version="1.0"?><methodCall><methodName>` + method + `</methodName><params>`)
		for _, p := range params {
			body.WriteString(`<param><value><string>`)
			xml.EscapeText(&body, []byte(p))
			body.WriteString(`</string></value></param>`)
		}
		body.WriteString(`</params></methodCall>`)
		_, resp := b.post(t, path, "text/xml", body.String())
		var r struct {
			String string `xml:"params>param>value>string"`
			Fault  []struct {
				Name  string `xml:"name"`
				Int   int    `xml:"value>int"`
				Value string `xml:"value>string"`
			} `xml:"fault>value>struct>member"`
		}
		if err := xml.Unmarshal([]byte(resp), &r); err != nil {
			t.Fatalf("%v\n%s", err, resp)
		}
		for _, m := range r.Fault {
			if m.Name == "faultCode" {
				return m.Int, resp
			}
		}
		return 0, r.String
	}
	for _, tc := range []struct {
		name   string
		params []string
		want   int
	}{
		{"one parameter", []string{b.source}, 0},
		{"source missing", []string{b.srv.URL + "/nowhere-else", target}, 0x10},
		{"no link", []string{b.other, target}, 0x11},
		{"target no entry", []string{b.source, b.srv.URL + "/archives/2007/03/none.html"}, 0x20},
		{"target takes no pings", []string{b.source, b.srv.URL + b.closed.Path}, 0x21},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, resp := call("/xmlrpc", "pingback.ping", tc.params...)
			if code != tc.want || !strings.Contains(resp, "<fault>") {
				t.Errorf("fault %d, want %d: %s", code, tc.want, resp)
			}
		})
	}
	if code, msg := call("/mt-xmlrpc.cgi", "pingback.ping", b.source, target); code != 0 || !strings.Contains(msg, "registered") {
		t.Fatalf("a good pingback at the Movable Type address: fault %d, %s", code, msg)
	}
	if code, _ := call("/xmlrpc", "pingback.ping", b.source, target); code != 0x30 {
		t.Errorf("the same pingback again: fault %d, want 0x30", code)
	}
	if ms := b.mentions(t); len(ms) != 1 || ms[0].Kind != gazette.MentionPingback {
		t.Errorf("mentions = %+v", ms)
	}
	if code, _ := call("/xmlrpc", "no.such.method"); code != -32601 {
		t.Errorf("an unknown method: fault %d, want -32601", code)
	}
	list := `<?xml version="1.0"?><methodCall><methodName>system.listMethods</methodName><params></params></methodCall>`
	if _, resp := b.post(t, "/xmlrpc", "text/xml", list); !strings.Contains(resp, "<value><string>pingback.ping</string></value>") {
		t.Errorf("system.listMethods: %s", resp)
	}
	if _, resp := b.post(t, "/xmlrpc", "text/xml", "<methodCall><oops"); !strings.Contains(resp, "<fault>") {
		t.Errorf("a broken call gets no fault: %s", resp)
	}
	resp, err := http.Get(b.srv.URL + b.entry.Path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Pingback"); got != b.srv.URL+"/xmlrpc" {
		t.Errorf("X-Pingback = %q", got)
	}
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return send(t, req)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
