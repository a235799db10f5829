package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/authspec/authspec/loadgen"
	"github.com/authspec/authspec/loadgen/results"
)

func init() { extraCommands = append(extraCommands, newReportCmd) }

func newReportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Work with results: compare conformance runs, merge load shards, show a load summary",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageError("report needs a subcommand: compare, merge or show (see 'authspec report --help')")
		},
	}
	cmd.AddCommand(newReportCompareCmd(), newReportMergeCmd(), newReportShowCmd())
	return cmd
}

func newReportMergeCmd() *cobra.Command {
	var (
		out        string
		prometheus bool
	)
	cmd := &cobra.Command{
		Use:   "merge RESULT...",
		Short: "Merge the load results of shard processes exactly",
		Long: `Merge the results of the shards of one load run (each a load.json, or the
directory holding it, with the load.hlog beside it). Counts are added and
histograms merged bucket by bucket from the interval logs, so percentiles
are those of every attempt together, never averages of percentiles. Writes
load.json, load.hlog, the SVG charts, index.html (the same page a run
writes) and load.prom with --prometheus to --out.`,
		Example: "  authspec report merge shard-0 shard-1 shard-2 shard-3 --out reports/load/merged",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var loaded []*results.Loaded
			for _, a := range args {
				l, err := loadResult(a)
				if err != nil {
					return usageError("%v", err)
				}
				loaded = append(loaded, l)
			}
			run, hlog, err := results.Merge(loaded)
			if err != nil {
				return usageError("%v", err)
			}
			if err := results.WriteText(cmd.OutOrStdout(), run); err != nil {
				return err
			}
			if err := loadgen.WriteFiles(loadgen.Output{Dir: out, Prometheus: prometheus}, run, hlog); err != nil {
				return fmt.Errorf("writing %s: %w", out, err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "merged %d results: %s\n", len(loaded), filepath.Join(out, results.JSONFile))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", filepath.Join("reports", "load", "merged"), "directory for the merged results")
	cmd.Flags().BoolVar(&prometheus, "prometheus", false, "also write load.prom")
	return cmd
}

func newReportShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show RESULT",
		Short: "Print the summary of a load result (load.json or its directory)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := loadResult(args[0])
			if err != nil {
				return usageError("%v", err)
			}
			return results.WriteText(cmd.OutOrStdout(), l.Run)
		},
	}
}

// loadResult reads a load.json, given as the file or its directory.
func loadResult(path string) (*results.Loaded, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, results.JSONFile)
	}
	return results.Load(path)
}
