package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/sqlite"
)

// A backup is one file: a tar stream, gzip-compressed, holding the database
// copy (gazette.db), every media file (media/…) and, last, manifest.json,
// which lists every other member with its size and SHA-256. The manifest
// comes last because it can only be written once the members are; restore
// reads the whole file before it puts anything in place anyway. Each member
// is a gzip stream of its own (gzip readers and `tar xzf` read the
// concatenation as one), so that damage is found, and named, in the member
// that holds it.
const (
	backupFormat   = 1
	backupDB       = "gazette.db"
	backupMedia    = "media"
	backupManifest = "manifest.json"
	// maxManifest bounds the manifest read into memory.
	maxManifest = 64 << 20
)

// sqliteMagic begins every SQLite database: the backups of the first
// versions of gazette were the bare database.
const sqliteMagic = "SQLite format 3\x00"

// manifest is the table of contents of a backup.
type manifest struct {
	Format  int            `json:"format"`
	Gazette string         `json:"gazette"`
	Created time.Time      `json:"created"`
	Counts  backupCounts   `json:"counts"`
	Members []manifestItem `json:"members"`
}

// backupCounts is what the backed-up blog holds, for a person reading the
// manifest and for restore to check the database it puts back.
type backupCounts struct {
	Authors  int `json:"authors"`
	Entries  int `json:"entries"`
	Comments int `json:"comments"`
	Media    int `json:"media"`
	Files    int `json:"files"`
}

// manifestItem is one member of a backup.
type manifestItem struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// backuper is the capability of a store to copy itself consistently while in
// use (SQLite's VACUUM INTO).
type backuper interface {
	Backup(ctx context.Context, path string) error
}

func (e *env) backup(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return errors.New("backup: want one FILE (gazette backup FILE)")
	}
	dst := args[0]
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("backup: %s exists; choose a new file name", dst)
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	b, ok := store.(backuper)
	if !ok {
		return errors.New("backup: this database has its own backup tools (pg_dump for PostgreSQL); copy the media folder beside it")
	}
	abs, err := filepath.Abs(dst)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	m, err := writeBackup(ctx, b, filepath.Join(e.dataDir, backupMedia), abs)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s: %d entries, %d comments, %d media files\n",
		e.dataDir, dst, m.Counts.Entries, m.Counts.Comments, m.Counts.Files)
	return nil
}

// writeBackup writes the backup of the database b and the files below
// mediaDir to dst. It writes beside dst and renames when all is on disk, so
// a crash never leaves a part of a backup under the name.
//
// The database is copied first: a media record is stored after its file is
// written, so every file the copy names is on disk when the files are read.
// Files uploaded later may be in the backup too, unnamed by the database.
func writeBackup(ctx context.Context, b backuper, mediaDir, dst string) (*manifest, error) {
	dir := filepath.Dir(dst)
	snapDir, err := os.MkdirTemp(dir, ".gazette-backup-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(snapDir)
	snap := filepath.Join(snapDir, backupDB)
	if err := b.Backup(ctx, snap); err != nil {
		return nil, err
	}
	m := &manifest{Format: backupFormat, Gazette: version, Created: time.Now().UTC().Truncate(time.Second)}
	if m.Counts, err = countBlog(ctx, snap); err != nil {
		return nil, err
	}
	if err := noWAL(snap); err != nil {
		return nil, err
	}

	tmp, err := os.CreateTemp(dir, ".gazette-backup-*.tmp")
	if err != nil {
		return nil, err
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w := newBackupWriter(tmp)
	if err := w.addFile(backupDB, snap); err != nil {
		return nil, err
	}
	err = filepath.WalkDir(mediaDir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == mediaDir {
			return fs.SkipDir // a blog without uploads
		}
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(mediaDir, p)
		if err != nil {
			return err
		}
		m.Counts.Files++
		return w.addFile(path.Join(backupMedia, filepath.ToSlash(rel)), p)
	})
	if err != nil {
		return nil, fmt.Errorf("media files: %w", err)
	}
	m.Members = w.items
	if err := w.finish(m); err != nil {
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	// A link, unlike a rename, never replaces a file made meanwhile under
	// the name; a file system without links gets the rename.
	if err := os.Link(tmp.Name(), dst); err == nil {
		os.Remove(tmp.Name())
	} else if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s was made while the backup ran", dst)
	} else if err := os.Rename(tmp.Name(), dst); err != nil {
		return nil, err
	}
	done = true
	return m, syncDir(dir)
}

// countBlog counts what the database at path holds. The file is whole
// again when it returns: closing its last connection folds the
// write-ahead log that opening it started back into it.
func countBlog(ctx context.Context, path string) (n backupCounts, err error) {
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return n, err
	}
	defer func() {
		if cerr := db.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	authors, err := db.Authors(ctx)
	if err != nil {
		return n, err
	}
	n.Authors = len(authors)
	if _, n.Entries, err = db.Entries(ctx, gazette.EntryFilter{Kind: gazette.AnyKind, Limit: 1}); err != nil {
		return n, err
	}
	if _, n.Comments, err = db.Comments(ctx, gazette.CommentFilter{Limit: 1}); err != nil {
		return n, err
	}
	if _, n.Media, err = db.MediaList(ctx, 1, 0); err != nil {
		return n, err
	}
	return n, nil
}

// noWAL makes sure that the database at path is whole in its file, as
// closing its last connection leaves it: a write-ahead log left beside it
// would hold writes the file lacks.
func noWAL(path string) error {
	if _, err := os.Stat(path + "-wal"); err == nil {
		return fmt.Errorf("%s: a write-ahead log is left beside the copy of the database", path)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	// Some systems cannot sync a directory; the rename is then as durable
	// as they make it.
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}

// backupWriter writes members to a tar stream, each in a gzip stream of its
// own, and notes their sizes and hashes.
type backupWriter struct {
	out   io.Writer
	gz    *gzip.Writer
	tw    *tar.Writer
	items []manifestItem
}

func newBackupWriter(out io.Writer) *backupWriter {
	w := &backupWriter{out: out, gz: gzip.NewWriter(out)}
	w.tw = tar.NewWriter(w)
	return w
}

// Write sends the tar stream into the current gzip stream.
func (w *backupWriter) Write(p []byte) (int, error) { return w.gz.Write(p) }

// add writes one member of the given size from r.
func (w *backupWriter) add(name string, size int64, mtime time.Time, r io.Reader) error {
	hdr := &tar.Header{Name: name, Size: size, Mode: 0o640, ModTime: mtime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := w.tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w.tw, h), io.LimitReader(r, size))
	if err == nil && n != size {
		err = fmt.Errorf("changed while being read (%d bytes, then %d)", size, n)
	}
	if err == nil {
		err = w.tw.Flush()
	}
	if err == nil {
		err = w.gz.Close()
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	w.gz.Reset(w.out)
	w.items = append(w.items, manifestItem{Name: name, Size: size, SHA256: hex.EncodeToString(h.Sum(nil))})
	return nil
}

func (w *backupWriter) addFile(name, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	return w.add(name, st.Size(), st.ModTime(), f)
}

// finish writes the manifest and the end of the tar stream.
func (w *backupWriter) finish(m *manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if err := w.add(backupManifest, int64(len(data)), m.Created, bytes.NewReader(data)); err != nil {
		return err
	}
	if err := w.tw.Close(); err != nil {
		return err
	}
	return w.gz.Close()
}

// restore puts a backup into an empty data directory. The server must be
// stopped. The backup is read whole, and its members checked against its
// manifest, before anything is put in place.
func (e *env) restore(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return errors.New("restore: want one FILE (gazette restore FILE)")
	}
	if e.dbURL != "" {
		return errors.New("restore: only for the SQLite database; use pg_restore for PostgreSQL")
	}
	name := args[0]
	src, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer src.Close()
	head := make([]byte, len(sqliteMagic))
	n, _ := io.ReadFull(src, head)
	head = head[:n]
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	isDB := string(head) == sqliteMagic
	if !isDB && !bytes.HasPrefix(head, []byte{0x1f, 0x8b}) {
		return fmt.Errorf("restore: %s is not a gazette backup (it begins neither as a gzip file nor as an SQLite database)", name)
	}
	if err := e.checkRestoreTarget(ctx); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := os.MkdirAll(e.dataDir, 0o750); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	stage, err := os.MkdirTemp(e.dataDir, ".restore-*")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.RemoveAll(stage)
	var m *manifest
	if isDB {
		// A backup of the first versions: the bare database.
		_, _, err = writeMember(stage, backupDB, src)
	} else {
		m, err = readBackup(stage, src)
	}
	if err != nil {
		return fmt.Errorf("restore: %s: %w", name, err)
	}
	// Opening checks the database and brings its schema up to date.
	counts, err := countBlog(ctx, filepath.Join(stage, backupDB))
	if err != nil {
		return fmt.Errorf("restore: %s: the database in it does not open: %w", name, err)
	}
	if err := noWAL(filepath.Join(stage, backupDB)); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if m != nil {
		counts.Files = m.Counts.Files
		if counts != m.Counts {
			return fmt.Errorf("restore: %s: the database holds %+v, the manifest says %+v", name, counts, m.Counts)
		}
	}
	if err := e.putInPlace(stage); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(e.stdout, "restored %s from %s: %d entries, %d comments, %d media files\n",
		e.dataDir, name, counts.Entries, counts.Comments, counts.Files)
	return nil
}

// checkRestoreTarget refuses a data directory that holds a blog: restore
// never mixes two blogs nor replaces one. A directory holding only empty
// folders, or a database without authors, entries, comments or media (as
// a first start leaves), is empty.
func (e *env) checkRestoreTarget(ctx context.Context) error {
	db := e.sqlitePath()
	var other string
	err := filepath.WalkDir(e.dataDir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == e.dataDir {
			return fs.SkipDir
		}
		if err != nil || d.IsDir() {
			return err
		}
		switch p {
		case db, db + "-wal", db + "-shm":
			return nil
		}
		other = p
		return fs.SkipAll
	})
	if err != nil {
		return err
	}
	if other != "" {
		return fmt.Errorf("the data directory %s is not empty (it holds %s); restore into a new directory (--data DIR)", e.dataDir, other)
	}
	if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	n, err := countBlog(ctx, db)
	if err != nil {
		return fmt.Errorf("the data directory %s holds a database that does not open (%w); restore into a new directory (--data DIR)", e.dataDir, err)
	}
	if n != (backupCounts{}) {
		return fmt.Errorf("the data directory %s holds a blog (%d entries, %d comments); restore into a new directory (--data DIR)", e.dataDir, n.Entries, n.Comments)
	}
	return nil
}

// readBackup reads a backup's members into dir, checks them against the
// manifest and returns it. An error names the member it was found in.
func readBackup(dir string, r io.Reader) (*manifest, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a gazette backup: %w", err)
	}
	tr := tar.NewReader(zr)
	got := map[string]manifestItem{}
	var order []string
	var m *manifest
	last := ""
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			switch {
			case last == "":
				return nil, fmt.Errorf("damaged at its start: %w", err)
			case errors.Is(err, gzip.ErrChecksum):
				// A member's gzip stream is checked at its end, which
				// is read when the next member begins.
				return nil, fmt.Errorf("damaged in member %s: %w", last, err)
			}
			return nil, fmt.Errorf("damaged after member %s: %w", last, err)
		}
		last = hdr.Name
		if m != nil {
			return nil, fmt.Errorf("member %s follows the manifest", hdr.Name)
		}
		if hdr.Typeflag != tar.TypeReg {
			return nil, fmt.Errorf("member %s is not a regular file", hdr.Name)
		}
		if hdr.Name == backupManifest {
			data, err := io.ReadAll(io.LimitReader(tr, maxManifest+1))
			if err != nil {
				return nil, fmt.Errorf("damaged in member %s: %w", hdr.Name, err)
			}
			if len(data) > maxManifest {
				return nil, fmt.Errorf("member %s is larger than %d MB", hdr.Name, maxManifest>>20)
			}
			m = new(manifest)
			if err := json.Unmarshal(data, m); err != nil {
				return nil, fmt.Errorf("damaged in member %s: %w", hdr.Name, err)
			}
			continue
		}
		if err := checkMemberName(hdr.Name); err != nil {
			return nil, err
		}
		if _, dup := got[hdr.Name]; dup {
			return nil, fmt.Errorf("member %s is in it twice", hdr.Name)
		}
		size, sum, err := writeMember(dir, hdr.Name, tr)
		if err != nil {
			return nil, fmt.Errorf("damaged in member %s: %w", hdr.Name, err)
		}
		got[hdr.Name] = manifestItem{Name: hdr.Name, Size: size, SHA256: sum}
		order = append(order, hdr.Name)
	}
	if m == nil {
		return nil, errors.New("no manifest (the file is cut short, or not a gazette backup)")
	}
	if m.Format != backupFormat {
		return nil, fmt.Errorf("backup format %d, which gazette %s does not read (it reads format %d)", m.Format, version, backupFormat)
	}
	listed := map[string]bool{}
	for _, want := range m.Members {
		listed[want.Name] = true
		have, ok := got[want.Name]
		switch {
		case !ok:
			return nil, fmt.Errorf("member %s is in the manifest but not in the file", want.Name)
		case have.Size != want.Size:
			return nil, fmt.Errorf("damaged in member %s: %d bytes, the manifest says %d", want.Name, have.Size, want.Size)
		case have.SHA256 != want.SHA256:
			return nil, fmt.Errorf("damaged in member %s: its SHA-256 differs from the manifest's", want.Name)
		}
	}
	for _, name := range order {
		if !listed[name] {
			return nil, fmt.Errorf("member %s is not in the manifest", name)
		}
	}
	if !listed[backupDB] {
		return nil, fmt.Errorf("no member %s", backupDB)
	}
	return m, nil
}

// checkMemberName refuses a member that would be written outside the data
// directory or is not part of a blog.
func checkMemberName(name string) error {
	if name == backupDB {
		return nil
	}
	rest, ok := strings.CutPrefix(name, backupMedia+"/")
	if !ok || rest == "" || !fs.ValidPath(rest) || strings.Contains(rest, `\`) {
		return fmt.Errorf("member %s is not a part of a blog (want %s or %s/…)", name, backupDB, backupMedia)
	}
	return nil
}

// writeMember writes r to name below dir and returns its size and SHA-256.
func writeMember(dir, name string, r io.Reader) (int64, string, error) {
	file := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
		return 0, "", err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return 0, "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, hex.EncodeToString(h.Sum(nil)), err
}

// putInPlace moves the checked database and media folder from stage into
// the data directory, replacing an empty database and empty folders.
func (e *env) putInPlace(stage string) error {
	db := e.sqlitePath()
	// The old WAL belongs to the old database; left beside the new one it
	// would be replayed into it.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(db + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	staged := filepath.Join(stage, backupMedia)
	if _, err := os.Stat(staged); err == nil {
		media := filepath.Join(e.dataDir, backupMedia)
		// checkRestoreTarget found no file in it.
		if err := os.RemoveAll(media); err != nil {
			return err
		}
		if err := os.Rename(staged, media); err != nil {
			return err
		}
	}
	// The database goes last: until it is in place, the directory holds no
	// blog and a second restore may be tried.
	if err := os.Rename(filepath.Join(stage, backupDB), db); err != nil {
		return err
	}
	return syncDir(e.dataDir)
}
