// Package gazette holds the domain of a blog publishing engine: entries, topics,
// authors, comments, mentions, redirects and settings, the filters used to list
// them, the Store interfaces every database implements, and the error kinds that
// the rest of the program maps to HTTP statuses and exit codes.
//
// It imports only the standard library. Storage lives in internal/sqlite and
// internal/postgres, HTTP in internal/site and friends; cmd/gazette wires them.
package gazette

import (
	"errors"
	"fmt"
)

// Error kinds. Every error the domain and its stores return for a reason a user
// can act on wraps one of these, so callers test with errors.Is and map each kind
// to one HTTP status or exit message in a single place.
var (
	ErrNotFound  = errors.New("not found")
	ErrInvalid   = errors.New("invalid")
	ErrConflict  = errors.New("conflict")
	ErrForbidden = errors.New("forbidden")
	// ErrGone is for what existed and was removed for good, such as a
	// deleted entry's permalink (HTTP 410).
	ErrGone = errors.New("gone")
)

// Error is an error of a known kind with a message fit to show a user. Its
// Unwrap returns the kind, so errors.Is(err, ErrInvalid) works through it.
type Error struct {
	Kind    error  // one of ErrNotFound, ErrInvalid, ErrConflict, ErrForbidden
	Message string // what went wrong and where, in words a user understands
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the error's kind.
func (e *Error) Unwrap() error { return e.Kind }

// Errorf returns an *Error of the given kind whose message is formatted as by
// fmt.Sprintf.
func Errorf(kind error, format string, args ...any) error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// ErrorMessage returns the message of err to show a user: the message of the
// first *Error in its chain, or "Internal error." for anything else, whose
// details belong in the log rather than on a page.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
