// Package repair turns the bytes of old blog exports into valid UTF-8.
//
// Exports seldom say their encoding truthfully, and real ones mix UTF-8 with
// stray bytes of Windows-1252, the usual encoding of old Western blogs. Each
// byte that is not part of valid UTF-8 is read as Windows-1252, so no byte is
// lost and valid text is left alone.
package repair

import (
	"io"
	"unicode/utf8"
)

// cp1252 maps the bytes 0x80 to 0x9F of Windows-1252 to their characters.
// The five bytes Windows-1252 leaves undefined map to the C1 controls of the
// same value, as the WHATWG encoding standard does, so no byte is lost.
var cp1252 = [32]rune{
	'\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
	'\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
	'\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
	'\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
}

// Rune returns the character the byte c stands for in Windows-1252.
func Rune(c byte) rune {
	if c >= 0x80 && c < 0xA0 {
		return cp1252[c-0x80]
	}
	return rune(c) // Latin-1 and Windows-1252 agree elsewhere
}

// String returns b as valid UTF-8, each byte outside valid UTF-8 read as
// Windows-1252.
func String(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return string(appendRepaired(make([]byte, 0, len(b)+8), b, false))
}

// appendRepaired appends b to out as valid UTF-8; xml also drops the control
// characters XML 1.0 forbids (all below U+0020 but tab, newline and return),
// which old editors let into posts and which no XML parser accepts.
func appendRepaired(out, b []byte, xml bool) []byte {
	for len(b) > 0 {
		c := b[0]
		if c < utf8.RuneSelf {
			if !xml || c >= 0x20 || c == '\t' || c == '\n' || c == '\r' {
				out = append(out, c)
			}
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, Rune(c))
			b = b[1:]
			continue
		}
		out = append(out, b[:size]...)
		b = b[size:]
	}
	return out
}

// Reader repairs a stream as String repairs bytes.
type Reader struct {
	r   io.Reader
	xml bool
	in  []byte // bytes read but not yet repaired: an incomplete character
	out []byte // repaired bytes not yet returned
	err error
}

// NewReader returns a Reader of r's bytes as valid UTF-8.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: r}
}

// NewXMLReader is NewReader that also drops the control characters XML 1.0
// forbids, so that one stray form feed does not make a whole export unreadable.
func NewXMLReader(r io.Reader) *Reader {
	return &Reader{r: r, xml: true}
}

// Read implements io.Reader.
func (r *Reader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.err != nil {
			if len(r.in) > 0 { // an incomplete character at the end
				r.out = appendRepaired(r.out, r.in, r.xml)
				r.in = r.in[:0]
				continue
			}
			return 0, r.err
		}
		buf := make([]byte, 32<<10)
		n := copy(buf, r.in)
		m, err := r.r.Read(buf[n:])
		r.err = err
		b := buf[:n+m]
		// Keep a character cut by the end of the read for the next one.
		keep := incompleteTail(b)
		if r.err != nil {
			keep = 0
		}
		r.out = appendRepaired(r.out[:0], b[:len(b)-keep], r.xml)
		r.in = append(r.in[:0], b[len(b)-keep:]...)
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

// incompleteTail returns how many bytes at the end of b begin a UTF-8
// character that b does not finish.
func incompleteTail(b []byte) int {
	for i := 1; i <= 3 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < utf8.RuneSelf {
			return 0
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return i
			}
			return 0
		}
	}
	return 0
}
