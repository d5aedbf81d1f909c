// Command gazette serves a blog, imports one from another engine, and manages
// it from the command line. Run `gazette help` for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `gazette: a blog publishing engine

usage: gazette [--data DIR] [--db URL] COMMAND [flags]

  DIR is where the blog lives: $GAZETTE_DATA, else ./gazette-data.
  URL, or $GAZETTE_DB, puts the blog in PostgreSQL (postgres://user:password@host/db)
  instead of DIR/gazette.db (SQLite).

commands:
  serve   [--addr 127.0.0.1:8080] [--db URL] [--demo]   serve the blog
  import  [--format mt|wxr|blogger] FILE                import an export (format detected when omitted)
  import  [--format html] DIR|URL-LIST                   recover a blog from its published pages
          [--media-dir DIR]                             with DIR, a copy of wp-content/uploads, copied into media
  export  --format mt|wxr [-o FILE]                     write the blog as a Movable Type or WordPress export
                                                        (standard output without -o)
  redirects list | add OLD NEW                        list the old addresses that redirect, or add one
  comments list [--status pending|approved|spam|trash]  one comment a line: ID, status, entry, author, first words
  comments approve|spam|delete ID…                    moderate comments (approve and spam teach the spam filter)
  user    add --name N --email E --role admin|editor|author --password-stdin | list
                                                        add an author (password from stdin), or list them
  copy    --to postgres://…                             copy the SQLite blog into an empty PostgreSQL database
  backup  FILE                                          copy the blog (database and media) to one new FILE,
                                                        consistently, while it runs
  restore FILE                                          put a backup into an empty data directory (server stopped)
  build   [--theme-dir DIR] OUTDIR                      the public site as static files (with .gz and .br
          [--precompress=false]                         copies unless false); a second build rewrites only
                                                        what changed
  help                                                  this text
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0) // -h: the usage was asked for, and printed
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "gazette: %v\n", err)
		os.Exit(1)
	}
}

// env is what a command runs with: its streams and the global settings.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dataDir        string
	dbURL          string
}

// run parses the global flags and runs one command. It returns the error that
// main reports in one line.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gazette", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	fs.StringVar(&e.dataDir, "data", envOr("GAZETTE_DATA", "gazette-data"), "data directory")
	fs.StringVar(&e.dbURL, "db", os.Getenv("GAZETTE_DB"), "database URL (postgres://…); default: SQLite in the data directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := fs.Arg(0), fs.Args()[1:]
	switch cmd {
	case "serve":
		return e.serve(ctx, rest)
	case "import":
		return e.importFile(ctx, rest)
	case "backup":
		return e.backup(ctx, rest)
	case "redirects":
		return e.redirects(ctx, rest)
	case "restore":
		return e.restore(ctx, rest)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "comments":
		return e.comments(ctx, rest)
	case "copy":
		return e.copyBlog(ctx, rest)
	case "user":
		return e.user(ctx, rest)
	case "build":
		return e.build(ctx, rest)
	case "export":
		return e.export(ctx, rest)
	}
	return fmt.Errorf("unknown command %q (run gazette help)", cmd)
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
