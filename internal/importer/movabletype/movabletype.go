// Package movabletype reads the Movable Type import/export format (MT 2.x to
// 7, and TypePad's variant of it) into importer Items, one entry at a time.
//
// The format is a list of entries, each ending with a line of eight dashes;
// an entry is a block of KEY: VALUE lines followed by sections (BODY, EXTENDED
// BODY, EXCERPT, KEYWORDS, COMMENT, PING) each introduced by a line of five
// dashes. The reader follows what Movable Type's own importer does with the
// files found in the wild, and is more lenient where MT silently lost data
// (a "COMMENT: " keyword with a trailing space, stray Windows-1252 bytes).
package movabletype

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/importer"
)

// Separators, exactly as Movable Type matches them: a line holding only these
// dashes. Longer runs of dashes are body text.
const (
	entryEnd   = "--------"
	sectionSep = "-----"
)

// titleWords is how many words of the body make the title of an entry that
// has none, as Movable Type's importer does.
const titleWords = 5

// Reader reads a Movable Type export. It implements importer.Reader and
// importer.ByteCounter.
type Reader struct {
	br      *bufio.Reader
	name    string
	loc     *time.Location
	line    int   // lines read so far
	bytes   int64 // bytes read so far
	entries int   // real entries read so far (NO ENTRY items not counted)
	buf     []byte
	err     error // sticky: once set, every Next returns it
}

// New returns a Reader of the export r. name is the file name used in error
// messages; loc is the blog's time zone, in which the export's dates are
// wall-clock times.
func New(r io.Reader, name string, loc *time.Location) *Reader {
	if loc == nil {
		loc = time.UTC
	}
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), name: name, loc: loc}
}

// BytesRead returns how many bytes of the export have been read.
func (r *Reader) BytesRead() int64 { return r.bytes }

// Next returns the next entry of the export, or io.EOF after the last one.
func (r *Reader) Next() (*importer.Item, error) {
	if r.err != nil {
		return nil, r.err
	}
	it, err := r.next()
	if err != nil {
		r.err = err
		return nil, err
	}
	return it, nil
}

// textLine is one line of the export, decoded, with its line number.
type textLine struct {
	n    int
	text string
}

// lineKind classifies a line.
type lineKind int

const (
	kindText lineKind = iota
	kindSection
	kindEntryEnd
	kindEOF
)

// readLine returns the next line without its line ending, decoded to valid
// UTF-8, and what kind of line it is.
func (r *Reader) readLine() (textLine, lineKind, error) {
	r.buf = r.buf[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		r.buf = append(r.buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			return textLine{}, kindEOF, fmt.Errorf("%s:%d: read: %w", r.name, r.line+1, err)
		}
		if len(r.buf) == 0 && err == io.EOF {
			return textLine{}, kindEOF, nil
		}
		break
	}
	r.line++
	r.bytes += int64(len(r.buf))
	b := r.buf
	if r.line == 1 {
		b = trimBOM(b)
	}
	b = trimEOL(b)
	switch string(b) {
	case sectionSep:
		return textLine{n: r.line}, kindSection, nil
	case entryEnd:
		return textLine{n: r.line}, kindEntryEnd, nil
	case sectionSep + "\t", entryEnd + "\t":
		// MT's exporter escapes a body line that looks like a separator
		// with a trailing TAB; the importer removes it.
		b = b[:len(b)-1]
	}
	return textLine{n: r.line, text: decode(b)}, kindText, nil
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

// rawEntry is an entry's lines, split into its metadata block and sections.
type rawEntry struct {
	start    int // line number of its first line
	meta     []textLine
	sections [][]textLine
}

// next reads one raw entry and parses it; entries made only of blank lines
// (such as the white space after the last separator) are skipped.
func (r *Reader) next() (*importer.Item, error) {
	for {
		raw, err := r.readEntry()
		if err != nil {
			return nil, err
		}
		if raw == nil {
			return nil, io.EOF
		}
		if raw.blank() {
			continue
		}
		return r.parse(raw)
	}
}

// readEntry reads lines up to and including the next entry separator, or to
// the end of the file; it returns nil at the end of the file.
func (r *Reader) readEntry() (*rawEntry, error) {
	var raw *rawEntry
	cur := -1 // index of the section being read; -1 is the metadata block
	for {
		l, kind, err := r.readLine()
		if err != nil {
			return nil, err
		}
		if kind == kindEOF {
			return raw, nil
		}
		if raw == nil {
			raw = &rawEntry{start: l.n}
		}
		switch kind {
		case kindEntryEnd:
			return raw, nil
		case kindSection:
			raw.sections = append(raw.sections, nil)
			cur = len(raw.sections) - 1
		default:
			if cur < 0 {
				raw.meta = append(raw.meta, l)
			} else {
				raw.sections[cur] = append(raw.sections[cur], l)
			}
		}
	}
}

func (raw *rawEntry) blank() bool {
	if len(raw.sections) > 0 {
		return false
	}
	for _, l := range raw.meta {
		if strings.TrimSpace(l.text) != "" {
			return false
		}
	}
	return true
}

// errorf returns the error of a malformed field at line n.
func (r *Reader) errorf(n int, field, format string, args ...any) error {
	return gazette.Errorf(gazette.ErrInvalid, "%s:%d: %s: %s", r.name, n, field, fmt.Sprintf(format, args...))
}

// entryMeta is what the metadata block says, before it becomes an Entry.
type entryMeta struct {
	author, email, title, basename string
	date                           wallTime
	dateLine                       int
	hasDate, noEntry               bool
	primary                        string
	categories                     []string
	uniqueURL                      string
	startBody                      []string
}

// parse turns a raw entry into an Item.
func (r *Reader) parse(raw *rawEntry) (*importer.Item, error) {
	it := &importer.Item{Line: raw.start}
	e := &it.Entry
	e.Status = gazette.StatusPublished
	e.Format = gazette.FormatConvertBreaks
	e.AllowComments = true
	var m entryMeta
	if err := r.parseMeta(raw.meta, e, &m); err != nil {
		return nil, err
	}
	e.Author = gazette.Author{Name: m.author, Email: m.email}
	e.Title = m.title
	e.Basename = m.basename
	if m.hasDate {
		e.PublishedAt = m.date.in(r.loc)
	}
	e.Topics = topics(m.primary, m.categories)
	if m.startBody != nil {
		e.Body = strings.Join(m.startBody, "\n")
	}
	e.ImportKey = key(m.author, m.date.String(), m.title, m.basename)

	for _, sec := range raw.sections {
		if err := r.parseSection(sec, it); err != nil {
			return nil, err
		}
	}
	if m.noEntry {
		if !m.hasDate {
			return nil, r.errorf(raw.start, "NO ENTRY", "the entry has no DATE to find the existing entry by")
		}
		it.AttachToExisting = true
		return it, nil
	}
	if strings.TrimSpace(e.Title) == "" && strings.TrimSpace(e.Body) == "" {
		return nil, r.errorf(raw.start, "entry", "has neither TITLE nor BODY")
	}
	if strings.TrimSpace(e.Title) == "" {
		e.Title = firstWords(gazette.PlainText(e.Body), titleWords)
	}
	r.entries++
	if m.uniqueURL != "" {
		if p := urlPath(m.uniqueURL); p != "" {
			it.OldPaths = append(it.OldPaths, p)
		}
	}
	// The .php and dash-or-underscore variants of these addresses that MT
	// could publish are not listed: the site derives them from any
	// /archives/ address (see site.mtVariants).
	it.OldPaths = append(it.OldPaths, fmt.Sprintf("/archives/%06d.html", r.entries))
	if m.basename != "" && m.hasDate {
		// The entry's MT permalink, which the importer skips when it is
		// also the new one (a free basename kept as it was).
		it.OldPaths = append(it.OldPaths, gazette.EntryPath(e.PublishedAt, r.loc, m.basename))
	}
	return it, nil
}

// parseMeta reads the metadata block into e and m.
func (r *Reader) parseMeta(lines []textLine, e *gazette.Entry, m *entryMeta) error {
	for i, l := range lines {
		if m.startBody != nil {
			m.startBody = append(m.startBody, l.text)
			continue
		}
		key, val, ok := splitField(l.text)
		if !ok && strings.TrimSpace(l.text) == "START BODY" {
			key, ok = "START BODY", true
		}
		if !ok {
			continue // MT skips lines it cannot read as KEY: VALUE
		}
		switch key {
		case "AUTHOR":
			m.author = val
		case "AUTHOR EMAIL":
			m.email = val
		case "TITLE":
			m.title = val
		case "BASENAME":
			m.basename = val
		case "STATUS":
			s, err := status(val)
			if err != nil {
				return r.errorf(l.n, key, "%v", err)
			}
			e.Status = s
		case "ALLOW COMMENTS":
			n, err := strconv.Atoi(orZero(val))
			if err != nil || n < 0 {
				return r.errorf(l.n, key, "%q is not 0, 1 or 2", val)
			}
			e.AllowComments = n == 1 // 2 is MT's "closed"
		case "ALLOW PINGS":
			switch orZero(val) {
			case "0":
				e.AllowPings = false
			case "1":
				e.AllowPings = true
			default:
				return r.errorf(l.n, key, "%q is not 0 or 1", val)
			}
		case "CONVERT BREAKS":
			e.Format = format(val)
		case "PRIMARY CATEGORY":
			m.primary = val
		case "CATEGORY":
			if val != "" {
				m.categories = append(m.categories, val)
			}
		case "DATE":
			t, err := parseDate(val)
			if err != nil {
				return r.errorf(l.n, key, "%v", err)
			}
			m.date, m.hasDate, m.dateLine = t, true, l.n
		case "TAGS":
			e.Tags = splitTags(val)
		case "NO ENTRY":
			m.noEntry = true
		case "UNIQUE URL":
			m.uniqueURL = val
		case "START BODY":
			m.startBody = make([]string, 0, len(lines)-i)
			if val != "" {
				m.startBody = append(m.startBody, val)
			}
		}
	}
	return nil
}

// splitField splits "KEY: VALUE" at its first colon, trimming both.
func splitField(s string) (key, val string, ok bool) {
	k, v, ok := strings.Cut(s, ":")
	if !ok {
		return "", "", false
	}
	return strings.TrimSpace(k), strings.TrimSpace(v), true
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// status maps MT's status names to gazette's.
func status(v string) (gazette.EntryStatus, error) {
	switch strings.ToLower(v) {
	case "publish":
		return gazette.StatusPublished, nil
	case "future":
		return gazette.StatusScheduled, nil
	case "draft", "review", "unpublish", "junk", "spam":
		return gazette.StatusDraft, nil
	}
	return "", fmt.Errorf("%q is not Draft, Publish, Review, Future, Unpublish, Junk or Spam", v)
}

// format maps MT's text filter names to gazette's formats; filters gazette
// does not have (textile_2 and the like) fall back to convert-breaks, the
// closest for text written as plain paragraphs.
func format(v string) gazette.Format {
	switch strings.ToLower(v) {
	case "", "0", "richtext", "wysiwyg":
		return gazette.FormatHTML
	case "markdown", "markdown_with_smartypants":
		return gazette.FormatMarkdown
	}
	return gazette.FormatConvertBreaks
}

// topics returns the entry's topics, the primary first, each once.
func topics(primary string, categories []string) []gazette.Topic {
	if primary == "" && len(categories) > 0 {
		primary = categories[0]
	}
	if primary == "" {
		return nil
	}
	ts := []gazette.Topic{{Name: primary}}
	for _, c := range categories {
		dup := false
		for _, t := range ts {
			if t.Name == c {
				dup = true
				break
			}
		}
		if !dup {
			ts = append(ts, gazette.Topic{Name: c})
		}
	}
	return ts
}

// splitTags splits a TAGS value as MT's tag splitter does: on commas, a tag
// wrapped in double or single quotes may contain commas, white space around
// each tag is dropped.
func splitTags(v string) []string {
	var tags []string
	add := func(t string) {
		t = strings.TrimSpace(t)
		if t == "" {
			return
		}
		for _, x := range tags {
			if x == t {
				return
			}
		}
		tags = append(tags, t)
	}
	for {
		v = strings.TrimLeft(v, " \t")
		if v == "" {
			return tags
		}
		if q := v[0]; q == '"' || q == '\'' {
			if end := strings.IndexByte(v[1:], q); end >= 0 {
				add(v[1 : 1+end])
				v = v[2+end:]
				// Anything between the closing quote and the comma is dropped.
				if i := strings.IndexByte(v, ','); i >= 0 {
					v = v[i+1:]
				} else {
					v = ""
				}
				continue
			}
		}
		t, rest, _ := strings.Cut(v, ",")
		add(t)
		v = rest
	}
}

// urlPath returns the path (and query) of a UNIQUE URL, "" if it has none.
func urlPath(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Path == "" {
		return ""
	}
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") {
		return ""
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// firstWords returns the first n words of s.
func firstWords(s string, n int) string {
	w := strings.Fields(s)
	if len(w) > n {
		w = w[:n]
	}
	return strings.Join(w, " ")
}

// key returns an ImportKey made of parts: equal parts give equal keys, so a
// second import of the same file finds what the first one stored.
func key(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return "mt:" + hex.EncodeToString(h.Sum(nil)[:16])
}

// section keywords.
var keywords = []string{"BODY", "EXTENDED BODY", "EXCERPT", "KEYWORDS", "COMMENT", "PING"}

// sectionKeyword splits a section's first line into its keyword and any text
// after the colon; ok is false for a keyword MT does not know.
func sectionKeyword(s string) (kw, rest string, ok bool) {
	k, v, found := strings.Cut(s, ":")
	if !found {
		return "", "", false
	}
	k = strings.TrimSpace(k)
	for _, x := range keywords {
		if k == x {
			return k, strings.TrimSpace(v), true
		}
	}
	return "", "", false
}

// parseSection reads one section into it.
func (r *Reader) parseSection(lines []textLine, it *importer.Item) error {
	// MT trims the white space around a whole section; blank sections,
	// such as the blank lines MT writes before the entry separator, are
	// nothing.
	for len(lines) > 0 && strings.TrimSpace(lines[0].text) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1].text) == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return nil
	}
	kw, rest, ok := sectionKeyword(lines[0].text)
	if !ok {
		return nil // MT hands unknown sections to plugins or drops them
	}
	content := lines[1:]
	if rest != "" {
		// "BODY: text" is not what MT writes; keep the text rather than
		// lose it.
		content = append([]textLine{{n: lines[0].n, text: rest}}, content...)
	}
	e := &it.Entry
	switch kw {
	case "BODY":
		e.Body = joinText(content)
	case "EXTENDED BODY":
		e.ExtendedBody = joinText(content)
	case "EXCERPT":
		e.Excerpt = joinText(content)
	case "KEYWORDS":
		e.Keywords = joinText(content)
	case "COMMENT":
		c, err := r.comment(content, e)
		if err != nil {
			return err
		}
		it.Comments = append(it.Comments, c)
	case "PING":
		p, err := r.ping(content, e)
		if err != nil {
			return err
		}
		it.Mentions = append(it.Mentions, p)
	}
	return nil
}

// joinText joins lines, dropping leading blank lines and trailing white
// space, and keeping the indentation of the first line.
func joinText(lines []textLine) string {
	for len(lines) > 0 && strings.TrimSpace(lines[0].text) == "" {
		lines = lines[1:]
	}
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.text)
	}
	return strings.TrimRight(b.String(), " \t\r\n")
}

// headers reads the header lines at the start of a comment or ping section:
// lines "KEY: value" whose KEY is one of names. It returns the values, the
// line of each, and the rest of the section.
func headers(lines []textLine, names ...string) (map[string]string, map[string]int, []textLine) {
	vals := make(map[string]string, len(names))
	at := make(map[string]int, len(names))
	for len(lines) > 0 {
		k, v, ok := splitField(lines[0].text)
		if !ok || !isOneOf(k, names) || strings.HasPrefix(lines[0].text, " ") {
			break
		}
		vals[k], at[k] = v, lines[0].n
		lines = lines[1:]
	}
	return vals, at, lines
}

func isOneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// sectionDate parses the DATE header of a comment or ping; without one the
// comment takes its entry's date.
func (r *Reader) sectionDate(vals map[string]string, at map[string]int, field string, e *gazette.Entry) (time.Time, string, error) {
	v, ok := vals["DATE"]
	if !ok || v == "" {
		return e.PublishedAt, "", nil
	}
	t, err := parseDate(v)
	if err != nil {
		return time.Time{}, "", r.errorf(at["DATE"], field, "%v", err)
	}
	return t.in(r.loc), t.String(), nil
}

func (r *Reader) comment(lines []textLine, e *gazette.Entry) (gazette.Comment, error) {
	vals, at, body := headers(lines, "AUTHOR", "EMAIL", "URL", "IP", "DATE")
	created, date, err := r.sectionDate(vals, at, "COMMENT DATE", e)
	if err != nil {
		return gazette.Comment{}, err
	}
	text := joinText(body)
	return gazette.Comment{
		Name:      vals["AUTHOR"],
		Email:     vals["EMAIL"],
		URL:       anchorHref(vals["URL"]),
		IP:        vals["IP"],
		Body:      text,
		Status:    gazette.CommentApproved,
		ImportKey: key(e.ImportKey, "comment", vals["AUTHOR"], date, text),
		CreatedAt: created,
	}, nil
}

func (r *Reader) ping(lines []textLine, e *gazette.Entry) (gazette.Mention, error) {
	vals, at, body := headers(lines, "TITLE", "URL", "IP", "BLOG NAME", "DATE")
	created, date, err := r.sectionDate(vals, at, "PING DATE", e)
	if err != nil {
		return gazette.Mention{}, err
	}
	text := joinText(body)
	return gazette.Mention{
		Kind:      gazette.MentionTrackback,
		SourceURL: vals["URL"],
		Title:     vals["TITLE"],
		Excerpt:   text,
		BlogName:  vals["BLOG NAME"],
		IP:        vals["IP"],
		Status:    gazette.CommentApproved,
		ImportKey: key(e.ImportKey, "ping", vals["URL"], date, text),
		CreatedAt: created,
	}, nil
}

// anchorHref returns the href of a comment URL written as an HTML anchor,
// as some exports have it, and any other value unchanged.
func anchorHref(v string) string {
	if !strings.HasPrefix(strings.ToLower(v), "<a ") {
		return v
	}
	i := strings.Index(strings.ToLower(v), "href=")
	if i < 0 {
		return v
	}
	rest := v[i+len("href="):]
	if rest == "" {
		return v
	}
	if q := rest[0]; q == '"' || q == '\'' {
		if end := strings.IndexByte(rest[1:], q); end >= 0 {
			return rest[1 : 1+end]
		}
		return v
	}
	if end := strings.IndexAny(rest, " >"); end >= 0 {
		return rest[:end]
	}
	return v
}
