package reference

import (
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
