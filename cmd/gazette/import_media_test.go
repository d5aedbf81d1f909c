package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestImportMediaDir imports a WordPress export with --media-dir, as the
// README says, and reads the copied image from the server at the address
// the entry now links to; the file missing from the folder is named.
func TestImportMediaDir(t *testing.T) {
	dir := t.TempDir()
	uploads := filepath.Join(dir, "uploads")
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 40, 30))); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(uploads, "2012/05"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(uploads, "2012/05/map.png"), b.String())
	export := filepath.Join(dir, "blog.xml")
	writeFile(t, export, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Old</title><link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Where we went</title><dc:creator>ann</dc:creator>
<content:encoded><![CDATA[<img src="https://old.example/wp-content/uploads/2012/05/map.png" alt="Map"> and <img src="https://old.example/wp-content/uploads/2012/05/lost.jpg">]]></content:encoded>
<wp:post_id>5</wp:post_id><wp:post_date_gmt>2012-05-03 09:00:00</wp:post_date_gmt><wp:post_name>where-we-went</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>Map of the walk</title><wp:post_id>6</wp:post_id><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>https://old.example/wp-content/uploads/2012/05/map.png</wp:attachment_url></item>
<item><title>Lost</title><wp:post_id>7</wp:post_id><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>https://old.example/wp-content/uploads/2012/05/lost.jpg</wp:attachment_url></item>
</channel></rss>
`)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--data", dir, "import", "--media-dir", uploads, export}, nil, &out, io.Discard); err != nil {
		t.Fatalf("import: %v", err)
	}
	for _, want := range []string{"1 media file", "not copied: 2012/05/lost.jpg"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary %q lacks %q", out.String(), want)
		}
	}

	base, stop := startServe(t, dir)
	defer stop()
	_, home := get(t, base+"/")
	src := regexp.MustCompile(`/media/2012/05/map-[0-9a-f]+\.png`).FindString(home)
	if src == "" {
		t.Fatalf("the home page links to no copied image:\n%s", home)
	}
	resp, err := http.Get(base + src)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || !bytes.Equal(got, b.Bytes()) {
		t.Errorf("GET %s: %d %s, %d bytes; want the PNG of the uploads folder", src, resp.StatusCode, resp.Header.Get("Content-Type"), len(got))
	}
	if !strings.Contains(home, "https://old.example/wp-content/uploads/2012/05/lost.jpg") {
		t.Error("the link to the missing file changed")
	}
}

// TestImportMediaDirErrors refuses --media-dir where it cannot work.
func TestImportMediaDirErrors(t *testing.T) {
	dir := t.TempDir()
	mt := filepath.Join(dir, "blog.txt")
	writeFile(t, mt, "TITLE: A\nDATE: 03/11/2007 01:05:00 PM\n-----\nBODY:\nHi.\n-----\n--------\n")
	wxrFile := filepath.Join(dir, "blog.xml")
	writeFile(t, wxrFile, `<rss><channel xmlns:wp="http://wordpress.org/export/1.2/"></channel></rss>`)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--media-dir", dir, mt}, "for WordPress exports"},
		{[]string{"--media-dir", filepath.Join(dir, "none"), wxrFile}, "is not a folder"},
	} {
		err := run(context.Background(), append([]string{"--data", dir, "import"}, c.args...), nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("import %v: %v, want an error saying %q", c.args, err, c.want)
		}
	}
}
