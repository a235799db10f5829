package authn

import "github.com/authspec/authspec/reference/faults"

// defectOf turns the catalogue's names into this package's options, as the
// composition root (reference/defects.go) does, so that tests can switch a
// defect on by its fault name.
var defectOf = map[faults.Name]Defect{
	faults.BackendFailureDenies:  BackendFailureDenies(),
	faults.ChainAllIgnoredAccept: ChainAllIgnoredAccept(),
	faults.ChainStopOnIgnore:     ChainStopOnIgnore(),
	faults.EmptyChainDeny:        EmptyChainDeny(),
	faults.IgnorePrecondition:    IgnorePrecondition(),
}

// defectsNamed returns the options of the named faults; names of other
// packages' faults are skipped.
func defectsNamed(names ...string) []Defect {
	var ds []Defect
	for _, n := range names {
		if d, ok := defectOf[faults.Name(n)]; ok {
			ds = append(ds, d)
		}
	}
	return ds
}
