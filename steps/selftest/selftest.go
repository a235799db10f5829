// Package selftest checks that the scenarios can fail: for every fault of
// the reference (reference/faults), it runs the scenarios of the IDs the
// fault declares against a reference started with that fault, and records
// which of those IDs came out failed, and where. A fault that leaves one of
// its IDs green means a scenario that cannot catch the defect it is written
// for; so does one whose scenarios fail only in a Given or When step (the
// set-up broke, the behaviour's assertion was never reached): a fault is
// caught only at a Then step (reports.JudgeFault).
package selftest

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/authspec/authspec/reference/faults"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/runner"
	"github.com/authspec/authspec/steps/target/inproc"
)

// Options configure a self-test.
type Options struct {
	// Faults to check (default: every declared fault).
	Faults []faults.Def
	// ReportsDir receives selftest/summary.json ("" writes none).
	ReportsDir string
	// Parallel is how many faults are checked at once (default 4); each
	// run also runs its scenarios concurrently.
	Parallel int
	// Concurrency and StepTimeout are passed to each run.
	Concurrency int
	StepTimeout time.Duration
	// Progress receives one line per fault checked (default: none).
	Progress io.Writer
}

// Result is a finished self-test.
type Result struct {
	Summary reports.SelfTestSummary
	// Uncovered maps a fault to the IDs it declares that no scenario
	// covers yet (they cannot fail, so the fault is not caught).
	Uncovered map[string][]string
	// Missed maps a fault to the IDs that have scenarios and still did
	// not fail, or that fail without the fault too (then failing proves
	// nothing about the fault): the suite's defects.
	Missed map[string][]string
	// NotPassingClean maps the IDs that do not pass against the reference
	// without faults to their verdict and message. The reference follows
	// the catalogue, so each one is a defect of the suite or the reference.
	NotPassingClean map[string]string
}

// Run checks every fault and writes the summary.
func Run(ctx context.Context, opts Options) (Result, error) {
	defs := opts.Faults
	if defs == nil {
		defs = faults.All()
	}
	fsys, err := runner.FeatureFS()
	if err != nil {
		return Result{}, err
	}
	all, err := runner.Select(fsys, "")
	if err != nil {
		return Result{}, err
	}
	covered := map[string]bool{}
	for _, id := range runner.IDsOf(all) {
		covered[id] = true
	}

	res := Result{Uncovered: map[string][]string{}, Missed: map[string][]string{}, NotPassingClean: map[string]string{}}
	// The clean run: a fault can only be said to break an ID that passes
	// without it.
	clean, err := runner.Run(ctx, runner.Options{
		Target:      inproc.Reference{},
		Concurrency: opts.Concurrency,
		StepTimeout: opts.StepTimeout,
	})
	if err != nil {
		return res, fmt.Errorf("clean run: %w", err)
	}
	for id, r := range clean.Summary.IDs {
		if r.Verdict != reports.VerdictPass {
			res.NotPassingClean[id] = string(r.Verdict) + ": " + r.Message
		}
	}
	results := make([]reports.FaultResult, len(defs))
	errs := make([]error, len(defs))
	parallel := opts.Parallel
	if parallel <= 0 {
		parallel = 4
	}
	sem := make(chan struct{}, parallel)
	var (
		wg sync.WaitGroup
		mu sync.Mutex
	)
	for i, def := range defs {
		var run, uncovered []string
		for _, id := range def.IDs {
			if covered[id] {
				run = append(run, id)
			} else {
				uncovered = append(uncovered, id)
			}
		}
		if len(uncovered) > 0 {
			res.Uncovered[string(def.Name)] = uncovered
		}
		if len(run) == 0 {
			results[i] = reports.JudgeFault(string(def.Name), def.IDs, nil)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			r, err := runner.Run(ctx, runner.Options{
				Target:      inproc.Reference{Faults: []string{string(def.Name)}},
				IDs:         run,
				Concurrency: opts.Concurrency,
				StepTimeout: opts.StepTimeout,
			})
			if err != nil {
				errs[i] = fmt.Errorf("fault %s: %w", def.Name, err)
				return
			}
			fr := reports.JudgeFault(string(def.Name), def.IDs, r.Summary)
			results[i] = fr
			failed, inSetup := map[string]bool{}, map[string]bool{}
			for _, id := range fr.FailedIDs {
				failed[id] = true
			}
			for _, id := range fr.FailedInSetup {
				inSetup[id] = true
			}
			var missed []string
			for _, id := range run {
				switch {
				case !failed[id]:
					missed = append(missed, id+" ("+string(r.Summary.IDs[id].Verdict)+")")
				case inSetup[id]:
					missed = append(missed, id+" (failed in set-up, not at a Then step: "+setupFailure(fr, id)+")")
				case res.NotPassingClean[id] != "":
					missed = append(missed, id+" (fails without the fault too)")
				}
			}
			mu.Lock()
			if len(missed) > 0 {
				res.Missed[string(def.Name)] = missed
			}
			if opts.Progress != nil {
				mark := "caught"
				if len(missed) > 0 {
					mark = fmt.Sprintf("MISSED %v", missed)
				}
				fmt.Fprintf(opts.Progress, "%-36s %s\n", def.Name, mark)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return res, err
		}
	}
	sort.SliceStable(results, func(i, j int) bool { return results[i].Name < results[j].Name })
	res.Summary = reports.SelfTestSummary{Faults: results}
	if opts.ReportsDir != "" {
		if err := reports.WriteSelfTest(filepath.Join(opts.ReportsDir, "selftest"), res.Summary); err != nil {
			return res, err
		}
	}
	return res, nil
}

// setupFailure names the step where id's scenario failed under a fault
// that did not reach its assertion.
func setupFailure(fr reports.FaultResult, id string) string {
	for _, c := range fr.CaughtAt {
		if c.ID == id {
			return fmt.Sprintf("%s at %s line %d", c.Step, c.Where, c.StepLine)
		}
	}
	return "no failing step recorded"
}
