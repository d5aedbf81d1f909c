package gazette_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// TestImportEdges keeps the architecture's import rules (docs/ARCHITECTURE.md):
// the domain imports only the standard library; a store implementation
// imports only the domain and its driver; handler packages import no store
// implementation and no other handler package; only cmd picks implementations.
func TestImportEdges(t *testing.T) {
	const mod = "github.com/gazette-blog/gazette"
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Imports,Standard", "./...")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("go list not available: %v", err)
	}
	type pkg struct {
		ImportPath string
		Imports    []string
	}
	var pkgs []pkg
	dec := json.NewDecoder(out)
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("go list: %v", err)
	}
	internal := func(p string) (string, bool) {
		rest, ok := strings.CutPrefix(p, mod+"/internal/")
		return rest, ok
	}
	isStd := func(p string) bool {
		first, _, _ := strings.Cut(p, "/")
		return !strings.Contains(first, ".")
	}
	stores := map[string]bool{"sqlite": true, "postgres": true}
	handlers := map[string]bool{"site": true, "admin": true, "api": true}
	area := func(rel string) string { first, _, _ := strings.Cut(rel, "/"); return first }
	if len(pkgs) < 2 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	for _, p := range pkgs {
		for _, imp := range p.Imports {
			if p.ImportPath == mod && !isStd(imp) {
				t.Errorf("the domain package imports %s; it may import only the standard library", imp)
			}
			rel, ok := internal(p.ImportPath)
			if !ok {
				continue
			}
			impRel, impInternal := internal(imp)
			if stores[area(rel)] && !isStd(imp) && imp != mod && !(impInternal && area(impRel) == area(rel)) &&
				!strings.HasPrefix(imp, "modernc.org/") && !strings.HasPrefix(imp, "github.com/jackc/") {
				t.Errorf("store %s imports %s; a store imports only the domain and its driver", p.ImportPath, imp)
			}
			if !impInternal {
				continue
			}
			if stores[area(impRel)] && area(impRel) != area(rel) {
				t.Errorf("%s imports the store implementation %s; only cmd/gazette picks one", p.ImportPath, imp)
			}
			if handlers[area(rel)] && handlers[area(impRel)] && area(impRel) != area(rel) {
				t.Errorf("handler package %s imports handler package %s", p.ImportPath, imp)
			}
		}
	}
}
