package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target/inproc"
)

// The other reading of each ambiguity that has a scenario for it, and the
// fault that makes the reference follow that reading. Declared in a
// profile's variants, the reading is what the ambiguity's scenarios expect:
// the reference with the fault passes, the reference without it fails (it
// follows EMQX's reading), so the scenarios can fail either way.
var otherReadings = []struct{ ambiguity, reading, fault, id string }{
	{"A1", "exp-required", "require-exp", "JWT-CLAIM-04"},
	{"A4", "iat-checked", "check-iat", "JWT-CLAIM-03"},
	{"A8", "kid-selects", "jwks-use-kid", "JWT-JWKS-04"},
	{"A9", "docs-only", "pk-docs-algs-only", "JWT-PK-01"},
	{"A10", "status-checked", "jwks-check-status", "JWT-JWKS-07"},
	{"A14", "fraction-accepted", "fractional-exp-truncated", "JWT-CLAIM-09"},
	{"A17", "crit-ignored", "ignore-crit", "SEC-07"},
}

// Every reading a scenario expects other than the reference's has a row
// above: a fault that follows it, so its scenarios are shown to pass and
// to fail.
func TestEveryOtherReadingIsCovered(t *testing.T) {
	fsys, err := FeatureFS()
	if err != nil {
		t.Fatal(err)
	}
	scs, err := Select(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, r := range otherReadings {
		covered[r.ambiguity+"="+r.reading] = true
	}
	for _, sc := range scs {
		for _, tag := range sc.Tags {
			if strings.Contains(tag, "=") && !covered[tag] {
				t.Errorf("%q expects reading %s: add it to otherReadings with the fault that makes the reference follow it", sc.Name, tag)
			}
		}
	}
}

func TestDeclaredReadingsAreJudged(t *testing.T) {
	for _, tc := range otherReadings {
		t.Run(tc.ambiguity, func(t *testing.T) {
			t.Parallel()
			readings := map[string]string{tc.ambiguity: tc.reading}
			want := tc.ambiguity + "=" + tc.reading

			follows := run(t, inproc.Reference{Faults: []string{tc.fault}, Readings: readings}, tc.id)
			r := follows.IDs[tc.id]
			if r.Verdict != reports.VerdictPass || !slices.Equal(r.Readings, []string{want}) {
				t.Errorf("%s declared, the reference with %s: %s %v (%s), want pass judged under %s", want, tc.fault, r.Verdict, r.Readings, r.Message, want)
			}
			var na, other int
			for _, sc := range follows.Scenarios {
				switch {
				case sc.Verdict == reports.VerdictNotApplicable && strings.Contains(sc.Message, "; the profile declares variants: {"+tc.ambiguity+": "+tc.reading+"}"):
					na++ // the reference's reading: not this target's
				case slices.Contains(sc.Readings, want):
					other++
				}
			}
			if na == 0 || other == 0 {
				t.Errorf("want scenarios of both readings, the reference's not applicable: %d not applicable, %d judged under %s", na, other, want)
			}

			ignores := run(t, inproc.Reference{Readings: readings}, tc.id)
			if r := ignores.IDs[tc.id]; r.Verdict != reports.VerdictFail {
				t.Errorf("%s declared, the reference as it is: %s, want fail (it follows the other reading)", want, r.Verdict)
			}
		})
	}
}

// The HTML and JUnit reports say which reading a verdict was judged under.
func TestReportsShowTheReadingJudged(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tg := inproc.Reference{Faults: []string{"require-exp"}, Readings: map[string]string{"A1": "exp-required"}}
	res, err := Run(ctx, Options{Target: tg, IDs: []string{"JWT-CLAIM-04"}, Version: "test", ReportsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	want := "ambiguity A1 judged under reading exp-required"
	for _, name := range []string{"junit.xml", "index.html"} {
		data, err := os.ReadFile(filepath.Join(res.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), want) {
			t.Errorf("%s does not say %q", name, want)
		}
	}
	data, err := os.ReadFile(filepath.Join(res.Dir, "summary.json"))
	if err != nil || !strings.Contains(string(data), `"reading": "A1=exp-required"`) {
		t.Errorf("summary.json has no reading for JWT-CLAIM-04 (%v)", err)
	}
}

func run(t *testing.T, tg inproc.Reference, id string) *reports.Summary {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := Run(ctx, Options{Target: tg, IDs: []string{id}, Version: "test"})
	if err != nil {
		t.Fatal(fmt.Errorf("%s: %w", id, err))
	}
	return res.Summary
}
