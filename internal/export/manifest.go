package export

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// The manifest is JSON, but of 22,000 files with the keys of each it is
// megabytes, which encoding/json takes most of a second to read. It is
// written here one file to a line, and read back by a parser of that
// layout alone; any other JSON (a manifest of an older build, one edited
// by hand) is read by encoding/json.

// encodeManifest writes m one file to a line, the files in order.
func encodeManifest(m manifest) []byte {
	var buf bytes.Buffer
	buf.WriteString("{\"files\":{\n")
	names := make([]string, 0, len(m.Files))
	for name := range m.Files {
		names = append(names, name)
	}
	slices.Sort(names)
	for i, name := range names {
		quote(&buf, name)
		buf.WriteByte(':')
		quote(&buf, m.Files[name])
		comma(&buf, i, len(names))
	}
	buf.WriteString("}")
	if info := m.Build; info != nil {
		buf.WriteString(",\n\"build\":{\"fingerprint\":")
		quote(&buf, info.Fingerprint)
		cursor, _ := json.Marshal(info.Cursor)
		buf.WriteString(",\"cursor\":")
		buf.Write(cursor)
		buf.WriteString(",\"keys\":[\n")
		for i, k := range info.Keys {
			quote(&buf, k)
			comma(&buf, i, len(info.Keys))
		}
		buf.WriteString("],\"addresses\":[\n")
		for i, a := range info.Addresses {
			quote(&buf, a)
			comma(&buf, i, len(info.Addresses))
		}
		buf.WriteString("],\"pages\":{\n")
		i := 0
		for _, name := range names {
			d, ok := info.Pages[name]
			if !ok {
				continue
			}
			quote(&buf, name)
			buf.WriteString(":{\"p\":")
			quote(&buf, d.Path)
			buf.WriteString(",\"x\":")
			buf.WriteString(strconv.FormatInt(d.Expires, 10))
			buf.WriteString(",\"k\":")
			intList(&buf, d.Keys)
			buf.WriteString(",\"l\":")
			intList(&buf, d.Links)
			if d.Redirect {
				buf.WriteString(`,"r":true`)
			}
			buf.WriteString("}")
			comma(&buf, i, len(info.Pages))
			i++
		}
		buf.WriteString("}}")
	}
	buf.WriteString("}\n")
	return buf.Bytes()
}

func intList(buf *bytes.Buffer, list []int) {
	buf.WriteByte('[')
	for j, n := range list {
		if j > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(strconv.Itoa(n))
	}
	buf.WriteByte(']')
}

// quote writes s as a JSON string, as encoding/json writes it. Names,
// hashes and keys are nearly all plain ASCII, which needs no escape: they
// are written as they are, without a Marshal each.
func quote(buf *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			data, _ := json.Marshal(s)
			buf.Write(data)
			return
		}
	}
	buf.WriteByte('"')
	buf.WriteString(s)
	buf.WriteByte('"')
}

func comma(buf *bytes.Buffer, i, n int) {
	if i < n-1 {
		buf.WriteByte(',')
	}
	buf.WriteByte('\n')
}

// decodeManifest reads what encodeManifest wrote; ok is false for any
// other layout.
func decodeManifest(data []byte) (m manifest, ok bool) {
	r := lineReader{data: string(data)}
	if r.line() != `{"files":{` {
		return m, false
	}
	m.Files = map[string]string{}
	var line string
	for {
		line = r.line()
		if line == "" || line[0] != '"' {
			break
		}
		name, rest, ok := cutString(line)
		if !ok || len(rest) < 3 || rest[0] != ':' {
			return m, false
		}
		hash, _, ok := cutString(rest[1:])
		if !ok {
			return m, false
		}
		m.Files[name] = hash
	}
	switch line {
	case "}}":
		m.native = true
		return m, r.done()
	case "},":
	default:
		return m, false
	}
	line = r.line()
	head, tail := `"build":{"fingerprint":`, `,"keys":[`
	if len(line) < len(head)+len(tail) || line[:len(head)] != head || line[len(line)-len(tail):] != tail {
		return m, false
	}
	info := &buildInfo{Pages: map[string]pageDeps{}}
	fp, rest, ok := cutString(line[len(head):])
	if !ok || len(rest) < len(`,"cursor":`) || rest[:len(`,"cursor":`)] != `,"cursor":` {
		return m, false
	}
	info.Fingerprint = fp
	if json.Unmarshal([]byte(rest[len(`,"cursor":`):len(rest)-len(tail)]), &info.Cursor) != nil {
		return m, false
	}
	if info.Keys, ok = r.strings(`],"addresses":[`); !ok {
		return m, false
	}
	if info.Addresses, ok = r.strings(`],"pages":{`); !ok {
		return m, false
	}
	for {
		line = r.line()
		if line == "" || line[0] != '"' {
			break
		}
		d, name, ok := pageLine(line)
		if !ok {
			return m, false
		}
		info.Pages[name] = d
	}
	if line != "}}}" {
		return m, false
	}
	m.Build, m.native = info, true
	return m, r.done()
}

// pageLine reads one line of the pages of the manifest.
func pageLine(line string) (pageDeps, string, bool) {
	var d pageDeps
	name, rest, ok := cutString(line)
	if !ok || len(rest) < len(`:{"p":`) || rest[:len(`:{"p":`)] != `:{"p":` {
		return d, "", false
	}
	d.Path, rest, ok = cutString(rest[len(`:{"p":`):])
	if !ok || len(rest) < len(`,"x":`) || rest[:len(`,"x":`)] != `,"x":` {
		return d, "", false
	}
	rest = rest[len(`,"x":`):]
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	x, err := strconv.ParseInt(rest[:i], 10, 64)
	if err != nil || len(rest[i:]) < len(`,"k":[`) || rest[i:i+len(`,"k":[`)] != `,"k":[` {
		return d, "", false
	}
	d.Expires = x
	if d.Keys, rest, ok = cutInts(rest[i+len(`,"k":`):]); !ok || len(rest) < len(`,"l":`) || rest[:len(`,"l":`)] != `,"l":` {
		return d, "", false
	}
	if d.Links, rest, ok = cutInts(rest[len(`,"l":`):]); !ok {
		return d, "", false
	}
	rest, d.Redirect = strings.CutPrefix(rest, `,"r":true`)
	if rest != "}" && rest != "}," {
		return d, "", false
	}
	return d, name, true
}

// cutInts reads the JSON array of small non-negative integers that s
// begins with and returns it and what follows it.
func cutInts(s string) ([]int, string, bool) {
	end := strings.IndexByte(s, ']')
	if len(s) == 0 || s[0] != '[' || end < 0 {
		return nil, "", false
	}
	list, rest := s[1:end], s[end+1:]
	out := make([]int, 0, len(list)/4+1)
	for len(list) > 0 {
		j, n := 0, 0
		for j < len(list) && list[j] != ',' {
			c := list[j]
			if c < '0' || c > '9' || j > 9 {
				return nil, "", false
			}
			n = n*10 + int(c-'0')
			j++
		}
		if j == 0 || j == len(list)-1 {
			return nil, "", false // an empty number, or a trailing comma
		}
		out = append(out, n)
		if j < len(list) {
			j++
		}
		list = list[j:]
	}
	return out, rest, true
}

// cutString reads the JSON string that s begins with and returns it and
// what follows it.
func cutString(s string) (string, string, bool) {
	if len(s) < 2 || s[0] != '"' {
		return "", "", false
	}
	escaped := false
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			escaped = true
			i++
		case '"':
			if !escaped {
				return s[1:i], s[i+1:], true
			}
			var v string
			if json.Unmarshal([]byte(s[:i+1]), &v) != nil {
				return "", "", false
			}
			return v, s[i+1:], true
		}
	}
	return "", "", false
}

// lineReader gives a manifest's lines in turn.
type lineReader struct {
	data string // one string, so that the names read are slices of it
	pos  int
}

func (r *lineReader) line() string {
	if r.pos >= len(r.data) {
		return ""
	}
	rest := r.data[r.pos:]
	i := strings.IndexByte(rest, '\n')
	if i < 0 {
		i = len(rest)
	}
	r.pos += i + 1
	return rest[:i]
}

// strings reads the lines of a list of strings, one to a line, and the
// line after them, which must be end.
func (r *lineReader) strings(end string) ([]string, bool) {
	var list []string
	for {
		line := r.line()
		if line == "" || line[0] != '"' {
			return list, line == end
		}
		s, _, ok := cutString(line)
		if !ok {
			return nil, false
		}
		list = append(list, s)
	}
}

// done reports whether the manifest ends after the line read last.
func (r *lineReader) done() bool { return r.pos >= len(r.data) }
