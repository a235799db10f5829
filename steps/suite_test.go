package steps_test

import (
	"context"
	"flag"
	"regexp"
	"testing"
	"time"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/runner"
	"github.com/authspec/authspec/steps/target/inproc"
)

var (
	ids         = flag.String("authspec.ids", "", "run only these IDs or groups (comma list)")
	stepTimeout = flag.Duration("authspec.step-timeout", 5*time.Second, "bound of each step's network waits")
)

var readingTag = regexp.MustCompile(`^@?A\d+=`)

func otherReading(tags []string) bool {
	for _, t := range tags {
		if readingTag.MatchString(t) {
			return true
		}
	}
	return false
}

// TestFeatures runs every scenario against the in-process reference, each
// as a Go subtest (go test ./steps -run 'TestFeatures/JWT-CLAIM-01').
// The reference follows the catalogue, so every ID must pass: none may be
// failed, in error, or not applicable.
func TestFeatures(t *testing.T) {
	var selection []string
	if *ids != "" {
		selection = []string{*ids}
	}
	res, err := runner.Run(context.Background(), runner.Options{
		Target:      inproc.Reference{},
		IDs:         selection,
		StepTimeout: *stepTimeout,
		ReportsDir:  t.TempDir(),
		TestingT:    t,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range res.Summary.SortedIDs() {
		r := res.Summary.IDs[id]
		if r.Verdict != reports.VerdictPass {
			t.Errorf("%s: expected pass against the reference, got %s: %s", id, r.Verdict, r.Message)
		}
	}
	// Every scenario, not only every ID, must pass: a scenario the
	// reference cannot run (not applicable) is one that cannot fail either.
	// The exception are scenarios of another reading of a catalogue
	// ambiguity (@A1=exp-required): the reference follows EMQX's, and
	// steps/runner's TestDeclaredReadingsAreJudged runs each of them with
	// the reading declared, passing with the fault that follows it and
	// failing without.
	for _, sc := range res.Summary.Scenarios {
		if sc.Verdict == reports.VerdictNotApplicable && otherReading(sc.Tags) {
			continue
		}
		if sc.Verdict != reports.VerdictPass && sc.Verdict != reports.VerdictFail {
			t.Errorf("%s: expected pass against the reference, got %s: %s", sc.Name, sc.Verdict, sc.Message)
		}
	}
	if len(res.Summary.Unidentified) > 0 {
		t.Errorf("scenarios without a catalogue ID: %+v", res.Summary.Unidentified)
	}
	if res.ExitCode != reports.ExitConformant {
		t.Errorf("expected exit code %d, got %d: %v", reports.ExitConformant, res.ExitCode, res.Reasons)
	}
}
