package faults_test

import (
	"os/exec"
	"strings"
	"testing"
)

const catalogue = "github.com/authspec/authspec/reference/faults"

// importsCatalogue are the packages allowed to import the fault catalogue:
// the composition root alone. (Tests of behaviour packages may still use
// the catalogue's names; go list's Imports leaves test imports out.)
var importsCatalogue = map[string]bool{
	"github.com/authspec/authspec/reference": true,
}

// TestOnlyTheCompositionRootImportsFaults keeps behaviour packages free of
// the catalogue: their defects are options set at construction, wired to
// fault names in reference/defects.go.
func TestOnlyTheCompositionRootImportsFaults(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "github.com/authspec/authspec/reference/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		seen++
		for _, imp := range imports {
			if imp != catalogue || importsCatalogue[pkg] {
				continue
			}
			t.Errorf("%s imports the fault catalogue; expose its defects as options and wire them in reference/defects.go", pkg)
		}
	}
	if seen < 10 {
		t.Fatalf("go list saw %d packages under reference/: the check would prove nothing", seen)
	}
}
