package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/auth"
	"github.com/gazette-blog/gazette/internal/jobs"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/server"
)

// adminOptions are the flags of serve that concern the authors' area.
type adminOptions struct {
	scheduleInterval time.Duration
}

// startAdmin prepares the authors' area and starts scheduled publishing
// until ctx ends; wait waits for it to stop.
func (e *env) startAdmin(ctx context.Context, store gazette.Store, pub *publish.Publisher, opts adminOptions, changed func(context.Context), logger *slog.Logger) (cfg *server.AdminConfig, wait func(), err error) {
	st, ok := store.(auth.Store)
	if !ok {
		return nil, nil, fmt.Errorf("serve: the store (%T) keeps no sessions", store)
	}
	cfg = &server.AdminConfig{
		Auth:     auth.New(st, auth.Config{}),
		Markdown: markdown.New(),
		MediaDir: filepath.Join(e.dataDir, "media"),
	}
	sched := &jobs.Scheduler{Store: store, Publisher: pub, Interval: opts.scheduleInterval, Logger: logger, Changed: changed}
	done := make(chan struct{})
	go func() { defer close(done); sched.Run(ctx) }()
	return cfg, func() { <-done }, nil
}

// printSetupLink prints a one-time link that creates the first admin, when
// the blog has none that can sign in.
func (e *env) printSetupLink(ctx context.Context, store gazette.Store, cfg *server.AdminConfig, base string) error {
	has, err := auth.HasAdmin(ctx, store)
	if err != nil || has {
		return err
	}
	secret, err := cfg.Auth.SetupLink(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "gazette: no admin yet; create one within 24 hours at %s/admin/setup/%s\n", base, secret)
	return nil
}
