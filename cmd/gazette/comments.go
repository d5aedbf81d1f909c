package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/markdown"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
)

// firstWordsShown is how many words of a comment `comments list` prints.
const firstWordsShown = 12

// comments runs `gazette comments list|approve|spam|delete`. Moderation goes
// through the publish package, so that the spam filter learns from it.
func (e *env) comments(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New("comments: want list, approve, spam or delete")
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "list":
		return e.listComments(ctx, rest)
	case "approve", "spam", "delete":
	default:
		return fmt.Errorf("comments: unknown subcommand %q (want list, approve, spam or delete)", sub)
	}
	if len(rest) == 0 {
		return fmt.Errorf("comments %s: want one or more comment IDs", sub)
	}
	ids := make([]int64, len(rest))
	for i, a := range rest {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("comments %s: %q is not a comment ID", sub, a)
		}
		ids[i] = id
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	pub := publish.New(markdown.New(), sanitize.New())
	if inv := e.serversOf(store); inv != nil {
		pub.SetInvalidator(inv)
	}
	for _, id := range ids {
		switch sub {
		case "approve":
			err = pub.ModerateComment(ctx, store, id, gazette.CommentApproved)
		case "spam":
			err = pub.ModerateComment(ctx, store, id, gazette.CommentSpam)
		case "delete":
			err = pub.DeleteComment(ctx, store, id)
		}
		if err != nil {
			return fmt.Errorf("comments %s %d: %w", sub, id, err)
		}
		fmt.Fprintf(e.stdout, "%d %s\n", id, map[string]string{"approve": "approved", "spam": "marked spam", "delete": "deleted"}[sub])
	}
	return nil
}

func (e *env) listComments(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("comments list", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	status := fs.String("status", "", "only comments of this status: pending, approved, spam or trash")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("comments list: unexpected argument %q", fs.Arg(0))
	}
	s := gazette.CommentStatus(*status)
	if s != "" && !s.Valid() {
		return fmt.Errorf("comments list: --status %q is not pending, approved, spam or trash", *status)
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	list, _, err := store.Comments(ctx, gazette.CommentFilter{Status: s})
	if err != nil {
		return err
	}
	for _, c := range list {
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\n", c.ID, c.Status, c.EntryPath, oneLine(c.Name), firstWords(c.Body, firstWordsShown))
	}
	return nil
}

// oneLine folds runs of white space and control characters into one space,
// so that a reader's text cannot break the one-comment-a-line output.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}

func firstWords(s string, n int) string {
	w := strings.Fields(oneLine(s))
	if len(w) <= n {
		return strings.Join(w, " ")
	}
	return strings.Join(w[:n], " ") + " …"
}
