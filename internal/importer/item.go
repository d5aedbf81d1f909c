// Package importer moves a blog from another engine into gazette: readers in
// its subpackages turn an export file into Items, and Import writes them
// through the publish package in one transaction.
package importer

import (
	"io"

	"github.com/gazette-blog/gazette"
)

// Item is one entry read from an export, with the comments and mentions that
// hang off it.
type Item struct {
	// Entry has no ID. Its author is named by Author.Name (and Author.Email
	// when the export has it) and its topics by Name, the primary first; the
	// importer finds or creates them. Basename may be empty, in which case the
	// importer derives one from the title; Path is always left to the importer.
	Entry gazette.Entry
	// Comments and Mentions have no EntryID yet.
	Comments []gazette.Comment
	Mentions []gazette.Mention
	// OldPaths are the URL paths the entry had on the old blog (with the query
	// where it had one), each to answer with a redirect to the new permalink.
	OldPaths []string
	// AttachToExisting marks an item that only carries comments and mentions
	// for an entry already in the blog, found by its PublishedAt (Movable
	// Type's NO ENTRY key).
	AttachToExisting bool
	// Parents, when not nil, holds for each of Comments the index in
	// Comments of the comment it answers, or -1: the threads of the old blog,
	// whose comments have no IDs here yet.
	Parents []int
	// Private marks an entry the old blog kept from its readers (WordPress's
	// private and password-protected posts): it is imported as a draft, and
	// the summary counts it so that its author can decide.
	Private bool
	// Line is the line of the export where the item starts, for messages.
	Line int

	// An item may instead be one of these, and then has no Entry.

	// Term defines a topic, tag or author before the entries that use them,
	// with the addresses it had on the old blog.
	Term *Term
	// Skipped names the kind of a thing the export holds and gazette does
	// not import ("nav_menu_item", "settings", "template"), for the summary.
	Skipped string
	// Redirects are old addresses of the blog as a whole (its feeds), each
	// with its Target path here; recorded as they are.
	Redirects []gazette.Redirect
	// Attachment, on an item Skipped as "attachment", describes the
	// uploaded file, for an import that copies files into media.
	Attachment *Attachment
}

// Attachment is a file the old blog had uploaded (a WordPress attachment).
type Attachment struct {
	// URL is its address on the old blog.
	URL string
	// File is its path below the old blog's uploads folder, such as
	// "2011/07/photo.jpg".
	File string
	// Alt is its alternative text: the old blog's, else its title.
	Alt  string
	Line int
}

// TermKind says what a Term defines.
type TermKind string

// The kinds of Term.
const (
	TermTopic  TermKind = "topic"
	TermTag    TermKind = "tag"
	TermAuthor TermKind = "author"
)

// Term is a topic, tag or author as an export defines it.
type Term struct {
	Kind TermKind
	Name string
	// Slug is the old blog's slug, kept for a new topic when it is free.
	Slug        string
	Description string
	// Parent names the topic this one is filed under.
	Parent string
	Email  string // authors only
	// OldPaths lead to the term's archive here; FeedPaths to its feed (to
	// the archive for tags and authors, which have no feed).
	OldPaths  []string
	FeedPaths []string
}

// IsEntry reports whether the item is an entry (or carries replies to one),
// rather than a term, a skipped thing or blog-wide redirects.
func (it *Item) IsEntry() bool {
	return it.Term == nil && it.Skipped == "" && len(it.Redirects) == 0
}

// Reader reads an export one item at a time, so that memory does not grow with
// the size of the file. Next returns io.EOF after the last item. An error in
// the file is a *gazette.Error of kind gazette.ErrInvalid whose message names
// the file's line and the field.
type Reader interface {
	Next() (*Item, error)
}

// ByteCounter is implemented by Readers that can tell how far into their file
// they are, so that progress can be shown in bytes.
type ByteCounter interface {
	// BytesRead returns how many bytes of the export have been read.
	BytesRead() int64
}

// CountingReader counts the bytes read through it, for a Reader's
// BytesRead when the decoder it feeds reads ahead on its own.
type CountingReader struct {
	R io.Reader
	N int64 // bytes read so far
}

// Read reads from R and counts what it read.
func (c *CountingReader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N += int64(n)
	return n, err
}
