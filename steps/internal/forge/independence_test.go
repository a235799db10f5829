package forge

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/authspec/authspec/"

// The forge is the oracle's token maker and ${...} renderer: neither it
// nor anything of the module it builds on may import the reference broker
// it judges (a shared defect would be invisible on both sides), godog or
// package steps (it is a driver: explicit inputs, no scenario). The one
// exception is reference/config's vocabulary (the names of EMQX's keys and
// values, such as the security profile's), which holds no behaviour and
// which the suite and the reference must spell alike; the walk goes on
// into it, so it stays free of the broker too.
func TestForgeSharesNoCodeWithTheBrokerItJudges(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var walk func(path string)
	walk = func(path string) {
		if seen[path] {
			return
		}
		seen[path] = true
		pkg, err := build.ImportDir(filepath.Join(root, strings.TrimPrefix(path, module)), 0)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, imp := range pkg.Imports {
			switch {
			case strings.HasPrefix(imp, module+"reference/config/"):
				walk(imp)
			case strings.HasPrefix(imp, module+"reference"), imp == module+"steps", strings.Contains(imp, "cucumber/godog"):
				t.Errorf("%s imports %s", path, imp)
			case strings.HasPrefix(imp, module):
				walk(imp)
			}
		}
	}
	walk(module + "steps/internal/forge")
	if len(seen) < 3 {
		t.Errorf("walked only %v: the walk does not follow the module's imports", seen)
	}
}
