package export

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gazette-blog/gazette"
)

// TestManifestRoundTrip checks that the manifest's own reader reads back
// what it writes, names that need escaping included, and that the result
// is the JSON encoding/json reads.
func TestManifestRoundTrip(t *testing.T) {
	m := manifest{
		Files: map[string]string{"index.html": "aa", `tags/"quoted"\:x/index.html`: "bb", "tags/café\u2028/index.html": "cc",
			"archives/000123.html": "dd"},
		Build: &buildInfo{
			Fingerprint: "fp \"1\"",
			Cursor:      gazette.ChangeCursor{Journal: "j", Seq: 7, Version: 9},
			Keys:        []string{"settings", "l:\"3\""},
			Addresses:   []string{"/", "/tags/%22quoted%22%5C:x/", "/gone.html"},
			Pages: map[string]pageDeps{
				"index.html":                  {Path: "/", Keys: []int{0, 1}, Expires: 1700000000, Links: []int{1, 2}},
				`tags/"quoted"\:x/index.html`: {Path: "/tags/%22quoted%22%5C:x/", Keys: []int{}, Links: []int{}},
				"tags/café\u2028/index.html":  {Path: "/tags/caf%C3%A9%E2%80%A8/", Keys: []int{1}, Links: []int{0, 1234567}},
				"archives/000123.html":        {Path: "/archives/000123.html", Keys: []int{1}, Links: []int{2}, Redirect: true},
			},
		},
	}
	for _, tt := range []struct {
		name string
		m    manifest
	}{{"with build", m}, {"files only", manifest{Files: m.Files}}, {"empty", manifest{Files: map[string]string{}}}} {
		t.Run(tt.name, func(t *testing.T) {
			data := encodeManifest(tt.m)
			got, ok := decodeManifest(data)
			if !ok || !got.native {
				t.Fatalf("decodeManifest refused (or read as not its own):\n%s", data)
			}
			got.native = false
			if !reflect.DeepEqual(got, tt.m) {
				t.Errorf("decodeManifest = %+v, want %+v", got, tt.m)
			}
			var viaJSON manifest
			if err := json.Unmarshal(data, &viaJSON); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, data)
			}
			if !reflect.DeepEqual(viaJSON, tt.m) {
				t.Errorf("encoding/json reads %+v, want %+v", viaJSON, tt.m)
			}
		})
	}
	if _, ok := decodeManifest([]byte(`{"files":{"a":"b"}}`)); ok {
		t.Error("decodeManifest read JSON of another layout")
	}
	// A manifest of another layout is read, but not as the build's own.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ManifestName), []byte(`{"files":{"a":"b"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if m, err := readManifest(dir); err != nil || m.native || m.Files["a"] != "b" {
		t.Errorf("readManifest of JSON of another layout = %+v, %v; want its files, not native", m, err)
	}
	for _, bad := range []string{`[1,]`, `[,1]`, `[1,,2]`, `[1 ]`, `[-1]`, `[12345678901234]`, `1]`, `[1`} {
		if list, _, ok := cutInts(bad); ok {
			t.Errorf("cutInts(%q) = %v, want a refusal", bad, list)
		}
	}
}
