// Package faults declares the reference broker's deliberate defects.
//
// Each fault names the catalogue IDs it must turn red. The suite's self-test
// (make selftest) starts the reference with one fault on, runs the scenarios
// of those IDs and asserts they fail: a scenario that no fault can break is a
// scenario that cannot fail, which is a defect of the suite.
//
// Faults are declared in one file per area (jwt.go, acl.go, scram.go, ...) so
// that each authentication package owns its own list.
//
// This package is only the catalogue: a fault's name, the IDs it breaks and
// what it does. The defect itself is an option of the behaviour package
// (jwtauth.Defect, authz.Defect, jwks.Defect, ...), set at construction;
// reference/defects.go, the composition root and the only non-test
// importer of this package under reference/, wires each name to the
// option(s) it sets (imports_test.go keeps it that way).
package faults

import (
	"fmt"
	"sort"
	"strings"
)

// Name identifies a fault, as given to `authspec serve --fault NAME`.
type Name string

// Def declares one fault: its name, the catalogue IDs it must break and what
// it does, in a sentence a user reading `authspec serve --help` understands.
type Def struct {
	Name Name
	IDs  []string
	Doc  string
}

// All returns every declared fault, sorted by name.
func All() []Def {
	var all []Def
	for _, area := range areas {
		all = append(all, area...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	return all
}

// Lookup returns the fault called name.
func Lookup(name string) (Def, bool) {
	for _, d := range All() {
		if string(d.Name) == name {
			return d, true
		}
	}
	return Def{}, false
}

// Set is the set of faults switched on in one broker. The zero value (and a
// nil *Set) has every fault off, which is what every real run uses.
type Set struct {
	on map[Name]bool
}

// NewSet validates names against the declarations.
func NewSet(names ...string) (*Set, error) {
	s := &Set{on: map[Name]bool{}}
	for _, n := range names {
		if _, ok := Lookup(n); !ok {
			return nil, unknownFault(n)
		}
		s.on[Name(n)] = true
	}
	return s, nil
}

// unknownFault names the declared faults that look like n, rather than
// all of them: there are over a hundred.
func unknownFault(n string) error {
	var like []string
	for _, name := range Names() {
		if n != "" && (strings.Contains(name, n) || strings.Contains(n, name)) {
			like = append(like, name)
		}
	}
	if len(like) == 0 || len(like) > 8 {
		return fmt.Errorf("unknown fault %q (%d faults are declared; `authspec serve --help` lists them)", n, len(Names()))
	}
	return fmt.Errorf("unknown fault %q (did you mean %s?)", n, strings.Join(like, ", "))
}

// On reports whether fault n is switched on.
func (s *Set) On(n Name) bool {
	return s != nil && s.on[n]
}

// Names lists the declared fault names, sorted.
func Names() []string {
	var out []string
	for _, d := range All() {
		out = append(out, string(d.Name))
	}
	return out
}

// areas is filled by the per-area files' init-free variable declarations.
var areas = [][]Def{brokerFaults, jwtFaults, chainFaults, aclFaults, jwksFaults, scramFaults, oidcFaults, twinFaults, secFaults}
