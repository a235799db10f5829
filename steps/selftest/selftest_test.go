package selftest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/catalogue"
)

// TestEveryFaultIsCaught runs the self-test: every fault must turn each of
// its IDs that has scenarios red. IDs without scenarios yet must be listed
// in catalogue.NotYetCovered. The summary goes to $AUTHSPEC_REPORTS/selftest
// when set (make selftest uses the CLI for reports/selftest).
func TestEveryFaultIsCaught(t *testing.T) {
	if testing.Short() {
		t.Skip("the self-test runs the suite once per fault")
	}
	dir := os.Getenv("AUTHSPEC_REPORTS")
	if dir == "" {
		dir = t.TempDir()
	}
	res, err := Run(context.Background(), Options{ReportsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for id, why := range res.NotPassingClean {
		t.Errorf("%s does not pass against the reference without faults: %s", id, why)
	}
	for name, missed := range res.Missed {
		t.Errorf("fault %s: expected its IDs to fail, but these did not: %v", name, missed)
	}
	pending := map[string]bool{}
	for _, id := range catalogue.NotYetCovered {
		pending[id] = true
	}
	for name, ids := range res.Uncovered {
		for _, id := range ids {
			if !pending[id] {
				t.Errorf("fault %s declares %s, which has no scenario and is not in catalogue.NotYetCovered", name, id)
			}
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "selftest", "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var written reports.SelfTestSummary
	if err := json.Unmarshal(data, &written); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	if len(written.Faults) != len(res.Summary.Faults) {
		t.Fatalf("expected %d faults in summary.json, got %d", len(res.Summary.Faults), len(written.Faults))
	}
	for _, f := range written.Faults {
		if _, uncovered := res.Uncovered[f.Name]; !uncovered && !f.Caught {
			t.Errorf("summary.json: fault %s with every ID covered is not caught: %+v", f.Name, f)
		}
	}
}
