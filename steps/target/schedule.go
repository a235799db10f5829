package target

import (
	"errors"
	"time"
)

// Scheduling by configuration (configure: command): the runner first runs
// every selected scenario dry against the target's Planner, which records
// each scenario's Setup instead of provisioning it, then gives the target
// the plan and runs the scenarios for real, all started at once: each
// waits in Provision until its configuration's turn.

// ErrPlanned ends a scenario in a dry run, once its Setup is recorded.
var ErrPlanned = errors.New("planned (dry run)")

// Scheduled is implemented by targets that group scenarios by
// configuration.
type Scheduled interface {
	Target
	// Planner returns a target for the dry run: its Provision records the
	// Setup (or says not applicable) and returns ErrPlanned.
	Planner() Planner
	// Schedule fixes the run's order before the scenarios start:
	// order lists every scenario of the run (Setup.Scenario IDs) in file
	// order, planned is the Planner's record; concurrency bounds the
	// scenarios of one group running at once.
	Schedule(order []string, planned map[string]Setup, concurrency int) Plan
}

// Planner is a dry-run target.
type Planner interface {
	Target
	// Planned is the recorded setups, by scenario ID.
	Planned() map[string]Setup
}

// Plan is the run's groups in the order they apply.
type Plan struct {
	Groups []Group
}

// Group is one configuration and the scenarios that share it.
type Group struct {
	Key       string
	Scenarios []string // scenario IDs, in file order
	// Alone: the group's scenario runs alone (a fixture of its own, or it
	// changes the configuration while it runs).
	Alone bool
}

// ScenarioObserver is told when a scenario has ended, whether or not it
// provisioned (a scheduled group ends when all its scenarios have).
type ScenarioObserver interface {
	ScenarioDone(scenario string)
}

// SelfTimed is implemented by targets whose Provision may wait longer than
// a step (its turn, an adapter's apply): the steps give it no step
// deadline, and it bounds its own waits.
type SelfTimed interface {
	ProvisionBoundsItself() bool
}

// Applier is implemented by targets that apply configurations, so reports
// can name the adapter and count the applies.
type Applier interface {
	// ApplyStats says how the run's configurations were applied.
	ApplyStats() ApplyStats
}

// ApplyStats describe the applies of one run.
type ApplyStats struct {
	Adapter string `json:"adapter"`
	Groups  int    `json:"groups"`
	Applies int    `json:"applies"`
	// CannotExpress counts exit 3, Refused exit 4, Failed the errors
	// (another exit code, a timeout, a broker that did not answer).
	CannotExpress int           `json:"cannot_express"`
	Refused       int           `json:"refused"`
	Failed        int           `json:"failed_applies"`
	Time          time.Duration `json:"-"`
	// Seconds is Time in seconds (the JSON form).
	Seconds float64 `json:"apply_seconds"`
	// Reset is the outcome of the final reset ("ok", or its error).
	Reset string `json:"reset"`
}

// Downer is implemented by targets that know, at the end of a run, that
// their broker is down and never came back (exit 3).
type Downer interface {
	Down() error
}

// StepTimed is implemented by targets that bound their own waits (an
// apply's readiness) by the run's step timeout.
type StepTimed interface {
	UseStepTimeout(d time.Duration)
}

// Restarter is implemented by instances whose chain changes by restarting
// or reloading the broker (an adapter's apply): how long a creation takes
// then says nothing about whether the broker's own API waits for anything.
type Restarter interface {
	ReconfiguresByRestart() bool
}
