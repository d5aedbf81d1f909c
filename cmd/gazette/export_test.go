package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExport imports a Movable Type file, exports it as Movable Type to a
// file and as WXR to standard output, and checks what each holds and the
// one-line summaries.
func TestExport(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "in.txt")
	writeFile(t, src, "AUTHOR: Ann\nTITLE: Dashes & <tags>\nSTATUS: Publish\nDATE: 03/11/2006 01:05:00 PM\n-----\nBODY:\nabove\n-----\t\nbelow ]]> end\n-----\n\nCOMMENT:\nAUTHOR: Bob\nDATE: 03/12/2006 09:00:00 AM\nHello.\n-----\n--------\n")
	ctx := context.Background()
	if err := run(ctx, []string{"--data", dir, "import", src}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.txt")
	var stdout bytes.Buffer
	if err := run(ctx, []string{"--data", dir, "export", "--format", "mt", "-o", out}, nil, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got := stdout.String(); !strings.HasPrefix(got, "exported 1 entry, 0 pages, 1 comment, 0 mentions") || strings.Count(got, "\n") != 1 {
		t.Errorf("summary = %q, want one line counting 1 entry and 1 comment", got)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"TITLE: Dashes & <tags>\n", "DATE: 03/11/2006 01:05:00 PM\n", "above\n-----\t\nbelow", "COMMENT:\nAUTHOR: Bob\n"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the MT export lacks %q:\n%s", want, raw)
		}
	}

	var xmlOut, stderr bytes.Buffer
	if err := run(ctx, []string{"--data", dir, "export", "--format", "wxr"}, nil, &xmlOut, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stderr.String(), "exported 1 entry") {
		t.Errorf("with the export on stdout, stderr = %q, want the summary", stderr.String())
	}
	dec := xml.NewDecoder(&xmlOut)
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the WXR export is not well-formed: %v", err)
		}
	}
}
