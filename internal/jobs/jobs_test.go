package jobs_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/fetch"
	"github.com/gazette-blog/gazette/internal/jobs"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

var private = fetch.New(fetch.Config{AllowPrivate: true})

// TestDiscover runs the discovery cases of webmention.rocks (tests 1 to
// 23, in spirit) against a server on loopback.
func TestDiscover(t *testing.T) {
	type tcase struct {
		header map[string][]string
		body   string
		want   string // path of the endpoint on the server; "-" for none
	}
	cases := map[string]tcase{
		"/1":  {header: map[string][]string{"Link": {`</ep/1>; rel=webmention`}}, want: "/ep/1"},
		"/2":  {header: map[string][]string{"Link": {`<SERVER/ep/2>; rel="webmention"`}}, want: "/ep/2"},
		"/3":  {body: `<link rel="webmention" href="/ep/3">`, want: "/ep/3"},
		"/4":  {body: `<link rel="webmention" href="SERVER/ep/4">`, want: "/ep/4"},
		"/5":  {body: `<a rel="webmention" href="/ep/5">endpoint</a>`, want: "/ep/5"},
		"/6":  {body: `<a rel="webmention" href="ep/6">relative to the page</a>`, want: "/sub/ep/6"},
		"/7":  {header: map[string][]string{"LinK": {`</ep/7>; rel="webmention"`}}, want: "/ep/7"},
		"/8":  {header: map[string][]string{"Link": {`</ep/8>; rel="webmention somethingelse"`}}, want: "/ep/8"},
		"/9":  {header: map[string][]string{"Link": {`<SERVER/nope>; rel="other", </ep/9>; rel="webmention"`}}, want: "/ep/9"},
		"/10": {body: `<link rel="other webmention" href="/ep/10">`, want: "/ep/10"},
		"/11": {body: `<!-- <link rel="webmention" href="/wrong"> --><a href="/x">x</a><link rel="webmention" href="/ep/11">`, want: "/ep/11"},
		"/12": {body: `<link rel="not-webmention" href="/wrong"><link rel="webmention" href="/ep/12">`, want: "/ep/12"},
		"/13": {body: `<link rel="webmention" href="/ep/13?query=yes">`, want: "/ep/13?query=yes"},
		"/14": {body: `<link rel="webmention"><link rel="webmention" href="/ep/14">`, want: "/ep/14"},
		"/15": {body: `<link rel="webmention" href="">`, want: "/15"},
		"/16": {body: `<a rel="webmention" href="/ep/16">a</a><link rel="webmention" href="/wrong">`, want: "/ep/16"},
		"/17": {body: `<link rel="webmention" href="/ep/17"><a rel="webmention" href="/wrong">a</a>`, want: "/ep/17"},
		"/18": {header: map[string][]string{"Link": {`</ep/18>; rel="webmention"`, `</wrong>; rel="webmention"`}}, want: "/ep/18"},
		"/19": {header: map[string][]string{"Link": {`</ep/19>; rel="webmention"`}}, body: `<link rel="webmention" href="/wrong">`, want: "/ep/19"},
		"/20": {body: `<p>No endpoint.</p>`, want: "-"},
		"/21": {body: `<link rel="webmention" href="javascript:alert(1)">`, want: "error"},
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, "/sub/6", http.StatusFound)
			return
		}
		tc, ok := cases[strings.TrimPrefix(r.URL.Path, "/sub")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		for k, vs := range tc.header {
			for _, v := range vs {
				w.Header().Add(k, strings.ReplaceAll(v, "SERVER", srv.URL))
			}
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><html><head>"+strings.ReplaceAll(tc.body, "SERVER", srv.URL)+"</head><body></body></html>")
	}))
	defer srv.Close()
	for path, tc := range cases {
		t.Run(path, func(t *testing.T) {
			page := path
			if path == "/6" {
				page = "/redirect" // relative to the page the redirect led to
			}
			got, err := jobs.Discover(context.Background(), private, srv.URL+page)
			switch tc.want {
			case "error":
				if err == nil {
					t.Errorf("Discover = %q, want an error", got)
				}
			case "-":
				if err != nil || got != "" {
					t.Errorf("Discover = %q, %v; want none", got, err)
				}
			default:
				if err != nil || got != srv.URL+tc.want {
					t.Errorf("Discover = %q, %v; want %s", got, err, srv.URL+tc.want)
				}
			}
		})
	}
	// The default client refuses loopback: discovery never reaches it.
	if _, err := jobs.Discover(context.Background(), fetch.New(fetch.Config{}), srv.URL+"/1"); err == nil {
		t.Error("discovery with the default client reached a loopback server")
	}
}

func TestLinks(t *testing.T) {
	got := jobs.Links(`<a href="https://b.example/x#frag">x</a> <a href="/archives/2007/03/own.html">own</a>
<p><a href="relative.html">rel</a> <a href="mailto:a@b.example">mail</a> <a href="https://b.example/x">again</a>
<a href="https://blog.example.com/other.html">own too</a> <a href="http://c.example/">c</a></p>`,
		"https://blog.example.com/archives/2007/03/this.html", "https://blog.example.com")
	want := []string{"https://b.example/x", "http://c.example/"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Links = %q, want %q", got, want)
	}
}

// receivers is a loopback site with a page per behaviour of an endpoint.
type receivers struct {
	mu       sync.Mutex
	status   map[string]int // endpoint answer by target path
	received []string       // "source target" of each request
	srv      *httptest.Server
}

func newReceivers(t *testing.T) *receivers {
	r := &receivers{status: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodPost && req.URL.Path == "/webmention" {
			req.ParseForm()
			r.mu.Lock()
			r.received = append(r.received, req.PostForm.Get("source")+" "+req.PostForm.Get("target"))
			status := r.status[strings.TrimPrefix(req.PostForm.Get("target"), r.srv.URL)]
			r.mu.Unlock()
			if status == 0 {
				status = http.StatusAccepted
			}
			w.WriteHeader(status)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		if req.URL.Path == "/no-endpoint" {
			io.WriteString(w, "<p>plain</p>")
			return
		}
		io.WriteString(w, `<link rel="webmention" href="/webmention"><p>a post</p>`)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receivers) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.received
	r.received = nil
	return out
}

// TestSender follows an entry's webmentions through publication, an edit,
// refusals, retries with backoff and deletion, on a clock the test moves.
func TestSender(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := gazette.DefaultSettings()
	st.BaseURL = "https://blog.example.com"
	if err := db.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	a := &gazette.Author{Slug: "r", Name: "R", Role: gazette.RoleAdmin}
	if err := db.CreateAuthor(ctx, a); err != nil {
		t.Fatal(err)
	}
	r := newReceivers(t)
	r.status["/refuses"] = http.StatusBadRequest
	r.status["/flaky"] = http.StatusServiceUnavailable
	clock := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	sender := jobs.NewSender(jobs.SenderConfig{Store: db, Fetch: private, Backoff: []time.Duration{time.Minute, time.Hour},
		Now: func() time.Time { return clock }})
	link := func(p string) string { return `<a href="` + r.srv.URL + p + `">` + p + `</a>` }
	e := &gazette.Entry{Basename: "post", Title: "Post", Format: gazette.FormatHTML, Status: gazette.StatusPublished,
		PublishedAt: clock.Add(-time.Hour), AuthorID: a.ID, Path: "/archives/2026/01/post.html",
		BodyHTML: link("/ok") + link("/refuses") + link("/flaky") + link("/no-endpoint")}
	if err := db.CreateEntry(ctx, e); err != nil {
		t.Fatal(err)
	}
	source := st.BaseURL + e.Path
	status := func() map[string]string {
		t.Helper()
		ps, err := db.Pings(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, p := range ps {
			m[strings.TrimPrefix(p.Target, r.srv.URL)] = string(p.Status) + "/" + strconv.Itoa(p.Attempts)
		}
		return m
	}
	run := func() {
		t.Helper()
		if err := sender.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.QueueEntryPings(ctx, e.ID, clock); err != nil {
		t.Fatal(err)
	}
	run()
	want := map[string]string{"/ok": "sent/1", "/refuses": "failed/1", "/flaky": "queued/1", "/no-endpoint": "none/1"}
	if got := status(); !reflect.DeepEqual(got, want) {
		t.Errorf("after the first run: %v, want %v", got, want)
	}
	if got := len(r.got()); got != 3 {
		t.Errorf("%d webmentions sent, want 3 (no endpoint, no send)", got)
	}
	run() // the flaky one waits for its backoff
	if got := r.got(); len(got) != 0 {
		t.Errorf("sent %v before the backoff ended", got)
	}
	clock = clock.Add(time.Minute)
	run()
	if got := status()["/flaky"]; got != "queued/2" {
		t.Errorf("flaky after a retry: %s", got)
	}
	clock = clock.Add(time.Hour)
	r.status["/flaky"] = 0 // it recovers
	run()
	if got := status()["/flaky"]; got != "sent/3" {
		t.Errorf("flaky after recovering: %s", got)
	}
	r.got()

	// An edit drops /ok and adds /new: both are told, and so is everyone
	// still linked.
	e.BodyHTML = link("/new") + link("/flaky")
	if err := db.UpdateEntry(ctx, e); err != nil {
		t.Fatal(err)
	}
	if err := db.QueueEntryPings(ctx, e.ID, clock); err != nil {
		t.Fatal(err)
	}
	run()
	got := r.got()
	for _, p := range []string{"/ok", "/new", "/flaky"} {
		found := false
		for _, g := range got {
			found = found || g == source+" "+r.srv.URL+p
		}
		if !found {
			t.Errorf("after the edit, %s was not told (sent %v)", p, got)
		}
	}

	// Deleted: every target is told once more, naming the old permalink.
	if err := db.DeleteEntry(ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.QueueEntryPings(ctx, e.ID, clock); err != nil {
		t.Fatal(err)
	}
	run()
	if got := r.got(); len(got) != 4 { // /ok, /new, /flaky, /refuses; none for /no-endpoint
		t.Errorf("after deletion sent %v, want 4", got)
	}
}
