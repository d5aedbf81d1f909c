// Package media writes the files of the blog's media library below the
// folder served at /media/: uploads from the authors' area and the files of
// an imported blog. The type of a file is sniffed from its content, never
// taken from its name, and images get smaller copies for entries and small
// screens.
package media

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"image"
	_ "image/gif" // decodes GIF files
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/image/draw"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/publish"
)

// imageTypes are the images resized, by the type their content shows, with
// the extension their file gets.
var imageTypes = map[string]string{
	"image/png":  ".png",
	"image/jpeg": ".jpg",
	"image/gif":  ".gif",
}

// otherTypes are the extensions of the other files kept, by sniffed type.
// The extension decides the type /media/ serves a file with, so a file
// whose content is HTML or XML is named .txt and served as text: a page of
// the blog's own origin must not be made of an uploaded file.
var otherTypes = map[string]string{
	"application/pdf":           ".pdf",
	"application/zip":           ".zip",
	"application/x-gzip":        ".gz",
	"application/ogg":           ".ogg",
	"audio/ogg":                 ".ogg",
	"audio/mpeg":                ".mp3",
	"audio/wave":                ".wav",
	"audio/aiff":                ".aiff",
	"audio/midi":                ".mid",
	"video/mp4":                 ".mp4",
	"video/webm":                ".webm",
	"video/avi":                 ".avi",
	"image/webp":                ".webp",
	"image/bmp":                 ".bmp",
	"image/x-icon":              ".ico",
	"font/woff":                 ".woff",
	"font/woff2":                ".woff2",
	"font/ttf":                  ".ttf",
	"text/plain; charset=utf-8": ".txt",
}

// VariantWidths are the widths of the smaller copies made of an image, for
// entries (960) and for screens that need less.
var VariantWidths = []int{480, 960, 1600}

// MaxPixels refuses images whose decoding would take far more memory than
// their file suggests.
const MaxPixels = 40_000_000

// maxImageBytes is the largest image read into memory to be resized.
const maxImageBytes = 64 << 20

// File describes a file to store.
type File struct {
	// Name is the name the file came with: its letters make the stem of the
	// stored name, and messages name it; its extension is ignored.
	Name     string
	Alt      string
	AuthorID int64
	// Folder is the folder below /media/ it goes to, such as "2026/11".
	Folder string
	// ImagesOnly refuses anything but a PNG, JPEG or GIF image.
	ImagesOnly bool
}

// Save reads a file from r and writes it below dir, an image with its
// smaller variants, and returns its record, not yet in the store. A file
// that is not what it must be (an image that cannot be read, or any other
// file when f.ImagesOnly) is a *gazette.Error of kind gazette.ErrInvalid.
func Save(dir string, r io.Reader, f File) (*gazette.Media, error) {
	br := bufio.NewReaderSize(r, 512)
	head, err := br.Peek(512)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("media: read %s: %w", f.Name, err)
	}
	ctype := http.DetectContentType(head)
	ext, isImage := imageTypes[ctype]
	if !isImage {
		if f.ImagesOnly {
			return nil, gazette.Errorf(gazette.ErrInvalid, "%s is %s, not a PNG, JPEG or GIF image.", f.Name, ctype)
		}
		switch {
		case strings.HasPrefix(ctype, "text/"):
			ctype, ext = "text/plain; charset=utf-8", ".txt"
		case otherTypes[ctype] != "":
			ext = otherTypes[ctype]
		default:
			ext = ".bin"
		}
	}
	folder := cleanFolder(f.Folder)
	stem, err := stem(f.Name)
	if err != nil {
		return nil, err
	}
	m := &gazette.Media{Path: "/media/" + path.Join(folder, stem+ext), Type: ctype, Alt: f.Alt, AuthorID: f.AuthorID}
	if !isImage {
		m.Size, err = writeFile(dir, m.Path, br)
		return m, err
	}
	data, err := io.ReadAll(io.LimitReader(br, maxImageBytes+1))
	if err != nil {
		return nil, fmt.Errorf("media: read %s: %w", f.Name, err)
	}
	if len(data) > maxImageBytes {
		return nil, gazette.Errorf(gazette.ErrInvalid, "%s is larger than %d MB.", f.Name, maxImageBytes>>20)
	}
	if err := saveImage(dir, data, f.Name, m, ext); err != nil {
		return nil, err
	}
	return m, nil
}

// stem returns the name's letters with a random part added, which makes
// every name new, so that /media/ can be cached for good.
func stem(name string) (string, error) {
	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		return "", fmt.Errorf("media: name: %w", err)
	}
	return plainName(name) + "-" + hex.EncodeToString(suffix), nil
}

// plainName is the part of a stored file's name that comes from the name
// it was uploaded with: its letters, without the extension.
func plainName(name string) string {
	base := path.Base(filepath.ToSlash(name))
	return publish.Dirify(strings.TrimSuffix(base, path.Ext(base)), 40)
}

// cleanFolder is folder as Save files under it, without outer slashes.
func cleanFolder(folder string) string {
	return strings.Trim(path.Clean("/"+folder), "/")
}

// Origin names what two stored copies of one file have in common: the
// folder and the plain form of the name it was uploaded with. OriginOf
// reads it back from a stored file's path.
func Origin(folder, name string) string {
	return path.Join(cleanFolder(folder), plainName(name))
}

// reStored is the path Save gives a file: its folder, its plain name, the
// random part and the extension of its type.
var reStored = regexp.MustCompile(`^/media/(.+)-[0-9a-f]{8}\.[a-z0-9]+$`)

// OriginOf returns the Origin of the file Save stored at the URL path p,
// false for a path Save does not make.
func OriginOf(p string) (string, bool) {
	m := reStored.FindStringSubmatch(p)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// saveImage checks that data is a readable image of a sensible size, and
// writes it and its variants.
func saveImage(dir string, data []byte, name string, m *gazette.Media, ext string) error {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return gazette.Errorf(gazette.ErrInvalid, "%s is not a readable image: %v", name, err)
	}
	if cfg.Width*cfg.Height > MaxPixels {
		return gazette.Errorf(gazette.ErrInvalid, "%s is %d×%d pixels; the most is %d megapixels.",
			name, cfg.Width, cfg.Height, MaxPixels/1_000_000)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return gazette.Errorf(gazette.ErrInvalid, "%s is not a readable image: %v", name, err)
	}
	m.Size, m.Width, m.Height = int64(len(data)), cfg.Width, cfg.Height
	if _, err := writeFile(dir, m.Path, bytes.NewReader(data)); err != nil {
		return err
	}
	trunk := strings.TrimSuffix(m.Path, ext)
	for _, width := range VariantWidths {
		if width >= cfg.Width {
			break
		}
		height := max(1, cfg.Height*width/cfg.Width)
		dst := image.NewRGBA(image.Rect(0, 0, width, height))
		draw.CatmullRom.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
		var b bytes.Buffer
		vext := ext
		if m.Type == "image/jpeg" {
			err = jpeg.Encode(&b, dst, &jpeg.Options{Quality: 85})
		} else {
			vext = ".png" // a resized GIF keeps its colours as a PNG
			err = png.Encode(&b, dst)
		}
		if err != nil {
			return fmt.Errorf("media: resize %s: %w", name, err)
		}
		v := gazette.MediaVariant{Path: fmt.Sprintf("%s-%d%s", trunk, width, vext), Width: width, Height: height}
		if _, err := writeFile(dir, v.Path, &b); err != nil {
			return err
		}
		m.Variants = append(m.Variants, v)
	}
	return nil
}

// writeFile writes the file served at urlPath below dir.
func writeFile(dir, urlPath string, r io.Reader) (int64, error) {
	name := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(urlPath, "/media/")))
	if err := os.MkdirAll(filepath.Dir(name), 0o750); err != nil {
		return 0, fmt.Errorf("media: folder: %w", err)
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return 0, fmt.Errorf("media: write: %w", err)
	}
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return 0, fmt.Errorf("media: write %s: %w", name, err)
	}
	return n, nil
}

// Move moves every file below from to the same place below to, and then
// removes from: files written aside while a transaction ran take their
// places once it has committed. Names being new, nothing is overwritten.
func Move(from, to string) error {
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return err
		}
		return os.Rename(p, dst)
	})
	if err != nil {
		return fmt.Errorf("media: move files into %s: %w", to, err)
	}
	if err := os.RemoveAll(from); err != nil {
		return fmt.Errorf("media: remove %s: %w", from, err)
	}
	return nil
}
