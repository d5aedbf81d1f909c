package publish

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
)

// secretName is the name of the blog secret that signs comment forms and
// cookies.
const secretName = "comments"

// secret returns the blog's signing secret, created on first use and kept in
// the store so that every instance signs alike; it is read once per Publisher.
func (p *Publisher) secret(ctx context.Context, store gazette.Store) ([]byte, error) {
	p.secretMu.Lock()
	defer p.secretMu.Unlock()
	if p.secretKey != nil {
		return p.secretKey, nil
	}
	ss, ok := store.(gazette.SecretStore)
	if !ok {
		return nil, fmt.Errorf("publish: the store keeps no secrets (%T)", store)
	}
	candidate := make([]byte, 32)
	if _, err := rand.Read(candidate); err != nil {
		return nil, fmt.Errorf("publish: new secret: %w", err)
	}
	key, err := ss.Secret(ctx, secretName, candidate)
	if err != nil {
		return nil, fmt.Errorf("publish: read secret: %w", err)
	}
	p.secretKey = key
	return key, nil
}

// Key returns a key for one purpose (say, signing a cookie), derived from the
// blog's secret so that a value signed for one purpose is no good for another.
func (p *Publisher) Key(ctx context.Context, store gazette.Store, purpose string) ([]byte, error) {
	secret, err := p.secret(ctx, store)
	if err != nil {
		return nil, err
	}
	return mac(secret, "key:"+purpose), nil
}

func mac(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// FormToken returns the signed token of a comment form for entry entryID
// issued at now: the entry, the time and a random nonce, so that each form
// shown is a token of its own.
func (p *Publisher) FormToken(ctx context.Context, store gazette.Store, entryID int64, now time.Time) (string, error) {
	secret, err := p.secret(ctx, store)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, 9)
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("publish: form token: %w", err)
	}
	body := strconv.FormatInt(entryID, 10) + "." + strconv.FormatInt(now.UnixMilli(), 10) + "." +
		base64.RawURLEncoding.EncodeToString(nonce)
	return body + "." + base64.RawURLEncoding.EncodeToString(mac(secret, "form:"+body)[:18]), nil
}

// tokenUse is what records a token's use: the token and, when the reader's
// address is known, a keyed hash of it, so that the use is one reader's and
// the address itself is not kept.
func tokenUse(secret []byte, token, ip string) string {
	if ip == "" {
		return token
	}
	return token + "." + base64.RawURLEncoding.EncodeToString(mac(secret, "reader:"+ip)[:12])
}

// checkToken verifies a form token for entryID at now against the intake
// settings, and returns when it was issued.
func checkToken(secret []byte, token string, entryID int64, now time.Time, in gazette.CommentIntake) (time.Time, error) {
	damaged := gazette.Errorf(gazette.ErrInvalid,
		"The comment form has expired or is damaged. Your comment is kept below: please post it again.")
	parts := strings.Split(token, ".")
	if len(parts) != 4 {
		return time.Time{}, damaged
	}
	body := strings.Join(parts[:3], ".")
	sig, err := base64.RawURLEncoding.DecodeString(parts[3])
	if err != nil || !hmac.Equal(sig, mac(secret, "form:"+body)[:18]) {
		return time.Time{}, damaged
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	ms, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || id != entryID {
		return time.Time{}, damaged
	}
	issued := time.UnixMilli(ms)
	age := now.Sub(issued)
	if in.TokenMinAge > 0 && age < in.TokenMinAge {
		return issued, gazette.Errorf(gazette.ErrInvalid,
			"Your comment came %s after the form was shown; people take at least %s. Please post it again.",
			roundAge(age), roundAge(in.TokenMinAge))
	}
	if in.TokenMaxAge > 0 && age > in.TokenMaxAge {
		return issued, gazette.Errorf(gazette.ErrInvalid,
			"The comment form is more than %s old. Your comment is kept below: please post it again.", roundAge(in.TokenMaxAge))
	}
	return issued, nil
}

// roundAge writes d for people: "0 seconds", "3 seconds", "2 days".
func roundAge(d time.Duration) string {
	switch {
	case d < 0:
		d = 0
		fallthrough
	case d < 2*time.Minute:
		return plural(int(d/time.Second), "second")
	case d < 2*time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/(24*time.Hour)), "day")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}
