package main

import "github.com/authspec/authspec/reports"

// Exit codes are the contract of reports/exitcodes.go (0 conformant, 1
// failures, 2 usage or configuration error, 3 target unreachable); main is
// the only place they become os.Exit.
const (
	exitConformant  = reports.ExitConformant
	exitFailures    = reports.ExitFailures
	exitUsage       = reports.ExitUsage
	exitUnreachable = reports.ExitUnreachable
)
