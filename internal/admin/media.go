package admin

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decodes GIF uploads
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/image/draw"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/web"
)

// imageTypes are the uploads accepted, by the type their content shows,
// with the extension their file gets: the name an upload came with is
// never trusted.
var imageTypes = map[string]string{
	"image/png":  ".png",
	"image/jpeg": ".jpg",
	"image/gif":  ".gif",
}

// variantWidths are the widths of the smaller copies made of an image, for
// entries (960) and for screens that need less.
var variantWidths = []int{480, 960, 1600}

// maxPixels refuses images whose decoding would take far more memory than
// their file suggests.
const maxPixels = 40_000_000

// MediaPage lists uploads with the upload form.
type MediaPage struct {
	Base
	Media []*gazette.Media
	Total int
	Error string
}

func (a *Admin) mediaList(w http.ResponseWriter, r *http.Request, q *request) error {
	list, n, err := a.store.MediaList(q.ctx, 60, 0)
	if err != nil {
		return err
	}
	p := &MediaPage{Base: a.base(q, "Media", "media"), Media: list, Total: n}
	p.Notice = notice(r)
	return a.show(w, "media", p)
}

// mediaUpload stores an uploaded image with its resized variants.
func (a *Admin) mediaUpload(w http.ResponseWriter, r *http.Request, q *request) error {
	file, header, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return gazette.Errorf(gazette.ErrInvalid, "Choose a file to upload.")
	}
	if err != nil {
		return fmt.Errorf("admin: read upload: %w", err)
	}
	defer file.Close()
	alt := strings.TrimSpace(r.FormValue("alt"))
	if alt == "" {
		return gazette.Errorf(gazette.ErrInvalid, "Describe the image in its alt text, for readers who cannot see it.")
	}
	data, err := io.ReadAll(io.LimitReader(file, MaxUpload+1))
	if err != nil {
		return fmt.Errorf("admin: read upload: %w", err)
	}
	if len(data) > MaxUpload {
		return gazette.Errorf(gazette.ErrInvalid, "%s is larger than %d MB.", header.Filename, MaxUpload>>20)
	}
	m, err := a.saveImage(data, header.Filename, alt, q)
	if err != nil {
		return err
	}
	if err := a.store.CreateMedia(q.ctx, m); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/media?notice=uploaded")
}

// saveImage checks that data is an image of a kind accepted, writes it and
// its variants under the media folder, and returns its record.
func (a *Admin) saveImage(data []byte, filename, alt string, q *request) (*gazette.Media, error) {
	ctype := http.DetectContentType(data)
	ext, ok := imageTypes[ctype]
	if !ok {
		return nil, gazette.Errorf(gazette.ErrInvalid, "%s is %s, not a PNG, JPEG or GIF image.", filename, ctype)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, gazette.Errorf(gazette.ErrInvalid, "%s is not a readable image: %v", filename, err)
	}
	if cfg.Width*cfg.Height > maxPixels {
		return nil, gazette.Errorf(gazette.ErrInvalid, "%s is %d×%d pixels; the most is %d megapixels.",
			filename, cfg.Width, cfg.Height, maxPixels/1_000_000)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, gazette.Errorf(gazette.ErrInvalid, "%s is not a readable image: %v", filename, err)
	}
	now := a.now().In(q.settings.Location())
	dir := path.Join(fmt.Sprintf("%04d", now.Year()), fmt.Sprintf("%02d", int(now.Month())))
	stem := publish.Dirify(strings.TrimSuffix(filename, filepath.Ext(filename)), 40)
	if stem == "" {
		stem = "image"
	}
	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		return nil, fmt.Errorf("admin: media name: %w", err)
	}
	// The random part makes every name new, so that /media/ can be cached
	// for good.
	stem += "-" + hex.EncodeToString(suffix)
	m := &gazette.Media{Path: "/media/" + dir + "/" + stem + ext, Type: ctype, Size: int64(len(data)),
		Width: cfg.Width, Height: cfg.Height, Alt: alt, AuthorID: q.me().ID}
	if err := a.writeMediaFile(m.Path, data); err != nil {
		return nil, err
	}
	for _, width := range variantWidths {
		if width >= cfg.Width {
			break
		}
		height := max(1, cfg.Height*width/cfg.Width)
		dst := image.NewRGBA(image.Rect(0, 0, width, height))
		draw.CatmullRom.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
		var b bytes.Buffer
		vext := ext
		if ctype == "image/jpeg" {
			err = jpeg.Encode(&b, dst, &jpeg.Options{Quality: 85})
		} else {
			vext = ".png" // a resized GIF keeps its colours as a PNG
			err = png.Encode(&b, dst)
		}
		if err != nil {
			return nil, fmt.Errorf("admin: resize %s: %w", filename, err)
		}
		v := gazette.MediaVariant{Path: fmt.Sprintf("/media/%s/%s-%d%s", dir, stem, width, vext), Width: width, Height: height}
		if err := a.writeMediaFile(v.Path, b.Bytes()); err != nil {
			return nil, err
		}
		m.Variants = append(m.Variants, v)
	}
	return m, nil
}

func (a *Admin) writeMediaFile(urlPath string, data []byte) error {
	name := filepath.Join(a.cfg.MediaDir, filepath.FromSlash(strings.TrimPrefix(urlPath, "/media/")))
	if err := os.MkdirAll(filepath.Dir(name), 0o750); err != nil {
		return fmt.Errorf("admin: media folder: %w", err)
	}
	if err := os.WriteFile(name, data, 0o640); err != nil {
		return fmt.Errorf("admin: write media: %w", err)
	}
	return nil
}

// MediaHandler serves the files under dir at /media/. Their names never
// change content, so browsers and CDNs may keep them for a year; folders
// are not listed.
func MediaHandler(dir string) http.Handler {
	files := http.StripPrefix("/media/", http.FileServerFS(os.DirFS(dir)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			web.PlainError(w, http.StatusNotFound, "Not found.")
			return
		}
		w.Header().Set("Cache-Control", web.ImmutableCacheControl)
		files.ServeHTTP(w, r)
	})
}

// Insert returns the text that shows m in an entry of format f: its
// 960-pixel variant when it has one, linked to the full image.
func Insert(m *gazette.Media, f gazette.Format) string {
	src := m.Path
	for _, v := range m.Variants {
		if v.Width == 960 {
			src = v.Path
		}
	}
	alt := strings.NewReplacer("[", "", "]", "", `"`, "", "<", "", ">", "").Replace(m.Alt)
	if f == gazette.FormatMarkdown {
		if src == m.Path {
			return fmt.Sprintf("![%s](%s)", alt, src)
		}
		return fmt.Sprintf("[![%s](%s)](%s)", alt, src, m.Path)
	}
	return fmt.Sprintf(`<a href="%s"><img src="%s" alt="%s"></a>`, m.Path, src, alt)
}
