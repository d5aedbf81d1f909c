package media

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gazette-blog/gazette"
)

// TestSaveTypes stores files of several kinds, each named as something
// else: the type and the extension come from the content.
func TestSaveTypes(t *testing.T) {
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, image.NewGray(image.Rect(0, 0, 1000, 10))); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, data, typ, ext string
		variants             int
	}{
		{"photo.jpg", pngData.String(), "image/png", ".png", 2},
		{"page.png", "<!DOCTYPE html><script>alert(1)</script>", "text/plain; charset=utf-8", ".txt", 0},
		{"doc.txt", "%PDF-1.4\n", "application/pdf", ".pdf", 0},
		{"blob.pdf", "\x00\x01\x02\x03", "application/octet-stream", ".bin", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			m, err := Save(dir, strings.NewReader(c.data), File{Name: c.name, Alt: "x", Folder: "2020/01"})
			if err != nil {
				t.Fatal(err)
			}
			if m.Type != c.typ || !strings.HasSuffix(m.Path, c.ext) || !strings.HasPrefix(m.Path, "/media/2020/01/") || len(m.Variants) != c.variants {
				t.Errorf("got %+v, want type %s, extension %s, %d variants", m, c.typ, c.ext, c.variants)
			}
			got, err := os.ReadFile(filepath.Join(dir, strings.TrimPrefix(m.Path, "/media/")))
			if err != nil || string(got) != c.data || m.Size != int64(len(c.data)) {
				t.Errorf("file of %s: %d bytes (%v), record says %d; want the %d bytes given", m.Path, len(got), err, m.Size, len(c.data))
			}
		})
	}
}

func TestSaveImagesOnly(t *testing.T) {
	_, err := Save(t.TempDir(), strings.NewReader("%PDF-1.4\n"), File{Name: "x.png", Alt: "x", ImagesOnly: true})
	if !errors.Is(err, gazette.ErrInvalid) || !strings.Contains(err.Error(), "x.png is application/pdf") {
		t.Errorf("err = %v, want ErrInvalid naming the file and its type", err)
	}
}

// TestOrigin: a stored file's path gives back the Origin of the folder and
// name it was saved from, so that a second copy of one file can be found.
func TestOrigin(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ folder, name string }{
		{"2011/07", "Beach Photo.JPG"}, {"imported", "notes.pdf"}, {"", "chart.png"},
	} {
		body := "plain text, saved as it is"
		m, err := Save(dir, strings.NewReader(body), File{Name: c.name, Alt: "x", Folder: c.folder})
		if err != nil {
			t.Fatal(err)
		}
		got, ok := OriginOf(m.Path)
		if want := Origin(c.folder, c.name); !ok || got != want {
			t.Errorf("OriginOf(%q) = %q, %v; want Origin(%q, %q) = %q", m.Path, got, ok, c.folder, c.name, want)
		}
	}
	if o, ok := OriginOf("/media/uploaded-by-hand.png"); ok {
		t.Errorf("OriginOf a path Save does not make = %q, want none", o)
	}
}
