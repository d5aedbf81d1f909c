package movabletype

import "github.com/gazette-blog/gazette/internal/importer/repair"

// decode returns b as a string of valid UTF-8. Exports declare no encoding
// and real ones mix UTF-8 with stray bytes of Windows-1252, which repair reads.
func decode(b []byte) string {
	return repair.String(b)
}
