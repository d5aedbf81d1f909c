package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
)

// CookieName is the name of the session cookie.
const CookieName = "gazette_session"

// Store is what sign-ins need of a blog's store.
type Store interface {
	gazette.Store
	gazette.SessionStore
	gazette.LoginFailureStore
}

// Config tunes sessions and lock-outs; zero fields take the defaults.
type Config struct {
	// SessionTTL is how long a session lasts after sign-in (default 14 days).
	SessionTTL time.Duration
	// SetupTTL is how long a setup link works (default 24 hours).
	SetupTTL time.Duration
	// AccountFailures and IPFailures are how many failures within
	// FailureWindow lock an account, or an address, out (defaults 5 and
	// 20 in 15 minutes).
	AccountFailures int
	IPFailures      int
	FailureWindow   time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Auth signs authors in and out and finds the author of a request.
type Auth struct {
	store Store
	cfg   Config
}

// New returns an Auth that keeps its sessions in store.
func New(store Store, cfg Config) *Auth {
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 14 * 24 * time.Hour
	}
	if cfg.SetupTTL <= 0 {
		cfg.SetupTTL = 24 * time.Hour
	}
	if cfg.AccountFailures <= 0 {
		cfg.AccountFailures = 5
	}
	if cfg.IPFailures <= 0 {
		cfg.IPFailures = 20
	}
	if cfg.FailureWindow <= 0 {
		cfg.FailureWindow = 15 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Auth{store: store, cfg: cfg}
}

// newSecret returns a random secret for a browser to hold and the ID under
// which the store keeps its session: a hash, so that the database holds
// nothing a browser could present.
func newSecret() (secret, id string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: random secret: %w", err)
	}
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, sessionID(secret), nil
}

func sessionID(secret string) string {
	sum := sha256.Sum256([]byte("gazette session\x00" + secret))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// Session is the signed-in author of a request.
type Session struct {
	Author *gazette.Author
	secret string
}

// CSRFToken returns the token that forms of this session carry: derived from
// the session's secret, so that it needs no storage and a page of another
// site, which cannot read the cookie, cannot make it.
func (s *Session) CSRFToken() string { return csrfToken(s.secret) }

// CheckCSRF reports, as ErrForbidden, a form token that is not this session's.
func (s *Session) CheckCSRF(token string) error {
	want := s.CSRFToken()
	if token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(want)) != 1 {
		return gazette.Errorf(gazette.ErrForbidden, "The form has expired or came from elsewhere; reload the page and try again.")
	}
	return nil
}

func csrfToken(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("gazette form token"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Secure reports whether cookies of r must be Secure: the request came over
// HTTPS, or the blog's base URL is https (TLS ends at a proxy in front).
func Secure(r *http.Request, baseURL string) bool {
	return r.TLS != nil || strings.HasPrefix(baseURL, "https://")
}

// StartSession signs the author in: it stores a new session and sets its cookie.
func (a *Auth) StartSession(ctx context.Context, w http.ResponseWriter, author *gazette.Author, secure bool) (*Session, error) {
	secret, id, err := newSecret()
	if err != nil {
		return nil, err
	}
	now := a.cfg.Now().UTC()
	s := &gazette.Session{ID: id, AuthorID: author.ID, CreatedAt: now, ExpiresAt: now.Add(a.cfg.SessionTTL)}
	if err := a.store.CreateSession(ctx, s); err != nil {
		return nil, fmt.Errorf("auth: start session: %w", err)
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: secret, Path: "/admin/", Expires: s.ExpiresAt,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	})
	// Sessions that ended are swept now and then, at sign-ins, rather than
	// by a job of their own.
	if _, err := a.store.DeleteExpiredSessions(ctx, now); err != nil {
		return nil, fmt.Errorf("auth: sweep sessions: %w", err)
	}
	return &Session{Author: author, secret: secret}, nil
}

// Current returns the session of r, or ErrNotFound when r carries none that
// is valid, or whose author may no longer sign in.
func (a *Auth) Current(r *http.Request) (*Session, error) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" {
		return nil, gazette.Errorf(gazette.ErrNotFound, "not signed in")
	}
	ctx := r.Context()
	s, err := a.store.Session(ctx, sessionID(c.Value), a.cfg.Now())
	if err != nil {
		return nil, err
	}
	if s.AuthorID == 0 {
		return nil, gazette.Errorf(gazette.ErrNotFound, "not signed in")
	}
	author, err := a.store.Author(ctx, s.AuthorID)
	if errors.Is(err, gazette.ErrNotFound) || err == nil && author.PasswordHash == "" {
		return nil, gazette.Errorf(gazette.ErrNotFound, "not signed in")
	}
	if err != nil {
		return nil, fmt.Errorf("auth: author of session: %w", err)
	}
	return &Session{Author: author, secret: c.Value}, nil
}

// EndSession signs r's session out and clears its cookie.
func (a *Auth) EndSession(w http.ResponseWriter, r *http.Request, s *Session) error {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/admin/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode})
	if err := a.store.DeleteSession(r.Context(), sessionID(s.secret)); err != nil {
		return fmt.Errorf("auth: end session: %w", err)
	}
	return nil
}

// SetupLink stores a new one-time setup secret and returns it, to print in
// a link: while no admin exists, it lets whoever holds it create one.
func (a *Auth) SetupLink(ctx context.Context) (string, error) {
	secret, id, err := newSecret()
	if err != nil {
		return "", err
	}
	now := a.cfg.Now().UTC()
	if err := a.store.CreateSession(ctx, &gazette.Session{ID: id, CreatedAt: now, ExpiresAt: now.Add(a.cfg.SetupTTL)}); err != nil {
		return "", fmt.Errorf("auth: setup link: %w", err)
	}
	return secret, nil
}

// CheckSetup reports whether secret is a setup link that still works.
func (a *Auth) CheckSetup(ctx context.Context, secret string) error {
	if secret == "" {
		return gazette.Errorf(gazette.ErrNotFound, "This setup link is not valid.")
	}
	s, err := a.store.Session(ctx, sessionID(secret), a.cfg.Now())
	if errors.Is(err, gazette.ErrNotFound) || err == nil && s.AuthorID != 0 {
		return gazette.Errorf(gazette.ErrNotFound, "This setup link is not valid, or was used, or expired; run gazette serve again for a new one.")
	}
	return err
}

// UseSetup removes the setup link secret through tx, inside the transaction
// that creates the first admin, so that it works once.
func UseSetup(ctx context.Context, tx gazette.Tx, secret string) error {
	ss, ok := tx.(gazette.SessionStore)
	if !ok {
		return fmt.Errorf("auth: the store keeps no sessions (%T)", tx)
	}
	return ss.DeleteSession(ctx, sessionID(secret))
}

// HasAdmin reports whether any author can sign in as an admin.
func HasAdmin(ctx context.Context, tx gazette.Tx) (bool, error) {
	authors, err := tx.Authors(ctx)
	if err != nil {
		return false, fmt.Errorf("auth: list authors: %w", err)
	}
	for _, a := range authors {
		if a.Role == gazette.RoleAdmin && a.PasswordHash != "" {
			return true, nil
		}
	}
	return false, nil
}
