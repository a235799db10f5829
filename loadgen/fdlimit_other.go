//go:build !unix

package loadgen

import "github.com/authspec/authspec/loadgen/target"

// checkOpenFiles: no per-process open-file limit to read here.
func checkOpenFiles(Config, target.Target) error { return nil }
