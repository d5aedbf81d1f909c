// Package web is the HTTP plumbing every surface of gazette shares: handlers
// that return errors, one place that maps error kinds to statuses, the
// middleware around every request, and serving rendered pages with the
// caching headers that let browsers and CDNs carry the reads.
package web

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"

	"github.com/gazette-blog/gazette"
)

// HandlerFunc is an HTTP handler that returns its failure instead of writing
// it, so that every surface reports errors the same way. A handler that
// returns an error must not have written to w.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// ErrorPageFunc writes the page shown for an error: status is the HTTP
// status and message the text fit for a reader. It is supplied by a surface
// so that, for example, the public site shows a 404 in the blog's theme.
type ErrorPageFunc func(w http.ResponseWriter, r *http.Request, status int, message string)

// Errors turns HandlerFuncs into http.Handlers, mapping their errors to a
// status and a page in one place and logging the ones that are not the
// reader's doing.
type Errors struct {
	Logger *slog.Logger
	// Page writes the error page; nil writes the message as plain text.
	Page ErrorPageFunc
}

// Handle returns an http.Handler that runs h and reports its error.
func (e *Errors) Handle(h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			e.Serve(w, r, err)
		}
	})
}

// Serve writes the status and page for err. Errors of no known kind are
// logged with their detail and shown as "Internal error.".
func (e *Errors) Serve(w http.ResponseWriter, r *http.Request, err error) {
	status := Status(err)
	if status == http.StatusInternalServerError && e.Logger != nil {
		e.Logger.ErrorContext(r.Context(), "request failed",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Any("error", err))
	}
	var msg string
	var ge *gazette.Error
	switch {
	case status == http.StatusInternalServerError:
		msg = "Internal error." // a wrapped *Error inside an unknown failure is still internal
	case status == http.StatusRequestEntityTooLarge:
		msg = "The request body is too large."
	case errors.As(err, &ge):
		msg = ge.Message
	default:
		msg = http.StatusText(status) + "." // a bare kind has no message of its own
	}
	if e.Page == nil {
		PlainError(w, status, msg)
		return
	}
	e.Page(w, r, status, msg)
}

// PlainError writes msg as a plain-text response with the given status.
func PlainError(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg + "\n"))
}

// Status returns the HTTP status for err: the status of its gazette error
// kind, or 500 for anything else.
func Status(err error) int {
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, gazette.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, gazette.ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, gazette.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, gazette.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, gazette.ErrGone):
		return http.StatusGone
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// WriteHTML writes body as an uncacheable HTML response with the given
// status, for pages such as errors that must not be served from a cache.
func WriteHTML(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Del("ETag")
	h.Del("Last-Modified")
	w.WriteHeader(status)
	_, _ = bytes.NewReader(body).WriteTo(w)
}
