package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/authspec/authspec/fixtures/adapters/ejabberd"
)

func init() { extraCommands = append(extraCommands, newAdapterCmd) }

// `authspec adapter ejabberd ...` is the ejabberd adapter the project ships
// (fixtures/adapters/ejabberd): an ordinary executable for configure:
// command, built into the binary so it needs no build of its own.
func newAdapterCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:    "adapter",
		Short:  "Adapters for configure: command profiles (apply|reset; see the README)",
		Hidden: true,
	}
	cmd.AddCommand(&cobra.Command{
		Use:                "ejabberd [--state-dir DIR] [--port N] [--dist-port N] apply|reset",
		Short:              "Debian's ejabberd 23.01 (mod_mqtt, auth_method jwt)",
		DisableFlagParsing: true,
		RunE: func(_ *cobra.Command, args []string) error {
			if code := ejabberd.Main(args, os.Stdin, os.Stderr); code != 0 {
				return &exitError{code: code}
			}
			return nil
		},
	})
	return cmd
}
