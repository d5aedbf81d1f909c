// Package xmlrpc is gazette's XML-RPC endpoint, /xmlrpc (and
// /mt-xmlrpc.cgi, the address Movable Type's clients know). Its methods are
// one table, so the blogging APIs (MetaWeblog, Movable Type's mt.*) can join
// pingback.ping there; each method takes the decoded parameters and returns
// a value or a *Fault.
package xmlrpc

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/linkback"
	"github.com/gazette-blog/gazette/internal/web"
)

// Fault is an XML-RPC fault: a method's failure with a code the client
// acts on.
type Fault struct {
	Code    int
	Message string
}

func (f *Fault) Error() string { return fmt.Sprintf("fault %d: %s", f.Code, f.Message) }

// Pingback's fault codes (Pingback 1.0, "Error codes").
const (
	FaultGeneric        = 0
	FaultSourceMissing  = 0x10 // the source URI does not exist
	FaultNoLink         = 0x11 // the source does not link to the target
	FaultTargetMissing  = 0x20 // the target does not exist
	FaultTargetInvalid  = 0x21 // the target cannot be used as a target
	FaultAlreadyPinged  = 0x30 // the pingback has already been registered
	FaultAccessDenied   = 0x31
	FaultUpstream       = 0x32 // the server could not talk to an upstream server
	faultMethodNotFound = -32601
	faultInvalidCall    = -32600
	faultInternal       = -32603
)

// Method is one XML-RPC method: it gets the call's request (for the
// client's address and the blog's URL) and its parameters, decoded as
// string, int, bool, float64, time.Time, []byte, []any or map[string]any.
type Method func(ctx context.Context, r *http.Request, params []any) (any, error)

// Config holds what the endpoint needs.
type Config struct {
	Settings gazette.SettingsStore
	// Receiver takes pingbacks; nil leaves pingback.ping out.
	Receiver *linkback.Receiver
	Logger   *slog.Logger
}

// Handler is the endpoint as an http.Handler.
type Handler struct {
	settings gazette.SettingsStore
	recv     *linkback.Receiver
	logger   *slog.Logger
	methods  map[string]Method
}

// New returns the endpoint with its methods. It panics without Settings, a
// mistake in the program's wiring.
func New(cfg Config) *Handler {
	if cfg.Settings == nil {
		panic("xmlrpc.New: Config needs Settings")
	}
	h := &Handler{settings: cfg.Settings, recv: cfg.Receiver, logger: cfg.Logger}
	if h.logger == nil {
		h.logger = slog.New(slog.DiscardHandler)
	}
	// Every method, by name: the one table of the endpoint.
	h.methods = map[string]Method{
		"system.listMethods": h.listMethods,
	}
	if h.recv != nil {
		h.methods["pingback.ping"] = h.pingbackPing
	}
	return h
}

// maxCallBytes bounds a call; pingbacks are tiny, and posts with media
// will come under the server's own limit.
const maxCallBytes = 1 << 20

// ServeHTTP answers a POSTed methodCall with a methodResponse: the
// method's value, or a fault. XML-RPC reports every failure in a 200.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		web.PlainError(w, http.StatusMethodNotAllowed, "XML-RPC takes POST requests.")
		return
	}
	name, params, err := decodeCall(io.LimitReader(r.Body, maxCallBytes))
	var result any
	if err != nil {
		err = &Fault{faultInvalidCall, "the request is no XML-RPC call: " + err.Error()}
	} else if m, ok := h.methods[name]; !ok {
		err = &Fault{faultMethodNotFound, "no method " + strconv.Quote(name)}
	} else {
		result, err = m(r.Context(), r, params)
	}
	var f *Fault
	if err != nil && !errors.As(err, &f) {
		h.logger.ErrorContext(r.Context(), "xml-rpc method failed", "method", name, "error", err)
		f = &Fault{faultInternal, "Internal error."}
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<methodResponse>")
	if f != nil {
		b.WriteString("<fault><value>")
		writeValue(&b, map[string]any{"faultCode": f.Code, "faultString": f.Message})
		b.WriteString("</value></fault>")
	} else {
		b.WriteString("<params><param><value>")
		writeValue(&b, result)
		b.WriteString("</value></param></params>")
	}
	b.WriteString("</methodResponse>\n")
	_, _ = io.WriteString(w, b.String())
}

func (h *Handler) listMethods(context.Context, *http.Request, []any) (any, error) {
	names := make([]any, 0, len(h.methods))
	for n := range h.methods {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return names[i].(string) < names[j].(string) })
	return names, nil
}

// pingbackPing is pingback.ping(sourceURI, targetURI) (Pingback 1.0). The
// source is verified before the answer, as the specification expects.
func (h *Handler) pingbackPing(ctx context.Context, r *http.Request, params []any) (any, error) {
	if len(params) != 2 {
		return nil, &Fault{FaultGeneric, "pingback.ping takes two parameters, sourceURI and targetURI"}
	}
	source, ok1 := params[0].(string)
	target, ok2 := params[1].(string)
	if !ok1 || !ok2 {
		return nil, &Fault{FaultGeneric, "pingback.ping takes two strings"}
	}
	st, err := h.settings.Settings(ctx)
	if err != nil {
		return nil, fmt.Errorf("pingback: reading settings: %w", err)
	}
	req := linkback.Request{
		Kind: gazette.MentionPingback, Source: source, Target: target,
		Base: web.BaseURL(r, st.BaseURL), IP: web.ClientIP(r),
	}
	e, err := h.recv.Target(ctx, req)
	if err != nil {
		return nil, pingbackFault(err)
	}
	if known, err := h.recv.Known(ctx, e.ID, source); err != nil {
		return nil, err
	} else if known {
		return nil, &Fault{FaultAlreadyPinged, "the pingback from " + source + " has already been registered"}
	}
	if _, err := h.recv.Verify(ctx, req); err != nil {
		return nil, pingbackFault(err)
	}
	return "Pingback from " + source + " to " + target + " registered.", nil
}

// pingbackFault turns linkback's reasons into Pingback's codes.
func pingbackFault(err error) error {
	code := -1
	switch {
	case errors.Is(err, linkback.ErrNoSource):
		code = FaultSourceMissing
	case errors.Is(err, linkback.ErrNoLink):
		code = FaultNoLink
	case errors.Is(err, linkback.ErrNoTarget):
		code = FaultTargetMissing
	case errors.Is(err, linkback.ErrClosed):
		code = FaultTargetInvalid
	}
	if code < 0 {
		return err
	}
	return &Fault{code, gazette.ErrorMessage(err)}
}

// xmlValue is a <value> as encoding/xml reads it.
type xmlValue struct {
	Inner []byte `xml:",innerxml"`
}

// decodeCall reads a methodCall: its method name and parameters.
func decodeCall(r io.Reader) (string, []any, error) {
	var call struct {
		XMLName xml.Name   `xml:"methodCall"`
		Name    string     `xml:"methodName"`
		Params  []xmlValue `xml:"params>param>value"`
	}
	if err := xml.NewDecoder(r).Decode(&call); err != nil {
		return "", nil, err
	}
	params := make([]any, len(call.Params))
	for i, p := range call.Params {
		v, err := decodeValue(p.Inner)
		if err != nil {
			return "", nil, fmt.Errorf("parameter %d: %w", i+1, err)
		}
		params[i] = v
	}
	return strings.TrimSpace(call.Name), params, nil
}

// decodeValue reads the inside of a <value>: a typed element, or bare text,
// which XML-RPC reads as a string.
func decodeValue(inner []byte) (any, error) {
	d := xml.NewDecoder(strings.NewReader("<value>" + string(inner) + "</value>"))
	var v struct {
		Text     string  `xml:",chardata"`
		String   *string `xml:"string"`
		Int      *string `xml:"int"`
		I4       *string `xml:"i4"`
		Boolean  *string `xml:"boolean"`
		Double   *string `xml:"double"`
		DateTime *string `xml:"dateTime.iso8601"`
		Base64   *string `xml:"base64"`
		Array    *struct {
			Values []xmlValue `xml:"data>value"`
		} `xml:"array"`
		Struct *struct {
			Members []struct {
				Name  string   `xml:"name"`
				Value xmlValue `xml:"value"`
			} `xml:"member"`
		} `xml:"struct"`
	}
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	switch {
	case v.String != nil:
		return *v.String, nil
	case v.Int != nil || v.I4 != nil:
		s := v.Int
		if s == nil {
			s = v.I4
		}
		n, err := strconv.Atoi(strings.TrimSpace(*s))
		if err != nil {
			return nil, fmt.Errorf("int %q: %w", *s, err)
		}
		return n, nil
	case v.Boolean != nil:
		return strings.TrimSpace(*v.Boolean) == "1", nil
	case v.Double != nil:
		return strconv.ParseFloat(strings.TrimSpace(*v.Double), 64)
	case v.DateTime != nil:
		return time.Parse("20060102T15:04:05", strings.TrimSpace(*v.DateTime))
	case v.Base64 != nil:
		return []byte(strings.TrimSpace(*v.Base64)), nil
	case v.Array != nil:
		out := make([]any, len(v.Array.Values))
		for i, x := range v.Array.Values {
			val, err := decodeValue(x.Inner)
			if err != nil {
				return nil, err
			}
			out[i] = val
		}
		return out, nil
	case v.Struct != nil:
		out := map[string]any{}
		for _, m := range v.Struct.Members {
			val, err := decodeValue(m.Value.Inner)
			if err != nil {
				return nil, fmt.Errorf("member %q: %w", m.Name, err)
			}
			out[m.Name] = val
		}
		return out, nil
	}
	return v.Text, nil
}

// writeValue writes v as the inside of a <value>.
func writeValue(b *strings.Builder, v any) {
	switch v := v.(type) {
	case string:
		b.WriteString("<string>")
		_ = xml.EscapeText(b, []byte(v))
		b.WriteString("</string>")
	case int:
		b.WriteString("<int>" + strconv.Itoa(v) + "</int>")
	case bool:
		if v {
			b.WriteString("<boolean>1</boolean>")
		} else {
			b.WriteString("<boolean>0</boolean>")
		}
	case []any:
		b.WriteString("<array><data>")
		for _, x := range v {
			b.WriteString("<value>")
			writeValue(b, x)
			b.WriteString("</value>")
		}
		b.WriteString("</data></array>")
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("<struct>")
		for _, k := range keys {
			b.WriteString("<member><name>")
			_ = xml.EscapeText(b, []byte(k))
			b.WriteString("</name><value>")
			writeValue(b, v[k])
			b.WriteString("</value></member>")
		}
		b.WriteString("</struct>")
	default:
		b.WriteString("<string>")
		_ = xml.EscapeText(b, []byte(fmt.Sprint(v)))
		b.WriteString("</string>")
	}
}
