package movabletype

import (
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

// decode returns b as a string of valid UTF-8. Exports declare no encoding
// and real ones mix UTF-8 with stray bytes of Windows-1252 (the usual
// encoding of old Western blogs), so each byte that is not part of valid
// UTF-8 is read as Windows-1252.
func decode(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			c := b[0]
			if c >= 0x80 && c < 0xA0 {
				r = cp1252[c-0x80]
			} else {
				r = rune(c) // Latin-1 and Windows-1252 agree from 0xA0
			}
			out = utf8.AppendRune(out, r)
			b = b[1:]
			continue
		}
		out = append(out, b[:size]...)
		b = b[size:]
	}
	return string(out)
}
