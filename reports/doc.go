// Package reports turns godog's cucumber JSON into authspec's verdicts and reports.
//
// A run's scenarios are judged (pass, non-strict, fail, not applicable, error; see
// verdict.go), combined per catalogue ID, checked against an optional baseline of known
// gaps (baseline.go), and written to reports/<target>/ as cucumber.json, junit.xml,
// summary.json and index.html (WriteAll). Summary.ExitCode decides the exit code
// (exitcodes.go). Step code reports what godog cannot express through the conventions
// of conventions.go: attachments and error-message markers.
package reports
