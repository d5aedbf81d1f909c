package admin

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/auth"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// previewer stands in for the public site, which the admin must not import.
type previewer struct{}

func (previewer) Preview(w http.ResponseWriter, r *http.Request, e *gazette.Entry) error {
	_, err := w.Write([]byte("<h1>" + e.Title + "</h1>" + e.BodyHTML))
	return err
}

// fixture is a blog with an admin, an editor and an author, an entry of the
// editor's, a topic, a comment and a revision.
type fixture struct {
	t       *testing.T
	db      *sqlite.DB
	admin   *Admin
	auth    *auth.Auth
	users   map[gazette.Role]*gazette.Author
	entry   *gazette.Entry // the editor's
	topic   *gazette.Topic
	comment *gazette.Comment
	rev     *gazette.Revision
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{t: t, db: db, users: map[gazette.Role]*gazette.Author{}}
	f.auth = auth.New(db, auth.Config{})
	pub := publish.New(markdown.New(), sanitize.New())
	f.admin = New(Config{Store: db, Auth: f.auth, Publisher: pub, Preview: previewer{}, Markdown: markdown.New(),
		Sanitizer: sanitize.New(), MediaDir: t.TempDir(), Themes: []string{"default", "classic"}})
	for _, role := range []gazette.Role{gazette.RoleAdmin, gazette.RoleEditor, gazette.RoleAuthor} {
		u := &gazette.Author{Name: string(role), Slug: string(role), Email: string(role) + "@example.org", Role: role,
			PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$0Hd9Vd9Jg8cKMVDt6aQ7PZyV0f7S5Ryd9L8bLHZ4m5s"}
		must(t, db.CreateAuthor(ctx, u))
		f.users[role] = u
	}
	f.topic = &gazette.Topic{Name: "Iran", Slug: "iran"}
	must(t, db.CreateTopic(ctx, f.topic))
	f.entry = &gazette.Entry{Title: "The editor's", Body: "Text.", Format: gazette.FormatMarkdown, Status: gazette.StatusPublished,
		AuthorID: f.users[gazette.RoleEditor].ID, AllowComments: true, PublishedAt: time.Now().Add(-time.Hour).UTC().Truncate(time.Second)}
	must(t, db.Atomic(ctx, func(tx gazette.Tx) error { return pub.CreateEntry(ctx, tx, gazette.DefaultSettings(), f.entry) }))
	f.comment = &gazette.Comment{EntryID: f.entry.ID, Name: "Reader", Body: "Hello", Status: gazette.CommentPending}
	must(t, db.CreateComment(ctx, f.comment))
	f.rev = &gazette.Revision{EntryID: f.entry.ID, AuthorID: f.entry.AuthorID, Title: "Old", Body: "Old text."}
	must(t, db.AddRevision(ctx, f.rev))
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// do sends a request as role (none when role is ""), with the session's
// form token on a POST, and returns the response.
func (f *fixture) do(method, path string, role gazette.Role, form url.Values) *http.Response {
	f.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	var cookie *http.Cookie
	if u := f.users[role]; u != nil {
		rec := httptest.NewRecorder()
		s, err := f.auth.StartSession(context.Background(), rec, u, false)
		must(f.t, err)
		cookie = rec.Result().Cookies()[0]
		form.Set("csrf", s.CSRFToken())
	}
	var req *http.Request
	if method == http.MethodPost {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	rec := httptest.NewRecorder()
	f.admin.ServeHTTP(rec, req)
	return rec.Result()
}

// TestRouteRoles checks every route of the authors' area for each role:
// allowed (any answer but 403) or forbidden (403). A route added without a
// row here fails the test, so no route goes unchecked.
func TestRouteRoles(t *testing.T) {
	f := newFixture(t)
	const (
		ok        = true
		forbidden = false
	)
	// For each pattern: may an author, an editor, an admin use it? An
	// author's {id} is the editor's entry: authors reach only their own.
	table := map[string][3]bool{
		"GET /admin/login":                                 {ok, ok, ok},
		"POST /admin/login":                                {ok, ok, ok},
		"GET /admin/setup/{secret}":                        {ok, ok, ok},
		"POST /admin/setup/{secret}":                       {ok, ok, ok},
		"GET /admin/static/{file}":                         {ok, ok, ok},
		"POST /admin/logout":                               {ok, ok, ok},
		"GET /admin/{$}":                                   {ok, ok, ok},
		"GET /admin/entries":                               {ok, ok, ok},
		"GET /admin/entries/new":                           {ok, ok, ok},
		"POST /admin/entries":                              {ok, ok, ok},
		"GET /admin/entries/{id}":                          {forbidden, ok, ok},
		"POST /admin/entries/{id}":                         {forbidden, ok, ok},
		"POST /admin/entries/{id}/delete":                  {forbidden, ok, ok},
		"GET /admin/entries/{id}/revisions":                {forbidden, ok, ok},
		"POST /admin/entries/{id}/revisions/{rev}/restore": {forbidden, ok, ok},
		"POST /admin/preview":                              {ok, ok, ok},
		"POST /admin/render":                               {ok, ok, ok},
		"GET /admin/trash":                                 {forbidden, ok, ok},
		"POST /admin/trash/{id}/restore":                   {forbidden, ok, ok},
		"GET /admin/topics":                                {forbidden, ok, ok},
		"POST /admin/topics":                               {forbidden, ok, ok},
		"POST /admin/topics/{id}":                          {forbidden, ok, ok},
		"POST /admin/topics/{id}/merge":                    {forbidden, ok, ok},
		"POST /admin/topics/{id}/delete":                   {forbidden, ok, ok},
		"GET /admin/comments":                              {forbidden, ok, ok},
		"POST /admin/comments":                             {forbidden, ok, ok},
		"GET /admin/comments/{id}":                         {forbidden, ok, ok},
		"POST /admin/comments/{id}":                        {forbidden, ok, ok},
		"POST /admin/comments/{id}/reply":                  {forbidden, ok, ok},
		"GET /admin/media":                                 {ok, ok, ok},
		"POST /admin/media":                                {ok, ok, ok},
		"GET /admin/redirects":                             {forbidden, forbidden, ok},
		"POST /admin/redirects":                            {forbidden, forbidden, ok},
		"POST /admin/redirects/delete":                     {forbidden, forbidden, ok},
		"GET /admin/settings":                              {forbidden, forbidden, ok},
		"POST /admin/settings":                             {forbidden, forbidden, ok},
		"GET /admin/users":                                 {forbidden, forbidden, ok},
		"POST /admin/users":                                {forbidden, forbidden, ok},
		"GET /admin/users/{id}":                            {forbidden, forbidden, ok},
		"POST /admin/users/{id}":                           {forbidden, forbidden, ok},
	}
	routes := f.admin.routes()
	seen := map[string]bool{}
	for _, rt := range routes {
		seen[rt.pattern] = true
		if _, ok := table[rt.pattern]; !ok {
			t.Errorf("route %q has no row in the role table", rt.pattern)
		}
	}
	for p := range table {
		if !seen[p] {
			t.Errorf("the role table has a row for %q, which is no route", p)
		}
	}
	// The ID each path wildcard takes, by the first segment it follows.
	id := func(pattern string) string {
		method, path, _ := strings.Cut(pattern, " ")
		switch {
		case strings.HasPrefix(path, "/admin/entries/"):
			path = strings.Replace(path, "{id}", strconv.FormatInt(f.entry.ID, 10), 1)
		case strings.HasPrefix(path, "/admin/topics/"):
			path = strings.Replace(path, "{id}", strconv.FormatInt(f.topic.ID, 10), 1)
		case strings.HasPrefix(path, "/admin/comments/"):
			path = strings.Replace(path, "{id}", strconv.FormatInt(f.comment.ID, 10), 1)
		case strings.HasPrefix(path, "/admin/users/"):
			path = strings.Replace(path, "{id}", strconv.FormatInt(f.users[gazette.RoleAuthor].ID, 10), 1)
		case strings.HasPrefix(path, "/admin/trash/"):
			path = strings.Replace(path, "{id}", "1", 1)
		}
		r := strings.NewReplacer("{rev}", strconv.FormatInt(f.rev.ID, 10), "{secret}", "nosuchsecret",
			"{file}", "admin.css", "{$}", "")
		return method + " " + r.Replace(path)
	}
	// Authors first: what editors and admins do next may delete the entry.
	for i, role := range []gazette.Role{gazette.RoleAuthor, gazette.RoleEditor, gazette.RoleAdmin} {
		for _, rt := range routes {
			want := table[rt.pattern][i]
			t.Run(string(role)+" "+rt.pattern, func(t *testing.T) {
				method, path, _ := strings.Cut(id(rt.pattern), " ")
				res := f.do(method, path, role, url.Values{"title": {"T"}, "body": {"B"}})
				got := res.StatusCode != http.StatusForbidden
				if got != want {
					t.Errorf("%s %s as %s: status %d, want allowed=%v", method, path, role, res.StatusCode, want)
				}
			})
		}
	}
	// Signed out, every route but the public ones sends to the sign-in
	// page (GET) or refuses (POST).
	for _, rt := range routes {
		if rt.access == public {
			continue
		}
		method, path, _ := strings.Cut(id(rt.pattern), " ")
		res := f.do(method, path, "", nil)
		if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s signed out: status %d, want 303 or 403", method, path, res.StatusCode)
		}
	}
}

// TestFormToken refuses a post whose form token is missing or another
// session's, even with a valid session cookie.
func TestFormToken(t *testing.T) {
	f := newFixture(t)
	rec := httptest.NewRecorder()
	_, err := f.auth.StartSession(context.Background(), rec, f.users[gazette.RoleAdmin], false)
	must(t, err)
	other, err := f.auth.StartSession(context.Background(), httptest.NewRecorder(), f.users[gazette.RoleAdmin], false)
	must(t, err)
	for _, token := range []string{"", other.CSRFToken()} {
		req := httptest.NewRequest("POST", "/admin/topics", strings.NewReader(url.Values{"name": {"X"}, "csrf": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(rec.Result().Cookies()[0])
		res := httptest.NewRecorder()
		f.admin.ServeHTTP(res, req)
		if res.Code != http.StatusForbidden {
			t.Errorf("post with token %q: status %d, want 403", token, res.Code)
		}
	}
	if _, err := f.db.TopicByName(context.Background(), "X"); err == nil {
		t.Error("a post without its form token created a topic")
	}
}

func TestLineDiff(t *testing.T) {
	got := lineDiff("a\nb\nc\n", "a\nc\nd\n")
	want := []DiffLine{{' ', "a"}, {'-', "b"}, {' ', "c"}, {'+', "d"}}
	if len(got) != len(want) {
		t.Fatalf("lineDiff = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestSettingsFormIsComplete(t *testing.T) {
	inForm := map[string]bool{}
	for _, g := range settingGroups {
		for _, f := range g.fields {
			inForm[f.Key] = true
		}
	}
	for k := range gazette.DefaultSettings().Values() {
		if !inForm[k] {
			t.Errorf("setting %q is not on the settings page", k)
		}
	}
}
