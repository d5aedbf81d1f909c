package server

import (
	"strings"
	"testing"

	"github.com/gazette-blog/gazette/internal/auth"
	"github.com/gazette-blog/gazette/internal/pagecache"
)

// TestSessionCookieBypassesCache: a signed-in author's pages are rendered
// for them, never answered from the page cache, which knows gazette's
// cookies by their prefix.
func TestSessionCookieBypassesCache(t *testing.T) {
	if !strings.HasPrefix(auth.CookieName, pagecache.ReaderCookiePrefix) {
		t.Errorf("the session cookie %q does not start with %q", auth.CookieName, pagecache.ReaderCookiePrefix)
	}
}
