package auth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id in PHC format with the chosen parameters", h)
	}
	if h2, _ := HashPassword("correct horse battery"); h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, c := range []struct {
		name, hash, pw string
		want           bool
	}{
		{"right", h, "correct horse battery", true},
		{"wrong", h, "correct horse battery!", false},
		{"empty hash", "", "correct horse battery", false},
		{"other scheme", strings.Replace(h, "argon2id", "argon2i", 1), "correct horse battery", false},
		{"huge memory", strings.Replace(h, "m=19456", "m=99999999", 1), "correct horse battery", false},
		{"bad salt", strings.Replace(h, "$m=19456,t=2,p=1$", "$m=19456,t=2,p=1$!!", 1), "correct horse battery", false},
		{"truncated", h[:len(h)-20], "correct horse battery", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := CheckPassword(c.hash, c.pw); got != c.want {
				t.Errorf("CheckPassword = %v, want %v", got, c.want)
			}
		})
	}
	if _, err := HashPassword("short"); !errors.Is(err, gazette.ErrInvalid) {
		t.Errorf("HashPassword of a short password: %v, want ErrInvalid", err)
	}
}

func open(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func addAuthor(t *testing.T, db *sqlite.DB, name string, role gazette.Role, pw string) *gazette.Author {
	t.Helper()
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	a := &gazette.Author{Name: name, Slug: gazette.Slugify(name), Email: strings.ToLower(name) + "@example.org", Role: role, PasswordHash: h}
	if err := db.CreateAuthor(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestLockOut(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a := New(db, Config{Now: func() time.Time { return now }, AccountFailures: 3, IPFailures: 5})
	addAuthor(t, db, "Ann", gazette.RoleAdmin, "ann's long password")

	for i := range 3 {
		if _, err := a.SignIn(ctx, "ann@example.org", "wrong password", "192.0.2.1"); !errors.Is(err, gazette.ErrForbidden) {
			t.Fatalf("bad password %d: %v, want ErrForbidden", i, err)
		}
	}
	_, err := a.SignIn(ctx, "ANN@example.org", "ann's long password", "192.0.2.9")
	if !errors.Is(err, gazette.ErrForbidden) || !strings.Contains(gazette.ErrorMessage(err), "Too many") {
		t.Fatalf("right password on a locked account: %v, want a lock-out", err)
	}
	// Other accounts from the address lock it out at its own limit.
	for i := range 2 {
		a.SignIn(ctx, "nobody"+string(rune('a'+i))+"@example.org", "x", "192.0.2.1")
	}
	addAuthor(t, db, "Bob", gazette.RoleAuthor, "bob's long password")
	if _, err := a.SignIn(ctx, "bob@example.org", "bob's long password", "192.0.2.1"); err == nil {
		t.Fatal("a locked-out address signed in")
	}
	if _, err := a.SignIn(ctx, "bob@example.org", "bob's long password", "192.0.2.2"); err != nil {
		t.Fatalf("sign in from another address: %v", err)
	}
	now = now.Add(16 * time.Minute)
	if _, err := a.SignIn(ctx, "ann@example.org", "ann's long password", "192.0.2.1"); err != nil {
		t.Fatalf("sign in after the window: %v", err)
	}
}

func TestSession(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a := New(db, Config{Now: func() time.Time { return now }, SessionTTL: time.Hour})
	ann := addAuthor(t, db, "Ann", gazette.RoleAdmin, "ann's long password")

	rec := httptest.NewRecorder()
	s, err := a.StartSession(ctx, rec, ann, true)
	if err != nil {
		t.Fatal(err)
	}
	cookie := rec.Result().Cookies()[0]
	if !cookie.HttpOnly || !cookie.Secure || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/admin/" {
		t.Errorf("cookie %+v: want HttpOnly, Secure, SameSite=Lax, Path=/admin/", cookie)
	}
	req := httptest.NewRequest("GET", "/admin/", nil)
	req.AddCookie(cookie)
	got, err := a.Current(req)
	if err != nil || got.Author.ID != ann.ID {
		t.Fatalf("Current = %v, %v; want Ann", got, err)
	}
	if err := got.CheckCSRF(s.CSRFToken()); err != nil {
		t.Errorf("CheckCSRF of the session's token: %v", err)
	}
	for _, bad := range []string{"", "x", csrfToken("another secret")} {
		if err := got.CheckCSRF(bad); !errors.Is(err, gazette.ErrForbidden) {
			t.Errorf("CheckCSRF(%q) = %v, want ErrForbidden", bad, err)
		}
	}
	forged := httptest.NewRequest("GET", "/admin/", nil)
	forged.AddCookie(&http.Cookie{Name: CookieName, Value: "guess"})
	if _, err := a.Current(forged); !errors.Is(err, gazette.ErrNotFound) {
		t.Errorf("Current of a made-up cookie: %v", err)
	}

	now = now.Add(time.Hour)
	if _, err := a.Current(req); !errors.Is(err, gazette.ErrNotFound) {
		t.Errorf("Current after expiry: %v, want ErrNotFound", err)
	}
	now = now.Add(-30 * time.Minute)
	if err := a.EndSession(httptest.NewRecorder(), req, got); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Current(req); !errors.Is(err, gazette.ErrNotFound) {
		t.Errorf("Current after sign-out: %v, want ErrNotFound", err)
	}
}

func TestSetupLink(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	a := New(db, Config{})
	secret, err := a.SetupLink(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.CheckSetup(ctx, secret); err != nil {
		t.Fatalf("CheckSetup of a new link: %v", err)
	}
	// A setup secret is no session.
	req := httptest.NewRequest("GET", "/admin/", nil)
	req.AddCookie(&http.Cookie{Name: CookieName, Value: secret})
	if _, err := a.Current(req); err == nil {
		t.Error("the setup secret works as a session cookie")
	}
	if err := db.Atomic(ctx, func(tx gazette.Tx) error { return UseSetup(ctx, tx, secret) }); err != nil {
		t.Fatal(err)
	}
	if err := a.CheckSetup(ctx, secret); !errors.Is(err, gazette.ErrNotFound) {
		t.Errorf("CheckSetup of a used link: %v, want ErrNotFound", err)
	}
}
