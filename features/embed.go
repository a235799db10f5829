// Package features holds the Gherkin scenarios of the conformance suite,
// one file per group of the behaviour catalogue, embedded so the authspec
// binary runs them anywhere without a checkout.
package features

import "embed"

// FS holds every .feature file of this directory.
//
//go:embed *.feature
var FS embed.FS
