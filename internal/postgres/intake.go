package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/jackc/pgx/v5"
)

var (
	_ gazette.CommentTokenStore = (*DB)(nil)
	_ gazette.SecretStore       = (*DB)(nil)
	_ gazette.SpamStore         = (*DB)(nil)
)

// CommentByToken implements gazette.CommentTokenStore.
func (h *handle) CommentByToken(ctx context.Context, token string) (*gazette.Comment, error) {
	c, err := scanComment(h.q.QueryRow(ctx,
		commentSelect+` WHERE c.id = (SELECT comment_id FROM comment_tokens WHERE token = $1)`, token))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, gazette.Errorf(gazette.ErrNotFound, "form token not used")
	}
	return c, wrap(err, "look up form token")
}

// UseCommentToken implements gazette.CommentTokenStore.
func (h *handle) UseCommentToken(ctx context.Context, token string, commentID int64, expires time.Time) error {
	return h.one(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO comment_tokens (token, comment_id, expires_at) VALUES ($1, $2, $3)`,
			token, commentID, expires)
		switch {
		case violation(err, uniqueViolation) != "":
			return gazette.Errorf(gazette.ErrConflict, "form token already used")
		case violation(err, foreignKeyViolation) != "":
			return gazette.Errorf(gazette.ErrInvalid, "form token for unknown comment %d", commentID)
		}
		return wrap(err, "record form token")
	})
}

// DeleteExpiredCommentTokens implements gazette.CommentTokenStore.
func (h *handle) DeleteExpiredCommentTokens(ctx context.Context, t time.Time) (int, error) {
	var n int64
	err := h.one(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `DELETE FROM comment_tokens WHERE expires_at < $1`, t)
		n = tag.RowsAffected()
		return wrap(err, "delete expired form tokens")
	})
	return int(n), err
}

// Secret implements gazette.SecretStore. The read is a statement of its
// own, so that it sees the secret of an instance whose insert won the race.
func (h *handle) Secret(ctx context.Context, name string, candidate []byte) ([]byte, error) {
	if len(candidate) == 0 {
		return nil, gazette.Errorf(gazette.ErrInvalid, "secret %q: empty candidate", name)
	}
	var v []byte
	err := h.atomic(ctx, func(q querier) error {
		if _, err := q.Exec(ctx, `INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			name, candidate); err != nil {
			return wrap(err, "store secret %q", name)
		}
		return wrap(q.QueryRow(ctx, `SELECT value FROM secrets WHERE blog_id = 1 AND name = $1`, name).Scan(&v),
			"read secret %q", name)
	})
	return v, err
}

// SpamCounts implements gazette.SpamStore.
func (h *handle) SpamCounts(ctx context.Context, tokens []string) (map[string]gazette.SpamCount, gazette.SpamCount, error) {
	var total gazette.SpamCount
	err := h.q.QueryRow(ctx, `SELECT ham, spam FROM spam_totals WHERE blog_id = 1`).Scan(&total.Ham, &total.Spam)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, total, wrap(err, "read spam totals")
	}
	counts := make(map[string]gazette.SpamCount, len(tokens))
	rows, err := h.q.Query(ctx, `SELECT token, ham, spam FROM spam_tokens WHERE blog_id = 1 AND token = ANY ($1)`, tokens)
	if err != nil {
		return nil, total, wrap(err, "read spam counts")
	}
	var t string
	var c gazette.SpamCount
	_, err = pgx.ForEachRow(rows, []any{&t, &c.Ham, &c.Spam}, func() error { counts[t] = c; return nil })
	return counts, total, wrap(err, "read spam counts")
}

// TrainSpam implements gazette.SpamStore.
func (h *handle) TrainSpam(ctx context.Context, commentID int64, tokens []string, spam bool) error {
	return h.atomic(ctx, func(q querier) error {
		var was bool
		// FOR UPDATE: two instances training the same comment take turns.
		err := q.QueryRow(ctx, `SELECT spam FROM spam_trained WHERE comment_id = $1 FOR UPDATE`, commentID).Scan(&was)
		switch {
		case err == nil && was == spam:
			return nil // learnt already
		case err == nil:
			if err := addSpamCounts(ctx, q, tokens, was, -1); err != nil {
				return err
			}
		case !errors.Is(err, pgx.ErrNoRows):
			return wrap(err, "read training of comment %d", commentID)
		}
		_, err = q.Exec(ctx, `INSERT INTO spam_trained (comment_id, spam) VALUES ($1, $2)
			ON CONFLICT (comment_id) DO UPDATE SET spam = excluded.spam`, commentID, spam)
		if violation(err, foreignKeyViolation) != "" {
			return gazette.Errorf(gazette.ErrNotFound, "comment %d not found", commentID)
		}
		if err != nil {
			return wrap(err, "record training of comment %d", commentID)
		}
		return addSpamCounts(ctx, q, tokens, spam, 1)
	})
}

// addSpamCounts adds delta to the ham or spam count of each token and of the
// totals, never below zero.
func addSpamCounts(ctx context.Context, q querier, tokens []string, spam bool, delta int) error {
	col := "ham"
	if spam {
		col = "spam"
	}
	if _, err := q.Exec(ctx, `INSERT INTO spam_tokens (token, `+col+`)
		SELECT DISTINCT t, greatest($2, 0) FROM unnest($1::text[]) AS t
		ON CONFLICT (blog_id, token) DO UPDATE SET `+col+` = greatest(spam_tokens.`+col+` + $2, 0)`,
		tokens, delta); err != nil {
		return wrap(err, "count spam tokens")
	}
	_, err := q.Exec(ctx, `INSERT INTO spam_totals (blog_id, `+col+`) VALUES (1, greatest($1, 0))
		ON CONFLICT (blog_id) DO UPDATE SET `+col+` = greatest(spam_totals.`+col+` + $1, 0)`, delta)
	return wrap(err, "count spam totals")
}
