package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/authspec/authspec/reference/faults"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/runner"
	"github.com/authspec/authspec/steps/target"
	"github.com/authspec/authspec/steps/target/inproc"
)

func init() { extraCommands = append(extraCommands, newConformCmd) }

// targetResolver builds the target named by --target; the default is the
// bundled reference in-process. profile.go sets it to read profiles.
var targetResolver = func(profilePath string, faultNames []string) (target.Target, string, error) {
	if profilePath != "" {
		return nil, "", usageError("--target: target profiles are not supported by this build yet")
	}
	return inproc.Reference{Faults: faultNames}, "bundled reference (in-process)", nil
}

func newConformCmd() *cobra.Command {
	var (
		ids, formats                   []string
		list                           bool
		profilePath, baselinePath, dir string
		stepTimeout                    time.Duration
		concurrency                    int
		faultNames                     []string
	)
	cmd := &cobra.Command{
		Use:   "conform",
		Short: "Run the conformance scenarios against a broker and write reports/<target>/",
		Long: `Run the conformance scenarios against a broker.

With no --target the bundled reference runs in-process on free loopback
ports. Reports are written to <reports>/<target>/: cucumber.json, junit.xml,
summary.json and index.html.

Exit codes: 0 conformant, 1 failures (not in the baseline, or a baselined gap
that now passes) or nothing judged (no ID got pass, non-strict or fail), 2
usage or configuration error, 3 target unreachable.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ids = splitList(ids)
			if list && profilePath != "" {
				if handled, err := listGroups(cmd, profilePath, ids); handled || err != nil {
					return err
				}
			}
			if list {
				n, err := runner.List(cmd.OutOrStdout(), ids)
				if err != nil {
					return usageError("%v", err)
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "%d scenarios\n", n)
				return nil
			}
			for _, f := range faultNames {
				if _, ok := faults.Lookup(f); !ok {
					return usageError("--fault: unknown fault %q (see 'authspec serve --help')", f)
				}
			}
			if stepTimeout <= 0 {
				return usageError("--step-timeout must be positive, got %s", stepTimeout)
			}
			t, profileDesc, err := targetResolver(profilePath, faultNames)
			if err != nil {
				return err
			}
			// A target that started a broker (a container) removes it.
			if c, ok := t.(io.Closer); ok {
				defer func() {
					if err := c.Close(); err != nil {
						fmt.Fprintf(cmd.ErrOrStderr(), "authspec: %s: %v\n", t.Name(), err)
					}
				}()
			}
			var baseline *reports.Baseline
			if baselinePath != "" {
				if baseline, err = reports.LoadBaseline(baselinePath); err != nil {
					return usageError("--baseline: %v", err)
				}
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			res, err := runner.Run(ctx, runner.Options{
				Target:      t,
				IDs:         ids,
				Formats:     formats,
				Output:      cmd.OutOrStdout(),
				ReportsDir:  dir,
				Baseline:    baseline,
				StepTimeout: stepTimeout,
				Concurrency: concurrency,
				Version:     version,
				Profile:     profileDesc,
			})
			var ue *runner.UsageError
			if errors.As(err, &ue) {
				return usageError("%v", ue.Err)
			}
			if err != nil {
				return err
			}
			printTotals(cmd, res)
			if res.ExitCode != exitConformant {
				return &exitError{code: res.ExitCode, err: errors.New(strings.Join(res.Reasons, "; "))}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&profilePath, "target", "", "target profile (YAML); default: the bundled reference, in-process")
	f.StringSliceVar(&ids, "ids", nil, "catalogue IDs or groups to run, comma-separated (e.g. JWT-CLAIM,SCRAM-03)")
	f.BoolVar(&list, "list", false, "list the scenarios that would run, and run nothing")
	f.StringSliceVar(&formats, "format", nil, "extra godog formatters in godog's name:path style (e.g. progress, pretty, junit:godog.xml)")
	f.StringVar(&baselinePath, "baseline", "", "YAML list of known gaps ({id, reason}); a listed gap that now passes fails the run")
	f.DurationVar(&stepTimeout, "step-timeout", 5*time.Second, "bound on every network wait of a step")
	f.IntVar(&concurrency, "concurrency", 0, "scenarios run at once (default 16; 1 for a target whose scenarios share a broker)")
	f.StringVar(&dir, "reports", "reports", "directory under which reports/<target>/ is written")
	f.StringSliceVar(&faultNames, "fault", nil, "with the bundled reference: switch on a deliberate defect (see 'authspec serve --help')")
	return cmd
}

func splitList(in []string) []string {
	var out []string
	for _, s := range in {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func printTotals(cmd *cobra.Command, res runner.Result) {
	t := res.Summary.Totals
	fmt.Fprintf(cmd.ErrOrStderr(), "%s: %d IDs: %d pass, %d non-strict, %d fail, %d not applicable, %d error (%.1fs)",
		res.Summary.Target, len(res.Summary.IDs), t.Pass, t.NonStrict, t.Fail, t.NotApplicable, t.Error, res.Summary.DurationS)
	if res.Dir != "" {
		fmt.Fprintf(cmd.ErrOrStderr(), "; reports in %s", res.Dir)
	}
	fmt.Fprintln(cmd.ErrOrStderr())
}
