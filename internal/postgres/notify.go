package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// Notify sends payload to every listener of channel on the database, on
// every instance, at once or, inside a transaction, when it commits.
// PostgreSQL refuses a payload of 8000 bytes or more.
func (db *DB) Notify(ctx context.Context, channel, payload string) error {
	_, err := db.pool.Exec(ctx, `SELECT pg_notify($1, $2)`, channel, payload)
	return wrap(err, "notify %s", channel)
}

// Listen calls fn with the payload of each notification sent on channel,
// one at a time, until ctx ends. It listens on a connection of its own and
// reconnects when it drops, waiting a little longer after each failure, up
// to five seconds; after each reconnection it calls resync, since what was
// sent meanwhile is lost. It returns when ctx ends.
func (db *DB) Listen(ctx context.Context, channel string, fn func(payload string), resync func()) {
	wait := 100 * time.Millisecond
	for first := true; ctx.Err() == nil; first = false {
		err := db.listenOnce(ctx, channel, fn, func() {
			wait = 100 * time.Millisecond
			if !first {
				resync()
			}
		})
		if ctx.Err() != nil || err == nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// listenOnce listens on one connection until it fails or ctx ends; it calls
// listening once the LISTEN has taken effect.
func (db *DB) listenOnce(ctx context.Context, channel string, fn func(string), listening func()) error {
	conn, err := pgx.ConnectConfig(ctx, db.pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if errors.Is(err, context.Canceled) || ctx.Err() != nil {
				return nil
			}
			return err
		}
		fn(n.Payload)
	}
}
