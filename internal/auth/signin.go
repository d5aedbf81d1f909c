package auth

import (
	"context"
	"fmt"
	"strings"

	"github.com/gazette-blog/gazette"
)

// lockedMessage is the message of a sign-in refused because of earlier failures.
const lockedMessage = "Too many failed sign-ins. Wait a quarter of an hour and try again."

// dummyHash is checked against when no account matches, so that a wrong
// address costs as long as a wrong password and reveals nothing.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$0Hd9Vd9Jg8cKMVDt6aQ7PZyV0f7S5Ryd9L8bLHZ4m5s"

// SignIn checks email and password, which come from ip. After too many
// failures within the window for the account or for the address it refuses
// (ErrForbidden) without looking at the password. A wrong email or password
// is ErrForbidden too, with one message for both.
func (a *Auth) SignIn(ctx context.Context, email, password, ip string) (*gazette.Author, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	accountKey, ipKey := "account:"+email, "ip:"+ip
	since := a.cfg.Now().Add(-a.cfg.FailureWindow)
	for _, k := range []struct {
		key   string
		limit int
	}{{accountKey, a.cfg.AccountFailures}, {ipKey, a.cfg.IPFailures}} {
		n, err := a.store.LoginFailures(ctx, k.key, since)
		if err != nil {
			return nil, fmt.Errorf("auth: sign in: %w", err)
		}
		if n >= k.limit {
			return nil, gazette.Errorf(gazette.ErrForbidden, lockedMessage)
		}
	}
	author, err := a.byEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	hash := dummyHash
	if author != nil {
		hash = author.PasswordHash
	}
	if !CheckPassword(hash, password) || author == nil {
		now := a.cfg.Now().UTC()
		for _, key := range []string{accountKey, ipKey} {
			if err := a.store.AddLoginFailure(ctx, key, now); err != nil {
				return nil, fmt.Errorf("auth: sign in: %w", err)
			}
		}
		return nil, gazette.Errorf(gazette.ErrForbidden, "The email address or the password is wrong.")
	}
	if err := a.store.ClearLoginFailures(ctx, accountKey); err != nil {
		return nil, fmt.Errorf("auth: sign in: %w", err)
	}
	return author, nil
}

// byEmail returns the author who signs in with email, or nil. Blogs have a
// handful of authors, so a scan costs less than an index to keep.
func (a *Auth) byEmail(ctx context.Context, email string) (*gazette.Author, error) {
	authors, err := a.store.Authors(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: sign in: %w", err)
	}
	for _, au := range authors {
		if strings.EqualFold(strings.TrimSpace(au.Email), email) && au.PasswordHash != "" {
			return au, nil
		}
	}
	return nil, nil
}
