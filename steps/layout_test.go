package steps

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// maxHandlerLines bounds every function of package steps (handlers and the
// harness around them) from `func` to its closing brace: a handler takes
// the scenario's state, calls a driver or a verifier and records what it
// returned. Logic longer than that belongs in a driver (steps/internal/...,
// fixtures/...), where it has unit tests of its own. The register*
// functions are tables of step expressions, exempt.
const maxHandlerLines = 20

func TestHandlersAreThin(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || strings.HasPrefix(fd.Name.Name, "register") {
				continue
			}
			n := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1
			if n > maxHandlerLines {
				t.Errorf("%s: %s is %d lines, expected at most %d: move its logic into a driver or verifier", f, fd.Name.Name, n, maxHandlerLines)
			}
		}
	}
}

// Drivers and verifiers know nothing of godog or of the handlers: they take
// explicit inputs, so they can be tested (and reused by loadgen) without a
// scenario. Every one has tests of its own.
func TestDriversImportNoGodog(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{len .TestGoFiles}} {{len .XTestGoFiles}} {{join .Imports " "}}`,
		"github.com/authspec/authspec/steps/internal/...", "github.com/authspec/authspec/fixtures/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var internal int
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 3 {
			t.Fatalf("go list printed %q", line)
		}
		pkg := fields[0]
		for _, imp := range fields[3:] {
			if strings.HasPrefix(imp, "github.com/cucumber/") || imp == "github.com/authspec/authspec/steps" {
				t.Errorf("%s imports %s: a driver takes explicit inputs, the handlers in package steps call it", pkg, imp)
			}
		}
		if strings.Contains(pkg, "/steps/internal/") {
			internal++
			if fields[1] == "0" && fields[2] == "0" {
				t.Errorf("%s has no tests of its own", pkg)
			}
		}
	}
	if internal == 0 {
		t.Error("expected driver packages under steps/internal/")
	}
}

// The handler files are named for their Gherkin vocabulary; what used to be
// a file of state or of a fixture lives in a driver now.
func TestNoStateOrFixtureFilesInSteps(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, "_state.go") || strings.HasSuffix(name, "_fixture.go") {
			t.Errorf("%s: a driver's state or fixture in package steps; move it to steps/internal or fixtures", name)
		}
	}
}
