package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
)

// CommentByToken implements gazette.CommentTokenStore.
func (h *handle) CommentByToken(ctx context.Context, token string) (*gazette.Comment, error) {
	row, err := h.row(ctx, commentSelect+` WHERE c.id = (SELECT comment_id FROM comment_tokens WHERE token = ?)`, token)
	if err != nil {
		return nil, wrap(err, "look up form token")
	}
	c, err := scanComment(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gazette.Errorf(gazette.ErrNotFound, "form token not used")
	}
	return c, wrap(err, "look up form token")
}

// UseCommentToken implements gazette.CommentTokenStore.
func (h *handle) UseCommentToken(ctx context.Context, token string, commentID int64, expires time.Time) error {
	_, err := h.exec(ctx, `INSERT INTO comment_tokens (token, comment_id, expires_at) VALUES (?, ?, ?)`,
		token, commentID, micros(expires))
	switch {
	case isUnique(err):
		return gazette.Errorf(gazette.ErrConflict, "form token already used")
	case isForeignKey(err):
		return gazette.Errorf(gazette.ErrInvalid, "form token for unknown comment %d", commentID)
	}
	return wrap(err, "record form token")
}

// DeleteExpiredCommentTokens implements gazette.CommentTokenStore.
func (h *handle) DeleteExpiredCommentTokens(ctx context.Context, t time.Time) (int, error) {
	res, err := h.exec(ctx, `DELETE FROM comment_tokens WHERE expires_at < ?`, micros(t))
	if err != nil {
		return 0, wrap(err, "delete expired form tokens")
	}
	return int(affected(res)), nil
}

// Secret implements gazette.SecretStore.
func (h *handle) Secret(ctx context.Context, name string, candidate []byte) ([]byte, error) {
	if len(candidate) == 0 {
		return nil, gazette.Errorf(gazette.ErrInvalid, "secret %q: empty candidate", name)
	}
	if _, err := h.exec(ctx, `INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING`,
		name, candidate); err != nil {
		return nil, wrap(err, "store secret %q", name)
	}
	var v []byte
	err := h.queryRow(ctx, `SELECT value FROM secrets WHERE blog_id = 1 AND name = ?`, []any{name}, &v)
	return v, wrap(err, "read secret %q", name)
}

// SpamCounts implements gazette.SpamStore.
func (h *handle) SpamCounts(ctx context.Context, tokens []string) (map[string]gazette.SpamCount, gazette.SpamCount, error) {
	var total gazette.SpamCount
	err := h.queryRow(ctx, `SELECT ham, spam FROM spam_totals WHERE blog_id = 1`, nil, &total.Ham, &total.Spam)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, total, wrap(err, "read spam totals")
	}
	counts := make(map[string]gazette.SpamCount, len(tokens))
	// One query per batch of tokens, each batch of the same size (padded
	// with a repeat) so that one prepared statement serves every batch.
	const batch = 64
	query := `SELECT token, ham, spam FROM spam_tokens WHERE blog_id = 1 AND token IN (?` +
		strings.Repeat(", ?", batch-1) + `)`
	args := make([]any, batch)
	for start := 0; start < len(tokens); start += batch {
		part := tokens[start:min(start+batch, len(tokens))]
		for i := range args {
			args[i] = part[min(i, len(part)-1)]
		}
		if err := h.scanSpamCounts(ctx, query, args, counts); err != nil {
			return nil, total, err
		}
	}
	return counts, total, nil
}

func (h *handle) scanSpamCounts(ctx context.Context, query string, args []any, counts map[string]gazette.SpamCount) error {
	rows, err := h.query(ctx, query, args...)
	if err != nil {
		return wrap(err, "read spam counts")
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var c gazette.SpamCount
		if err := rows.Scan(&t, &c.Ham, &c.Spam); err != nil {
			return wrap(err, "read spam counts")
		}
		counts[t] = c
	}
	return wrap(rows.Err(), "read spam counts")
}

// TrainSpam implements gazette.SpamStore.
func (h *handle) TrainSpam(ctx context.Context, commentID int64, tokens []string, spam bool) error {
	var was bool
	err := h.queryRow(ctx, `SELECT spam FROM spam_trained WHERE comment_id = ?`, []any{commentID}, &was)
	switch {
	case err == nil && was == spam:
		return nil // learnt already
	case err == nil:
		if err := h.addSpamCounts(ctx, tokens, was, -1); err != nil {
			return err
		}
	case !errors.Is(err, sql.ErrNoRows):
		return wrap(err, "read training of comment %d", commentID)
	}
	_, err = h.exec(ctx, `INSERT INTO spam_trained (comment_id, spam) VALUES (?, ?)
		ON CONFLICT (comment_id) DO UPDATE SET spam = excluded.spam`, commentID, spam)
	if isForeignKey(err) {
		return gazette.Errorf(gazette.ErrNotFound, "comment %d not found", commentID)
	}
	if err != nil {
		return wrap(err, "record training of comment %d", commentID)
	}
	return h.addSpamCounts(ctx, tokens, spam, 1)
}

// addSpamCounts adds delta to the ham or spam count of each token and of the
// totals, never below zero.
func (h *handle) addSpamCounts(ctx context.Context, tokens []string, spam bool, delta int) error {
	col := "ham"
	if spam {
		col = "spam"
	}
	seen := make(map[string]bool, len(tokens))
	for _, t := range tokens {
		if seen[t] {
			continue
		}
		seen[t] = true
		if _, err := h.exec(ctx, `INSERT INTO spam_tokens (token, `+col+`) VALUES (?, max(?, 0))
			ON CONFLICT (blog_id, token) DO UPDATE SET `+col+` = max(`+col+` + ?, 0)`, t, delta, delta); err != nil {
			return wrap(err, "count spam token")
		}
	}
	_, err := h.exec(ctx, `INSERT INTO spam_totals (blog_id, `+col+`) VALUES (1, max(?, 0))
		ON CONFLICT (blog_id) DO UPDATE SET `+col+` = max(`+col+` + ?, 0)`, delta, delta)
	return wrap(err, "count spam totals")
}

// UseCommentToken implements gazette.CommentTokenStore.
func (db *DB) UseCommentToken(ctx context.Context, token string, commentID int64, expires time.Time) error {
	return db.write(ctx, func(h *handle) error { return h.UseCommentToken(ctx, token, commentID, expires) })
}

// DeleteExpiredCommentTokens implements gazette.CommentTokenStore.
func (db *DB) DeleteExpiredCommentTokens(ctx context.Context, t time.Time) (n int, err error) {
	err = db.write(ctx, func(h *handle) error { n, err = h.DeleteExpiredCommentTokens(ctx, t); return err })
	return n, err
}

// Secret implements gazette.SecretStore.
func (db *DB) Secret(ctx context.Context, name string, candidate []byte) (v []byte, err error) {
	err = db.write(ctx, func(h *handle) error { v, err = h.Secret(ctx, name, candidate); return err })
	return v, err
}

// TrainSpam implements gazette.SpamStore.
func (db *DB) TrainSpam(ctx context.Context, commentID int64, tokens []string, spam bool) error {
	return db.write(ctx, func(h *handle) error { return h.TrainSpam(ctx, commentID, tokens, spam) })
}

var (
	_ gazette.CommentTokenStore = (*DB)(nil)
	_ gazette.SecretStore       = (*DB)(nil)
	_ gazette.SpamStore         = (*DB)(nil)
)
