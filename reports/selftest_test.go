package reports

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestJudgeFault(t *testing.T) {
	run := mustBuild(t, cucumberOf(t,
		failing("JWT-CLAIM-01"), passing("JWT-CLAIM-02"),
		fakeScenario{id: "JWT-CLAIM-03", status: statusFailed, message: HarnessErrorPrefix + "crash"},
	), nil)
	cases := []struct {
		ids        []string
		wantCaught bool
	}{
		{[]string{"JWT-CLAIM-01"}, true},
		{[]string{"JWT-CLAIM-01", "JWT-CLAIM-02"}, false}, // one declared ID stayed green
		{[]string{"JWT-CLAIM-03"}, false},                 // an error is not a catch
		{nil, false},                                      // a fault that declares nothing catches nothing
	}
	for _, c := range cases {
		r := JudgeFault("skip-exp", c.ids, run)
		if r.Caught != c.wantCaught {
			t.Errorf("ids %v: caught %v, want %v", c.ids, r.Caught, c.wantCaught)
		}
		if len(r.FailedIDs) != 1 || r.FailedIDs[0] != "JWT-CLAIM-01" {
			t.Errorf("failed ids %v", r.FailedIDs)
		}
	}
}

// A fault is caught only where a scenario of its ID fails at a Then step;
// a failure in the set-up is reported, not counted.
func TestJudgeFaultCountsOnlyAssertions(t *testing.T) {
	run := mustBuild(t, cucumberOf(t,
		failing("JWT-CLAIM-01"),
		fakeScenario{id: "JWT-CLAIM-02", status: statusFailed, message: "dial: connection refused", setup: true},
	), nil)
	r := JudgeFault("f", []string{"JWT-CLAIM-01"}, run)
	if !r.Caught || len(r.CaughtAt) != 1 || r.CaughtAt[0].Phase != PhaseThen || r.CaughtAt[0].Step != "Then the broker behaves" {
		t.Errorf("expected a catch at the Then step, got %+v", r)
	}
	r = JudgeFault("f", []string{"JWT-CLAIM-02"}, run)
	if r.Caught {
		t.Errorf("a failure in a Given step must not count as a catch: %+v", r)
	}
	if len(r.FailedIDs) != 2 || len(r.FailedInSetup) != 1 || r.FailedInSetup[0] != "JWT-CLAIM-02" {
		t.Errorf("expected JWT-CLAIM-02 failed in set-up, got failed %v, in set-up %v", r.FailedIDs, r.FailedInSetup)
	}
	if len(r.CaughtAt) != 1 || r.CaughtAt[0].Phase != PhaseGiven || r.CaughtAt[0].Where == "" {
		t.Errorf("expected where it failed (a Given step), got %+v", r.CaughtAt)
	}
	if r := JudgeFault("f", []string{"JWT-CLAIM-01", "JWT-CLAIM-02"}, run); r.Caught {
		t.Errorf("one ID failing only in set-up leaves the fault uncaught: %+v", r)
	}
}

func TestStepPhases(t *testing.T) {
	steps := []Step{{Text: "And a leading one"}, {Text: "Given a broker"}, {Text: "And a token"}, {Text: "When it connects"},
		{Text: "But slowly"}, {Text: "Then it is refused"}, {Text: "And the log says so"}, {Text: "* still then"}}
	want := []string{"Given", "Given", "Given", "When", "When", "Then", "Then", "Then"}
	got := StepPhases(steps)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("step %q: phase %s, want %s", steps[i].Text, got[i], want[i])
		}
	}
}

func TestWriteSelfTestShape(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "selftest")
	s := SelfTestSummary{Faults: []FaultResult{
		{Name: "skip-exp", IDs: []string{"JWT-CLAIM-01"}, Caught: true, FailedIDs: []string{"JWT-CLAIM-01"}},
		{Name: "accept-none", IDs: []string{"JWT-HMAC-03"}, Caught: false},
	}}
	if err := WriteSelfTest(dir, s); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Read back generically: exactly the contract's keys, lists never null.
	var doc map[string][]map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	faults := doc["faults"]
	if len(doc) != 1 || len(faults) != 2 {
		t.Fatalf("document %s", data)
	}
	if faults[0]["name"] != "accept-none" {
		t.Errorf("faults not sorted by name: %s", data)
	}
	for _, f := range faults {
		if len(f) != 4 {
			t.Errorf("fault has keys %v, want name, ids, caught, failed_ids (the additions are omitted when empty)", f)
		}
		if _, ok := f["failed_ids"].([]any); !ok {
			t.Errorf("failed_ids is %v, want a list", f["failed_ids"])
		}
	}
	if got := s.Uncaught(); len(got) != 1 || got[0] != "accept-none" {
		t.Errorf("uncaught %v", got)
	}
}
