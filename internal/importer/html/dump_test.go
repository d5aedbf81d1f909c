package html

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

func TestDump(t *testing.T) {
	dir := os.Getenv("DUMP")
	if dir == "" {
		t.Skip()
	}
	r, err := New(dir, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	for {
		it, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if it.Skipped != "" {
			t.Logf("SKIP %s %s", r.sources[r.next-1].path, it.Skipped)
			continue
		}
		e := it.Entry
		pt := gazette.PlainText(e.Body)
		if len(pt) > 80 {
			pt = pt[:80]
		}
		t.Logf("%s | %q | %s | %q | %v | old=%v | body=%q", r.sources[r.next-1].path, e.Title, e.PublishedAt.Format(time.RFC3339), e.Author.Name, e.Topics, it.OldPaths, pt)
		for _, c := range it.Comments {
			b := gazette.PlainText(c.Body)
			if len(b) > 40 {
				b = b[:40]
			}
			t.Logf("   C %q %q %s %q", c.Name, c.URL, c.CreatedAt.Format(time.RFC3339), b)
		}
	}
}
