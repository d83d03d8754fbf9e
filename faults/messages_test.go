package faults

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Every message kind package msg declares (a method `Kind() string` that
// returns a literal) is one that a Match may name.
func TestMessageKindsMatchPackageMsg(t *testing.T) {
	files, err := filepath.Glob("../msg/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no msg sources: %v", err)
	}
	var declared []string
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "Kind" || fn.Body == nil || len(fn.Body.List) != 1 {
				continue
			}
			ret, ok := fn.Body.List[0].(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				continue
			}
			if lit, ok := ret.Results[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				kind, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				declared = append(declared, kind)
			}
		}
	}
	slices.Sort(declared)
	if diff := cmp.Diff(declared, MessageKinds()); diff != "" {
		t.Errorf("message kinds (-package msg +MessageKinds):\n%s", diff)
	}
}
