package feed

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

// benchEntries returns 15 entries of about 1,000 words each, in paragraphs
// with a relative link and an image in each, as a home-page feed serves.
func benchEntries() []*gazette.Entry {
	var body strings.Builder
	for p := range 20 {
		body.WriteString("<p>")
		for w := range 50 {
			if w == 25 {
				fmt.Fprintf(&body, `<a href="/archives/2007/03/e%d.html">word</a> `, p)
				continue
			}
			body.WriteString("lorem ")
		}
		fmt.Fprintf(&body, `<img src="../02/img%d.jpg" alt="x"></p>`+"\n", p)
	}
	es := make([]*gazette.Entry, 15)
	for i := range es {
		es[i] = &gazette.Entry{
			Path: fmt.Sprintf("/archives/2007/03/entry-%d.html", i), Title: fmt.Sprintf("Entry %d & more", i),
			BodyHTML: body.String(), PublishedAt: time.Date(2007, 3, 11, 0, 0, 0, 0, time.UTC).Add(-time.Duration(i) * time.Hour),
			UpdatedAt: time.Date(2007, 3, 12, 0, 0, 0, 0, time.UTC), Author: richard, Topics: []gazette.Topic{iran, mideast},
		}
	}
	return es
}

// BenchmarkFeed measures building the items of a 15-entry feed of 1,000-word
// entries (URL rewriting included) and writing it in each format.
func BenchmarkFeed(b *testing.B) {
	blog := testBlog(b)
	es := benchEntries()
	newFeed := func() *Feed {
		f := &Feed{Title: "Bench", HomeURL: blog.URL("/"), FeedURL: blog.URL("/atom.xml")}
		for _, e := range es {
			f.Items = append(f.Items, blog.Entry(e))
		}
		return f
	}
	b.Run("items", func(b *testing.B) {
		for b.Loop() {
			newFeed()
		}
	})
	f := newFeed()
	for _, fm := range formats {
		b.Run(fm.name, func(b *testing.B) {
			b.SetBytes(int64(len(write(b, f, fm))))
			for b.Loop() {
				if err := fm.write(f, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
