package publish

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/mail"
	"github.com/gazette-blog/gazette/internal/spam"
)

// CommentForm is a comment as a reader posted it, with what the request
// carried besides.
type CommentForm struct {
	EntryID  int64
	ParentID int64 // the comment answered; 0 for none
	Name     string
	Email    string
	URL      string
	Body     string
	IP       string
	// UserAgent is the browser's name, kept for moderators.
	UserAgent string
	// Token is the signed token the form was shown with.
	Token string
	// Honeypot is the field people never see; anything in it is a bot's.
	Honeypot string
}

// intakeTx is what comment intake needs of a transaction beyond gazette.Tx.
type intakeTx interface {
	gazette.Tx
	gazette.CommentTokenStore
	gazette.SpamStore
}

// tokenSweepEvery is how many posts pass between sweeps of expired tokens.
const tokenSweepEvery = 256

// SubmitComment takes a reader's comment: it checks it against every defence
// of the intake settings, decides its status (approved, pending or spam) and
// stores it in one transaction. The comment is returned only after that
// transaction has committed; a comment refused for any reason writes
// nothing, and the refusal is a *gazette.Error whose message tells the
// reader what to change.
//
// A form token is accepted once from each reader's address. The page cache
// hands every reader of an entry page the same form, so one reader's
// comment must not spend the token of the others; a second comment from
// the same address with the same token is refused, and posting the same
// comment again (a reader's retry after a lost response) returns the
// comment the first post stored, without storing another.
func (p *Publisher) SubmitComment(ctx context.Context, store gazette.Store, s gazette.Settings, f CommentForm, now time.Time) (*gazette.Comment, error) {
	in := s.CommentIntake
	if err := checkFields(&f, in); err != nil {
		return nil, err
	}
	if in.Honeypot && f.Honeypot != "" {
		return nil, gazette.Errorf(gazette.ErrForbidden, "Your comment was refused: a field meant to stay empty was filled in.")
	}
	secret, err := p.secret(ctx, store)
	if err != nil {
		return nil, err
	}
	issued, err := checkToken(secret, f.Token, f.EntryID, now, in)
	if err != nil {
		return nil, err
	}
	expires := issued.Add(in.TokenMaxAge)
	if in.TokenMaxAge == 0 {
		expires = now.Add(gazette.DefaultCommentIntake().TokenMaxAge)
	}
	sub := &submission{
		store: store, s: s, now: now, expires: expires, token: tokenUse(secret, f.Token, f.IP),
		c: &gazette.Comment{
			EntryID: f.EntryID, ParentID: f.ParentID, Name: f.Name, Email: f.Email, URL: f.URL,
			Body: f.Body, IP: f.IP, UserAgent: f.UserAgent, CreatedAt: now.UTC(),
		},
		done: make(chan struct{}),
	}
	p.commit(ctx, sub)
	if sub.err != nil {
		return nil, sub.err
	}
	if !sub.replay {
		if sub.c.Status == gazette.CommentApproved {
			p.commentChanged(ctx, sub.c.EntryID)
		}
		p.notify(s, sub.entry, sub.c)
	}
	return sub.c, nil
}

// submission is one comment on its way into the store, and its outcome.
type submission struct {
	store   gazette.Store
	s       gazette.Settings
	now     time.Time
	expires time.Time
	token   string
	c       *gazette.Comment

	entry  *gazette.Entry
	replay bool // the token was used already, for this same comment
	wrote  bool // the submission wrote to the transaction
	err    error
	done   chan struct{}
}

// maxBatch is the most comments written in one transaction.
const maxBatch = 128

// commit writes sub in a transaction shared with the comments submitted at
// the same moment (group commit): the first submitter to find no
// transaction running writes every waiting submission in one, and each
// submitter returns once the transaction holding its comment has
// committed. On SQLite, where every commit waits for the disk, this turns
// one disk sync per comment into one per batch.
func (p *Publisher) commit(ctx context.Context, sub *submission) {
	p.batchMu.Lock()
	p.queue = append(p.queue, sub)
	if p.leading {
		p.batchMu.Unlock()
		<-sub.done
		return
	}
	p.leading = true
	p.batchMu.Unlock()
	// The batch is written for every submitter waiting on it, so it must
	// not end because this submitter's request does.
	ctx = context.WithoutCancel(ctx)
	for {
		p.batchMu.Lock()
		var batch, rest []*submission
		for _, q := range p.queue {
			if len(batch) < maxBatch && q.store == p.queue[0].store {
				batch = append(batch, q)
			} else {
				rest = append(rest, q)
			}
		}
		p.queue = rest
		if len(batch) == 0 {
			p.leading = false
			p.batchMu.Unlock()
			return
		}
		p.batchMu.Unlock()
		p.writeBatch(ctx, batch)
		for _, b := range batch {
			close(b.done)
		}
	}
}

// writeBatch writes the submissions of one store in one transaction. A
// refusal writes nothing and leaves the others alone; any other failure
// rolls the whole batch back and fails every comment in it.
func (p *Publisher) writeBatch(ctx context.Context, batch []*submission) {
	var failed error
	err := batch[0].store.Atomic(ctx, func(t gazette.Tx) error {
		tx, ok := t.(intakeTx)
		if !ok {
			return fmt.Errorf("publish: the store cannot take comments (%T)", t)
		}
		for _, sub := range batch {
			sub.err = p.intake(ctx, tx, sub)
			var ge *gazette.Error
			if sub.err != nil && (sub.wrote || !errors.As(sub.err, &ge)) {
				failed = sub.err
				return sub.err
			}
		}
		var keys []string
		for _, sub := range batch {
			if sub.wrote && sub.c.Status == gazette.CommentApproved {
				keys = append(keys, commentKeys(sub.c.EntryID)...)
			}
		}
		if err := journal(ctx, t, keys...); err != nil {
			return err
		}
		if p.submissions.Add(uint64(len(batch))) >= tokenSweepEvery {
			p.submissions.Store(0)
			if _, err := tx.DeleteExpiredCommentTokens(ctx, batch[0].now); err != nil {
				return fmt.Errorf("publish: sweep form tokens: %w", err)
			}
		}
		return nil
	})
	if err == nil {
		return
	}
	for _, sub := range batch {
		var ge *gazette.Error
		if sub.err == nil || sub.wrote || sub.err == failed || !errors.As(sub.err, &ge) {
			sub.err, sub.replay = err, false
		}
	}
}

// intake checks one submission inside the batch's transaction and writes
// it. Every check comes before the first write, so a refusal writes nothing.
func (p *Publisher) intake(ctx context.Context, tx intakeTx, sub *submission) error {
	c, s := sub.c, sub.s
	var err error
	if sub.entry, err = openEntry(ctx, tx, s, c.EntryID, sub.now); err != nil {
		return err
	}
	if first, err := tx.CommentByToken(ctx, sub.token); err == nil {
		if first.Body != c.Body || first.Email != c.Email || first.Name != c.Name {
			return gazette.Errorf(gazette.ErrConflict,
				"This form was already used to post a comment. Reload the page to post another.")
		}
		*c, sub.replay = *first, true
		return nil
	} else if !errors.Is(err, gazette.ErrNotFound) {
		return fmt.Errorf("publish: look up form token: %w", err)
	}
	if err := refuseDuplicate(ctx, tx, c); err != nil {
		return err
	}
	if err := checkParent(ctx, tx, c); err != nil {
		return err
	}
	if c.Status, err = p.decide(ctx, tx, s, c); err != nil {
		return err
	}
	sub.wrote = true
	if err := tx.CreateComment(ctx, c); err != nil {
		return fmt.Errorf("publish: store comment on entry %d: %w", c.EntryID, err)
	}
	if err := tx.UseCommentToken(ctx, sub.token, c.ID, sub.expires); err != nil {
		return fmt.Errorf("publish: record form token: %w", err)
	}
	return nil
}

// checkFields refuses a field that is empty where it must not be, too long,
// or not what it claims to be. Nothing is ever cut or changed.
func checkFields(f *CommentForm, in gazette.CommentIntake) error {
	if strings.TrimSpace(f.Body) == "" {
		return gazette.Errorf(gazette.ErrInvalid, "Your comment is empty.")
	}
	for _, field := range []struct {
		what, value string
		limit       int
	}{
		{"comment", f.Body, in.MaxCommentLength},
		{"name", f.Name, in.MaxNameLength},
		{"email address", f.Email, in.MaxEmailLength},
		{"web site address", f.URL, in.MaxURLLength},
	} {
		if !utf8.ValidString(field.value) {
			return gazette.Errorf(gazette.ErrInvalid, "Your %s is not valid UTF-8 text.", field.what)
		}
		if n := utf8.RuneCountInString(field.value); field.limit > 0 && n > field.limit {
			return gazette.Errorf(gazette.ErrInvalid, "Your %s is %s characters; the limit is %s.",
				field.what, thousands(n), thousands(field.limit))
		}
	}
	if f.Email != "" {
		local, host, ok := strings.Cut(f.Email, "@")
		if !ok || local == "" || !strings.Contains(host, ".") || strings.ContainsAny(f.Email, " \t\r\n<>,;\"") {
			return gazette.Errorf(gazette.ErrInvalid, "Your email address %q does not look like one (name@example.com).", f.Email)
		}
	}
	if f.URL != "" {
		u, err := url.Parse(f.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return gazette.Errorf(gazette.ErrInvalid, "Your web site address %q must start with http:// or https://.", f.URL)
		}
	}
	return nil
}

// openEntry returns the entry a comment is for, refusing one readers cannot
// see or whose comments are closed.
func openEntry(ctx context.Context, tx gazette.Tx, s gazette.Settings, id int64, now time.Time) (*gazette.Entry, error) {
	e, err := tx.Entry(ctx, id)
	if errors.Is(err, gazette.ErrNotFound) || err == nil && !e.VisibleAt(now) {
		return nil, gazette.Errorf(gazette.ErrNotFound, "There is no entry %d to comment on.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("publish: read entry %d: %w", id, err)
	}
	if CommentsClosed(e, s, now) {
		return nil, gazette.Errorf(gazette.ErrForbidden, "Comments are closed on this entry.")
	}
	return e, nil
}

// CommentsClosed reports whether e takes no more comments at now: its
// author closed them, or the blog closes comments some days after an entry
// is published.
func CommentsClosed(e *gazette.Entry, s gazette.Settings, now time.Time) bool {
	if !e.AllowComments {
		return true
	}
	days := s.CommentsCloseAfterDays
	return days > 0 && now.After(e.PublishedAt.AddDate(0, 0, days))
}

func refuseDuplicate(ctx context.Context, tx gazette.Tx, c *gazette.Comment) error {
	same, _, err := tx.Comments(ctx, gazette.CommentFilter{EntryID: c.EntryID, Email: c.Email, Body: c.Body, Limit: 1})
	if err != nil {
		return fmt.Errorf("publish: look for a duplicate comment: %w", err)
	}
	if len(same) > 0 && same[0].Name == c.Name {
		return gazette.Errorf(gazette.ErrConflict, "You have already posted this comment.")
	}
	return nil
}

func checkParent(ctx context.Context, tx gazette.Tx, c *gazette.Comment) error {
	if c.ParentID == 0 {
		return nil
	}
	parent, err := tx.Comment(ctx, c.ParentID)
	if errors.Is(err, gazette.ErrNotFound) || err == nil && (parent.EntryID != c.EntryID || parent.Status != gazette.CommentApproved) {
		return gazette.Errorf(gazette.ErrInvalid, "The comment you are replying to is not on this entry.")
	}
	if err != nil {
		return fmt.Errorf("publish: read parent comment %d: %w", c.ParentID, err)
	}
	return nil
}

// decide returns the status of a new comment: spam when the blocklist or
// the filter says so; pending when the filter is unsure, it holds too many
// links, or the moderation policy holds it; approved otherwise.
func (p *Publisher) decide(ctx context.Context, tx intakeTx, s gazette.Settings, c *gazette.Comment) (gazette.CommentStatus, error) {
	in := s.CommentIntake
	if blocked(c, in.Blocklist) {
		return gazette.CommentSpam, nil
	}
	held := false
	if in.SpamFilter {
		score, err := spam.Classify(ctx, tx, c)
		if err != nil {
			return "", err
		}
		if score >= in.SpamScore {
			return gazette.CommentSpam, nil
		}
		held = score >= in.SpamHoldScore
	}
	if spam.CountLinks(c.Body) > in.MaxLinks {
		held = true
	}
	switch s.Moderation {
	case gazette.ModerateAll:
		held = true
	case gazette.ModerateFirstTime:
		known := false
		if c.Email != "" {
			approved, _, err := tx.Comments(ctx, gazette.CommentFilter{Email: c.Email, Status: gazette.CommentApproved, Limit: 1})
			if err != nil {
				return "", fmt.Errorf("publish: look up earlier comments: %w", err)
			}
			known = len(approved) > 0
		}
		held = held || !known
	}
	if held {
		return gazette.CommentPending, nil
	}
	return gazette.CommentApproved, nil
}

// blocked reports whether an item of the blocklist is the comment's IP
// address, or a word or domain in its text, name, email or URL.
func blocked(c *gazette.Comment, list []string) bool {
	if len(list) == 0 {
		return false
	}
	text := strings.ToLower(strings.Join([]string{c.Body, c.Name, c.Email, c.URL}, "\n"))
	for _, item := range list {
		item = strings.ToLower(strings.TrimSpace(item))
		if item == "" {
			continue
		}
		if item == c.IP || strings.Contains(text, item) {
			return true
		}
	}
	return false
}

// ModerateComment sets a comment's status and, for approved and spam, teaches
// the spam filter the decision, in one transaction.
func (p *Publisher) ModerateComment(ctx context.Context, store gazette.Store, id int64, status gazette.CommentStatus) error {
	if !status.Valid() {
		return gazette.Errorf(gazette.ErrInvalid, "comment %d: unknown status %q", id, status)
	}
	var c *gazette.Comment
	err := store.Atomic(ctx, func(t gazette.Tx) error {
		var err error
		c, err = t.Comment(ctx, id)
		if err != nil {
			return err
		}
		if err := t.SetCommentStatus(ctx, id, status); err != nil {
			return err
		}
		var keys []string
		if c.Status == gazette.CommentApproved || status == gazette.CommentApproved {
			keys = commentKeys(c.EntryID)
		}
		if err := journal(ctx, t, keys...); err != nil {
			return err
		}
		if status != gazette.CommentApproved && status != gazette.CommentSpam {
			return nil
		}
		tx, ok := t.(intakeTx)
		if !ok {
			return fmt.Errorf("publish: the store keeps no spam counts (%T)", t)
		}
		return spam.Train(ctx, tx, c, status == gazette.CommentSpam)
	})
	if err != nil {
		return err
	}
	if c.Status == gazette.CommentApproved || status == gazette.CommentApproved {
		p.commentChanged(ctx, c.EntryID)
	}
	return nil
}

// DeleteComment removes a comment for good; replies to it stay, unthreaded.
func (p *Publisher) DeleteComment(ctx context.Context, store gazette.Store, id int64) error {
	var c *gazette.Comment
	err := store.Atomic(ctx, func(tx gazette.Tx) error {
		var err error
		if c, err = tx.Comment(ctx, id); err != nil {
			return err
		}
		if err := tx.DeleteComment(ctx, id); err != nil {
			return err
		}
		var keys []string
		if c.Status == gazette.CommentApproved {
			keys = commentKeys(c.EntryID)
		}
		return journal(ctx, tx, keys...)
	})
	if err != nil {
		return err
	}
	if c.Status == gazette.CommentApproved {
		p.commentChanged(ctx, c.EntryID)
	}
	return nil
}

// notify mails the entry's author about a new comment, in the background;
// spam is not worth a mail.
func (p *Publisher) notify(s gazette.Settings, e *gazette.Entry, c *gazette.Comment) {
	if p.mailer == nil || s.SMTP.Host == "" || e.Author.Email == "" || c.Status == gazette.CommentSpam {
		return
	}
	name := c.Name
	if name == "" {
		name = "Anonymous"
	}
	var b strings.Builder
	subject := fmt.Sprintf("New comment on %q by %s", e.Title, name)
	if c.Status == gazette.CommentPending {
		subject = "[awaiting moderation] " + subject
		fmt.Fprintf(&b, "This comment is held for moderation. To publish it:\n\n    gazette comments approve %d\n\n", c.ID)
	}
	link := s.BaseURL + e.Path + "#comment-" + strconv.FormatInt(c.ID, 10)
	fmt.Fprintf(&b, "%s wrote on %s:\n\n%s\n\nName:  %s\nEmail: %s\nURL:   %s\nIP:    %s\n", name, link, c.Body, c.Name, c.Email, c.URL, c.IP)
	p.mailer.Send(s.SMTP, mail.Message{To: e.Author.Email, Subject: subject, Body: b.String()})
}

// thousands writes n with commas between groups of three digits: 5,312.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
