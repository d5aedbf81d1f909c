// Package site serves the public pages of a blog: the home page, entries,
// archives by month, topic and author, the latest comments, search, the
// themes' static files, redirects from old addresses and the themed 404.
//
// Every page is read from the store (settings included, so a change shows at
// once), rendered by the blog's theme, and served through internal/web with an
// ETag and Last-Modified so that unchanged pages cost a 304. With a page cache
// (Config.Cache) a page is rendered once and served from memory until a write
// changes what it shows: while it renders, a page records the dependency keys
// of what it reads (cache.go), and writes name the keys they change.
package site

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/pagecache"
	"github.com/gazette-blog/gazette/internal/publish"
	"github.com/gazette-blog/gazette/internal/sanitize"
	"github.com/gazette-blog/gazette/internal/theme"
	"github.com/gazette-blog/gazette/internal/web"
)

// Config holds what the public site needs.
type Config struct {
	Store     gazette.Store
	Themes    *theme.Themes
	Sanitizer *sanitize.Sanitizer
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
	// Now is the clock that decides which entries are visible; nil means time.Now.
	Now func() time.Time
	// Publisher takes readers' comments; nil shows no comment form.
	Publisher *publish.Publisher
	// Cache keeps rendered pages until a write changes them; nil renders
	// every request.
	Cache *pagecache.Cache
}

// Site is the public site as an http.Handler.
type Site struct {
	store  gazette.Store
	themes *theme.Themes
	san    *sanitize.Sanitizer
	logger *slog.Logger
	now    func() time.Time
	errs   *web.Errors
	mux    *http.ServeMux
	// pages is mux behind the page cache, or mux itself without one.
	pages http.Handler
	pub   *publish.Publisher
	// limits holds the comment rate limiter of each client address.
	limits *limiters
}

// Page sizes that are not settings.
const (
	archivePageSize  = 20 // topic and author archives
	searchPageSize   = 10
	latestComments   = 50
	relatedEntries   = 10
	sidebarRecent    = 5
	summaryMaxLength = 280 // bytes of plain text in a listing's summary
)

// New returns the public site. It panics if cfg lacks the store, the themes
// or the sanitizer, which is a mistake in the program's wiring.
func New(cfg Config) *Site {
	if cfg.Store == nil || cfg.Themes == nil || cfg.Sanitizer == nil {
		panic("site.New: Config needs Store, Themes and Sanitizer")
	}
	s := &Site{
		store:  cfg.Store,
		themes: cfg.Themes,
		san:    cfg.Sanitizer,
		logger: cfg.Logger,
		now:    cfg.Now,
		mux:    http.NewServeMux(),
		pub:    cfg.Publisher,
		limits: newLimiters(maxLimiters),
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.errs = &web.Errors{Logger: s.logger, Page: s.errorPage}

	// Every public route. GET patterns answer HEAD too. A route's
	// address that is no page may be an old one to redirect (a renamed
	// topic's, say), unless its handler looks for redirects itself or the
	// address is a form's: ownRedirects.
	routes := []struct {
		pattern      string
		handler      web.HandlerFunc
		ownRedirects bool
	}{
		{"GET /{$}", s.home, false},
		{"GET /page/{n}/{$}", s.home, false},
		{"GET /archives/{year}/{month}/{file}", s.entry, true},
		{"GET /archives/{year}/{month}/{$}", s.month, false},
		{"GET /archives/{$}", s.months, false},
		{"GET /topics/{slug}/{$}", s.topic, false},
		{"GET /topics/{slug}/page/{n}/{$}", s.topic, false},
		{"GET /topics/{$}", s.topics, false},
		{"GET /tags/{slug}/{$}", s.tag, false},
		{"GET /tags/{slug}/page/{n}/{$}", s.tag, false},
		{"GET /authors/{slug}/{$}", s.author, false},
		{"GET /authors/{slug}/page/{n}/{$}", s.author, false},
		{"GET /comments/{$}", s.comments, false},
		{"GET /comments/atom.xml", s.commentFeed, false},
		{"POST /archives/{year}/{month}/{file}", s.postComment, true},
		{"GET /search", s.search, false},
		{"GET /atom.xml", s.feedHandler(blogFeed, atom), false},
		{"GET /index.xml", s.feedHandler(blogFeed, rss), false},
		{"GET /feed.json", s.feedHandler(blogFeed, jsonFeed), false},
		{"GET /topics/{slug}/atom.xml", s.feedHandler(topicFeed, atom), false},
		{"GET /topics/{slug}/index.xml", s.feedHandler(topicFeed, rss), false},
		{"GET /topics/{slug}/feed.json", s.feedHandler(topicFeed, jsonFeed), false},
		{"GET /authors/{slug}/atom.xml", s.feedHandler(authorFeed, atom), false},
		{"GET /authors/{slug}/index.xml", s.feedHandler(authorFeed, rss), false},
		{"GET /authors/{slug}/feed.json", s.feedHandler(authorFeed, jsonFeed), false},
		{"GET /sitemap.xml", s.sitemap, false},
		{"GET " + sitemapPagePrefix + "{file}", s.sitemapPage, false},
		{"GET /robots.txt", s.robots, false},
		{"GET /", s.redirectOrNotFound, true},
	}
	for _, rt := range routes {
		h := rt.handler
		if !rt.ownRedirects {
			h = s.orRedirect(h)
		}
		s.mux.Handle(rt.pattern, s.errs.Handle(h))
	}
	s.mux.Handle("GET "+theme.StaticPrefix, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pagecache.Depend(r.Context(), pagecache.Assets) // kept, and compressed, once
		cfg.Themes.ServeHTTP(w, r)
	}))
	s.pages = s.mux
	if cfg.Cache != nil {
		s.pages = cfg.Cache.Handler(s.mux)
	}
	return s
}

// ServeHTTP serves a public page.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.pages.ServeHTTP(w, r)
}

// request is what every page of one request shares: the settings, the
// theme, the clock and the common part of the page.
type request struct {
	ctx      context.Context
	settings gazette.Settings
	loc      *time.Location
	now      time.Time
	theme    *theme.Theme
	site     theme.Site
	// modified is the latest change seen among what the page shows.
	modified time.Time
}

// begin reads what every page needs: the settings, the newest entries for
// the banner (and sidebar), and the sidebar's lists when the theme has one.
func (s *Site) begin(r *http.Request, pageTitle string) (*request, error) {
	ctx := r.Context()
	st, err := s.store.Settings(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading settings: %w", err)
	}
	q := &request{
		ctx:      ctx,
		settings: st,
		loc:      st.Location(),
		now:      s.now(),
		theme:    s.themes.Theme(st.Theme),
	}
	q.site = theme.Site{
		Title:               st.Title,
		Description:         st.Description,
		BaseURL:             baseURL(r, st),
		Lang:                "en",
		LatestCommentsLabel: st.LatestCommentsLabel,
		Year:                q.now.In(q.loc).Year(),
		PageTitle:           pageTitle,
		Path:                r.URL.EscapedPath(),
	}
	if err := s.pageDeps(ctx, q.now, q.loc); err != nil {
		return nil, err
	}
	q.addFeeds(st.Title, "/")
	q.site.Meta = theme.Meta{Type: "website", Title: st.Title, Description: st.Description}
	if pageTitle != "" {
		q.site.Meta.Title = pageTitle
	}
	limit := 1
	if q.theme.HasSidebar() {
		limit = sidebarRecent
	}
	latest, _, err := s.store.Entries(ctx, gazette.EntryFilter{VisibleAt: q.now, Limit: limit, NoText: true, NoTotal: true, NoTerms: true})
	if err != nil {
		return nil, fmt.Errorf("reading the latest entries: %w", err)
	}
	if len(latest) > 0 {
		q.site.LatestEntry = &theme.Link{Title: latest[0].Title, URL: latest[0].Path}
		q.seeEntry(latest[0])
	}
	if q.theme.HasSidebar() {
		if err := s.fillSidebar(q, latest); err != nil {
			return nil, err
		}
	}
	return q, nil
}

func (s *Site) fillSidebar(q *request, latest []*gazette.Entry) error {
	pagecache.Depend(q.ctx, pagecache.Topics, pagecache.Listing) // the counts
	sb := &theme.Sidebar{}
	for _, e := range latest {
		sb.Recent = append(sb.Recent, theme.Link{Title: e.Title, URL: e.Path})
	}
	topics, err := s.store.Topics(q.ctx, q.now)
	if err != nil {
		return fmt.Errorf("reading topics: %w", err)
	}
	sb.Topics = topicCounts(topics)
	months, err := s.store.Months(q.ctx, q.now, q.loc)
	if err != nil {
		return fmt.Errorf("reading months: %w", err)
	}
	for _, m := range months {
		sb.Months = append(sb.Months, monthCount(m))
	}
	q.site.Sidebar = sb
	return nil
}

// seeEntry notes that the page shows e, for its Last-Modified. An entry
// counts from its last edit, or from its publication when that is later, as
// it is when a scheduled entry appears.
func (q *request) seeEntry(e *gazette.Entry) {
	pagecache.Depend(q.ctx, pagecache.EntryLink(e.ID))
	q.seeTime(e.UpdatedAt)
	q.seeTime(e.PublishedAt)
}

func (q *request) seeTime(t time.Time) {
	if t.After(q.modified) && !t.After(q.now) {
		q.modified = t
	}
}

// serve renders p in the request's theme and writes it.
func (s *Site) serve(w http.ResponseWriter, r *http.Request, q *request, p theme.Page) error {
	body, err := q.theme.Render(p)
	if err != nil {
		return err
	}
	web.ServePage(w, r, web.Page{Body: body, LastModified: q.modified})
	return nil
}

// errorPage writes the themed page for an error. When even the common part
// of a page cannot be read (the store is down), it falls back to plain text.
func (s *Site) errorPage(w http.ResponseWriter, r *http.Request, status int, message string) {
	title := "Error"
	if status == http.StatusNotFound {
		title = "Page not found"
	}
	q, err := s.begin(r, title)
	if err != nil {
		s.logger.ErrorContext(r.Context(), "rendering error page", slog.Any("error", err))
		web.PlainError(w, status, message)
		return
	}
	q.site.Path = ""
	body, err := q.theme.Render(&theme.ErrorPage{Site: q.site, Status: status, Message: message})
	if err != nil {
		s.logger.ErrorContext(r.Context(), "rendering error page", slog.Any("error", err))
		web.PlainError(w, status, message)
		return
	}
	web.WriteHTML(w, status, body)
}

// notFound is the error for an address with no page.
func notFound(r *http.Request) error {
	return gazette.Errorf(gazette.ErrNotFound, "There is no page at %s.", r.URL.Path)
}
