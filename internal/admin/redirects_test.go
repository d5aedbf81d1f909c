package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

// body reads a response's body.
func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	must(t, err)
	return string(b)
}

func TestRedirectList(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	must(t, f.db.AddRedirect(ctx, gazette.Redirect{Path: "/archives/000777.html", EntryID: f.entry.ID}))
	must(t, f.db.AddRedirect(ctx, gazette.Redirect{Path: "/category/iran/", Target: "/topics/iran/"}))
	res := f.do("GET", "/admin/redirects", gazette.RoleAdmin, nil)
	got := body(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", res.StatusCode, got)
	}
	for _, want := range []string{"/archives/000777.html", "The editor&#39;s", `href="` + f.entry.Path + `"`,
		"/category/iran/", `href="/topics/iran/"`, `href="/admin/redirects" aria-current="page"`} {
		if !strings.Contains(got, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	res = f.do("GET", "/admin/redirects?q=CATEGORY", gazette.RoleAdmin, nil)
	if got := body(t, res); strings.Contains(got, "/archives/000777.html") || !strings.Contains(got, "/category/iran/") {
		t.Errorf("filtered by %q, the list shows the wrong redirects", "CATEGORY")
	}
}

func TestRedirectListPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	n := redirectsPerPage + 3
	for i := range n {
		must(t, f.db.AddRedirect(ctx, gazette.Redirect{Path: fmt.Sprintf("/old/%03d/", i), Target: "/"}))
	}
	first := body(t, f.do("GET", "/admin/redirects", gazette.RoleAdmin, nil))
	second := body(t, f.do("GET", "/admin/redirects?page=2", gazette.RoleAdmin, nil))
	last := fmt.Sprintf("/old/%03d/", n-1)
	for _, c := range []struct {
		name, page, want, notWant string
	}{
		{"page 1", first, "/old/000/", last},
		{"page 1 links on", first, "/admin/redirects?page=2", "?page=0"},
		{"page 2", second, last, "/old/000/"},
		{"page 2 links back", second, "/admin/redirects?page=1", "?page=3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(c.page, c.want) {
				t.Errorf("lacks %q", c.want)
			}
			if strings.Contains(c.page, c.notWant) {
				t.Errorf("shows %q", c.notWant)
			}
		})
	}
}

func TestRedirectAdd(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		form url.Values
		want gazette.Redirect
	}{
		{"to an entry", url.Values{"path": {"/archives/000123.html"}, "entry": {f.entry.Path}},
			gazette.Redirect{Path: "/archives/000123.html", EntryID: f.entry.ID}},
		{"to an entry by its full URL", url.Values{"path": {"/?p=123"}, "entry": {"https://blog.example" + f.entry.Path}},
			gazette.Redirect{Path: "/?p=123", EntryID: f.entry.ID}},
		{"to a path", url.Values{"path": {" /feed/ "}, "target": {"/feed.xml"}},
			gazette.Redirect{Path: "/feed/", Target: "/feed.xml"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := f.do("POST", "/admin/redirects", gazette.RoleAdmin, c.form)
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/redirects?notice=saved" {
				t.Fatalf("status %d to %q, want 303 to the list: %s", res.StatusCode, res.Header.Get("Location"), body(t, res))
			}
			got, err := f.db.Redirect(ctx, c.want.Path)
			must(t, err)
			if *got != c.want {
				t.Errorf("stored %+v, want %+v", *got, c.want)
			}
		})
	}
}

func TestRedirectAddRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	draft := &gazette.Entry{Title: "Draft", Body: "x", Format: gazette.FormatMarkdown, Status: gazette.StatusDraft,
		AuthorID: f.users[gazette.RoleAdmin].ID, PublishedAt: time.Now().UTC().Truncate(time.Second)}
	must(t, f.db.Atomic(ctx, func(tx gazette.Tx) error {
		return f.admin.cfg.Publisher.CreateEntry(ctx, tx, gazette.DefaultSettings(), draft)
	}))
	for _, c := range []struct {
		name string
		form url.Values
		want string // in the message
	}{
		{"no old path", url.Values{"target": {"/x/"}}, "Old path: &#34;&#34; must start with one /"},
		{"old path without a slash", url.Values{"path": {"archives/1.html"}, "target": {"/x/"}}, "must start with one /"},
		{"old path of another host", url.Values{"path": {"//evil.example/x"}, "target": {"/x/"}}, "must start with one /"},
		{"old path is a live permalink", url.Values{"path": {f.entry.Path}, "target": {"/x/"}}, "is the permalink of the entry"},
		{"leads nowhere", url.Values{"path": {"/old/"}}, "give an entry&#39;s permalink or a path"},
		{"leads to both", url.Values{"path": {"/old/"}, "entry": {f.entry.Path}, "target": {"/x/"}}, "not both"},
		{"target off the blog", url.Values{"path": {"/old/"}, "target": {"https://evil.example/"}}, "Path: &#34;https://evil.example/&#34; must start with one /"},
		{"target is itself", url.Values{"path": {"/old/"}, "target": {"/old/"}}, "would lead to itself"},
		{"no such entry", url.Values{"path": {"/old/"}, "entry": {"/archives/1999/01/none.html"}}, "there is no entry at"},
		{"hidden entry to itself", url.Values{"path": {draft.Path}, "entry": {draft.Path}}, "would lead to itself"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := f.do("POST", "/admin/redirects", gazette.RoleAdmin, c.form)
			got := body(t, res)
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", res.StatusCode)
			}
			if !strings.Contains(got, c.want) {
				t.Errorf("the page lacks %q:\n%s", c.want, got)
			}
			// The form keeps what was typed.
			if p := c.form.Get("path"); p != "" && !strings.Contains(got, `name="path" value="`+strings.TrimSpace(p)+`"`) {
				t.Errorf("the form lost the old path %q", p)
			}
		})
	}
	list, err := f.db.Redirects(ctx)
	must(t, err)
	if len(list) != 0 {
		t.Errorf("refused forms stored %+v", list)
	}
}

func TestRedirectDelete(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	changed := 0
	f.admin.cfg.Changed = func(context.Context) { changed++ }
	must(t, f.db.AddRedirect(ctx, gazette.Redirect{Path: "/?p=1", EntryID: f.entry.ID}))
	must(t, f.db.AddRedirect(ctx, gazette.Redirect{Path: "/feed/", Target: "/feed.xml"}))

	res := f.do("POST", "/admin/redirects/delete", gazette.RoleEditor, url.Values{"path": {"/?p=1"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("an editor's delete: status %d, want 403", res.StatusCode)
	}
	res = f.do("POST", "/admin/redirects/delete", gazette.RoleAdmin, url.Values{"path": {"/?p=1"}, "page": {"2"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/redirects?notice=deleted&page=2" {
		t.Fatalf("delete: status %d to %q, want 303 back to the list's page", res.StatusCode, res.Header.Get("Location"))
	}
	if _, err := f.db.Redirect(ctx, "/?p=1"); !errors.Is(err, gazette.ErrNotFound) {
		t.Errorf("after delete, Redirect = %v, want not found", err)
	}
	if _, err := f.db.Redirect(ctx, "/feed/"); err != nil {
		t.Errorf("delete took another redirect with it: %v", err)
	}
	if changed == 0 {
		t.Error("a delete did not drop the cached pages")
	}
	res = f.do("POST", "/admin/redirects/delete", gazette.RoleAdmin, url.Values{"path": {"/?p=1"}})
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("deleting it again: status %d, want 404", res.StatusCode)
	}
}

// TestRedirectRoles: the page is an admin's; editors and authors are
// refused, by the page and by its navigation.
func TestRedirectRoles(t *testing.T) {
	f := newFixture(t)
	for _, role := range []gazette.Role{gazette.RoleAuthor, gazette.RoleEditor} {
		for _, req := range []struct{ method, path string }{
			{"GET", "/admin/redirects"}, {"POST", "/admin/redirects"}, {"POST", "/admin/redirects/delete"},
		} {
			res := f.do(req.method, req.path, role, url.Values{"path": {"/old/"}, "target": {"/"}})
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s as %s: status %d, want 403", req.method, req.path, role, res.StatusCode)
			}
		}
		if got := body(t, f.do("GET", "/admin/", role, nil)); strings.Contains(got, `href="/admin/redirects"`) {
			t.Errorf("the navigation shows %s the redirects", role)
		}
	}
	if _, err := f.db.Redirect(context.Background(), "/old/"); err == nil {
		t.Error("a refused post stored a redirect")
	}
}

// TestTopicRenamedBack: a topic renamed and then renamed back holds its
// address again, so the redirect the first rename left from it is gone;
// only the one from the name it had in between is left, leading to it.
func TestTopicRenamedBack(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	path := "/admin/topics/" + strconv.FormatInt(f.topic.ID, 10)
	for _, slug := range []string{"persia", "iran"} {
		res := f.do("POST", path, gazette.RoleEditor, url.Values{"name": {"Iran"}, "slug": {slug}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("rename to %s: status %d", slug, res.StatusCode)
		}
	}
	if rd, err := f.db.Redirect(ctx, "/topics/iran/"); !errors.Is(err, gazette.ErrNotFound) {
		t.Errorf("the topic's own address still redirects: %+v, %v", rd, err)
	}
	if rd, err := f.db.Redirect(ctx, "/topics/persia/"); err != nil || rd.Target != "/topics/iran/" {
		t.Errorf("the name in between: %+v, %v; want a redirect to /topics/iran/", rd, err)
	}
	// A topic made anew where a merged one was takes its address back too.
	must(t, f.db.AddRedirect(ctx, gazette.Redirect{Path: "/topics/press/", Target: "/topics/iran/"}))
	if res := f.do("POST", "/admin/topics", gazette.RoleEditor, url.Values{"name": {"Press"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: status %d", res.StatusCode)
	}
	if _, err := f.db.Redirect(ctx, "/topics/press/"); !errors.Is(err, gazette.ErrNotFound) {
		t.Errorf("a new topic's address still redirects: %v", err)
	}
}
