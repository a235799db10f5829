package reports

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// SelfTestSummary is reports/selftest/summary.json (contract): for every fault of the
// reference, whether the scenarios of the IDs it declares turned red.
type SelfTestSummary struct {
	Faults []FaultResult `json:"faults"`
}

// FaultResult is the outcome of running one fault's IDs against the faulty reference.
type FaultResult struct {
	Name      string   `json:"name"`
	IDs       []string `json:"ids"`
	Caught    bool     `json:"caught"`
	FailedIDs []string `json:"failed_ids"`

	// Additions to the contract.
	// CaughtAt says, for each declared ID that failed, where: the failing
	// scenario and step, and the step's phase. Only a Then step (the
	// behaviour's assertion) counts as a catch.
	CaughtAt []Catch `json:"caught_at,omitempty"`
	// FailedInSetup lists the declared IDs whose scenarios failed only in
	// a Given or When step: the fault broke the set-up, not the assertion,
	// so it is not caught for them.
	FailedInSetup []string `json:"failed_in_setup,omitempty"`
}

// Catch is where one ID's scenario turned red under a fault.
type Catch struct {
	ID       string `json:"id"`
	Scenario string `json:"scenario"` // its name
	Where    string `json:"where"`    // feature file:line of the scenario
	Step     string `json:"step"`     // the failing step, keyword and text
	StepLine int    `json:"step_line"`
	// Phase is the Gherkin phase of the failing step: Given, When or
	// Then ("And" and "But" take the phase of the step before).
	Phase string `json:"phase"`
}

// Step phases.
const (
	PhaseGiven = "Given"
	PhaseWhen  = "When"
	PhaseThen  = "Then"
)

// StepPhases returns the phase of each step: its keyword when it is Given,
// When or Then; the phase of the step before for And, But and "*" (Given
// for a leading one).
func StepPhases(steps []Step) []string {
	out := make([]string, len(steps))
	phase := PhaseGiven
	for i, st := range steps {
		keyword, _, _ := strings.Cut(strings.TrimSpace(st.Text), " ")
		switch keyword {
		case PhaseGiven, PhaseWhen, PhaseThen:
			phase = keyword
		}
		out[i] = phase
	}
	return out
}

// catchOf returns where sc failed: its first failed step and that step's
// phase; ok is false when no step failed.
func catchOf(sc *Scenario) (c Catch, ok bool) {
	phases := StepPhases(sc.Steps)
	for i, st := range sc.Steps {
		if st.Status == statusFailed {
			return Catch{ID: sc.ID(), Scenario: sc.Name, Where: fmt.Sprintf("%s:%d", sc.URI, sc.Line),
				Step: st.Text, StepLine: st.Line, Phase: phases[i]}, true
		}
	}
	return Catch{}, false
}

// JudgeFault builds a fault's result from the summary of its run: the fault is caught
// when every ID it declares has the verdict fail and, for each, at least one of its
// failing scenarios failed at a Then step, the behaviour's assertion. A failure in a
// Given or When step means the fault broke the set-up (the scenario could not reach
// its assertion), which proves nothing about the behaviour. An error is not a catch
// either: a fault must break a behaviour the way a buggy broker would, not make the
// suite crash.
func JudgeFault(name string, ids []string, run *Summary) FaultResult {
	r := FaultResult{Name: name, IDs: append([]string{}, ids...), FailedIDs: []string{}}
	sort.Strings(r.IDs)
	atThen := map[string]bool{}
	if run != nil {
		declared := map[string]bool{}
		for _, id := range r.IDs {
			declared[id] = true
		}
		for _, id := range run.SortedIDs() {
			if run.IDs[id].Verdict == VerdictFail {
				r.FailedIDs = append(r.FailedIDs, id)
			}
		}
		for i := range run.Scenarios {
			sc := &run.Scenarios[i]
			if sc.Verdict != VerdictFail || !declared[sc.ID()] || run.IDs[sc.ID()].Verdict != VerdictFail {
				continue
			}
			if c, ok := catchOf(sc); ok {
				r.CaughtAt = append(r.CaughtAt, c)
				if c.Phase == PhaseThen {
					atThen[c.ID] = true
				}
			}
		}
		sort.SliceStable(r.CaughtAt, func(i, j int) bool { return r.CaughtAt[i].ID < r.CaughtAt[j].ID })
	}
	failed := map[string]bool{}
	for _, id := range r.FailedIDs {
		failed[id] = true
	}
	r.Caught = len(r.IDs) > 0
	for _, id := range r.IDs {
		if failed[id] && !atThen[id] {
			r.FailedInSetup = append(r.FailedInSetup, id)
		}
		if !failed[id] || !atThen[id] {
			r.Caught = false
		}
	}
	return r
}

// Uncaught returns the names of the faults that were not caught.
func (s *SelfTestSummary) Uncaught() []string {
	var names []string
	for _, f := range s.Faults {
		if !f.Caught {
			names = append(names, f.Name)
		}
	}
	return names
}

// WriteSelfTest writes dir/summary.json (dir is normally reports/selftest), faults
// sorted by name.
func WriteSelfTest(dir string, s SelfTestSummary) error {
	faults := append([]FaultResult{}, s.Faults...)
	sort.SliceStable(faults, func(i, j int) bool { return faults[i].Name < faults[j].Name })
	for i := range faults {
		// Contract shape: lists are [] rather than null.
		if faults[i].IDs == nil {
			faults[i].IDs = []string{}
		}
		if faults[i].FailedIDs == nil {
			faults[i].FailedIDs = []string{}
		}
	}
	if faults == nil {
		faults = []FaultResult{}
	}
	data, err := json.MarshalIndent(SelfTestSummary{Faults: faults}, "", "  ")
	if err != nil {
		return fmt.Errorf("selftest summary: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("selftest summary: %w", err)
	}
	return writeFileAtomic(filepath.Join(dir, "summary.json"), append(data, '\n'))
}
