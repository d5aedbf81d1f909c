package fetch

import (
	"fmt"
	"net/netip"

	"github.com/gazette-blog/gazette"
)

// RefusedError is the error of a connection the client would not make
// because its address is not on the public Internet. It is returned before
// any packet is sent to that address.
type RefusedError struct {
	Addr   netip.Addr // the address the host name resolved to
	Reason string     // which kind of non-public address it is
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("fetch: refused to connect to %s: %s", e.Addr, e.Reason)
}

// Unwrap returns gazette.ErrForbidden, so that callers can tell a refused
// address from a network failure with errors.Is.
func (e *RefusedError) Unwrap() error { return gazette.ErrForbidden }

// special lists the address blocks that are not public unicast and the
// reason to give. IPv4 comes from the IANA IPv4 Special-Purpose Address
// Registry (RFC 6890 and successors); for IPv6 only 2000::/3 is global
// unicast, and the blocks inside it listed here are not.
var special = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified (\"this network\", 0.0.0.0/8)"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private (RFC 1918)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared carrier-grade NAT space (RFC 6598)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local (169.254.0.0/16, cloud metadata lives here)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private (RFC 1918)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignment (192.0.0.0/24)"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation (TEST-NET-1)"},
	{netip.MustParsePrefix("192.88.99.0/24"), "deprecated 6to4 relay anycast"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private (RFC 1918)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking (RFC 2544)"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation (TEST-NET-2)"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation (TEST-NET-3)"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved (240.0.0.0/4, includes broadcast)"},

	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("fc00::/7"), "private (unique local, fc00::/7)"},
	{netip.MustParsePrefix("fe80::/10"), "link-local (fe80::/10)"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
	{netip.MustParsePrefix("2001::/23"), "IETF protocol assignment (2001::/23, includes Teredo)"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation (2001:db8::/32)"},
	{netip.MustParsePrefix("2002::/16"), "6to4 (2002::/16), which can tunnel to any IPv4 address"},
	{netip.MustParsePrefix("3fff::/20"), "documentation (3fff::/20)"},
}

var globalIPv6 = netip.MustParsePrefix("2000::/3")

// Check returns a *RefusedError if addr is not a public unicast address:
// loopback, private, link-local, multicast, unspecified, reserved,
// documentation and other special-purpose blocks are refused. An IPv4 address
// written as IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it is.
func Check(addr netip.Addr) error {
	addr = addr.Unmap()
	if !addr.IsValid() {
		return &RefusedError{Addr: addr, Reason: "not an IP address"}
	}
	addr = addr.WithZone("")
	for _, s := range special {
		if s.prefix.Contains(addr) {
			return &RefusedError{Addr: addr, Reason: s.reason}
		}
	}
	if addr.Is6() && !globalIPv6.Contains(addr) {
		return &RefusedError{Addr: addr, Reason: "not in the IPv6 global unicast space 2000::/3"}
	}
	return nil
}
