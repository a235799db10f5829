package main

// Exit codes (contract, design.md "Reports"): 0 conformant, 1 failures, 2
// usage or configuration error, 3 target unreachable. They are defined once
// in package reports; these aliases keep main's mapping readable.
const (
	exitUsage = 2
)
