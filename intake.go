package gazette

import (
	"context"
	"time"
)

// CommentTokenStore remembers the signed form tokens that comments were
// accepted with, so that each token is accepted once and a reader who posts
// again after a lost response gets the first post's result.
type CommentTokenStore interface {
	// CommentByToken returns the comment accepted with the form token;
	// ErrNotFound when the token has not been used (or its record expired).
	CommentByToken(ctx context.Context, token string) (*Comment, error)
	// UseCommentToken records that the token was accepted for the comment
	// commentID, until expires. A token already used is ErrConflict.
	UseCommentToken(ctx context.Context, token string, commentID int64, expires time.Time) error
	// DeleteExpiredCommentTokens forgets the tokens that expired before t
	// and returns how many.
	DeleteExpiredCommentTokens(ctx context.Context, t time.Time) (int, error)
}

// SecretStore keeps the blog's secrets: random keys that sign form tokens and
// cookies. They live in the store so that every instance serving the blog
// signs with the same key.
type SecretStore interface {
	// Secret returns the secret called name. The first call for a name
	// stores candidate and returns it; every later call, from any instance,
	// returns the stored secret.
	Secret(ctx context.Context, name string, candidate []byte) ([]byte, error)
}

// SpamCount is how many ham (approved) and spam comments were learnt from:
// for one token, those that held it.
type SpamCount struct {
	Ham, Spam int
}

// SpamStore keeps what the spam filter has learnt from moderation decisions.
type SpamStore interface {
	// SpamCounts returns the counts of those tokens that have been seen
	// (absent ones are unseen), and the numbers of comments learnt from.
	SpamCounts(ctx context.Context, tokens []string) (map[string]SpamCount, SpamCount, error)
	// TrainSpam records that the comment commentID, whose distinct tokens
	// are tokens, is spam (or ham when spam is false). Each comment counts
	// once: training it again as the same kind changes nothing, and as the
	// other kind moves its counts across. An unknown comment is ErrNotFound.
	TrainSpam(ctx context.Context, commentID int64, tokens []string, spam bool) error
}
