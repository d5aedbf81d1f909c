package export

import (
	"bytes"

	"github.com/andybalholm/brotli"
	"github.com/andybalholm/brotli/matchfinder"
	"github.com/klauspost/compress/gzip"
)

// The levels of the static copies. A build compresses the whole site at
// once, so it trades a few per cent of size for speed where the server's
// page cache, which compresses a page once per change, does not: measured
// on the 10,000-entry blog (docs/PERFORMANCE.md), klauspost's gzip level 2
// is 4x the standard library's default level at 7% more bytes, and on
// 4,000 of its pages Brotli's newer encoder at level 3 is 2.1x its level 5
// at 1% more bytes (and faster than its level 2, with 2% fewer).
const (
	gzipLevel   = 2
	brotliLevel = 3
)

// compressor makes the .gz and .br copies of one worker's pages, keeping
// its writers and buffers from page to page: a Brotli writer's tables
// weigh megabytes, too much to make for each page.
type compressor struct {
	gz    *gzip.Writer
	br    *matchfinder.Writer
	gzBuf bytes.Buffer
	brBuf bytes.Buffer
}

func newCompressor() *compressor {
	gz, err := gzip.NewWriterLevel(nil, gzipLevel)
	if err != nil {
		panic(err) // gzipLevel is a valid level
	}
	return &compressor{gz: gz, br: brotli.NewWriterV2(nil, brotliLevel)}
}

// gzip returns body gzipped, in a buffer good until the next call.
func (c *compressor) gzip(body []byte) []byte {
	c.gzBuf.Reset()
	c.gz.Reset(&c.gzBuf)
	_, _ = c.gz.Write(body) // writes to a bytes.Buffer do not fail
	_ = c.gz.Close()
	return c.gzBuf.Bytes()
}

// brotli returns body compressed with Brotli, in a buffer good until the
// next call.
func (c *compressor) brotli(body []byte) []byte {
	c.brBuf.Reset()
	c.br.Reset(&c.brBuf)
	_, _ = c.br.Write(body)
	_ = c.br.Close()
	return c.brBuf.Bytes()
}
