package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

// Middleware wraps a handler in behaviour shared by many.
type Middleware func(http.Handler) http.Handler

// Chain returns h wrapped in mw, the first outermost.
func Chain(h http.Handler, mw ...Middleware) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// recorder remembers the status and size of a response for the access log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// AccessLog logs one line per request: method, path, status, bytes written,
// duration and remote address.
func AccessLog(logger *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &recorder{ResponseWriter: w}
			defer func() {
				status := rec.status
				if status == 0 {
					status = http.StatusOK
				}
				LogRequest(r.Context(), logger, r.Method, r.URL.Path, status, rec.bytes, time.Since(start), r.RemoteAddr)
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// LogRequest writes AccessLog's line for one request, for the servers that
// answer some requests without the middleware.
func LogRequest(ctx context.Context, logger *slog.Logger, method, path string, status int, bytes int64, d time.Duration, remote string) {
	logger.LogAttrs(ctx, slog.LevelInfo, "request",
		slog.String("method", method),
		slog.String("path", path),
		slog.Int("status", status),
		slog.Int64("bytes", bytes),
		slog.Duration("duration", d),
		slog.String("remote", remote))
}

// Recover turns a panic in a handler into a logged 500, so that one bad
// request does not take the server down. http.ErrAbortHandler is passed on,
// as net/http uses it to abort a response on purpose.
func Recover(logger *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.ErrorContext(r.Context(), "panic serving request",
					slog.String("method", r.Method),
					slog.String("path", r.URL.Path),
					slog.String("panic", fmt.Sprint(v)),
					slog.String("stack", string(debug.Stack())))
				PlainError(w, http.StatusInternalServerError, "Internal error.")
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// LimitBody caps request bodies at n bytes; reading past the cap fails with
// an *http.MaxBytesError, which Status maps to 413.
func LimitBody(n int64) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// ContentSecurityPolicy allows the themes' own style sheets and no script at
// all: gazette's pages need none to be read, so an injected script has
// nowhere to run. Entries written years ago embed pictures, media and
// players from anywhere, and style attributes, so those stay allowed; style
// elements and every kind of script do not.
const ContentSecurityPolicy = "default-src 'none'; style-src 'self'; style-src-attr 'unsafe-inline'; " +
	"img-src * data:; media-src *; frame-src https:; font-src 'self'; form-action 'self'; " +
	"base-uri 'none'; frame-ancestors 'none'"

// SecurityHeader returns the header fields that SecurityHeaders sets on
// every response, for the servers that answer without it.
func SecurityHeader() http.Header {
	return http.Header{
		"X-Content-Type-Options":  {"nosniff"},
		"Referrer-Policy":         {"strict-origin-when-cross-origin"},
		"Content-Security-Policy": {ContentSecurityPolicy},
	}
}

// SecurityHeaders sets the headers that every response carries.
func SecurityHeaders(next http.Handler) http.Handler {
	fields := SecurityHeader()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range fields {
			h[k] = v[:1:1] // a later Add copies rather than writes into the shared value
		}
		next.ServeHTTP(w, r)
	})
}
