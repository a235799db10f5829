package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/authspec/authspec/reports"
)

// Files `authspec report compare` writes into --out.
const (
	compareHTMLFile     = "compare.html"
	compareMarkdownFile = "compare.md"
)

func newReportCompareCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "compare RUN_DIR...",
		Short: "Compare conformance runs: targets as columns, catalogue IDs as rows",
		Long: `Put several conformance runs side by side, like Autobahn's agent-by-case
matrix: each RUN_DIR is a run's report directory (reports/<target>/, or its
summary.json); each target becomes a column, each catalogue ID a row (grouped
by catalogue group), each cell the verdict and the reason code observed. The
reason an ID was not applicable, a failure's message and the ambiguity
reading judged are shown on hover and as numbered notes.

Writes a self-contained compare.html (no script, nothing fetched) and
compare.md (a Markdown table) to --out, and prints the Markdown.

Exit codes: 0 written; 2 a run directory is missing, a summary.json does not
parse, or two runs have the same target.`,
		Example: "  authspec report compare reports/reference reports/mosquitto-2 reports/ejabberd",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			runs, err := reports.LoadRuns(args)
			if err != nil {
				return usageError("report compare: %v", err)
			}
			m := reports.Compare(runs)
			var html, md bytes.Buffer
			if err := reports.WriteCompareHTML(&html, m); err != nil {
				return err
			}
			if err := reports.WriteCompareMarkdown(&md, m); err != nil {
				return err
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return fmt.Errorf("report compare: %w", err)
			}
			for name, data := range map[string][]byte{compareHTMLFile: html.Bytes(), compareMarkdownFile: md.Bytes()} {
				if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
					return fmt.Errorf("report compare: %w", err)
				}
			}
			if _, err := cmd.OutOrStdout().Write(md.Bytes()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "compared %d runs: %s, %s\n", len(runs),
				filepath.Join(out, compareHTMLFile), filepath.Join(out, compareMarkdownFile))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", filepath.Join("reports", "compare"), "directory for compare.html and compare.md")
	return cmd
}
