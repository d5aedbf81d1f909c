package repair

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
)

func TestString(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"valid UTF-8 kept", []byte("caf\xc3\xa9 \xe2\x80\x94"), "café —"},
		{"Windows-1252 quotes", []byte("\x93quoted\x94 \x85"), "\u201cquoted\u201d \u2026"},
		{"Latin-1 letter", []byte("caf\xe9"), "café"},
		{"undefined byte kept as C1", []byte("a\x81b"), "a\u0081b"},
		{"cut sequence", []byte("x\xe2\x80"), "xâ€"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestReaderSplitsAnywhere reads through a reader that returns one byte at a
// time, so every multi-byte character is cut between two reads.
func TestReaderSplitsAnywhere(t *testing.T) {
	in := []byte("caf\xc3\xa9 \x93q\x94 \xf0\x9f\x98\x80 end\xe9")
	want := String(in)
	got, err := io.ReadAll(NewReader(iotest.OneByteReader(bytes.NewReader(in))))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestXMLReaderDropsControls(t *testing.T) {
	got, err := io.ReadAll(NewXMLReader(bytes.NewReader([]byte("a\x0cb\x00c\td\ne"))))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "abc\td\ne" {
		t.Errorf("got %q", got)
	}
}
