package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/gazette-blog/gazette"
)

// redirects lists the blog's redirects, one a line (old path, then where it
// leads), or adds one: `redirects add OLD NEW`, where NEW is a path of this
// blog or the permalink of one of its entries.
func (e *env) redirects(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New("redirects: want list or add OLD NEW")
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	switch args[0] {
	case "list":
		if len(args) != 1 {
			return errors.New("redirects list: takes no arguments")
		}
		list, err := store.Redirects(ctx)
		if err != nil {
			return fmt.Errorf("redirects list: %w", err)
		}
		for _, r := range list {
			target := r.Target
			if r.EntryID != 0 {
				en, err := store.Entry(ctx, r.EntryID)
				if err != nil {
					return fmt.Errorf("redirects list: %s: %w", r.Path, err)
				}
				target = en.Path
			}
			fmt.Fprintf(e.stdout, "%s\t%s\n", r.Path, target)
		}
		return nil
	case "add":
		if len(args) != 3 {
			return errors.New("redirects add: want OLD NEW (gazette redirects add /old/path/ /new/path/)")
		}
		old, target := oldPath(args[1]), oldPath(args[2])
		if old == "" || target == "" {
			return fmt.Errorf("redirects add: %q and %q must both be paths starting with /", args[1], args[2])
		}
		r := gazette.Redirect{Path: old, Target: target}
		// A redirect to an entry follows the entry if its permalink changes.
		if en, err := store.EntryByPath(ctx, target); err == nil {
			r = gazette.Redirect{Path: old, EntryID: en.ID}
		} else if !errors.Is(err, gazette.ErrNotFound) {
			return fmt.Errorf("redirects add: %w", err)
		}
		if err := store.AddRedirect(ctx, r); err != nil {
			return fmt.Errorf("redirects add: %w", err)
		}
		e.tellServers(ctx, store)
		fmt.Fprintf(e.stdout, "%s\t%s\n", old, target)
		return nil
	}
	return fmt.Errorf("redirects: unknown subcommand %q (want list or add)", args[0])
}

// oldPath returns the path (and query) of s, which may be a full URL as a
// browser shows it; "" when it has none.
func oldPath(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || !strings.HasPrefix(u.EscapedPath(), "/") {
		return ""
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}
