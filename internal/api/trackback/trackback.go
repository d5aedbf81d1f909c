// Package trackback receives TrackBack pings, Movable Type's own protocol
// (TrackBack Technical Specification, 1.2): a form-encoded POST to
// /trackback/ID naming the linking page (url) and what it says (title,
// excerpt, blog_name), answered with a small XML document. A ping is
// verified like a webmention before it becomes a mention.
package trackback

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/linkback"
	"github.com/gazette-blog/gazette/internal/web"
)

// Store is what the endpoint reads.
type Store interface {
	Entry(ctx context.Context, id int64) (*gazette.Entry, error)
	Settings(ctx context.Context) (gazette.Settings, error)
}

// Config holds what the endpoint needs.
type Config struct {
	Store    Store
	Receiver *linkback.Receiver
	Logger   *slog.Logger
}

// Handler is the endpoint as an http.Handler.
type Handler struct {
	store  Store
	recv   *linkback.Receiver
	logger *slog.Logger
	mux    *http.ServeMux
}

// New returns the endpoint. It panics without Store or Receiver, a mistake
// in the program's wiring.
func New(cfg Config) *Handler {
	if cfg.Store == nil || cfg.Receiver == nil {
		panic("trackback.New: Config needs Store and Receiver")
	}
	h := &Handler{store: cfg.Store, recv: cfg.Receiver, logger: cfg.Logger, mux: http.NewServeMux()}
	if h.logger == nil {
		h.logger = slog.New(slog.DiscardHandler)
	}
	h.mux.HandleFunc("POST /trackback/{id}", h.ping)
	return h
}

// ServeHTTP serves the endpoint.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// ping takes a TrackBack ping. Every answer is 200 with an XML body, as
// the specification has it: <error>0</error> for success, <error>1</error>
// and a message otherwise.
func (h *Handler) ping(w http.ResponseWriter, r *http.Request) {
	if err := h.receive(r); err != nil {
		if web.Status(err) == http.StatusInternalServerError {
			h.logger.ErrorContext(r.Context(), "trackback failed", "path", r.URL.Path, "error", err)
		}
		writeResponse(w, gazette.ErrorMessage(err))
		return
	}
	writeResponse(w, "")
}

func (h *Handler) receive(r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return gazette.Errorf(gazette.ErrNotFound, "trackback: %q is no entry ID", r.PathValue("id"))
	}
	if err := r.ParseForm(); err != nil {
		return gazette.Errorf(gazette.ErrInvalid, "trackback: the body is not form-encoded: %v", err)
	}
	source := strings.TrimSpace(r.PostForm.Get("url"))
	if source == "" {
		return gazette.Errorf(gazette.ErrInvalid, "trackback: the url field is required")
	}
	e, err := h.store.Entry(ctx, id)
	if errors.Is(err, gazette.ErrNotFound) {
		return gazette.Errorf(gazette.ErrNotFound, "trackback: there is no entry %d", id)
	}
	if err != nil {
		return fmt.Errorf("trackback: entry %d: %w", id, err)
	}
	st, err := h.store.Settings(ctx)
	if err != nil {
		return fmt.Errorf("trackback: reading settings: %w", err)
	}
	base := web.BaseURL(r, st.BaseURL)
	_, err = h.recv.Verify(ctx, linkback.Request{
		Kind:     gazette.MentionTrackback,
		Source:   source,
		Target:   base + e.Path,
		Base:     base,
		IP:       web.ClientIP(r),
		Title:    r.PostForm.Get("title"),
		Excerpt:  r.PostForm.Get("excerpt"),
		BlogName: r.PostForm.Get("blog_name"),
	})
	return err
}

// writeResponse writes the TrackBack answer: success when msg is empty.
func writeResponse(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response>\n")
	if msg == "" {
		b.WriteString("<error>0</error>\n")
	} else {
		b.WriteString("<error>1</error>\n<message>")
		_ = xml.EscapeText(&b, []byte(msg))
		b.WriteString("</message>\n")
	}
	b.WriteString("</response>\n")
	_, _ = w.Write([]byte(b.String()))
}
