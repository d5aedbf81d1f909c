// Package webmention is the Webmention endpoint (W3C Recommendation,
// https://www.w3.org/TR/webmention/) at /webmention: it checks a request at
// once, answers 202 Accepted, and leaves the fetching of the source to
// internal/linkback's background verifier.
package webmention

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/linkback"
	"github.com/gazette-blog/gazette/internal/web"
)

// Config holds what the endpoint needs.
type Config struct {
	Settings gazette.SettingsStore
	Receiver *linkback.Receiver
	Logger   *slog.Logger
}

// Handler is the endpoint as an http.Handler.
type Handler struct {
	settings gazette.SettingsStore
	recv     *linkback.Receiver
	errs     *web.Errors
	mux      *http.ServeMux
}

// New returns the endpoint. It panics without Settings or Receiver, a
// mistake in the program's wiring.
func New(cfg Config) *Handler {
	if cfg.Settings == nil || cfg.Receiver == nil {
		panic("webmention.New: Config needs Settings and Receiver")
	}
	h := &Handler{settings: cfg.Settings, recv: cfg.Receiver, errs: &web.Errors{Logger: cfg.Logger}, mux: http.NewServeMux()}
	h.mux.Handle("POST /webmention", h.errs.Handle(h.receive))
	return h
}

// ServeHTTP serves the endpoint.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// receive takes a webmention: source and target form-encoded (spec 3.2).
// A request that cannot be right is refused with 400 and the reason; one
// that may be is queued and answered 202, as the spec allows, because
// fetching the source takes longer than a sender should wait.
func (h *Handler) receive(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return gazette.Errorf(gazette.ErrInvalid, "webmention: the body is not form-encoded: %v", err)
	}
	source, target := r.PostForm.Get("source"), r.PostForm.Get("target")
	if source == "" || target == "" {
		return gazette.Errorf(gazette.ErrInvalid, "webmention: the source and target fields are both required")
	}
	st, err := h.settings.Settings(r.Context())
	if err != nil {
		return fmt.Errorf("webmention: reading settings: %w", err)
	}
	req := linkback.Request{
		Kind:   gazette.MentionWebmention,
		Source: source,
		Target: target,
		Base:   web.BaseURL(r, st.BaseURL),
		IP:     web.ClientIP(r),
	}
	if _, err := h.recv.Target(r.Context(), req); err != nil {
		if errors.Is(err, linkback.ErrClosed) {
			// The spec's answer to a target that takes no webmentions.
			return gazette.Errorf(gazette.ErrInvalid, "%s", err.Error())
		}
		return err
	}
	if err := h.recv.Queue(req); err != nil {
		w.Header().Set("Retry-After", "60")
		web.PlainError(w, http.StatusServiceUnavailable, err.Error())
		return nil
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusAccepted)
	_, _ = fmt.Fprintf(w, "Accepted: the link from %s to %s will be verified shortly.\n", source, target)
	return nil
}
