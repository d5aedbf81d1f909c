package gazette

import (
	"context"
	"fmt"
	"time"
)

// EntryStatus says whether readers can see an entry.
type EntryStatus string

// The statuses of an entry. Only published entries whose PublishedAt has come
// are visible to readers; a scheduled entry becomes published at PublishedAt.
const (
	StatusDraft     EntryStatus = "draft"
	StatusPublished EntryStatus = "published"
	StatusScheduled EntryStatus = "scheduled"
)

// Valid reports whether s is one of the known statuses.
func (s EntryStatus) Valid() bool {
	switch s {
	case StatusDraft, StatusPublished, StatusScheduled:
		return true
	}
	return false
}

// Format names the markup an entry's text is written in.
type Format string

// The formats an entry's text can be written in.
const (
	FormatHTML          Format = "html"           // HTML, used as written
	FormatMarkdown      Format = "markdown"       // CommonMark, via goldmark
	FormatConvertBreaks Format = "convert-breaks" // Movable Type's paragraph conversion
)

// Valid reports whether f is one of the known formats.
func (f Format) Valid() bool {
	switch f {
	case FormatHTML, FormatMarkdown, FormatConvertBreaks:
		return true
	}
	return false
}

// EntryKind says whether an entry belongs to the blog's chronology.
type EntryKind string

// The kinds of entry. A page (WordPress's "page", Blogger's "page") stands
// alone at /SLUG/: it never shows in listings, feeds, archives, neighbours or
// related entries.
const (
	KindEntry EntryKind = "entry"
	KindPage  EntryKind = "page"
	// AnyKind is for EntryFilter.Kind only: it selects entries and pages.
	AnyKind EntryKind = "any"
)

// Valid reports whether k is the kind of a stored entry; the empty kind
// counts as KindEntry.
func (k EntryKind) Valid() bool {
	return k == "" || k == KindEntry || k == KindPage
}

// Entry is one blog post.
//
// Body, ExtendedBody and Excerpt hold the text as its author wrote it, in
// Format; BodyHTML and ExtendedHTML hold it rendered, made by the publish
// package on every write so that reading a page never renders Markdown.
type Entry struct {
	ID       int64
	Basename string // URL slug, unique within the entry's month
	Path     string // permalink path, e.g. /archives/2007/03/basename.html; unique
	// Kind is KindEntry (also when empty) or KindPage; a page's Path is
	// PagePath(Basename).
	Kind EntryKind
	// Sticky entries come first on the first page of the home page, as
	// WordPress's sticky posts do.
	Sticky        bool
	Title         string
	Body          string
	ExtendedBody  string
	Excerpt       string
	Keywords      string
	Format        Format
	BodyHTML      string
	ExtendedHTML  string
	Status        EntryStatus
	PublishedAt   time.Time // UTC; for drafts, the intended time
	AuthorID      int64
	Author        Author  // filled by the store on reads
	Topics        []Topic // the primary topic first; writes need only the IDs
	Tags          []string
	AllowComments bool
	AllowPings    bool
	// CommentCount is the number of approved comments, kept by the store.
	CommentCount int
	// ImportKey identifies the entry in the export it was imported from, so
	// that importing the same file again finds it instead of duplicating it.
	// Empty for entries written in gazette.
	ImportKey string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PrimaryTopic returns the entry's primary topic, and false if it has none.
func (e *Entry) PrimaryTopic() (Topic, bool) {
	if len(e.Topics) == 0 {
		return Topic{}, false
	}
	return e.Topics[0], true
}

// VisibleAt reports whether readers can see the entry at time now.
func (e *Entry) VisibleAt(now time.Time) bool {
	return e.Status == StatusPublished && !e.PublishedAt.After(now)
}

// EntryPath returns the permalink path of an entry with the given basename
// published at t, in the blog's time zone loc: /archives/YYYY/MM/BASENAME.html,
// the default of Movable Type, so that imported entries keep their URLs.
func EntryPath(t time.Time, loc *time.Location, basename string) string {
	t = t.In(loc)
	return fmt.Sprintf("/archives/%04d/%02d/%s.html", t.Year(), int(t.Month()), basename)
}

// PagePath returns the path of the page with the given basename: /SLUG/.
func PagePath(basename string) string {
	return "/" + basename + "/"
}

// TagSlug returns the URL segment of a tag's archive, /tags/SLUG/.
func TagSlug(name string) string {
	return Slugify(name)
}

// EntryFilter selects entries. Zero fields select everything; results are
// ordered newest first by PublishedAt, then by ID.
type EntryFilter struct {
	// VisibleAt, when set, keeps only entries readers can see at that time:
	// published, with PublishedAt not after it. Every public page sets it.
	VisibleAt time.Time
	Status    EntryStatus
	AuthorID  int64
	TopicID   int64 // entries filed under the topic, primary or not
	// PrimaryTopicID keeps entries whose primary topic is this one.
	PrimaryTopicID int64
	// From and To bound PublishedAt to [From, To) when set.
	From, To time.Time
	Limit    int // 0 means no limit
	Offset   int
	// OldestFirst reverses the order.
	OldestFirst bool
	// NoText allows the store to leave the texts of the entries it returns
	// (Body, ExtendedBody, Excerpt, Keywords, BodyHTML, ExtendedHTML) empty:
	// lists of titles, such as related entries, need none of the kilobytes
	// each entry's text weighs.
	NoText bool
	// NoTotal allows the store to skip counting what f selects, and
	// Entries to return -1 for the total: a page that shows a few entries
	// and no pager, such as an entry's related entries, would otherwise
	// pay for counting them all.
	NoTotal bool
	// NoTerms allows the store to leave the Topics and Tags of the entries
	// it returns empty: a list of titles and links, such as the related
	// entries or the banner's latest entry, shows neither, and reading them
	// costs each row a lookup of its own.
	NoTerms bool
	// Kind keeps entries of one kind. Empty means KindEntry, so that no
	// listing shows pages unless it asks for them; AnyKind keeps both.
	Kind EntryKind
	// Tag keeps entries with a tag whose TagSlug is Tag.
	Tag string
	// Sticky keeps only sticky entries.
	Sticky bool
}

// EntryStore stores entries.
type EntryStore interface {
	// CreateEntry stores a new entry with its topics and tags and sets its ID,
	// and CreatedAt and UpdatedAt when they are zero. A duplicate Path or
	// ImportKey is ErrConflict; an unknown author or topic is ErrInvalid.
	CreateEntry(ctx context.Context, e *Entry) error
	// UpdateEntry replaces the stored entry e.ID with e, topics and tags
	// included, and sets UpdatedAt.
	UpdateEntry(ctx context.Context, e *Entry) error
	// DeleteEntry removes an entry with its comments, mentions and redirects.
	DeleteEntry(ctx context.Context, id int64) error
	// Entry returns the entry with the given ID.
	Entry(ctx context.Context, id int64) (*Entry, error)
	// EntryByPath returns the entry whose permalink path is path.
	EntryByPath(ctx context.Context, path string) (*Entry, error)
	// EntryByImportKey returns the entry imported under key.
	EntryByImportKey(ctx context.Context, key string) (*Entry, error)
	// Entries returns the entries that f selects, in f's order and window, and
	// how many f selects without Limit and Offset.
	Entries(ctx context.Context, f EntryFilter) ([]*Entry, int, error)
	// AdjacentEntries returns the visible entries published just before and
	// just after e (by PublishedAt, then ID), blog-wide; nil where there is
	// none. Their texts, topics and tags may be left empty, as
	// EntryFilter.NoText and NoTerms allow: a neighbour is shown by its
	// title and link.
	AdjacentEntries(ctx context.Context, e *Entry, visibleAt time.Time) (prev, next *Entry, err error)
	// Months returns, newest first, each month of the blog's time zone loc in
	// which entries visible at visibleAt were published, with their number.
	Months(ctx context.Context, visibleAt time.Time, loc *time.Location) ([]MonthCount, error)
}

// MonthCount is the number of entries published in one month.
type MonthCount struct {
	Year  int
	Month time.Month
	Count int
}
