package storetest

import (
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

// testImported covers what imports from WordPress and Blogger need: pages
// kept out of the chronology, sticky entries, tag archives, nested topics
// and redirects to paths.
func testImported(t *testing.T, open func(t *testing.T) *fixture) {
	t.Run("pages stay out of listings", func(t *testing.T) {
		f := open(t)
		e1 := f.mustEntry(0)
		pg := f.mustEntry(1, func(e *gazette.Entry) { e.Kind = gazette.KindPage; e.Path = gazette.PagePath("about") })
		e2 := f.mustEntry(2)
		list, n, err := f.s.Entries(f.ctx, gazette.EntryFilter{VisibleAt: now, Limit: 1})
		must(t, "Entries", err)
		if n != 2 || len(list) != 1 || list[0].ID != e2.ID {
			t.Errorf("Entries counts %d (want 2) and lists %v first (want %d)", n, ids(list), e2.ID)
		}
		pages, _, err := f.s.Entries(f.ctx, gazette.EntryFilter{Kind: gazette.KindPage})
		must(t, "Entries(pages)", err)
		wantIDs(t, "pages", pages, pg)
		all, _, err := f.s.Entries(f.ctx, gazette.EntryFilter{Kind: gazette.AnyKind})
		must(t, "Entries(any)", err)
		wantIDs(t, "any kind", all, e2, pg, e1)
		prev, next, err := f.s.AdjacentEntries(f.ctx, e1, now)
		must(t, "AdjacentEntries", err)
		if prev != nil || next == nil || next.ID != e2.ID {
			t.Errorf("neighbours of the first entry: %v, %v; want none and %d", prev, next, e2.ID)
		}
		months, err := f.s.Months(f.ctx, now, time.UTC)
		must(t, "Months", err)
		if len(months) != 1 || months[0].Count != 2 {
			t.Errorf("Months = %+v, want one month of 2 entries", months)
		}
		got := f.mustGetEntry(pg.ID)
		if got.Kind != gazette.KindPage || got.Path != "/about/" {
			t.Errorf("page reads back as kind %q at %q", got.Kind, got.Path)
		}
	})
	t.Run("sticky and tags", func(t *testing.T) {
		f := open(t)
		f.mustEntry(0, func(e *gazette.Entry) { e.Tags = []string{"Go Lang", "misc"} })
		st := f.mustEntry(1, func(e *gazette.Entry) { e.Sticky = true; e.Tags = []string{"Go Lang"} })
		f.mustEntry(2)
		sticky, _, err := f.s.Entries(f.ctx, gazette.EntryFilter{Sticky: true, VisibleAt: now})
		must(t, "Entries(sticky)", err)
		wantIDs(t, "sticky", sticky, st)
		tagged, n, err := f.s.Entries(f.ctx, gazette.EntryFilter{Tag: gazette.TagSlug("Go Lang"), VisibleAt: now})
		must(t, "Entries(tag)", err)
		if n != 2 || len(tagged) != 2 {
			t.Errorf("tag go-lang: %d entries (%d counted), want 2", len(tagged), n)
		}
		if !f.mustGetEntry(st.ID).Sticky {
			t.Error("Sticky does not read back")
		}
	})
	t.Run("topic parents", func(t *testing.T) {
		f := open(t)
		parent := f.mustTopic("News")
		child := &gazette.Topic{Slug: "local", Name: "Local", ParentID: parent.ID}
		must(t, "CreateTopic", f.s.CreateTopic(f.ctx, child))
		got, err := f.s.Topic(f.ctx, child.ID)
		must(t, "Topic", err)
		if got.ParentID != parent.ID {
			t.Errorf("ParentID = %d, want %d", got.ParentID, parent.ID)
		}
		must(t, "DeleteTopic", f.s.DeleteTopic(f.ctx, parent.ID))
		got, err = f.s.Topic(f.ctx, child.ID)
		must(t, "Topic", err)
		if got.ParentID != 0 {
			t.Errorf("ParentID = %d after the parent was deleted, want 0", got.ParentID)
		}
	})
	t.Run("redirects to paths", func(t *testing.T) {
		f := open(t)
		e := f.mustEntry(0)
		must(t, "AddRedirect(entry)", f.s.AddRedirect(f.ctx, gazette.Redirect{Path: "/?p=1", EntryID: e.ID}))
		must(t, "AddRedirect(path)", f.s.AddRedirect(f.ctx, gazette.Redirect{Path: "/category/news/", Target: "/topics/news/"}))
		r, err := f.s.Redirect(f.ctx, "/category/news/")
		must(t, "Redirect", err)
		if r.EntryID != 0 || r.Target != "/topics/news/" {
			t.Errorf("Redirect = %+v", r)
		}
		_, err = f.s.RedirectTarget(f.ctx, "/category/news/")
		wantKind(t, "RedirectTarget(path redirect)", err, gazette.ErrNotFound)
		list, err := f.s.Redirects(f.ctx)
		must(t, "Redirects", err)
		if len(list) != 2 || list[0].Path != "/?p=1" || list[0].EntryID != e.ID || list[1].Target != "/topics/news/" {
			t.Errorf("Redirects = %+v", list)
		}
		_, err = f.s.Redirect(f.ctx, "/nowhere/")
		wantKind(t, "Redirect(unknown)", err, gazette.ErrNotFound)
		for _, bad := range []gazette.Redirect{
			{Path: "/x/"},
			{Path: "/x/", Target: "http://elsewhere.example/"},
			{Path: "/x/", Target: "//elsewhere.example/"},
			{Path: "/x/", Target: "/x/"},
		} {
			wantKind(t, "AddRedirect("+bad.Target+")", f.s.AddRedirect(f.ctx, bad), gazette.ErrInvalid)
		}
	})
}
