package reports

import (
	"strings"
	"testing"
)

var (
	passing = func(id string) fakeScenario { return fakeScenario{id: id, status: statusPassed} }
	failing = func(id string) fakeScenario {
		return fakeScenario{id: id, status: statusFailed, message: "Expected: 0x86\nActual: 0x00"}
	}
	skippedNA = func(id string) fakeScenario {
		return fakeScenario{id: id, status: statusSkipped, attach: map[string]string{MediaNotApplicable: "outside claims"}}
	}
	naBecause = func(id, reason string) fakeScenario {
		return fakeScenario{id: id, status: statusSkipped, attach: map[string]string{MediaNotApplicable: reason}}
	}
)

func TestExitCodes(t *testing.T) {
	const gapYAML = "- id: JWT-CLAIM-01\n  reason: known gap\n"
	cases := []struct {
		name       string
		scenarios  []fakeScenario
		baseline   string
		want       int
		wantReason string
	}{
		{"all pass", []fakeScenario{passing("JWT-CLAIM-01"), passing("SCRAM-01")}, "", ExitConformant, ""},
		{"baselined gap still failing", []fakeScenario{failing("JWT-CLAIM-01"), passing("SCRAM-01")}, gapYAML, ExitConformant, ""},
		{"baselined gap now passing", []fakeScenario{passing("JWT-CLAIM-01")}, gapYAML, ExitFailures, "JWT-CLAIM-01 (baseline reason: known gap)"},
		{"baselined gap now non-strict", []fakeScenario{{id: "JWT-CLAIM-01", status: statusPassed, attach: map[string]string{MediaNonStrict: "observed 0x87, expected 0x86"}}}, gapYAML, ExitFailures, "now pass"},
		{"failure not in the baseline", []fakeScenario{failing("JWT-CLAIM-01"), failing("SCRAM-01")}, gapYAML, ExitFailures, "failing (not in the baseline): SCRAM-01"},
		{"failure without a baseline", []fakeScenario{failing("SCRAM-01")}, "", ExitFailures, "SCRAM-01"},
		{"one failing scenario fails the ID", []fakeScenario{passing("SCRAM-01"), failing("SCRAM-01")}, "", ExitFailures, "SCRAM-01"},
		{"unreachable target", []fakeScenario{{id: "SCRAM-01", status: statusFailed, message: UnreachablePrefix + "dial tcp 127.0.0.1:1883: connection refused"}}, "", ExitUnreachable, "target unreachable in SCRAM-01"},
		{"unreachable wins over failures", []fakeScenario{failing("JWT-CLAIM-02"), {id: "SCRAM-01", status: statusFailed, message: UnreachablePrefix + "timeout"}}, "", ExitUnreachable, "failing"},
		{"harness error gates", []fakeScenario{{id: "SCRAM-01", status: statusFailed, message: HarnessErrorPrefix + "fixture did not start"}}, "", ExitFailures, "errors (harness or target problem): SCRAM-01"},
		{"baseline does not cover an error", []fakeScenario{{id: "JWT-CLAIM-01", status: statusFailed, message: HarnessErrorPrefix + "x"}}, gapYAML, ExitFailures, "JWT-CLAIM-01"},
		{"not applicable never gates", []fakeScenario{skippedNA("SCRAM-01"), passing("SCRAM-02")}, "", ExitConformant, ""},
		{"baselined ID not applicable does not gate", []fakeScenario{skippedNA("JWT-CLAIM-01"), passing("SCRAM-01")}, gapYAML, ExitConformant, ""},
		{"nothing judged gates, naming the dominant reason", []fakeScenario{
			naBecause("JWT-JWKS-01", "needs use_jwks: true; the broker declares use_jwks: false"),
			naBecause("JWT-JWKS-02", "needs use_jwks: true; the broker declares use_jwks: false"),
			naBecause("SCRAM-01", "needs the chain [scram:http]; the broker declares [jwt]"),
			naBecause("JWT-HMAC-01", NotClaimedPrefix+"JWT-HMAC-01"),
			naBecause("JWT-HMAC-02", NotClaimedPrefix+"JWT-HMAC-02"),
			naBecause("JWT-HMAC-03", NotClaimedPrefix+"JWT-HMAC-03"),
		}, "", ExitFailures, "nothing judged: none of the 6 IDs got pass, non-strict or fail; most often not applicable because: needs use_jwks: true; the broker declares use_jwks: false (2 of 6 IDs)"},
		{"nothing claimed ran", []fakeScenario{naBecause("JWT-HMAC-01", NotClaimedPrefix+"JWT-HMAC-01")}, "", ExitFailures,
			"nothing judged: none of the 1 IDs got pass, non-strict or fail; most often not applicable because: " + NotClaimedReason + " (1 of 1 IDs)"},
		{"a baselined failure is judged", []fakeScenario{failing("JWT-CLAIM-01"), skippedNA("SCRAM-01")}, gapYAML, ExitConformant, ""},
		{"one non-strict ID is judged", []fakeScenario{{id: "JWT-CLAIM-01", status: statusPassed, attach: map[string]string{MediaNonStrict: "observed 0x87, expected 0x86"}}, skippedNA("SCRAM-01")}, "", ExitConformant, ""},
		{"nothing judged and unreachable: unreachable wins", []fakeScenario{skippedNA("SCRAM-01"), {id: "SCRAM-02", status: statusFailed, message: UnreachablePrefix + "timeout"}}, "", ExitUnreachable, "nothing judged"},
		{"undefined step is an error", []fakeScenario{{id: "SCRAM-01", status: statusUndefined}}, "", ExitFailures, "SCRAM-01"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := mustBuild(t, cucumberOf(t, c.scenarios...), mustBaseline(t, c.baseline))
			code, reasons := s.Gate()
			if code != c.want || s.ExitCode() != c.want {
				t.Fatalf("exit %d, want %d (reasons %q)", code, c.want, reasons)
			}
			if got := strings.Join(reasons, "\n"); !strings.Contains(got, c.wantReason) {
				t.Errorf("reasons %q do not contain %q", got, c.wantReason)
			}
			if c.want == ExitConformant && len(reasons) != 0 {
				t.Errorf("conformant run with reasons %q", reasons)
			}
		})
	}
}

func TestBaselineStatusIsReported(t *testing.T) {
	b := mustBaseline(t, "- id: JWT-CLAIM-01\n  reason: r1\n- id: JWT-CLAIM-02\n  reason: r2\n- id: SCRAM-09\n  reason: r3\n")
	s := mustBuild(t, cucumberOf(t, failing("JWT-CLAIM-01"), passing("JWT-CLAIM-02"), passing("SCRAM-01")), b)
	if st := s.IDs["JWT-CLAIM-01"].Baseline; st == nil || st.Status != BaselineStillFailing || st.Reason != "r1" {
		t.Errorf("JWT-CLAIM-01 baseline = %+v", st)
	}
	if st := s.IDs["JWT-CLAIM-02"].Baseline; st == nil || st.Status != BaselineNowPassing {
		t.Errorf("JWT-CLAIM-02 baseline = %+v", st)
	}
	if s.IDs["SCRAM-01"].Baseline != nil {
		t.Error("SCRAM-01 is not baselined")
	}
	if len(s.BaselineNotRun) != 1 || s.BaselineNotRun[0] != "SCRAM-09" {
		t.Errorf("baseline not run %v", s.BaselineNotRun)
	}
}

func TestUnidentifiedScenarioGates(t *testing.T) {
	data := []byte(`[{"uri":"features/x.feature","name":"X","elements":[{"name":"a scenario with no ID","line":3,"type":"scenario","tags":[{"name":"@wip"}],"steps":[{"keyword":"Then ","name":"ok","result":{"status":"passed"}}]}]}]`)
	s := mustBuild(t, data, nil)
	if len(s.Unidentified) != 1 || len(s.IDs) != 0 {
		t.Fatalf("unidentified %v ids %v", s.Unidentified, s.IDs)
	}
	if code, reasons := s.Gate(); code != ExitFailures || !strings.Contains(strings.Join(reasons, " "), "without a catalogue ID") {
		t.Errorf("exit %d reasons %q", code, reasons)
	}
	var junit strings.Builder
	if err := WriteJUnit(&junit, s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(junit.String(), `type="no-catalogue-id"`) {
		t.Errorf("junit does not flag the unidentified scenario:\n%s", junit.String())
	}
}

func TestNothingJudgedInSummary(t *testing.T) {
	s := mustBuild(t, cucumberOf(t,
		naBecause("JWT-JWKS-01", "b reason"), naBecause("JWT-JWKS-02", "a reason"),
		naBecause("JWT-HMAC-01", NotClaimedPrefix+"JWT-HMAC-01")), nil)
	if !s.NothingJudged || s.Judged != 0 || s.NotClaimed != 1 {
		t.Errorf("nothing_judged %v judged %d not_claimed %d", s.NothingJudged, s.Judged, s.NotClaimed)
	}
	// A tie goes to the reason that sorts first, whatever the map order.
	if s.DominantNA == nil || *s.DominantNA != (NAReason{Reason: "a reason", IDs: 1}) {
		t.Errorf("dominant_na_reason %+v", s.DominantNA)
	}
	data, err := MarshalSummary(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"judged": 0`, `"nothing_judged": true`, `"not_claimed": 1`, `"dominant_na_reason": {`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("summary.json lacks %s:\n%s", want, data)
		}
	}
	judged := mustBuild(t, cucumberOf(t, passing("SCRAM-01"), naBecause("SCRAM-02", "x")), nil)
	if judged.NothingJudged || judged.Judged != 1 {
		t.Errorf("a run with a pass: nothing_judged %v judged %d", judged.NothingJudged, judged.Judged)
	}
}
