package theme

import "html/template"

// Page is the data of one page template. Each page kind is its own type, so
// a handler cannot hand a template data it does not expect.
type Page interface {
	// template names the page template that renders the page.
	template() string
	site() *Site
}

// Site is the part every page shares: the blog, its banner and the theme.
type Site struct {
	Title       string
	Description string
	BaseURL     string // without a trailing slash; may be empty
	Lang        string // the page's language tag, "en" when empty
	// LatestEntry is the newest visible entry, for the banner; nil on an
	// empty blog.
	LatestEntry *Link
	// LatestCommentsLabel is the text of the banner link to /comments/.
	LatestCommentsLabel string
	Assets              Assets
	Year                int // the current year, for the copyright line
	// PageTitle is what the page adds before the blog's title in <title>;
	// empty on the home page.
	PageTitle string
	// Path is the page's own path, for its canonical link.
	Path string
	// Sidebar is filled only for themes that show one (Theme.HasSidebar).
	Sidebar *Sidebar

	// Feeds are the feeds the page links for autodiscovery, the blog's
	// first; their URLs are absolute.
	Feeds []Feed
	// Meta describes the page to search engines and link previews.
	Meta Meta
	// Webmention and Pingback are the absolute addresses of the endpoints
	// that take other sites' links to this page; empty on pages that take
	// none.
	Webmention, Pingback string
}

// Feed is a feed a page links to with <link rel="alternate">.
type Feed struct {
	Title string
	Type  string // the media type, without parameters
	URL   string
}

// Meta is what a page says of itself in OpenGraph, Twitter card and
// schema.org terms.
type Meta struct {
	// Type is the OpenGraph type: "website", or "article" for an entry.
	Type        string
	Title       string
	Description string
	// Published and Modified are RFC 3339 times, for articles.
	Published, Modified string
	// JSONLD is the page's schema.org description as JSON, escaped so that
	// it cannot end its script element.
	JSONLD template.JS
}

// Assets are the content-hashed URLs of a theme's static files.
type Assets struct {
	Style   string
	Favicon string
}

// Sidebar is the blog-wide navigation some themes show beside the content.
type Sidebar struct {
	Recent []Link
	Topics []Count
	Months []Count
}

// Link is a titled URL.
type Link struct {
	Title string
	URL   string
}

// Count is a link with the number of entries behind it.
type Count struct {
	Link
	Count int
}

// Entry is an entry as pages show it, with its dates already formatted in
// the blog's time zone.
type Entry struct {
	Title string
	URL   string
	// Date and Time are as the seed page shows them: "March 11, 2007" and
	// "1:05 PM"; ISOTime is for the datetime attribute of <time>.
	Date, Time, ISOTime string
	// NewDay marks the first entry of a day in a list, where the date heading goes.
	NewDay   bool
	Body     template.HTML
	Extended template.HTML
	// Summary is the excerpt, or the start of the text, for listings.
	Summary       string
	Author        Link
	Topics        []Link
	CommentCount  int
	AllowComments bool
}

// Comment is a reader's approved comment as pages show it.
type Comment struct {
	ID   int64
	Name string
	// URL is the commenter's own site; empty when none was given.
	URL                 string
	Body                template.HTML // sanitised
	Date, Time, ISOTime string
	// EntryTitle and EntryURL name the entry, on pages listing many entries' comments.
	EntryTitle string
	EntryURL   string
	// Depth is the comment's level in its thread on an entry's page: 0 for
	// a comment on the entry, 1 for a reply to one, and so on up to the
	// deepest level shown, where deeper replies line up.
	Depth int
	// ReplyURL answers the comment with the form, without script; empty
	// where no reply can be made.
	ReplyURL string
	// Pending marks a held comment, shown only to the reader who wrote it.
	Pending bool
}

// CommentForm is the form under an entry, filled with what the reader
// typed (or remembered) when it is shown again.
type CommentForm struct {
	Action string // the entry's own URL: the form posts there
	// Token is the signed token of this showing of the form.
	Token string
	Name  string
	Email string
	URL   string
	Body  string
	// Remember keeps name, email and URL in a cookie for next time.
	Remember bool
	// ParentID is the comment answered, ReplyTo its writer; 0 and "" for
	// a comment on the entry.
	ParentID int64
	ReplyTo  string
	// Honeypot adds the field that only bots fill.
	Honeypot bool
	// Error says why the last post was refused, in words for the reader.
	Error string
	// Limit is the most characters a comment may have; 0 for none.
	Limit int
}

// Pager links a page of a list to its neighbours.
type Pager struct {
	Page, Pages int
	// NewerURL and OlderURL are empty at either end.
	NewerURL, OlderURL string
}

// HomePage is the front page and its older pages (/page/N/).
type HomePage struct {
	Site    Site
	Entries []Entry
	Pager   Pager
}

// EntryPage is an entry's permalink page: the page the seed shows.
type EntryPage struct {
	Site  Site
	Entry Entry
	// Prev and Next are the entries published just before and after,
	// blog-wide; nil at either end.
	Prev, Next *Link
	Comments   []Comment
	// Form is the comment form; nil when the entry takes no comments.
	Form *CommentForm
	// Closed says the entry's comments are closed, where the form would be.
	Closed bool
	// Preview is the reader's comment as it will look, before it is posted.
	Preview *Comment
	// RelatedTopic is the entry's primary topic; nil without one.
	RelatedTopic *Link
	// Related are earlier entries of the same primary topic, newest first.
	Related []Link
	// Mentions are other sites' approved links to the entry: webmentions,
	// pingbacks and TrackBacks, oldest first.
	Mentions []Mention
	// Trackback is the absolute address TrackBack pings for the entry go to.
	Trackback string
}

// Mention is another site's link to an entry, as pages show it.
type Mention struct {
	// Kind is what the other page does: "reply", "like", "repost" or
	// "mention".
	Kind string
	// URL is the page that links to the entry; AuthorURL and AuthorPhoto
	// may be empty.
	URL                 string
	Title               string
	Excerpt             string
	AuthorName          string
	AuthorURL           string
	AuthorPhoto         string
	Date, Time, ISOTime string
}

// MonthPage is the archive of one month.
type MonthPage struct {
	Site    Site
	Month   string // "March 2007"
	Entries []Entry
	// Prev and Next are the neighbouring months that have entries.
	Prev, Next *Link
}

// MonthsPage is the index of every month, grouped by year.
type MonthsPage struct {
	Site  Site
	Years []Year
}

// Year is one year of the months index, newest month first.
type Year struct {
	Year   int
	Months []Count
}

// TopicPage is the archive of one topic.
type TopicPage struct {
	Site        Site
	Topic       Link
	Description string
	Entries     []Entry
	Pager       Pager
}

// TopicsPage lists every topic with its number of entries.
type TopicsPage struct {
	Site   Site
	Topics []Count
}

// AuthorPage is the archive of one author.
type AuthorPage struct {
	Site    Site
	Author  Link
	Entries []Entry
	Pager   Pager
}

// CommentsPage lists the newest comments blog-wide.
type CommentsPage struct {
	Site     Site
	Comments []Comment
}

// SearchPage is a search form and, when a query was given, its results.
type SearchPage struct {
	Site    Site
	Query   string
	Results []SearchResult
	Total   int
	// First is the rank of the first result on this page, from 1.
	First int
	Pager Pager
}

// SearchResult is one matching entry.
type SearchResult struct {
	Entry Entry
	// Snippet is escaped text with the matched words in <mark>.
	Snippet template.HTML
}

// ErrorPage is shown when a request fails: a 404 for an unknown address, or
// any other error status with a message fit for a reader.
type ErrorPage struct {
	Site    Site
	Status  int
	Message string
}

func (p *HomePage) template() string     { return "home" }
func (p *EntryPage) template() string    { return "entry" }
func (p *MonthPage) template() string    { return "month" }
func (p *MonthsPage) template() string   { return "months" }
func (p *TopicPage) template() string    { return "topic" }
func (p *TopicsPage) template() string   { return "topics" }
func (p *AuthorPage) template() string   { return "author" }
func (p *CommentsPage) template() string { return "comments" }
func (p *SearchPage) template() string   { return "search" }
func (p *ErrorPage) template() string    { return "error" }

func (p *HomePage) site() *Site     { return &p.Site }
func (p *EntryPage) site() *Site    { return &p.Site }
func (p *MonthPage) site() *Site    { return &p.Site }
func (p *MonthsPage) site() *Site   { return &p.Site }
func (p *TopicPage) site() *Site    { return &p.Site }
func (p *TopicsPage) site() *Site   { return &p.Site }
func (p *AuthorPage) site() *Site   { return &p.Site }
func (p *CommentsPage) site() *Site { return &p.Site }
func (p *SearchPage) site() *Site   { return &p.Site }
func (p *ErrorPage) site() *Site    { return &p.Site }

// pageTemplates returns the names of the page templates every theme has,
// one per Page type.
func pageTemplates() []string {
	return []string{"home", "entry", "month", "months", "topic", "topics", "author", "comments", "search", "error"}
}
