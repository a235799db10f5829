package main

import (
	"github.com/spf13/cobra"

	"github.com/authspec/authspec/steps/explain"
)

func init() { extraCommands = append(extraCommands, newExplainCmd) }

// newExplainCmd is `authspec explain ID...`: where an ID's scenarios,
// handlers and faults live.
func newExplainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain ID|GROUP...",
		Short: "Show where catalogue IDs live: their scenarios, the handler of each step, the faults that must turn them red",
		Example: `  authspec explain JWT-CLAIM-02
  authspec explain SCRAM`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ids, err := explain.Explain(args)
			if err != nil {
				return usageError("%v", err)
			}
			return explain.Write(cmd.OutOrStdout(), ids)
		},
	}
}
