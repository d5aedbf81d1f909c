package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/fetch"
	"github.com/gazette-blog/gazette/internal/jobs"
	"github.com/gazette-blog/gazette/internal/linkback"
	"github.com/gazette-blog/gazette/internal/pagecache"
)

// version names this build in the User-Agent of outbound requests.
const version = "0.1"

// linkbackOptions are serve's flags for talking to other sites.
type linkbackOptions struct {
	// allowPrivate lets outbound requests reach loopback and private
	// addresses: for tests, and for blogs on an intranet.
	allowPrivate bool
	// pingInterval is how often the queue of outbound webmentions is read.
	pingInterval time.Duration
	// inv hears the mentions received, for the page cache; nil for none.
	inv pagecache.Invalidator
}

// startLinkbacks starts receiving and sending mentions in the background,
// until ctx is done, when the store keeps them. It returns the receiver the
// endpoints hand requests to (nil when the store does not keep mentions'
// sources) and a function that waits for the background work to end.
func startLinkbacks(ctx context.Context, store gazette.Store, opts linkbackOptions, logger *slog.Logger) (*linkback.Receiver, func()) {
	st, err := store.Settings(ctx)
	if err != nil {
		st = gazette.DefaultSettings() // the User-Agent goes without the blog's address
	}
	client := fetch.New(fetch.Config{Version: version, BaseURL: st.BaseURL, AllowPrivate: opts.allowPrivate})
	if opts.allowPrivate {
		logger.Warn("outbound requests may reach private and loopback addresses (--allow-private)")
	}
	var wg sync.WaitGroup
	var recv *linkback.Receiver
	if ls, ok := store.(linkback.Store); ok {
		if opts.inv != nil {
			ls = mentionInvalidator{Store: ls, inv: opts.inv}
		}
		recv = linkback.New(linkback.Config{Store: ls, Fetch: client, Logger: logger})
		wg.Go(func() { recv.Run(ctx) })
	} else {
		logger.Warn("this database keeps no linkbacks: webmentions, pingbacks and TrackBacks are off")
	}
	if js, ok := store.(jobs.Store); ok {
		sender := jobs.NewSender(jobs.SenderConfig{Store: js, Fetch: client, Logger: logger, Interval: opts.pingInterval})
		wg.Go(func() { sender.Run(ctx) })
	} else {
		logger.Warn("this database keeps no outbound webmentions: none are sent")
	}
	return recv, wg.Wait
}
