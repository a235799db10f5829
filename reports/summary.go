package reports

import (
	"math"
	"sort"
	"strings"
	"time"
)

// Meta describes a run: what the reports say beside the results.
type Meta struct {
	Target   string        // profile name ("reference" for the in-process reference)
	Version  string        // authspec version
	Started  time.Time     // when the run started
	Duration time.Duration // how long it took
	Profile  string        // one line describing the target profile
}

// Summary is summary.json (contract: target, authspec_version, started, duration_s,
// ids, totals; every other field is an addition) plus what the other writers need.
type Summary struct {
	Target          string              `json:"target"`
	AuthspecVersion string              `json:"authspec_version"`
	Started         string              `json:"started"`
	DurationS       float64             `json:"duration_s"`
	IDs             map[string]IDResult `json:"ids"`
	Totals          Totals              `json:"totals"`

	// Additions to the contract.
	Profile        string                 `json:"profile,omitempty"`
	BaselineNotRun []string               `json:"baseline_not_run,omitempty"` // baselined IDs with no scenario in this run
	Unidentified   []UnidentifiedScenario `json:"unidentified,omitempty"`     // scenarios with no catalogue ID (a suite defect)
	// Judged counts the IDs that got pass, non-strict or fail: what the run
	// showed about the broker. NothingJudged is true when IDs ran and none
	// was judged (the run then exits 1: see Gate).
	Judged        int  `json:"judged"`
	NothingJudged bool `json:"nothing_judged"`
	// NotClaimed counts the not-applicable IDs the profile does not claim.
	NotClaimed int `json:"not_claimed,omitempty"`
	// DominantNA is the most frequent reason among the other
	// not-applicable IDs (the claimed ones), or the not-claimed count when
	// there are none; nil when no ID is not applicable.
	DominantNA *NAReason   `json:"dominant_na_reason,omitempty"`
	Adapter    *AdapterRun `json:"adapter,omitempty"` // configure: command runs

	Meta      Meta       `json:"-"`
	Scenarios []Scenario `json:"-"` // in cucumber.json order
}

// IDResult is the verdict of one catalogue ID.
type IDResult struct {
	Verdict   Verdict `json:"verdict"`
	Scenarios int     `json:"scenarios"`
	Message   string  `json:"message"`

	// Additions to the contract.
	Group    string `json:"group"`
	Observed string `json:"observed,omitempty"` // reason code of the scenario that decided the verdict
	// Reading: the catalogue ambiguity readings the verdict was judged
	// under, space-separated ("A1=exp-required"); Readings holds them one
	// by one for the reports.
	Reading     string          `json:"reading,omitempty"`
	Readings    []string        `json:"-"`
	Unreachable bool            `json:"unreachable,omitempty"`
	Baseline    *BaselineStatus `json:"baseline,omitempty"`
}

// BaselineStatus says how a baselined ID fared.
type BaselineStatus struct {
	Reason string `json:"reason"`
	Status string `json:"status"` // one of the Baseline* constants
}

// How a baselined ID fared.
const (
	BaselineStillFailing = "still-failing" // fail: the known gap; does not gate
	BaselineNowPassing   = "now-passing"   // pass or non-strict: the baseline is stale; gates
	BaselineNotChecked   = "not-checked"   // error: gates as any error does
	BaselineNotRun       = "not-run"       // not applicable; does not gate
)

// Totals counts IDs by verdict.
type Totals struct {
	Pass          int `json:"pass"`
	NonStrict     int `json:"non-strict"`
	Fail          int `json:"fail"`
	NotApplicable int `json:"not-applicable"`
	Error         int `json:"error"`

	// Additions to the contract.
	Baselined          int `json:"baselined"`            // fail IDs that are known gaps (included in fail)
	BaselineNowPassing int `json:"baseline-now-passing"` // baselined IDs that no longer fail
}

func (t *Totals) add(v Verdict) {
	switch v {
	case VerdictPass:
		t.Pass++
	case VerdictNonStrict:
		t.NonStrict++
	case VerdictFail:
		t.Fail++
	case VerdictNotApplicable:
		t.NotApplicable++
	case VerdictError:
		t.Error++
	}
}

// NAReason is one not-applicable reason and how many IDs gave it.
type NAReason struct {
	Reason string `json:"reason"`
	IDs    int    `json:"ids"`
}

// NotClaimedReason stands for the not-claimed IDs in DominantNA.
const NotClaimedReason = "the profile does not claim them (claims:)"

// UnidentifiedScenario is a scenario that carries no catalogue ID.
type UnidentifiedScenario struct {
	Name    string  `json:"name"`
	URI     string  `json:"uri"`
	Line    int     `json:"line"`
	Verdict Verdict `json:"verdict"`
}

// Build parses godog's cucumber JSON and judges every scenario and ID. baseline may be
// nil. The error is only for cucumber JSON that cannot be read.
func Build(cucumberJSON []byte, meta Meta, baseline *Baseline) (*Summary, error) {
	scenarios, err := ParseCucumber(cucumberJSON)
	if err != nil {
		return nil, err
	}
	return summarize(scenarios, meta, baseline), nil
}

func summarize(scenarios []Scenario, meta Meta, baseline *Baseline) *Summary {
	s := &Summary{
		Target:          meta.Target,
		AuthspecVersion: meta.Version,
		Started:         meta.Started.Format(time.RFC3339),
		DurationS:       math.Round(meta.Duration.Seconds()*1000) / 1000,
		IDs:             map[string]IDResult{},
		Profile:         meta.Profile,
		Meta:            meta,
		Scenarios:       scenarios,
	}
	byID := map[string][]*Scenario{}
	for i := range scenarios {
		sc := &scenarios[i]
		if len(sc.IDs) == 0 {
			s.Unidentified = append(s.Unidentified, UnidentifiedScenario{Name: sc.Name, URI: sc.URI, Line: sc.Line, Verdict: sc.Verdict})
			continue
		}
		for _, id := range sc.IDs {
			byID[id] = append(byID[id], sc)
		}
	}
	for id, scs := range byID {
		r := idResult(id, scs)
		if entry, ok := baseline.Lookup(id); ok {
			r.Baseline = &BaselineStatus{Reason: entry.Reason, Status: baselineStatus(r.Verdict)}
		}
		s.IDs[id] = r
		s.Totals.add(r.Verdict)
		if r.Baseline != nil {
			switch r.Baseline.Status {
			case BaselineStillFailing:
				s.Totals.Baselined++
			case BaselineNowPassing:
				s.Totals.BaselineNowPassing++
			}
		}
	}
	s.judge()
	for _, id := range baseline.IDs() {
		if _, ran := byID[id]; !ran {
			s.BaselineNotRun = append(s.BaselineNotRun, id)
		}
	}
	return s
}

// idResult combines the scenarios of one ID; the message and observed code come from
// the first scenario whose verdict is the ID's.
func idResult(id string, scs []*Scenario) IDResult {
	vs := make([]Verdict, len(scs))
	for i, sc := range scs {
		vs[i] = sc.Verdict
	}
	r := IDResult{Verdict: CombineVerdicts(vs), Scenarios: len(scs), Group: GroupOf(id)}
	for _, sc := range scs {
		if sc.ID() == id {
			r.Group = sc.Group
			break
		}
	}
	for _, sc := range scs {
		if sc.Verdict == r.Verdict {
			r.Message, r.Observed = sc.Message, sc.Observed
			break
		}
	}
	for _, sc := range scs {
		if sc.Unreachable {
			r.Unreachable = true
		}
	}
	r.Readings = idReadings(scs)
	r.Reading = strings.Join(r.Readings, " ")
	return r
}

func baselineStatus(v Verdict) string {
	switch v {
	case VerdictFail:
		return BaselineStillFailing
	case VerdictPass, VerdictNonStrict:
		return BaselineNowPassing
	case VerdictError:
		return BaselineNotChecked
	default:
		return BaselineNotRun
	}
}

// SortedIDs returns the IDs of the summary in order.
func (s *Summary) SortedIDs() []string {
	ids := make([]string, 0, len(s.IDs))
	for id := range s.IDs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// judge fills Judged, NothingJudged, NotClaimed and DominantNA. Reasons are
// counted per ID (an ID's message is its deciding scenario's); ties go to
// the reason that sorts first, so the summary does not depend on map order.
func (s *Summary) judge() {
	s.Judged = s.Totals.Pass + s.Totals.NonStrict + s.Totals.Fail
	s.NothingJudged = len(s.IDs) > 0 && s.Judged == 0
	counts := map[string]int{}
	for _, r := range s.IDs {
		if r.Verdict != VerdictNotApplicable {
			continue
		}
		if strings.HasPrefix(r.Message, NotClaimedPrefix) {
			s.NotClaimed++
			continue
		}
		counts[r.Message]++
	}
	var best *NAReason
	for reason, n := range counts {
		if best == nil || n > best.IDs || (n == best.IDs && reason < best.Reason) {
			best = &NAReason{Reason: reason, IDs: n}
		}
	}
	if best == nil && s.NotClaimed > 0 {
		best = &NAReason{Reason: NotClaimedReason, IDs: s.NotClaimed}
	}
	s.DominantNA = best
}
