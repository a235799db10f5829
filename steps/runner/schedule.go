package runner

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps"
	"github.com/authspec/authspec/steps/target"
)

// planConcurrency is how many scenarios the dry run runs at once: it only
// records configurations, nothing waits on a broker.
const planConcurrency = 16

// schedule runs the selected scenarios dry against the target's planner,
// which records each scenario's configuration, and hands the plan to the
// target: its groups apply in the order of their first scenario.
func schedule(ctx context.Context, sch target.Scheduled, fsys fs.FS, tags string, selected []Scenario, opts Options) (target.Plan, error) {
	planner := sch.Planner()
	suite := &steps.Suite{Target: planner, StepTimeout: opts.StepTimeout}
	status := godog.TestSuite{
		Name:                "authspec-plan",
		ScenarioInitializer: suite.InitializeScenario,
		Options: &godog.Options{
			FS:             fsys,
			Paths:          []string{"features"},
			Tags:           tags,
			Format:         "progress",
			Output:         io.Discard,
			NoColors:       true,
			Concurrency:    planConcurrency,
			DefaultContext: ctx,
		},
	}.Run()
	if status == 2 {
		return target.Plan{}, &UsageError{fmt.Errorf("godog refused the dry run's options")}
	}
	order := make([]string, len(selected))
	for i, sc := range selected {
		order[i] = sc.PickleID
	}
	n := opts.Concurrency
	if n <= 0 {
		n = 16
	}
	return sch.Schedule(order, planner.Planned(), n), nil
}

// adapterRun is the summary's account of the applies (nil for targets that
// apply nothing). The broker's state is asked here, after the scenarios.
func adapterRun(t target.Target) *reports.AdapterRun {
	a, ok := t.(target.Applier)
	if !ok {
		return nil
	}
	st := a.ApplyStats()
	run := &reports.AdapterRun{Adapter: st.Adapter, Groups: st.Groups, Applies: st.Applies,
		CannotExpress: st.CannotExpress, Refused: st.Refused, FailedApplies: st.Failed, ApplySeconds: st.Time.Seconds()}
	if d, ok := t.(target.Downer); ok {
		if err := d.Down(); err != nil {
			run.BrokerDown = err.Error()
		}
	}
	return run
}

// ListGroups writes the configurations a scheduled target would apply, in
// order, each with its scenarios, and returns how many scenarios there are.
func ListGroups(ctx context.Context, w io.Writer, ids []string, sch target.Scheduled) (int, error) {
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
	plan, err := schedule(ctx, sch, fsys, tags, selected, Options{})
	if err != nil {
		return 0, err
	}
	byPickle := map[string]Scenario{}
	for _, sc := range selected {
		byPickle[sc.PickleID] = sc
	}
	grouped := 0
	for i, g := range plan.Groups {
		alone := ""
		if g.Alone {
			alone = " (alone)"
		}
		fmt.Fprintf(w, "configuration %d%s: %d scenario(s)\n  %s\n", i+1, alone, len(g.Scenarios), compactKey(g.Key))
		for _, id := range g.Scenarios {
			sc := byPickle[id]
			fmt.Fprintf(w, "    %-14s %-28s %s\n", sc.ID, sc.URI, sc.Name)
			grouped++
		}
	}
	if rest := len(selected) - grouped; rest > 0 {
		fmt.Fprintf(w, "no configuration (not applicable, or ends before it needs the broker): %d scenario(s)\n", rest)
		inPlan := map[string]bool{}
		for _, g := range plan.Groups {
			for _, id := range g.Scenarios {
				inPlan[id] = true
			}
		}
		for _, sc := range selected {
			if !inPlan[sc.PickleID] {
				fmt.Fprintf(w, "    %-14s %-28s %s\n", sc.ID, sc.URI, sc.Name)
			}
		}
	}
	fmt.Fprintf(w, "%d configurations\n", len(plan.Groups))
	return len(selected), nil
}

// compactKey shortens a configuration's canonical JSON for one line.
func compactKey(key string) string {
	const most = 400
	key = strings.ReplaceAll(key, "\n", " ")
	if len(key) > most {
		return key[:most] + "..."
	}
	return key
}
