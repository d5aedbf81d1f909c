package site

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/feed"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/web"
)

// sitemapPagePrefix is where the files of a sitemap index live: a blog of
// more than feed.MaxURLs pages has /sitemap.xml name /sitemap/1.xml, ….
const sitemapPagePrefix = "/sitemap/"

// sitemap serves /sitemap.xml: every visible entry, the home page, and each
// topic, author and month archive, dated by the last edit of what they
// show; past feed.MaxURLs, an index of /sitemap/N.xml files.
func (s *Site) sitemap(w http.ResponseWriter, r *http.Request) error {
	fb, urls, err := s.sitemapURLs(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	err = feed.WriteSitemap(&buf, urls, func(n int) string {
		return fb.URL(sitemapPagePrefix + strconv.Itoa(n) + ".xml")
	})
	if err != nil {
		return fmt.Errorf("writing the sitemap: %w", err)
	}
	web.ServePage(w, r, web.Page{Body: buf.Bytes(), ContentType: feed.SitemapType, LastModified: newest(urls)})
	return nil
}

// sitemapPage serves /sitemap/N.xml, one file of a sitemap index.
func (s *Site) sitemapPage(w http.ResponseWriter, r *http.Request) error {
	num, ok := strings.CutSuffix(r.PathValue("file"), ".xml")
	n, valid := pageNumber(num, false)
	if !ok || !valid {
		return notFound(r)
	}
	_, urls, err := s.sitemapURLs(r)
	if err != nil {
		return err
	}
	if feed.SitemapPages(len(urls)) < 2 {
		return notFound(r) // a small sitemap is one file, /sitemap.xml
	}
	var buf bytes.Buffer
	if err := feed.WriteSitemapPage(&buf, urls, n); err != nil {
		return fmt.Errorf("sitemap page %d: %w", n, err)
	}
	web.ServePage(w, r, web.Page{Body: buf.Bytes(), ContentType: feed.SitemapType, LastModified: newest(urls)})
	return nil
}

// sitemapURLs lists the pages of the blog a crawler should know, in a
// stable order: home, entries newest first, topics, authors, months.
func (s *Site) sitemapURLs(r *http.Request) (*feed.Blog, []feed.URL, error) {
	ctx := r.Context()
	st, err := s.store.Settings(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading settings: %w", err)
	}
	loc := st.Location()
	fb, err := feed.NewBlog(baseURL(r, st), loc)
	if err != nil {
		return nil, nil, fmt.Errorf("sitemap: %w", err)
	}
	now := s.now()
	pagecache.Depend(ctx, pagecache.Settings)
	if err := s.listDeps(ctx, now, pagecache.Listing, gazette.EntryFilter{}); err != nil {
		return nil, nil, err
	}
	pagecache.Depend(ctx, pagecache.Topics)
	entries, _, err := s.store.Entries(ctx, gazette.EntryFilter{VisibleAt: now, NoText: true})
	if err != nil {
		return nil, nil, fmt.Errorf("reading entries: %w", err)
	}
	// Each archive page is as new as the newest edit of the entries it lists.
	topics := map[int64]time.Time{}
	authors := map[int64]time.Time{}
	months := map[string]time.Time{}
	var home time.Time
	entryURLs := make([]feed.URL, 0, len(entries))
	for _, e := range entries {
		// Its address and time (an edit is a new lastmod), its author's slug.
		pagecache.Depend(ctx, pagecache.Entry(e.ID), pagecache.EntryLink(e.ID), pagecache.Author(e.AuthorID))
		mod := e.PublishedAt
		if e.UpdatedAt.After(mod) && !e.UpdatedAt.After(now) {
			mod = e.UpdatedAt
		}
		entryURLs = append(entryURLs, feed.URL{Loc: fb.URL(e.Path), LastMod: mod})
		later(&home, mod)
		for _, t := range e.Topics {
			laterIn(topics, t.ID, mod)
		}
		laterIn(authors, e.AuthorID, mod)
		t := e.PublishedAt.In(loc)
		laterIn(months, monthURL(t.Year(), t.Month()), mod)
	}
	urls := append([]feed.URL{{Loc: fb.URL("/"), LastMod: home}}, entryURLs...)
	tcs, err := s.store.Topics(ctx, now)
	if err != nil {
		return nil, nil, fmt.Errorf("reading topics: %w", err)
	}
	for _, tc := range tcs {
		if mod, ok := topics[tc.ID]; ok {
			urls = append(urls, feed.URL{Loc: fb.URL(topicURL(tc.Slug)), LastMod: mod})
		}
	}
	as, err := s.store.Authors(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading authors: %w", err)
	}
	for _, a := range as {
		if mod, ok := authors[a.ID]; ok {
			urls = append(urls, feed.URL{Loc: fb.URL(authorLink(a).URL), LastMod: mod})
		}
	}
	mcs, err := s.store.Months(ctx, now, loc)
	if err != nil {
		return nil, nil, fmt.Errorf("reading months: %w", err)
	}
	for _, m := range mcs {
		u := monthURL(m.Year, m.Month)
		urls = append(urls, feed.URL{Loc: fb.URL(u), LastMod: months[u]})
	}
	return fb, urls, nil
}

// laterIn keeps in m[k] the later of m[k] and t.
func laterIn[K comparable](m map[K]time.Time, k K, t time.Time) {
	if old, ok := m[k]; !ok || t.After(old) {
		m[k] = t
	}
}

// robots serves /robots.txt.
func (s *Site) robots(w http.ResponseWriter, r *http.Request) error {
	st, err := s.store.Settings(r.Context())
	if err != nil {
		return fmt.Errorf("reading settings: %w", err)
	}
	pagecache.Depend(r.Context(), pagecache.Settings)
	fb, err := feed.NewBlog(baseURL(r, st), st.Location())
	if err != nil {
		return fmt.Errorf("robots.txt: %w", err)
	}
	var buf bytes.Buffer
	if err := fb.WriteRobots(&buf); err != nil {
		return fmt.Errorf("writing robots.txt: %w", err)
	}
	web.ServePage(w, r, web.Page{Body: buf.Bytes(), ContentType: feed.RobotsType})
	return nil
}

func later(t *time.Time, u time.Time) {
	if u.After(*t) {
		*t = u
	}
}

func newest(urls []feed.URL) time.Time {
	var t time.Time
	for _, u := range urls {
		later(&t, u.LastMod)
	}
	return t
}
