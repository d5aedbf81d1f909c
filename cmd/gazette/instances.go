package main

import (
	"context"
	"log/slog"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/postgres"
)

// invalidationChannel is the PostgreSQL channel on which instances sharing a
// database tell each other which cached pages a write changed.
const invalidationChannel = "gazette_invalidate"

// clearAll is the payload that drops every cached page: sent when the keys
// of a write do not fit in one notification.
const clearAll = "*"

// shareInvalidations returns the Invalidator that the writes of this
// instance go through. On PostgreSQL, where other instances may serve the
// same blog, it drops the pages here and notifies the others, and it starts
// listening, until ctx ends, for what the others' writes change; a lost
// connection to the database clears the whole cache once it is back, since
// notifications sent meanwhile are lost. On SQLite it is the cache itself.
func shareInvalidations(ctx context.Context, store gazette.Store, cache *pagecache.Cache, logger *slog.Logger) pagecache.Invalidator {
	db, ok := store.(*postgres.DB)
	if !ok {
		return cache
	}
	go db.Listen(ctx, invalidationChannel, func(payload string) {
		if payload == clearAll {
			cache.Clear()
			return
		}
		cache.Invalidate(ctx, strings.Split(payload, "\n")...)
	}, cache.Clear)
	return pagecache.Fanout{cache, notifier{db: db, logger: logger}}
}

// notifier sends invalidations to the other instances.
type notifier struct {
	db     *postgres.DB
	logger *slog.Logger
}

// Invalidate implements pagecache.Invalidator.
func (n notifier) Invalidate(ctx context.Context, keys ...string) {
	if len(keys) == 0 {
		return
	}
	payload := strings.Join(keys, "\n")
	if len(payload) >= 7000 {
		payload = clearAll
	}
	// The write has committed; other instances that miss this catch up
	// when their own connection comes back.
	if err := n.db.Notify(context.WithoutCancel(ctx), invalidationChannel, payload); err != nil {
		n.logger.Warn("other instances were not told of a write", "err", err)
	}
}

// serversOf returns what names a command's writes to the servers running
// on store: on PostgreSQL a notifier, since those servers may be anywhere;
// nil on SQLite, whose servers on this machine see any other process's
// commit in the write-ahead log (walWatcher).
func (e *env) serversOf(store gazette.Store) pagecache.Invalidator {
	db, ok := store.(*postgres.DB)
	if !ok {
		return nil
	}
	return notifier{db: db, logger: slog.New(slog.NewTextHandler(e.stderr, nil))}
}

// tellServers drops every page the servers running on store keep, for the
// commands whose writes name no keys of their own (redirects, authors,
// imports): rare enough that rendering the pages again costs little.
func (e *env) tellServers(ctx context.Context, store gazette.Store) {
	if n := e.serversOf(store); n != nil {
		n.Invalidate(ctx, clearAll)
	}
}
