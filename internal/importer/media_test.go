package importer_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/importer"
	"github.com/gazette-blog/gazette/internal/importer/wxr"
)

// attachmentsWXR has a post linking to uploads that the export lists after
// it, as WordPress's exports do: an image in two sizes, a PNG at another
// spelling of the host, a PDF, a file missing from the uploads folder and
// an image of another blog.
const attachmentsWXR = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Old</title><link>http://old.example</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Holiday</title><link>http://old.example/2011/07/holiday/</link><dc:creator>ann</dc:creator>
<content:encoded><![CDATA[<a href="https://old.example/wp-content/uploads/2011/07/photo.jpg"><img src="http://old.example/wp-content/uploads/2011/07/photo-300x180.jpg" alt="Beach"></a>
<img src="http://www.old.example/wp-content/uploads/2011/07/chart.png?w=640" alt="">
<a href="http://old.example/wp-content/uploads/2011/07/notes.pdf">notes</a>
<img src="http://old.example/wp-content/uploads/2011/07/missing.png">
<img src="http://other.example/wp-content/uploads/2011/07/photo.jpg">]]></content:encoded>
<wp:post_id>10</wp:post_id><wp:post_date>2011-07-02 10:00:00</wp:post_date><wp:post_date_gmt>2011-07-02 10:00:00</wp:post_date_gmt>
<wp:post_name>holiday</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>photo</title><wp:post_id>11</wp:post_id><wp:post_parent>10</wp:post_parent><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>http://old.example/wp-content/uploads/2011/07/photo.jpg</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value><![CDATA[2011/07/photo.jpg]]></wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[A beach at dusk]]></wp:meta_value></wp:postmeta></item>
<item><title>Sales chart</title><wp:post_id>12</wp:post_id><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>http://old.example/wp-content/uploads/2011/07/chart.png</wp:attachment_url></item>
<item><title>Notes</title><wp:post_id>13</wp:post_id><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>http://old.example/wp-content/uploads/2011/07/notes.pdf</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>2011/07/notes.pdf</wp:meta_value></wp:postmeta></item>
<item><title>Gone</title><wp:post_id>14</wp:post_id><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>http://old.example/wp-content/uploads/2011/07/missing.png</wp:attachment_url></item>
</channel></rss>
`

// writeImage writes a w×h image of the type the name's extension says.
func writeImage(t *testing.T, name string, w, h int) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var b bytes.Buffer
	var err error
	if strings.HasSuffix(name, ".jpg") {
		err = jpeg.Encode(&b, img, nil)
	} else {
		err = png.Encode(&b, img)
	}
	if err != nil {
		t.Fatal(err)
	}
	writeUpload(t, name, b.Bytes())
}

func writeUpload(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// uploadsFolder builds the uploads of attachmentsWXR, but for missing.png.
// The PNG is named .jpg on purpose: its type comes from its content.
func uploadsFolder(t *testing.T) string {
	dir := t.TempDir()
	writeImage(t, filepath.Join(dir, "2011/07/photo.jpg"), 1000, 600)
	writeImage(t, filepath.Join(dir, "2011/07/chart.png"), 300, 200)
	writeUpload(t, filepath.Join(dir, "2011/07/notes.pdf"), []byte("%PDF-1.4\n%notes\n"))
	return dir
}

// importUploads imports export with the files of from copied into to, the
// files of the attachments of listed.
func importUploads(t *testing.T, store gazette.Store, listed, export, from, to string) (importer.Summary, error) {
	t.Helper()
	list, err := wxr.Attachments(strings.NewReader(listed), "old.xml")
	if err != nil {
		t.Fatal(err)
	}
	return importer.Import(context.Background(), store, newPublisher(), wxr.New(strings.NewReader(export), "old.xml", time.UTC),
		importer.Options{Uploads: &importer.Uploads{From: from, To: to, Attachments: list}})
}

func TestImportAttachments(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	to := filepath.Join(t.TempDir(), "media")
	sum, err := importUploads(t, store, attachmentsWXR, attachmentsWXR, uploadsFolder(t), to)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Media != 3 || sum.MediaMissing != 1 || sum.MediaMissed != "2011/07/missing.png" || sum.Ignored != 0 {
		t.Errorf("summary %+v: want 3 media, 1 missing (2011/07/missing.png) and nothing skipped", sum)
	}
	if s := sum.String(); !strings.Contains(s, "3 media files") || !strings.Contains(s, "1 attachment's file not copied: 2011/07/missing.png") {
		t.Errorf("summary line %q does not count the media and name the missing file", s)
	}

	list, n, err := store.(gazette.MediaStore).MediaList(ctx, 10, 0)
	if err != nil || n != 3 {
		t.Fatalf("MediaList: %d records, %v; want 3", n, err)
	}
	byAlt := map[string]*gazette.Media{}
	for _, m := range list {
		byAlt[m.Alt] = m
		if _, err := os.Stat(filepath.Join(to, strings.TrimPrefix(m.Path, "/media/"))); err != nil {
			t.Errorf("file of %s: %v", m.Path, err)
		}
		for _, v := range m.Variants {
			if _, err := os.Stat(filepath.Join(to, strings.TrimPrefix(v.Path, "/media/"))); err != nil {
				t.Errorf("variant of %s: %v", m.Path, err)
			}
		}
	}
	photo, chart, notes := byAlt["A beach at dusk"], byAlt["Sales chart"], byAlt["Notes"]
	if photo == nil || chart == nil || notes == nil {
		t.Fatalf("media alt texts: %v; want the photo's postmeta and the others' titles", byAlt)
	}
	for _, c := range []struct {
		m           *gazette.Media
		typ, prefix string
		width       int
		variants    int
	}{
		{photo, "image/jpeg", "/media/2011/07/photo-", 1000, 2},
		{chart, "image/png", "/media/2011/07/chart-", 300, 0},
		{notes, "application/pdf", "/media/2011/07/notes-", 0, 0},
	} {
		if c.m.Type != c.typ || !strings.HasPrefix(c.m.Path, c.prefix) || c.m.Width != c.width || len(c.m.Variants) != c.variants {
			t.Errorf("media %+v: want type %s, path %s…, width %d, %d variants", c.m, c.typ, c.prefix, c.width, c.variants)
		}
	}

	entries, _, err := store.Entries(ctx, gazette.EntryFilter{Kind: gazette.AnyKind})
	if err != nil || len(entries) != 1 {
		t.Fatalf("entries: %v, %v", entries, err)
	}
	body := entries[0].Body
	for _, want := range []string{
		`href="` + photo.Path + `"`,
		`src="` + photo.Variants[0].Path + `"`, // the 300-pixel copy becomes the 480 variant
		`src="` + chart.Path + `"`,
		`href="` + notes.Path + `"`,
		`src="http://old.example/wp-content/uploads/2011/07/missing.png"`,
		`src="http://other.example/wp-content/uploads/2011/07/photo.jpg"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %s:\n%s", want, body)
		}
	}
	if staged, _ := filepath.Glob(filepath.Join(filepath.Dir(to), ".import-media-*")); len(staged) != 0 {
		t.Errorf("temporary folders left behind: %v", staged)
	}

	// The same export again: the files it copied are found, not copied twice.
	files := countFiles(t, to)
	again, err := importUploads(t, store, attachmentsWXR, attachmentsWXR, uploadsFolder(t), to)
	if err != nil {
		t.Fatal(err)
	}
	if again.Media != 0 || again.MediaKept != 3 || !strings.Contains(again.String(), "(3 files already in the blog's media)") {
		t.Errorf("imported again: %+v, %q; want no new media and 3 found", again, again.String())
	}
	if _, n, err := store.(gazette.MediaStore).MediaList(ctx, 10, 0); err != nil || n != 3 {
		t.Errorf("imported again: %d media records, %v; want still 3", n, err)
	}
	if got := countFiles(t, to); got != files {
		t.Errorf("imported again: %d files in the media folder, want still %d", got, files)
	}
}

// countFiles counts the files below dir.
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportAttachmentsFailed has an import fail once its files are
// written (the export is cut short after they were listed): nothing is
// stored and no file is left.
func TestImportAttachmentsFailed(t *testing.T) {
	store := openStore(t)
	to := filepath.Join(t.TempDir(), "media")
	broken := strings.Replace(attachmentsWXR, "</channel></rss>", "<item><title>Cut off", 1)
	_, err := importUploads(t, store, attachmentsWXR, broken, uploadsFolder(t), to)
	if err == nil {
		t.Fatal("a truncated export imported")
	}
	var files []string
	filepath.WalkDir(filepath.Dir(to), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 0 {
		t.Errorf("a failed import left files: %v", files)
	}
	if _, n, err := store.(gazette.MediaStore).MediaList(context.Background(), 1, 0); err != nil || n != 0 {
		t.Errorf("a failed import left %d media records (%v)", n, err)
	}
}

// TestImportAttachmentsCountedOnly imports without an uploads folder: the
// attachments are counted as skipped and links left alone.
func TestImportAttachmentsCountedOnly(t *testing.T) {
	store := openStore(t)
	sum, err := importer.Import(context.Background(), store, newPublisher(),
		wxr.New(strings.NewReader(attachmentsWXR), "old.xml", time.UTC), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ignored != 4 || sum.Ignoring != "attachment" || sum.Media != 0 {
		t.Errorf("summary %+v: want 4 attachments skipped", sum)
	}
	entries, _, err := store.Entries(context.Background(), gazette.EntryFilter{Kind: gazette.AnyKind})
	if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Body, "https://old.example/wp-content/uploads/2011/07/photo.jpg") {
		t.Errorf("entries %v (%v): want the body's links as they were", entries, err)
	}
}

// TestThemeUnitTestDataAttachments gives every attachment of the WordPress
// theme unit test data (a WordPress.com export, whose uploads live at
// files.wordpress.com) a generated image, and finds every link to one
// rewritten.
func TestThemeUnitTestDataAttachments(t *testing.T) {
	path := sharedFile(t, "wxr/theme-test-data/themeunittestdata.wordpress.xml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	list, err := wxr.Attachments(bytes.NewReader(data), path)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Count(string(data), "<wp:post_type>attachment</wp:post_type>")
	if len(list) != want || want == 0 {
		t.Fatalf("read %d attachments, the file has %d", len(list), want)
	}
	from := t.TempDir()
	files := map[string]bool{}
	for _, a := range list {
		if a.File == "" {
			t.Fatalf("line %d: no file for %s", a.Line, a.URL)
		}
		if !files[a.File] {
			files[a.File] = true
			writeImage(t, filepath.Join(from, a.File), 64, 48)
		}
	}
	store := openStore(t)
	sum, err := importer.Import(context.Background(), store, newPublisher(), wxr.New(bytes.NewReader(data), path, time.UTC),
		importer.Options{Uploads: &importer.Uploads{From: from, To: filepath.Join(t.TempDir(), "media"), Attachments: list}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Media != len(files) || sum.MediaMissing != 0 {
		t.Errorf("stored %d media, %d missing (%s); want %d", sum.Media, sum.MediaMissing, sum.MediaMissed, len(files))
	}
	entries, _, err := store.Entries(context.Background(), gazette.EntryFilter{Kind: gazette.AnyKind})
	if err != nil {
		t.Fatal(err)
	}
	old := regexp.MustCompile(`wpthemetestdata\.files\.wordpress\.com/(\d{4}/\d{2}/[^"'\s?<]+)`)
	rewritten := 0
	for _, e := range entries {
		text := e.Body + e.ExtendedBody + e.Excerpt
		rewritten += strings.Count(text, "/media/")
		for _, m := range old.FindAllStringSubmatch(text, -1) {
			if files[m[1]] {
				t.Errorf("%s still links to %s", e.Title, m[0])
			}
		}
	}
	if rewritten == 0 {
		t.Error("no link was rewritten to /media/")
	}
}
