package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/auth"
)

// user runs `gazette user add|list`.
func (e *env) user(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New("user: want add or list (gazette user add --name N --email E --role R --password-stdin)")
	}
	switch args[0] {
	case "add":
		return e.userAdd(ctx, args[1:])
	case "list":
		return e.userList(ctx, args[1:])
	}
	return fmt.Errorf("user: unknown subcommand %q (want add or list)", args[0])
}

func (e *env) userAdd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	name := fs.String("name", "", "display name")
	email := fs.String("email", "", "email address, to sign in with")
	role := fs.String("role", "author", "admin, editor or author")
	stdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("user add: unexpected argument %q", fs.Arg(0))
	}
	if !*stdin {
		return errors.New("user add: --password-stdin is required (a password on the command line would show in the process list)")
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return errors.New("user add: no password on standard input")
	}
	a := &gazette.Author{Name: strings.TrimSpace(*name), Email: strings.TrimSpace(*email), Role: gazette.Role(*role)}
	a.Slug = gazette.Slugify(a.Name)
	switch {
	case a.Slug == "":
		return errors.New("user add: --name needs at least one letter or digit")
	case !strings.Contains(a.Email, "@"):
		return fmt.Errorf("user add: --email %q is not an email address", a.Email)
	case !a.Role.Valid():
		return fmt.Errorf("user add: --role %q is not admin, editor or author", *role)
	}
	if a.PasswordHash, err = auth.HashPassword(strings.TrimRight(line, "\r\n")); err != nil {
		return fmt.Errorf("user add: %s", gazette.ErrorMessage(err))
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.CreateAuthor(ctx, a); err != nil {
		return fmt.Errorf("user add: %s", gazette.ErrorMessage(err))
	}
	e.tellServers(ctx, store)
	fmt.Fprintf(e.stdout, "added %s <%s> as %s (ID %d)\n", a.Name, a.Email, a.Role, a.ID)
	return nil
}

func (e *env) userList(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("user list: unexpected argument %q", args[0])
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	authors, err := store.Authors(ctx)
	if err != nil {
		return err
	}
	for _, a := range authors {
		state := "enabled"
		if a.PasswordHash == "" {
			state = "disabled"
		}
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\n", a.ID, a.Role, state, a.Email, a.Name)
	}
	return nil
}
