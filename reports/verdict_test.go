package reports

import (
	"strings"
	"testing"
)

func TestCombineVerdictsFollowsTheContractOrder(t *testing.T) {
	const (
		P  = VerdictPass
		NS = VerdictNonStrict
		F  = VerdictFail
		NA = VerdictNotApplicable
		E  = VerdictError
	)
	cases := []struct {
		in   []Verdict
		want Verdict
	}{
		{nil, NA},
		{[]Verdict{NA, NA}, NA},
		{[]Verdict{P}, P},
		{[]Verdict{NA, P}, P},
		{[]Verdict{P, NS, NA}, NS},
		{[]Verdict{NS, E, P}, E},
		{[]Verdict{E, F, NS, P, NA}, F},
		{[]Verdict{P, P, F}, F},
		{[]Verdict{NA, E}, E},
	}
	for _, c := range cases {
		if got := CombineVerdicts(c.in); got != c.want {
			t.Errorf("CombineVerdicts(%v) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestFixtureScenarioVerdicts(t *testing.T) {
	s, _ := fixtureSummary(t)
	type want struct {
		id          string
		verdict     Verdict
		observed    string
		msgContains string
		unreachable bool
	}
	byLine := map[string]want{
		"features/jwt_claim.feature:8":  {"JWT-CLAIM-01", VerdictPass, "0x86", "", false},
		"features/jwt_claim.feature:15": {"JWT-CLAIM-02", VerdictNonStrict, "0x87", "observed 0x87, expected 0x86", false},
		"features/jwt_claim.feature:22": {"JWT-CLAIM-03", VerdictFail, "0x00", "Expected: CONNACK refused with 0x86", false},
		"features/jwt_claim.feature:29": {"JWT-CLAIM-04", VerdictFail, "0x00", "Actual:   CONNACK 0x00", false},
		"features/jwt_claim.feature:36": {"JWT-CLAIM-05", VerdictPass, "0x86", "", false},
		"features/jwt_src.feature:14":   {"JWT-SRC-01", VerdictPass, "0x00", "", false},
		"features/jwt_src.feature:15":   {"JWT-SRC-01", VerdictPass, "0x00", "", false},
		"features/jwt_src.feature:19":   {"JWT-SRC-02", VerdictNotApplicable, "", "from: password", false},
		"features/jwt_src.feature:26":   {"JWT-SRC-03", VerdictNotApplicable, "", "without a reason", false},
		"features/scram.feature:6":      {"SCRAM-01", VerdictError, "", "harness error: SCRAM backend fixture", false},
		"features/scram.feature:13":     {"SCRAM-02", VerdictError, "", "target unreachable: dial tcp", true},
		"features/scram.feature:20":     {"SCRAM-03", VerdictError, "", "undefined step: Then the server-final message", false},
		"features/scram.feature:26":     {"SCRAM-04", VerdictPass, "", "", false},
		"features/scram.feature:32":     {"SCRAM-04", VerdictFail, "", "i=1", false},
	}
	if len(s.Scenarios) != len(byLine) {
		t.Fatalf("parsed %d scenarios, want %d", len(s.Scenarios), len(byLine))
	}
	for _, sc := range s.Scenarios {
		where := sc.URI + ":" + itoa(sc.Line)
		w, ok := byLine[where]
		if !ok {
			t.Errorf("unexpected scenario %s", where)
			continue
		}
		if sc.ID() != w.id || sc.Verdict != w.verdict || sc.Observed != w.observed || sc.Unreachable != w.unreachable {
			t.Errorf("%s: got id=%s verdict=%s observed=%q unreachable=%v, want %+v", where, sc.ID(), sc.Verdict, sc.Observed, sc.Unreachable, w)
		}
		if !strings.Contains(sc.Message, w.msgContains) {
			t.Errorf("%s: message %q does not contain %q", where, sc.Message, w.msgContains)
		}
	}
}

func TestFixtureIDVerdictsAndTotals(t *testing.T) {
	s, _ := fixtureSummary(t)
	want := map[string]Verdict{
		"JWT-CLAIM-01": VerdictPass, "JWT-CLAIM-02": VerdictNonStrict, "JWT-CLAIM-03": VerdictFail,
		"JWT-CLAIM-04": VerdictFail, "JWT-CLAIM-05": VerdictPass,
		"JWT-SRC-01": VerdictPass, "JWT-SRC-02": VerdictNotApplicable, "JWT-SRC-03": VerdictNotApplicable,
		"SCRAM-01": VerdictError, "SCRAM-02": VerdictError, "SCRAM-03": VerdictError, "SCRAM-04": VerdictFail,
	}
	if len(s.IDs) != len(want) {
		t.Fatalf("got %d IDs, want %d", len(s.IDs), len(want))
	}
	for id, v := range want {
		if got := s.IDs[id].Verdict; got != v {
			t.Errorf("%s: verdict %s, want %s", id, got, v)
		}
	}
	if got := s.IDs["JWT-SRC-01"].Scenarios; got != 2 {
		t.Errorf("JWT-SRC-01 has %d scenarios, want 2 (outline rows)", got)
	}
	if got := s.IDs["SCRAM-04"].Group; got != "SCRAM" {
		t.Errorf("SCRAM-04 group %q", got)
	}
	wantTotals := Totals{Pass: 3, NonStrict: 1, Fail: 3, NotApplicable: 2, Error: 3, Baselined: 1, BaselineNowPassing: 1}
	if s.Totals != wantTotals {
		t.Errorf("totals %+v, want %+v", s.Totals, wantTotals)
	}
	if len(s.BaselineNotRun) != 1 || s.BaselineNotRun[0] != "JWT-VC-01" {
		t.Errorf("baseline not run = %v, want [JWT-VC-01]", s.BaselineNotRun)
	}
}

func TestScenarioIDsAndGroupFromTags(t *testing.T) {
	cases := []struct {
		name      string
		tags      []string
		wantIDs   []string
		wantGroup string
	}{
		{"JWT-CLAIM-02 x", []string{"JWT-CLAIM", "JWT-CLAIM-02", "ambiguity", "v311"}, []string{"JWT-CLAIM-02"}, "JWT-CLAIM"},
		// The ID the name starts with comes first, whatever the tag order.
		{"JWT-ACL-03 y", []string{"JWT-ACL", "JWT-ACL-01", "JWT-ACL-03"}, []string{"JWT-ACL-03", "JWT-ACL-01"}, "JWT-ACL"},
		// No group tag: the group is read off the ID.
		{"SCRAM-07 z", []string{"SCRAM-07"}, []string{"SCRAM-07"}, "SCRAM"},
		// No ID tag: the name's leading ID is used.
		{"CHAIN-04: first decides", []string{"CHAIN"}, []string{"CHAIN-04"}, "CHAIN"},
		// Nothing at all.
		{"some scenario", []string{"wip"}, nil, unidentifiedGroup},
		// Lowercase or numbered tags are neither IDs nor groups.
		{"x", []string{"v5", "JWT-claim-01", "JWT-CLAIM-1"}, nil, unidentifiedGroup},
	}
	for _, c := range cases {
		ids := scenarioIDs(c.name, c.tags)
		id := ""
		if len(ids) > 0 {
			id = ids[0]
		}
		group := scenarioGroup(id, c.tags)
		if strings.Join(ids, ",") != strings.Join(c.wantIDs, ",") || group != c.wantGroup {
			t.Errorf("%q %v: ids %v group %q, want %v %q", c.name, c.tags, ids, group, c.wantIDs, c.wantGroup)
		}
	}
}

func TestMarkersSurviveGodogHookWrapping(t *testing.T) {
	// godog prefixes errors of hooks; the marker must still be found.
	sc := Scenario{IDs: []string{"SCRAM-01"}, Steps: []Step{{Text: "Given x", Status: statusFailed,
		Message: "after scenario hook failed: cleanup failed, step error: " + Unreachable(errString("dial tcp: refused")).Error()}}}
	judge(&sc)
	if sc.Verdict != VerdictError || !sc.Unreachable {
		t.Errorf("verdict %s unreachable %v, want error + unreachable", sc.Verdict, sc.Unreachable)
	}
	if !IsUnreachable(Unreachable(errString("x"))) || IsUnreachable(HarnessError(errString("x"))) {
		t.Error("IsUnreachable does not tell the markers apart")
	}
	if HarnessError(nil) != nil || Unreachable(nil) != nil {
		t.Error("marking a nil error must stay nil")
	}
}

type errString string

func (e errString) Error() string { return string(e) }
