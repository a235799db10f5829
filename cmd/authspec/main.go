// Command authspec runs the conformance suite (conform), the bundled
// reference broker (serve), the suite's self-test (selftest) and the load
// generator (load). Exit codes are the contract of reports/exitcodes.go and
// are mapped to os.Exit here only.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// exitError carries an exit code from a command to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError marks a usage or configuration error (exit 2).
func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "authspec",
		Short:         "Conformance suite and load harness for MQTT broker authentication (EMQX-style JWT and SCRAM)",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: fmt.Errorf("%w\nrun '%s --help' for usage", err, c.CommandPath())}
	})
	root.AddCommand(newServeCmd())
	for _, add := range extraCommands {
		root.AddCommand(add())
	}
	return root
}

// extraCommands are registered by the other command files.
var extraCommands []func() *cobra.Command

func main() {
	err := newRoot().Execute()
	if err == nil {
		return
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(os.Stderr, "authspec:", ee.err)
		}
		os.Exit(ee.code)
	}
	// cobra's own errors (unknown command, bad flag) are usage errors.
	fmt.Fprintln(os.Stderr, "authspec:", err)
	os.Exit(exitUsage)
}
