// Package demo holds the demo blog that `gazette serve --demo` fills an empty
// blog with: forty entries of a 2007 political blog in Movable Type's export
// format, among them the seed entry "Iranian General That Defected Was Spy For
// West" with its neighbours, so that a newcomer's first run shows a real blog.
package demo

import (
	"bytes"
	_ "embed"
	"io"

	"github.com/gazette-blog/gazette"
)

//go:embed blog.mt.txt
var export []byte

// FileName is the name the demo export goes by in messages.
const FileName = "demo/blog.mt.txt"

// Export returns the demo blog as a Movable Type export.
func Export() io.Reader { return bytes.NewReader(export) }

// Settings returns the demo blog's settings: defaults with its own title and
// description, in the time zone its dates were written in.
func Settings() gazette.Settings {
	s := gazette.DefaultSettings()
	s.Title = "The Watchtower"
	s.Description = "Notes on Iran, the Middle East and the press, since 2003. A gazette demo blog."
	s.TimeZone = "America/New_York"
	return s
}
