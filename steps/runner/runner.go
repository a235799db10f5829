// Package runner runs the embedded conformance scenarios against a target
// with godog and turns godog's cucumber JSON into authspec's reports
// (reports/<target>/cucumber.json, junit.xml, summary.json, index.html) and
// an exit code. It is what `authspec conform`, `go test ./steps` and the
// self-test share.
package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps"
	"github.com/authspec/authspec/steps/target"
)

// Options configure one run.
type Options struct {
	Target target.Target
	// IDs selects scenarios by catalogue ID or group (empty: all).
	IDs []string
	// Formats are extra godog formatters in godog's "name:path" style
	// ("progress", "junit:godog-junit.xml"); a formatter without a path
	// writes to Output.
	Formats []string
	// Output receives the extra formatters' output (default io.Discard).
	Output io.Writer
	// ReportsDir is where reports/<target>/ is written ("" writes none).
	ReportsDir string
	// Baseline lists known gaps (nil: none).
	Baseline *reports.Baseline
	// StepTimeout bounds each step's network waits (default 5 s).
	StepTimeout time.Duration
	// Concurrency is how many scenarios run at once (default 16;
	// each scenario holds its own broker or connections). A
	// target whose scenarios share one broker runs them one at a time.
	Concurrency int
	// Version and Profile are written into the reports.
	Version string
	Profile string
	// TestingT runs every scenario as a Go subtest.
	TestingT *testing.T
}

// Result is a finished run.
type Result struct {
	Summary  *reports.Summary
	Cucumber []byte
	// Dir is the report directory written ("" when none).
	Dir string
	// ExitCode follows reports' contract (0, 1, 3).
	ExitCode int
	// Reasons say why ExitCode is not 0.
	Reasons []string
}

// ErrNoScenario is returned when the selection matches no scenario.
var ErrNoScenario = errors.New("no scenario matches the selection")

// UsageError is a problem with the options (exit code 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Run runs the selected scenarios against opts.Target and writes the
// reports. The error is for a run that could not be made (bad options, a
// report that cannot be written); a failing broker is a Result.
func Run(ctx context.Context, opts Options) (Result, error) {
	if opts.Target == nil {
		return Result{}, &UsageError{errors.New("no target")}
	}
	tags, err := TagExpression(opts.IDs)
	if err != nil {
		return Result{}, &UsageError{err}
	}
	fsys, err := FeatureFS()
	if err != nil {
		return Result{}, err
	}
	selected, err := Select(fsys, tags)
	if err != nil {
		return Result{}, err
	}
	if len(selected) == 0 {
		return Result{}, &UsageError{fmt.Errorf("%w: %s", ErrNoScenario, strings.Join(opts.IDs, ","))}
	}

	tmp, err := os.MkdirTemp("", "authspec-run-")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(tmp)
	cucumberPath := filepath.Join(tmp, "cucumber.json")
	formats := append([]string{"cucumber:" + cucumberPath}, opts.Formats...)
	out := opts.Output
	if out == nil {
		out = io.Discard
	}

	started := time.Now()
	godogConcurrency := concurrency(opts.Target, opts.Concurrency)
	if st, ok := opts.Target.(target.StepTimed); ok {
		st.UseStepTimeout(opts.StepTimeout)
	}
	if sch, ok := opts.Target.(target.Scheduled); ok {
		if _, err := schedule(ctx, sch, fsys, tags, selected, opts); err != nil {
			return Result{}, err
		}
		// Every scenario starts at once and waits in Provision for its
		// configuration's turn; the target bounds how many run at once.
		godogConcurrency = len(selected)
	}
	suite := &steps.Suite{Target: opts.Target, StepTimeout: opts.StepTimeout}
	status := godog.TestSuite{
		Name:                "authspec",
		ScenarioInitializer: suite.InitializeScenario,
		Options: &godog.Options{
			FS:             fsys,
			Paths:          []string{"features"},
			Tags:           tags,
			Format:         strings.Join(formats, ","),
			Output:         out,
			NoColors:       true,
			Concurrency:    godogConcurrency,
			Randomize:      0,
			Strict:         true,
			DefaultContext: ctx,
			TestingT:       opts.TestingT,
		},
	}.Run()
	if status == 2 {
		return Result{}, &UsageError{fmt.Errorf("godog refused the options (formats %q)", opts.Formats)}
	}
	cucumber, err := os.ReadFile(cucumberPath)
	if err != nil {
		return Result{}, fmt.Errorf("read godog's cucumber output: %w", err)
	}
	summary, err := reports.Build(cucumber, reports.Meta{
		Target:   opts.Target.Name(),
		Version:  opts.Version,
		Started:  started,
		Duration: time.Since(started),
		Profile:  opts.Profile,
	}, opts.Baseline)
	if err != nil {
		return Result{}, err
	}
	summary.Adapter = adapterRun(opts.Target)
	res := Result{Summary: summary, Cucumber: cucumber}
	res.ExitCode, res.Reasons = summary.Gate()
	if opts.ReportsDir != "" {
		res.Dir = filepath.Join(opts.ReportsDir, opts.Target.Name())
		if err := reports.WriteAll(res.Dir, summary, cucumber); err != nil {
			return res, err
		}
	}
	return res, nil
}

// concurrency is how many scenarios run at once: one for a target whose
// scenarios share a broker (target.IsSerial), whatever was asked.
func concurrency(t target.Target, n int) int {
	if target.IsSerial(t) {
		return 1
	}
	if n > 0 {
		return n
	}
	// Scenarios mostly wait (token expiry, JWKS refreshes, refusals), not
	// compute, so the default does not scale down with the CPU count: 16
	// at once took a 2-core machine from 10.3 s to 8.7 s for the whole
	// suite; 32 gained nothing more.
	return 16
}

// List writes the scenarios the selection would run, one per line with its
// ID, and returns how many there are.
func List(w io.Writer, ids []string) (int, error) {
	tags, err := TagExpression(ids)
	if err != nil {
		return 0, &UsageError{err}
	}
	fsys, err := FeatureFS()
	if err != nil {
		return 0, err
	}
	selected, err := Select(fsys, tags)
	if err != nil {
		return 0, err
	}
	for _, sc := range selected {
		if _, err := fmt.Fprintf(w, "%-14s %-28s %s\n", sc.ID, sc.URI, sc.Name); err != nil {
			return 0, err
		}
	}
	return len(selected), nil
}
