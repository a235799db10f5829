package reports

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
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
}

// JudgeFault builds a fault's result from the summary of its run: the fault is caught
// when every ID it declares has the verdict fail. An error is not a catch: a fault
// must break a behaviour the way a buggy broker would, not make the suite crash.
func JudgeFault(name string, ids []string, run *Summary) FaultResult {
	r := FaultResult{Name: name, IDs: append([]string{}, ids...), FailedIDs: []string{}}
	sort.Strings(r.IDs)
	if run != nil {
		for _, id := range run.SortedIDs() {
			if run.IDs[id].Verdict == VerdictFail {
				r.FailedIDs = append(r.FailedIDs, id)
			}
		}
	}
	failed := map[string]bool{}
	for _, id := range r.FailedIDs {
		failed[id] = true
	}
	r.Caught = len(r.IDs) > 0
	for _, id := range r.IDs {
		if !failed[id] {
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
