package reference

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authspec/authspec/reference/faults"
)

// TestDefectWiringNamesDeclaredFaults catches a wiring entry left behind
// by a renamed or removed fault.
func TestDefectWiringNamesDeclaredFaults(t *testing.T) {
	for name, sets := range defectWiring {
		if _, ok := faults.Lookup(string(name)); !ok {
			t.Errorf("defects.go wires %q, which the catalogue does not declare", name)
		}
		if len(sets) == 0 {
			t.Errorf("defects.go wires %q to no option", name)
		}
	}
}

// TestEveryFaultSetsAnOption: a catalogue fault wired to nothing would
// leave the broker correct, and the self-test would only find out later.
func TestEveryFaultSetsAnOption(t *testing.T) {
	for _, d := range faults.All() {
		if _, ok := defectWiring[d.Name]; !ok {
			t.Errorf("fault %s sets no option: wire it in defects.go", d.Name)
		}
	}
}

// TestDefectsForRefusesUnknownNames: a misspelt fault name is an error, not a
// broker without the defect.
func TestDefectsForRefusesUnknownNames(t *testing.T) {
	if _, err := defectsFor([]string{"no-such-fault"}); err == nil {
		t.Fatal("an unknown fault was accepted")
	}
	o, err := defectsFor([]string{string(faults.JWKSAcceptsHMAC)})
	if err != nil || len(o.jwt) != 1 || len(o.jwks) != 1 {
		t.Fatalf("jwks-accepts-hmac sets %d jwt and %d jwks options (%v), want 1 and 1", len(o.jwt), len(o.jwks), err)
	}
}

// TestOnlyDefectsGoImportsFaults: within the broker glue too, behaviour
// code reads brokerDefects fields; defects.go alone knows fault names.
func TestOnlyDefectsGoImportsFaults(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files: %v", err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "defects.go" {
			continue
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			if imp.Path.Value == `"github.com/authspec/authspec/reference/faults"` {
				t.Errorf("%s imports the fault catalogue; read a brokerDefects field set in defects.go", f)
			}
		}
	}
}
