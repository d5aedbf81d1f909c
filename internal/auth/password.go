// Package auth signs authors in: argon2id password hashes, server-side
// sessions kept in the store, form tokens tied to a session, and lock-outs
// after repeated failures.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/gazette-blog/gazette"
)

// Parameters of argon2id for new hashes: the first of OWASP's recommended
// settings (19 MiB, two passes, one lane), which costs a few tens of
// milliseconds, slow enough against guessing and cheap enough for a small
// server. Hashes keep their own parameters, so these can rise later.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 10

// maxPasswordLength bounds what is hashed, so that a huge form field cannot
// make the server work for nothing.
const maxPasswordLength = 1024

// CheckNewPassword reports why a password cannot be chosen, as ErrInvalid.
func CheckNewPassword(pw string) error {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPasswordLength:
		return gazette.Errorf(gazette.ErrInvalid, "the password is %d characters long; it needs at least %d", n, MinPasswordLength)
	case len(pw) > maxPasswordLength:
		return gazette.Errorf(gazette.ErrInvalid, "the password is longer than %d bytes", maxPasswordLength)
	}
	return nil
}

// HashPassword returns the argon2id hash of pw in the PHC string format,
// $argon2id$v=19$m=…,t=…,p=…$SALT$HASH, with a new random salt.
func HashPassword(pw string) (string, error) {
	if err := CheckNewPassword(pw); err != nil {
		return "", err
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime,
		argonThreads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches hash, comparing in constant time.
// An empty or malformed hash matches nothing.
func CheckPassword(hash, pw string) bool {
	if len(pw) > maxPasswordLength {
		return false
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var mem, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &passes, &threads); err != nil ||
		mem == 0 || mem > 1<<20 || passes == 0 || passes > 16 || threads == 0 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, passes, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
