package gazette_test

import (
	"errors"
	"testing"

	"github.com/gazette-blog/gazette"
)

// TestValidate: what every store refuses before it writes, as ErrInvalid,
// and what it lets through.
func TestValidate(t *testing.T) {
	entry := func(f func(*gazette.Entry)) *gazette.Entry {
		e := &gazette.Entry{Title: "T", Path: "/archives/2007/03/t.html", Status: gazette.StatusPublished, Format: gazette.FormatHTML}
		f(e)
		return e
	}
	mention := func(f func(*gazette.Mention)) *gazette.Mention {
		m := &gazette.Mention{SourceURL: "https://example.com/", Kind: gazette.MentionWebmention, Status: gazette.CommentApproved}
		f(m)
		return m
	}
	ping := func(f func(*gazette.Ping)) *gazette.Ping {
		p := &gazette.Ping{Source: "https://blog.example/a.html", Target: "https://example.com/", Status: gazette.PingQueued}
		f(p)
		return p
	}
	tests := []struct {
		name string
		v    interface{ Validate() error }
		ok   bool
	}{
		{"entry", entry(func(*gazette.Entry) {}), true},
		{"page", entry(func(e *gazette.Entry) { e.Kind = gazette.KindPage }), true},
		{"entry status", entry(func(e *gazette.Entry) { e.Status = "gone" }), false},
		{"entry kind", entry(func(e *gazette.Entry) { e.Kind = "post" }), false},
		{"entry format", entry(func(e *gazette.Entry) { e.Format = "textile" }), false},
		{"entry path", entry(func(e *gazette.Entry) { e.Path = "" }), false},
		{"author", &gazette.Author{Name: "Richard", Slug: "richard", Role: gazette.RoleAuthor}, true},
		{"author slug", &gazette.Author{Name: "Richard", Role: gazette.RoleAuthor}, false},
		{"author role", &gazette.Author{Name: "Richard", Slug: "richard", Role: "owner"}, false},
		{"topic", &gazette.Topic{Name: "Iran", Slug: "iran"}, true},
		{"topic name", &gazette.Topic{Slug: "iran"}, false},
		{"redirect to an entry", gazette.Redirect{Path: "/archives/000123.html", EntryID: 7}, true},
		{"redirect to a path", gazette.Redirect{Path: "/old/", Target: "/topics/iran/"}, true},
		{"redirect without a path", gazette.Redirect{Target: "/topics/iran/"}, false},
		{"redirect nowhere", gazette.Redirect{Path: "/old/"}, false},
		{"redirect off the blog", gazette.Redirect{Path: "/old/", Target: "//evil.example/"}, false},
		{"redirect relative", gazette.Redirect{Path: "/old/", Target: "topics/"}, false},
		{"redirect to itself", gazette.Redirect{Path: "/old/", Target: "/old/"}, false},
		{"mention", mention(func(*gazette.Mention) {}), true},
		{"mention kind", mention(func(m *gazette.Mention) { m.Kind = "tweet" }), false},
		{"mention type", mention(func(m *gazette.Mention) { m.Type = "bookmark" }), false},
		{"mention status", mention(func(m *gazette.Mention) { m.Status = "held" }), false},
		{"media", &gazette.Media{Path: "/media/a.png", Type: "image/png", Alt: "A chart"}, true},
		{"media alt", &gazette.Media{Path: "/media/a.png", Type: "image/png", Alt: " "}, false},
		{"media type", &gazette.Media{Path: "/media/a.png", Alt: "A chart"}, false},
		{"ping", ping(func(*gazette.Ping) {}), true},
		{"ping status", ping(func(p *gazette.Ping) { p.Status = "lost" }), false},
		{"ping target", ping(func(p *gazette.Ping) { p.Target = "" }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.v.Validate()
			if tt.ok != (err == nil) {
				t.Fatalf("Validate() = %v, want ok %v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, gazette.ErrInvalid) {
				t.Errorf("Validate() = %v, not ErrInvalid", err)
			}
		})
	}
}
