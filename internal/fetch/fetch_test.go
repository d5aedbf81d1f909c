package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"golang.org/x/net/dns/dnsmessage"
)

func TestCheck(t *testing.T) {
	refused := map[string]string{
		"127.0.0.1":              "loopback",
		"127.1.2.3":              "loopback",
		"10.0.0.1":               "private",
		"10.255.255.254":         "private",
		"172.16.0.1":             "private",
		"172.31.255.1":           "private",
		"192.168.1.1":            "private",
		"169.254.169.254":        "link-local",
		"169.254.0.1":            "link-local",
		"100.64.0.1":             "carrier-grade NAT",
		"0.0.0.0":                "unspecified",
		"0.1.2.3":                "this network",
		"224.0.0.1":              "multicast",
		"239.255.255.250":        "multicast",
		"255.255.255.255":        "broadcast",
		"192.0.2.10":             "documentation",
		"198.18.0.1":             "benchmarking",
		"::1":                    "loopback",
		"::":                     "unspecified",
		"fe80::1":                "link-local",
		"fe80::1%eth0":           "link-local",
		"fc00::1":                "private",
		"fd12:3456::1":           "private",
		"ff02::1":                "multicast",
		"::ffff:127.0.0.1":       "loopback",
		"::ffff:10.0.0.1":        "private",
		"::ffff:169.254.169.254": "link-local",
		"::127.0.0.1":            "2000::/3",
		"64:ff9b::a00:1":         "2000::/3",
		"2001:db8::1":            "documentation",
		"2002:7f00:1::1":         "6to4",
		"2001::1":                "Teredo",
	}
	for s, reason := range refused {
		t.Run(s, func(t *testing.T) {
			err := Check(netip.MustParseAddr(s))
			var re *RefusedError
			if !errors.As(err, &re) {
				t.Fatalf("Check(%s) = %v, want a *RefusedError", s, err)
			}
			if !strings.Contains(re.Reason, reason) {
				t.Errorf("Check(%s) reason %q, want it to mention %q", s, re.Reason, reason)
			}
			if !errors.Is(err, gazette.ErrForbidden) {
				t.Errorf("Check(%s) error is not gazette.ErrForbidden", s)
			}
			if !strings.Contains(err.Error(), re.Addr.String()) {
				t.Errorf("message %q does not name the address", err)
			}
		})
	}
	for _, s := range []string{"93.184.216.34", "8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "100.128.0.1", "2606:4700::1111", "2a00:1450:4001::1", "::ffff:8.8.8.8"} {
		t.Run(s, func(t *testing.T) {
			if err := Check(netip.MustParseAddr(s)); err != nil {
				t.Errorf("Check(%s) = %v, want nil", s, err)
			}
		})
	}
}

// countingServer is a loopback test server that counts the connections made
// to it, to prove a refused dial never reached it.
type countingServer struct {
	*httptest.Server
	conns atomic.Int64
}

func newCountingServer(t *testing.T, listenAddr string, h http.Handler) *countingServer {
	t.Helper()
	ln, err := net.Listen("tcp", listenAddr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", listenAddr, err)
	}
	s := &countingServer{Server: httptest.NewUnstartedServer(h)}
	s.Listener.Close()
	s.Listener = ln
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func hello(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "hello %s", r.UserAgent())
}

func wantRefused(t *testing.T, err error, addr string) {
	t.Helper()
	var re *RefusedError
	if !errors.As(err, &re) {
		t.Fatalf("error %v, want a *RefusedError", err)
	}
	if addr != "" && re.Addr != netip.MustParseAddr(addr) {
		t.Errorf("refused %s, want %s", re.Addr, addr)
	}
	if !errors.Is(err, gazette.ErrForbidden) {
		t.Errorf("error %v is not gazette.ErrForbidden", err)
	}
}

// TestRefusesAtDial shows that the dial itself is refused: the loopback
// server never sees a connection. The Control hook runs before connect(2),
// so the non-loopback addresses, which this machine must never send a
// packet to, get the same *RefusedError without any traffic; they are tried
// only once the loopback case has proved the hook is in place.
func TestRefusesAtDial(t *testing.T) {
	srv := newCountingServer(t, "127.0.0.1:0", http.HandlerFunc(hello))
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	c := New(Config{})

	_, err := c.Get(t.Context(), srv.URL)
	wantRefused(t, err, "127.0.0.1")
	if n := srv.conns.Load(); n != 0 {
		t.Fatalf("the server saw %d connections; the dial should have been refused before connecting", n)
	}
	if t.Failed() {
		t.Fatal("loopback was not refused at dial time; not trying other addresses")
	}

	_, err = c.Get(t.Context(), "http://localhost:"+port+"/")
	wantRefused(t, err, "")
	if n := srv.conns.Load(); n != 0 {
		t.Fatalf("the server saw %d connections through localhost", n)
	}

	for _, addr := range []string{"10.0.0.1", "192.168.1.1", "172.16.0.1", "169.254.169.254", "::1", "fe80::1", "0.0.0.0"} {
		t.Run(addr, func(t *testing.T) {
			if Check(netip.MustParseAddr(addr)) == nil {
				t.Fatalf("Check does not refuse %s; not dialling it", addr)
			}
			u := "http://" + net.JoinHostPort(addr, "80") + "/latest/meta-data/"
			_, err := c.Get(t.Context(), u)
			wantRefused(t, err, addr)
		})
	}
}

// fakeDNS answers A and AAAA queries from a table, on loopback UDP.
func fakeDNS(t *testing.T, table map[string][]netip.Addr) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			var msg dnsmessage.Message
			if err := msg.Unpack(buf[:n]); err != nil || len(msg.Questions) != 1 {
				continue
			}
			q := msg.Questions[0]
			msg.Header.Response, msg.Header.Authoritative = true, true
			msg.Answers = nil
			for _, a := range table[strings.TrimSuffix(q.Name.String(), ".")] {
				h := dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 1}
				switch {
				case q.Type == dnsmessage.TypeA && a.Is4():
					h.Type = dnsmessage.TypeA
					msg.Answers = append(msg.Answers, dnsmessage.Resource{Header: h, Body: &dnsmessage.AResource{A: a.As4()}})
				case q.Type == dnsmessage.TypeAAAA && a.Is6():
					h.Type = dnsmessage.TypeAAAA
					msg.Answers = append(msg.Answers, dnsmessage.Resource{Header: h, Body: &dnsmessage.AAAAResource{AAAA: a.As16()}})
				}
			}
			if out, err := msg.Pack(); err == nil {
				pc.WriteTo(out, from)
			}
		}
	}()
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", pc.LocalAddr().String())
		},
	}
}

func TestRefusesNamesResolvingToPrivateAddresses(t *testing.T) {
	srv := newCountingServer(t, "127.0.0.1:0", http.HandlerFunc(hello))
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	res := fakeDNS(t, map[string][]netip.Addr{
		"loopback.test": {netip.MustParseAddr("127.0.0.1")},
		"intranet.test": {netip.MustParseAddr("10.0.0.1")},
		"metadata.test": {netip.MustParseAddr("169.254.169.254")},
		"v6.test":       {netip.MustParseAddr("::1")},
	})
	c := New(Config{Resolver: res})
	_, err := c.Get(t.Context(), "http://loopback.test:"+port+"/")
	wantRefused(t, err, "127.0.0.1")
	if n := srv.conns.Load(); n != 0 {
		t.Fatalf("the server saw %d connections; the dial should have been refused", n)
	}
	for name, addr := range map[string]string{"intranet.test": "10.0.0.1", "metadata.test": "169.254.169.254", "v6.test": "::1"} {
		t.Run(name, func(t *testing.T) {
			_, err := c.Get(t.Context(), "http://"+name+":"+port+"/")
			wantRefused(t, err, addr)
		})
	}

	// The same name is reached when private addresses are allowed, which
	// shows the resolver is the one in use.
	open := New(Config{Resolver: res, AllowPrivate: true})
	resp, err := open.Get(t.Context(), "http://loopback.test:"+port+"/")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d, want 200", resp.StatusCode)
	}
}

func TestAllowPrivate(t *testing.T) {
	srv := newCountingServer(t, "127.0.0.1:0", http.HandlerFunc(hello))
	c := New(Config{AllowPrivate: true, Version: "1.2.0", BaseURL: "https://blog.example"})
	resp, err := c.Get(t.Context(), srv.URL+"/x")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(resp.Body), "hello gazette/1.2.0 (+https://blog.example)"; got != want {
		t.Errorf("body %q, want %q", got, want)
	}
	if resp.URL != srv.URL+"/x" {
		t.Errorf("URL %q, want %q", resp.URL, srv.URL+"/x")
	}
}

// TestRedirectRechecked follows a redirect from an allowed loopback server
// to refused addresses: every hop is dialled through the same check.
func TestRedirectRechecked(t *testing.T) {
	second := newCountingServer(t, "127.0.0.2:0", http.HandlerFunc(hello))
	first := newCountingServer(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		io.WriteString(w, "ok")
	}))
	c := New(Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})

	// Allow lets the first server through, and a redirect to itself too.
	resp, err := c.Get(t.Context(), first.URL+"/?to="+first.URL+"/ok")
	if err != nil {
		t.Fatalf("allowed server: %v", err)
	}
	if string(resp.Body) != "ok" {
		t.Fatalf("allowed server answered %q", resp.Body)
	}

	_, err = c.Get(t.Context(), first.URL+"/?to="+second.URL+"/")
	wantRefused(t, err, "127.0.0.2")
	if n := second.conns.Load(); n != 0 {
		t.Fatalf("the redirect target saw %d connections", n)
	}
	if t.Failed() {
		t.Fatal("a redirect to loopback got through; not trying other addresses")
	}
	for _, to := range []string{"http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/"} {
		t.Run(to, func(t *testing.T) {
			_, err := c.Get(t.Context(), first.URL+"/?to="+to)
			wantRefused(t, err, "")
		})
	}
}

func TestRedirectLimit(t *testing.T) {
	// /N redirects to /N-1; /0 answers.
	srv := newCountingServer(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		if n > 0 {
			http.Redirect(w, r, "/"+strconv.Itoa(n-1), http.StatusFound)
			return
		}
		io.WriteString(w, "done")
	}))
	for _, tc := range []struct {
		name   string
		max    int
		hops   int
		refuse bool
	}{
		{"default, 5 hops", 0, 5, false},
		{"default, 6 hops", 0, 6, true},
		{"2 allowed, 2 hops", 2, 2, false},
		{"2 allowed, 3 hops", 2, 3, true},
		{"none allowed", -1, 1, true},
		{"none allowed, no redirect", -1, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := New(Config{AllowPrivate: true, MaxRedirects: tc.max})
			resp, err := c.Get(t.Context(), srv.URL+"/"+strconv.Itoa(tc.hops))
			if tc.refuse {
				if err == nil || !strings.Contains(err.Error(), "stopped after") {
					t.Fatalf("error %v, want one about too many redirects", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.URL != srv.URL+"/0" || string(resp.Body) != "done" {
				t.Errorf("ended at %s with %q", resp.URL, resp.Body)
			}
		})
	}
}

func TestSizeLimit(t *testing.T) {
	srv := newCountingServer(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		w.Write([]byte(strings.Repeat("x", n)))
	}))
	c := New(Config{AllowPrivate: true, MaxBytes: 1000})
	for _, tc := range []struct {
		n        int
		tooLarge bool
	}{{0, false}, {999, false}, {1000, false}, {1001, true}, {1 << 20, true}} {
		t.Run(strconv.Itoa(tc.n), func(t *testing.T) {
			resp, err := c.Get(t.Context(), srv.URL+"/?n="+strconv.Itoa(tc.n))
			if tc.tooLarge {
				if !errors.Is(err, ErrTooLarge) {
					t.Fatalf("error %v, want ErrTooLarge", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Body) != tc.n {
				t.Errorf("read %d bytes, want %d", len(resp.Body), tc.n)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := newCountingServer(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		select { // a body that never ends
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer close(release)
	c := New(Config{AllowPrivate: true, Timeout: 50 * time.Millisecond})
	_, err := c.Get(context.Background(), srv.URL)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("error %v, want a timeout", err)
	}
}
