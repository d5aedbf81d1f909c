// Package importer moves a blog from another engine into gazette: readers in
// its subpackages turn an export file into Items, and Import writes them
// through the publish package in one transaction.
package importer

import (
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
	// Line is the line of the export where the item starts, for messages.
	Line int
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
