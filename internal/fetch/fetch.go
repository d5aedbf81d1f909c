// Package fetch is the one outbound HTTP client of gazette: every request the
// server makes on its own (verifying a webmention, pingback or TrackBack,
// discovering and sending webmentions) goes through it.
//
// Those requests go to addresses that strangers choose, so the client refuses
// to connect anywhere but the public Internet. The check runs in the dialer's
// Control hook, on the very IP address being connected to after DNS
// resolution and before the connect system call, so neither a host name that
// resolves to 127.0.0.1 nor DNS rebinding between a check and a dial nor a
// redirect gets a request through to loopback, the private network or a cloud
// metadata service. Size, total time and redirects are capped too.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// Defaults for the zero values of Config's limits.
const (
	DefaultTimeout      = 15 * time.Second
	DefaultMaxBytes     = 2 << 20
	DefaultMaxRedirects = 5
)

// Config says how a Client behaves. The zero value refuses private addresses
// and uses the default limits.
type Config struct {
	// Version and BaseURL make the User-Agent, gazette/VERSION (+BASEURL), so
	// that the people whose sites gazette fetches can see who asks and why.
	Version string
	BaseURL string
	// AllowPrivate lets the client connect to loopback, private, link-local
	// and other non-public addresses: for tests, and for blogs that talk
	// only to other servers on an intranet. Off by default.
	AllowPrivate bool
	// Allow lists blocks of non-public addresses to allow even when
	// AllowPrivate is off, for an intranet host or two.
	Allow []netip.Prefix
	// Timeout bounds a whole request: dialling, redirects and reading the
	// body. Zero means DefaultTimeout.
	Timeout time.Duration
	// MaxBytes bounds the size of a response body; reading past it is an
	// error wrapping ErrTooLarge. Zero means DefaultMaxBytes.
	MaxBytes int64
	// MaxRedirects is how many redirects a request may follow. Zero means
	// DefaultMaxRedirects; a negative value follows none.
	MaxRedirects int
	// Resolver looks host names up; nil means net.DefaultResolver. Whatever
	// it answers, the address is checked when it is dialled.
	Resolver *net.Resolver
}

// ErrTooLarge is wrapped by the error of reading a response body longer than
// the client's MaxBytes.
var ErrTooLarge = errors.New("response body too large")

// Client makes outbound HTTP requests under the limits of its Config. It is
// safe for concurrent use.
type Client struct {
	hc       *http.Client
	maxBytes int64
}

// New returns a Client configured by cfg.
func New(cfg Config) *Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.MaxRedirects == 0 {
		cfg.MaxRedirects = DefaultMaxRedirects
	}
	dialer := &net.Dialer{
		Timeout:  cfg.Timeout,
		Resolver: cfg.Resolver,
		Control:  control(cfg.AllowPrivate, cfg.Allow),
	}
	transport := &http.Transport{
		// No proxy: a proxy would make the dialled address the proxy's,
		// and the check would judge the wrong host.
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           20,
		IdleConnTimeout:        30 * time.Second,
		TLSHandshakeTimeout:    cfg.Timeout,
		ResponseHeaderTimeout:  cfg.Timeout,
		MaxResponseHeaderBytes: 64 << 10,
	}
	maxRedirects := max(cfg.MaxRedirects, 0)
	return &Client{
		maxBytes: cfg.MaxBytes,
		hc: &http.Client{
			Timeout:   cfg.Timeout,
			Transport: &userAgent{value: UserAgent(cfg.Version, cfg.BaseURL), next: transport},
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) > maxRedirects {
					return fmt.Errorf("fetch: %s: stopped after %d redirects", via[0].URL, maxRedirects)
				}
				return nil
			},
		},
	}
}

// UserAgent returns the User-Agent header the client sends:
// gazette/VERSION (+BASEURL), the form crawlers use to name who runs them.
func UserAgent(version, baseURL string) string {
	if version == "" {
		version = "dev"
	}
	if baseURL == "" {
		return "gazette/" + version
	}
	return "gazette/" + version + " (+" + baseURL + ")"
}

// control returns the dialer's Control hook. It runs after DNS resolution,
// on the address of each connection attempt, before the connect system call.
func control(allowPrivate bool, allow []netip.Prefix) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		switch network {
		case "tcp4", "tcp6":
		default:
			return fmt.Errorf("fetch: refused to connect to %s over %s: only TCP is allowed", address, network)
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("fetch: refused to connect to %s: %w", address, err)
		}
		if allowPrivate {
			return nil
		}
		addr := ap.Addr().Unmap().WithZone("")
		for _, p := range allow {
			if p.Contains(addr) {
				return nil
			}
		}
		return Check(addr)
	}
}

// userAgent sets the User-Agent of every request, redirects included.
type userAgent struct {
	value string
	next  http.RoundTripper
}

func (u *userAgent) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", u.value)
	return u.next.RoundTrip(req)
}

// Do sends req, following redirects, and returns the response whose Body
// returns an error wrapping ErrTooLarge past MaxBytes. The caller closes
// the body, as with http.Client.Do.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{rc: resp.Body, left: c.maxBytes, url: resp.Request.URL.String(), max: c.maxBytes}
	return resp, nil
}

// Response is a response read whole by Get.
type Response struct {
	URL        string // where the last redirect led
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Get fetches url and reads its body, whatever the status; a body longer than
// MaxBytes is an error wrapping ErrTooLarge.
func (c *Client) Get(ctx context.Context, url string) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("fetch: read %s: %w", url, err)
	}
	return &Response{URL: resp.Request.URL.String(), StatusCode: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// limitedBody reads at most max bytes and fails, rather than truncating
// silently, when there are more: a cut-off page might lack the very link a
// verification looks for, and the caller should know why.
type limitedBody struct {
	rc   io.ReadCloser
	left int64
	max  int64
	url  string
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One more byte tells a body of exactly max bytes from a longer one.
		var one [1]byte
		n, err := b.rc.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("fetch: %s: body longer than %d bytes: %w", b.url, b.max, ErrTooLarge)
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
