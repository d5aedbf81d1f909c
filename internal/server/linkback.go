package server

import (
	"net/http"

	"github.com/gazette-blog/gazette/internal/api/trackback"
	"github.com/gazette-blog/gazette/internal/api/webmention"
	"github.com/gazette-blog/gazette/internal/api/xmlrpc"
	"github.com/gazette-blog/gazette/internal/site"
)

// mountLinkbacks mounts the endpoints other sites ping. They are meant to be
// called from anywhere and act on no one's cookies, so cross-origin
// protection lets them through: a page elsewhere may hold a form that sends
// a webmention here.
func mountLinkbacks(mux *http.ServeMux, csrf *http.CrossOriginProtection, cfg Config) {
	rpc := xmlrpc.New(xmlrpc.Config{Settings: cfg.Store, Receiver: cfg.Linkback, Logger: cfg.Logger})
	for _, ep := range []struct {
		pattern string
		handler http.Handler
	}{
		{"POST " + site.WebmentionPath, webmention.New(webmention.Config{Settings: cfg.Store, Receiver: cfg.Linkback, Logger: cfg.Logger})},
		{"POST " + site.TrackbackPath + "{id}", trackback.New(trackback.Config{Store: cfg.Store, Receiver: cfg.Linkback, Logger: cfg.Logger})},
		{site.PingbackPath, rpc},
		{"/mt-xmlrpc.cgi", rpc}, // Movable Type's address, which old clients know
	} {
		mux.Handle(ep.pattern, ep.handler)
		csrf.AddInsecureBypassPattern(ep.pattern)
	}
}
