package admin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/media"
	"github.com/gazette-blog/gazette/internal/web"
)

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
	// The name an upload came with is never trusted: media.Save sniffs
	// the type from the content.
	now := a.now().In(q.settings.Location())
	m, err := media.Save(a.cfg.MediaDir, bytes.NewReader(data), media.File{
		Name: header.Filename, Alt: alt, AuthorID: q.me().ID,
		Folder: fmt.Sprintf("%04d/%02d", now.Year(), int(now.Month())), ImagesOnly: true,
	})
	if err != nil {
		return err
	}
	if err := a.store.CreateMedia(q.ctx, m); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/media?notice=uploaded")
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
