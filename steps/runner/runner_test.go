package runner

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target/inproc"
)

func TestTagExpression(t *testing.T) {
	got, err := TagExpression([]string{"JWT-CLAIM, SCRAM-03", "@CHAIN-01", ""})
	if err != nil {
		t.Fatal(err)
	}
	if got != "@JWT-CLAIM,@SCRAM-03,@CHAIN-01" {
		t.Fatalf("expected @JWT-CLAIM,@SCRAM-03,@CHAIN-01, got %q", got)
	}
	if got, _ := TagExpression(nil); got != "" {
		t.Fatalf("expected an empty expression for no IDs, got %q", got)
	}
	for _, bad := range []string{"jwt-claim", "JWT-CLAIM-1", "~@wip", "JWT CLAIM"} {
		if _, err := TagExpression([]string{bad}); err == nil {
			t.Errorf("expected %q to be refused", bad)
		}
	}
}

func TestSelectByIDAndGroup(t *testing.T) {
	fsys, err := FeatureFS()
	if err != nil {
		t.Fatal(err)
	}
	one, err := Select(fsys, "@JWT-EXP-02")
	if err != nil {
		t.Fatal(err)
	}
	if len(one) != 1 || one[0].ID != "JWT-EXP-02" || one[0].URI != "features/jwt_exp.feature" {
		t.Fatalf("expected the one JWT-EXP-02 scenario in features/jwt_exp.feature, got %+v", one)
	}
	group, err := Select(fsys, "@JWT-CLAIM")
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range group {
		if sc.Group != "JWT-CLAIM" {
			t.Errorf("expected only JWT-CLAIM scenarios, got %s", sc.ID)
		}
	}
	if len(group) <= len(one) {
		t.Errorf("expected the group to select more than one ID's scenarios, got %d", len(group))
	}
	if ids := IDsOf(group); len(ids) < 8 || ids[0] != "JWT-CLAIM-01" {
		t.Errorf("expected the group's IDs sorted from JWT-CLAIM-01, got %v", ids)
	}
}

func TestListIsADryRun(t *testing.T) {
	var buf bytes.Buffer
	n, err := List(&buf, []string{"JWT-HMAC-05,CHAIN-03"})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if n == 0 || len(lines) != n {
		t.Fatalf("expected %d lines, got %q", n, buf.String())
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "JWT-HMAC-05") && !strings.HasPrefix(l, "CHAIN-03") {
			t.Errorf("expected each line to start with its ID, got %q", l)
		}
	}
	if _, err := List(&buf, []string{"not an id"}); err == nil {
		t.Error("expected a usage error")
	}
}

func TestRunWritesReports(t *testing.T) {
	dir := t.TempDir()
	res, err := Run(context.Background(), Options{
		Target:     inproc.Reference{},
		IDs:        []string{"JWT-HMAC-01", "JWT-CLAIM-04"},
		ReportsDir: dir,
		Formats:    []string{"progress"},
		Output:     &bytes.Buffer{},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != reports.ExitConformant {
		t.Fatalf("expected a conformant run, got %d: %v", res.ExitCode, res.Reasons)
	}
	if res.Dir != filepath.Join(dir, "reference") {
		t.Fatalf("expected reports in %s/reference, got %s", dir, res.Dir)
	}
	for _, f := range []string{reports.CucumberFile, reports.JUnitFile, reports.SummaryFile, reports.HTMLFile} {
		if st, err := os.Stat(filepath.Join(res.Dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("expected a non-empty %s, got %v", f, err)
		}
	}
	if got := len(res.Summary.IDs); got != 2 {
		t.Errorf("expected 2 IDs in the summary, got %d", got)
	}
	if res.Summary.IDs["JWT-HMAC-01"].Observed != "0x00" {
		t.Errorf("expected the observed code 0x00 recorded, got %q", res.Summary.IDs["JWT-HMAC-01"].Observed)
	}
}

// A faulty reference fails the run, with the packet trace of the failing
// scenario in the cucumber JSON.
func TestRunReportsAFailureWithItsTrace(t *testing.T) {
	res, err := Run(context.Background(), Options{
		Target: inproc.Reference{Faults: []string{"chain-all-ignored-accept"}},
		IDs:    []string{"CHAIN-02"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != reports.ExitFailures || res.Summary.IDs["CHAIN-02"].Verdict != reports.VerdictFail {
		t.Fatalf("expected CHAIN-02 to fail, got exit %d and %+v", res.ExitCode, res.Summary.IDs["CHAIN-02"])
	}
	traced := false
	for _, sc := range res.Summary.Scenarios {
		if sc.Verdict == reports.VerdictFail && strings.Contains(sc.PacketTrace(), "CONNACK") {
			traced = true
		}
	}
	if !traced {
		t.Error("expected the failing scenario's packet trace (with its CONNACK) attached")
	}
}

func TestRunRefusesBadOptions(t *testing.T) {
	var ue *UsageError
	if _, err := Run(context.Background(), Options{}); !errors.As(err, &ue) {
		t.Errorf("expected a usage error without a target, got %v", err)
	}
	if _, err := Run(context.Background(), Options{Target: inproc.Reference{}, IDs: []string{"NOPE-99"}}); !errors.Is(err, ErrNoScenario) {
		t.Errorf("expected ErrNoScenario, got %v", err)
	}
	if _, err := Run(context.Background(), Options{Target: inproc.Reference{}, IDs: []string{"JWT-HMAC-01"}, Formats: []string{"no-such-format"}}); !errors.As(err, &ue) {
		t.Errorf("expected a usage error for an unknown format, got %v", err)
	}
}
