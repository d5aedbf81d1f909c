package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/media"
)

// Uploads copies the files an old blog had uploaded into the blog's media,
// and has links to them in entries point to the copies.
type Uploads struct {
	// From is a copy of the old blog's uploads folder (WordPress's
	// wp-content/uploads).
	From string
	// To is the blog's media folder, served at /media/.
	To string
	// Attachments are the files of the export, read from it beforehand:
	// the entries that link to a file often come before it in the export.
	Attachments []Attachment
}

// reSize is the size WordPress adds to the name of a smaller copy of an
// image, as in photo-300x200.jpg, and the "-scaled" it gives a large
// image it has shrunk (WordPress 5.3 and later).
var (
	reSize   = regexp.MustCompile(`-(\d+)x\d+(\.[A-Za-z0-9]+)$`)
	reScaled = regexp.MustCompile(`-scaled(\.[A-Za-z0-9]+)$`)
	// reMonth is the year and month folder WordPress files uploads in.
	reMonth = regexp.MustCompile(`^\d{4}/\d{2}$`)
)

// mediaLinks turns the old addresses of uploaded files into their new ones.
type mediaLinks struct {
	re     *regexp.Regexp            // an old address; its first group the file's path below the uploads folder
	byFile map[string]*gazette.Media // by path below the uploads folder
}

// storeUploads copies the attachments' files into the folder staging,
// records them as media through the import's transaction, and prepares the
// rewriting of links. Files missing or unreadable are counted and named in
// the summary.
func (im *importer) storeUploads(ctx context.Context, staging string) error {
	up := im.opts.Uploads
	ms, ok := im.tx.(gazette.MediaStore)
	if !ok {
		return errors.New("import: this store cannot record media within an import")
	}
	im.media = &mediaLinks{byFile: map[string]*gazette.Media{}}
	if err := im.readMedia(ctx, ms); err != nil {
		return err
	}
	bases := map[string]bool{}
	for _, a := range up.Attachments {
		if a.File == "" || !fs.ValidPath(a.File) {
			im.missing(fmt.Sprintf("%s (line %d: no file named)", a.URL, a.Line))
			continue
		}
		if _, ok := im.media.byFile[a.File]; ok {
			continue
		}
		m, err := im.storeFile(ctx, ms, staging, a)
		if err != nil {
			return err
		}
		if m == nil {
			continue
		}
		im.media.byFile[a.File] = m
		if s := reScaled.ReplaceAllString(a.File, "$1"); s != a.File {
			im.media.byFile[s] = m
		}
		if base, ok := strings.CutSuffix(a.URL, a.File); ok && base != a.URL {
			// Both schemes and the www. prefix lead to the same blog.
			_, rest, found := strings.Cut(base, "//")
			if !found {
				continue
			}
			bases[regexp.QuoteMeta(strings.TrimPrefix(strings.ToLower(rest), "www."))] = true
		}
	}
	if len(bases) == 0 {
		return nil
	}
	alts := make([]string, 0, len(bases))
	for b := range bases {
		alts = append(alts, b)
	}
	sort.Strings(alts) // the same expression for the same export
	im.media.re = regexp.MustCompile(`(?i)(?:https?:)?//(?:www\.)?(?:` + strings.Join(alts, "|") +
		`)([^\s"'<>?#()\[\]]+)(?:\?[^\s"'<>#()\[\]]*)?`)
	return nil
}

// storeFile stores one attachment's file, or returns nil when it is missing
// or not what its name says.
func (im *importer) storeFile(ctx context.Context, ms gazette.MediaStore, staging string, a Attachment) (*gazette.Media, error) {
	up := im.opts.Uploads
	f, err := os.Open(filepath.Join(up.From, filepath.FromSlash(a.File)))
	if errors.Is(err, fs.ErrNotExist) {
		im.missing(a.File)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("import: line %d: %w", a.Line, err)
	}
	defer f.Close()
	folder := path.Dir(a.File)
	if !reMonth.MatchString(folder) {
		folder = "imported"
	}
	if m, err := im.copied(f, folder, a.File); err != nil {
		return nil, fmt.Errorf("import: line %d: %w", a.Line, err)
	} else if m != nil {
		im.sum.MediaKept++
		return m, nil
	}
	alt := a.Alt
	if alt == "" {
		alt = path.Base(a.File)
	}
	m, err := media.Save(staging, f, media.File{Name: a.File, Alt: alt, Folder: folder})
	var ge *gazette.Error
	if errors.As(err, &ge) {
		im.missing(fmt.Sprintf("%s (%s)", a.File, strings.TrimSuffix(ge.Message, ".")))
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("import: line %d: %w", a.Line, err)
	}
	if err := ms.CreateMedia(ctx, m); err != nil {
		return nil, fmt.Errorf("import: line %d: record %s: %w", a.Line, a.File, err)
	}
	im.sum.Media++
	return m, nil
}

// readMedia notes the media the blog has, by the folder and name they were
// stored under, so that importing the same export again finds the files it
// copied the first time instead of copying them twice.
func (im *importer) readMedia(ctx context.Context, ms gazette.MediaStore) error {
	im.stored = map[string][]*gazette.Media{}
	const page = 500
	for offset := 0; ; offset += page {
		list, _, err := ms.MediaList(ctx, page, offset)
		if err != nil {
			return fmt.Errorf("import: read the blog's media: %w", err)
		}
		for _, m := range list {
			if k, ok := media.OriginOf(m.Path); ok {
				im.stored[k] = append(im.stored[k], m)
			}
		}
		if len(list) < page {
			return nil
		}
	}
}

// copied returns the media that holds the same bytes as f, stored from a
// file of that name in that folder, or nil. f is read and rewound.
func (im *importer) copied(f *os.File, folder, name string) (*gazette.Media, error) {
	candidates := im.stored[media.Origin(folder, name)]
	if len(candidates) == 0 {
		return nil, nil
	}
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	var data []byte
	for _, m := range candidates {
		if m.Size != st.Size() {
			continue
		}
		if data == nil {
			if data, err = io.ReadAll(f); err != nil {
				return nil, err
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return nil, err
			}
		}
		old, err := os.ReadFile(filepath.Join(im.opts.Uploads.To, filepath.FromSlash(strings.TrimPrefix(m.Path, "/media/"))))
		if errors.Is(err, fs.ErrNotExist) {
			continue // its record outlived its file: store the file again
		}
		if err != nil {
			return nil, err
		}
		if bytes.Equal(old, data) {
			return m, nil
		}
	}
	return nil, nil
}

// missedShown is how many of the files not copied the summary names.
const missedShown = 10

// missing counts a file not copied, and names it while the summary has room.
func (im *importer) missing(what string) {
	im.sum.MediaMissing++
	if im.sum.MediaMissing > missedShown {
		return
	}
	if im.sum.MediaMissed != "" {
		im.sum.MediaMissed += ", "
	}
	im.sum.MediaMissed += what
}

// rewrite returns s with the old addresses of the files stored pointing to
// their new ones; addresses of files not stored are left as they are.
func (ml *mediaLinks) rewrite(s string) string {
	if ml == nil || ml.re == nil || !strings.Contains(s, "//") {
		return s
	}
	return ml.re.ReplaceAllStringFunc(s, func(old string) string {
		file := ml.re.FindStringSubmatch(old)[1]
		if p := ml.find(file); p != "" {
			return p
		}
		if u, err := url.PathUnescape(file); err == nil {
			if p := ml.find(u); p != "" {
				return p
			}
		}
		return old
	})
}

// find returns the new address of the file, or of the copy closest in
// width to a smaller copy of it that WordPress made, or "".
func (ml *mediaLinks) find(file string) string {
	if m, ok := ml.byFile[file]; ok {
		return m.Path
	}
	sm := reSize.FindStringSubmatch(file)
	if sm == nil {
		return ""
	}
	m, ok := ml.byFile[reSize.ReplaceAllString(file, "$2")]
	if !ok {
		return ""
	}
	var width int
	fmt.Sscanf(sm[1], "%d", &width)
	// The smallest variant at least as wide, so the image looks no worse
	// than it did; the original when none is.
	for _, v := range m.Variants {
		if v.Width >= width {
			return v.Path
		}
	}
	return m.Path
}

// rewriteLinks points the links of e's texts to the media stored.
func (im *importer) rewriteLinks(e *gazette.Entry) {
	if im.media == nil {
		return
	}
	e.Body = im.media.rewrite(e.Body)
	e.ExtendedBody = im.media.rewrite(e.ExtendedBody)
	e.Excerpt = im.media.rewrite(e.Excerpt)
}
