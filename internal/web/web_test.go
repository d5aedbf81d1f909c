package web_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/web"
)

func TestErrorsHandle(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantBody   string
		wantLogged bool
	}{
		{"ok", nil, 200, "fine", false},
		{"not found", gazette.Errorf(gazette.ErrNotFound, "entry 7 not found"), 404, "404 entry 7 not found", false},
		{"invalid", fmt.Errorf("saving: %w", gazette.Errorf(gazette.ErrInvalid, "title is empty")), 400, "400 title is empty", false},
		{"conflict", gazette.Errorf(gazette.ErrConflict, "slug taken"), 409, "409 slug taken", false},
		{"forbidden", gazette.Errorf(gazette.ErrForbidden, "not yours"), 403, "403 not yours", false},
		{"bare kind", fmt.Errorf("x: %w", gazette.ErrNotFound), 404, "404 Not Found.", false},
		{"internal", errors.New("sql: database is locked at /var/db"), 500, "500 Internal error.", true},
		{"too large", &http.MaxBytesError{Limit: 10}, 413, "413 The request body is too large.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logBuf bytes.Buffer
			e := &web.Errors{
				Logger: slog.New(slog.NewTextHandler(&logBuf, nil)),
				Page: func(w http.ResponseWriter, r *http.Request, status int, msg string) {
					w.WriteHeader(status)
					fmt.Fprintf(w, "%d %s", status, msg)
				},
			}
			srv := httptest.NewServer(e.Handle(func(w http.ResponseWriter, r *http.Request) error {
				if tt.err != nil {
					return tt.err
				}
				_, err := io.WriteString(w, "fine")
				return err
			}))
			defer srv.Close()
			status, body := get(t, srv.URL)
			if status != tt.wantStatus || body != tt.wantBody {
				t.Errorf("got %d %q, want %d %q", status, body, tt.wantStatus, tt.wantBody)
			}
			if logged := logBuf.Len() > 0; logged != tt.wantLogged {
				t.Errorf("logged = %v (%q), want %v", logged, logBuf.String(), tt.wantLogged)
			}
			if tt.wantLogged && !strings.Contains(logBuf.String(), "database is locked") {
				t.Errorf("log lacks the detail: %q", logBuf.String())
			}
			if strings.Contains(body, "database") {
				t.Errorf("internal detail reached the page: %q", body)
			}
		})
	}
}

func TestErrorsPlain(t *testing.T) {
	e := &web.Errors{}
	rec := httptest.NewRecorder()
	e.Serve(rec, httptest.NewRequest("GET", "/", nil), gazette.Errorf(gazette.ErrNotFound, "no such page"))
	if rec.Code != 404 || rec.Body.String() != "no such page\n" {
		t.Errorf("got %d %q", rec.Code, rec.Body.String())
	}
}

func get(t *testing.T, url string) (int, string) {
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
	return resp.StatusCode, string(b)
}

func TestServePage(t *testing.T) {
	body := []byte("<p>hello</p>")
	modified := time.Date(2007, 3, 11, 13, 5, 0, 0, time.UTC)
	etag := web.ETag(body)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := web.Page{Body: body}
		if r.URL.Path == "/dated" {
			p.LastModified = modified
		}
		web.ServePage(w, r, p)
	}))
	defer srv.Close()

	tests := []struct {
		name       string
		method     string
		path       string
		header     map[string]string
		wantStatus int
		wantBody   string
		wantLM     string
	}{
		{"get", "GET", "/dated", nil, 200, "<p>hello</p>", "Sun, 11 Mar 2007 13:05:00 GMT"},
		{"head", "HEAD", "/dated", nil, 200, "", "Sun, 11 Mar 2007 13:05:00 GMT"},
		{"no date", "GET", "/", nil, 200, "<p>hello</p>", ""},
		{"etag matches", "GET", "/", map[string]string{"If-None-Match": etag}, 304, "", ""},
		{"etag in a list", "GET", "/", map[string]string{"If-None-Match": `"x", ` + etag}, 304, "", ""},
		{"etag differs", "GET", "/", map[string]string{"If-None-Match": `"old"`}, 200, "<p>hello</p>", ""},
		{"not modified since", "GET", "/dated", map[string]string{"If-Modified-Since": "Sun, 11 Mar 2007 13:05:00 GMT"}, 304, "", ""},
		{"modified since", "GET", "/dated", map[string]string{"If-Modified-Since": "Sat, 10 Mar 2007 13:05:00 GMT"}, 200, "<p>hello</p>", "Sun, 11 Mar 2007 13:05:00 GMT"},
		{"etag wins over date", "GET", "/dated", map[string]string{"If-None-Match": `"old"`, "If-Modified-Since": "Sun, 11 Mar 2007 13:05:00 GMT"}, 200, "<p>hello</p>", "Sun, 11 Mar 2007 13:05:00 GMT"},
		{"head conditional", "HEAD", "/", map[string]string{"If-None-Match": etag}, 304, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus || string(b) != tt.wantBody {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, b, tt.wantStatus, tt.wantBody)
			}
			if got := resp.Header.Get("ETag"); got != etag {
				t.Errorf("ETag = %q, want %q", got, etag)
			}
			if got := resp.Header.Get("Last-Modified"); got != tt.wantLM {
				t.Errorf("Last-Modified = %q, want %q", got, tt.wantLM)
			}
			if tt.wantStatus == 200 {
				if got := resp.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
					t.Errorf("Content-Type = %q", got)
				}
				if got := resp.Header.Get("Cache-Control"); got != web.DefaultCacheControl {
					t.Errorf("Cache-Control = %q", got)
				}
				if tt.method == "HEAD" && resp.ContentLength != int64(len(body)) {
					t.Errorf("HEAD Content-Length = %d, want %d", resp.ContentLength, len(body))
				}
			}
		})
	}
}

func TestETag(t *testing.T) {
	a, b := web.ETag([]byte("a")), web.ETag([]byte("b"))
	if a == b {
		t.Errorf("different bodies share the ETag %s", a)
	}
	if a != web.ETag([]byte("a")) {
		t.Error("ETag is not stable")
	}
	if !strings.HasPrefix(a, `"`) || !strings.HasSuffix(a, `"`) || strings.HasPrefix(a, "W/") {
		t.Errorf("ETag %s is not a strong quoted tag", a)
	}
}

func TestMiddleware(t *testing.T) {
	var logBuf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logBuf, nil))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ok", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok!") })
	mux.HandleFunc("GET /panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			web.PlainError(w, web.Status(err), "too big")
			return
		}
		_, _ = w.Write(b)
	})
	h := web.Chain(mux, web.AccessLog(logger), web.Recover(logger), web.SecurityHeaders, web.LimitBody(8))
	srv := httptest.NewServer(h)
	defer srv.Close()

	tests := []struct {
		name       string
		method     string
		path       string
		body       string
		wantStatus int
		wantLog    []string
	}{
		{"ok", "GET", "/ok", "", 200, []string{`"method":"GET"`, `"path":"/ok"`, `"status":200`, `"bytes":3`, `"duration"`, `"remote":"127.0.0.1`}},
		{"panic", "GET", "/panic", "", 500, []string{`"panic":"boom"`, `"status":500`}},
		{"small body", "POST", "/echo", "12345678", 200, []string{`"bytes":8`}},
		{"big body", "POST", "/echo", "123456789", 413, []string{`"status":413`}},
		{"unknown", "GET", "/nope", "", 404, []string{`"status":404`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logBuf.Reset()
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			for k, want := range map[string]string{
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "strict-origin-when-cross-origin",
				"Content-Security-Policy": web.ContentSecurityPolicy,
			} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			for _, want := range tt.wantLog {
				if !strings.Contains(logBuf.String(), want) {
					t.Errorf("log lacks %s:\n%s", want, logBuf.String())
				}
			}
		})
	}
	if !strings.Contains(web.ContentSecurityPolicy, "frame-ancestors 'none'") || strings.Contains(web.ContentSecurityPolicy, "script-src") {
		t.Errorf("policy %q must forbid framing and allow no script", web.ContentSecurityPolicy)
	}
}
