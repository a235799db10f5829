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
			t.Errorf("fault has keys %v, want name, ids, caught, failed_ids", f)
		}
		if _, ok := f["failed_ids"].([]any); !ok {
			t.Errorf("failed_ids is %v, want a list", f["failed_ids"])
		}
	}
	if got := s.Uncaught(); len(got) != 1 || got[0] != "accept-none" {
		t.Errorf("uncaught %v", got)
	}
}
