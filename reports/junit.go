package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// JUnit XML, written by authspec rather than godog, because godog's writer has no
// classname and never writes <skipped/>, and because verdicts (non-strict, error,
// baselined gaps) need their own elements: one testsuite per group (classname =
// group), one testcase per scenario with a unique name starting with its ID.

type junitTestsuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Skipped  int              `xml:"skipped,attr"`
	Time     string           `xml:"time,attr"`
	Suites   []junitTestsuite `xml:"testsuite"`
}

type junitTestsuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitTestcase `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitTestcase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut junitText     `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string
	Type    string
	Body    string
}

// MarshalXML writes <failure|error message type>body</...> with the body's newlines
// kept: encoding/xml's chardata fields escape them as &#xA;, which makes Expected/Actual
// text and packet traces unreadable in CI tools that show the raw text.
func (p junitProblem) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = []xml.Attr{{Name: xml.Name{Local: "message"}, Value: p.Message}, {Name: xml.Name{Local: "type"}, Value: p.Type}}
	return encodeText(e, start, p.Body)
}

// junitText is element text with its newlines kept (see junitProblem.MarshalXML).
type junitText string

func (t junitText) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return encodeText(e, start, string(t))
}

// encodeText writes start, the text and the end element. A CharData token keeps
// newlines and still replaces characters XML cannot carry with U+FFFD.
func encodeText(e *xml.Encoder, start xml.StartElement, text string) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.EncodeToken(xml.CharData(text)); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// Values of the type attribute of <failure> and <error>.
const (
	junitTypeFail               = "fail"
	junitTypeBaselineNowPassing = "baseline-now-passing"
	junitTypeHarnessError       = "harness-error"
	junitTypeUnreachable        = "target-unreachable"
	junitTypeUnidentified       = "no-catalogue-id"
)

// WriteJUnit writes the summary's scenarios as JUnit XML.
func WriteJUnit(w io.Writer, s *Summary) error {
	doc := junitDocument(s)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitDocument(s *Summary) junitTestsuites {
	byGroup := map[string][]*Scenario{}
	for i := range s.Scenarios {
		sc := &s.Scenarios[i]
		byGroup[sc.Group] = append(byGroup[sc.Group], sc)
	}
	groups := make([]string, 0, len(byGroup))
	for g := range byGroup {
		groups = append(groups, g)
	}
	sort.Strings(groups)

	doc := junitTestsuites{Name: "authspec " + s.Target}
	var total time.Duration
	for _, g := range groups {
		scs := byGroup[g]
		sort.SliceStable(scs, func(i, j int) bool { return scs[i].ID() < scs[j].ID() })
		suite := junitTestsuite{Name: g, Properties: junitProperties(s)}
		if !s.Meta.Started.IsZero() {
			suite.Timestamp = s.Meta.Started.UTC().Format("2006-01-02T15:04:05")
		}
		names := uniqueCaseNames(scs)
		var d time.Duration
		for i, sc := range scs {
			tc := junitCase(s, sc, names[i])
			suite.Tests++
			switch {
			case tc.Failure != nil:
				suite.Failures++
			case tc.Error != nil:
				suite.Errors++
			case tc.Skipped != nil:
				suite.Skipped++
			}
			d += sc.Duration
			suite.Cases = append(suite.Cases, tc)
		}
		suite.Time = seconds(d)
		total += d
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Errors += suite.Errors
		doc.Skipped += suite.Skipped
		doc.Suites = append(doc.Suites, suite)
	}
	doc.Time = seconds(total)
	return doc
}

func junitProperties(s *Summary) []junitProperty {
	return []junitProperty{
		{Name: "target", Value: s.Target},
		{Name: "profile", Value: s.Profile},
		{Name: "authspec_version", Value: s.AuthspecVersion},
	}
}

// junitCase is a scenario's testcase; one judged under a reading of a
// catalogue ambiguity says which in its system-out.
func junitCase(s *Summary, sc *Scenario, name string) junitTestcase {
	tc := junitCaseOf(s, sc, name)
	if text := readingsText(sc.Readings); text != "" && sc.Verdict != VerdictNotApplicable && len(sc.IDs) > 0 {
		if tc.SystemOut != "" {
			text += "\n" + string(tc.SystemOut)
		}
		tc.SystemOut = junitText(text)
	}
	return tc
}

func junitCaseOf(s *Summary, sc *Scenario, name string) junitTestcase {
	tc := junitTestcase{Classname: sc.Group, Name: name, Time: seconds(sc.Duration)}
	if len(sc.IDs) == 0 {
		tc.Error = &junitProblem{
			Message: "scenario has no catalogue ID tag (its verdict was " + string(sc.Verdict) + ")",
			Type:    junitTypeUnidentified,
			Body:    fmt.Sprintf("%s:%d: tag the scenario with its ID and group, e.g. @JWT-CLAIM @JWT-CLAIM-02", sc.URI, sc.Line),
		}
		return tc
	}
	switch sc.Verdict {
	case VerdictPass, VerdictNonStrict:
		if sc.Verdict == VerdictNonStrict {
			tc.SystemOut = junitText("non-strict: " + sc.Message)
		}
		if stale := staleBaselines(s, sc); len(stale) > 0 {
			tc.Failure = &junitProblem{
				Message: "listed in the baseline as a known gap but now passes: remove " + strings.Join(stale, ", ") + " from the baseline",
				Type:    junitTypeBaselineNowPassing,
				Body:    baselineReasons(s, stale),
			}
		}
	case VerdictFail:
		body := problemBody(sc)
		if reason, known := knownGap(s, sc); known {
			tc.Skipped = &junitSkipped{Message: "known gap (baseline): " + reason}
			tc.SystemOut = junitText(body)
			break
		}
		tc.Failure = &junitProblem{Message: firstLine(sc.Message), Type: junitTypeFail, Body: body}
		tc.SystemOut = junitText(sc.PacketTrace())
	case VerdictError:
		typ := junitTypeHarnessError
		if sc.Unreachable {
			typ = junitTypeUnreachable
		}
		tc.Error = &junitProblem{Message: firstLine(sc.Message), Type: typ, Body: problemBody(sc)}
		tc.SystemOut = junitText(sc.PacketTrace())
	case VerdictNotApplicable:
		tc.Skipped = &junitSkipped{Message: "not applicable: " + sc.Message}
	}
	return tc
}

// knownGap reports whether every ID of a failing scenario is a baselined gap.
func knownGap(s *Summary, sc *Scenario) (string, bool) {
	var reasons []string
	for _, id := range sc.IDs {
		r := s.IDs[id]
		if r.Baseline == nil {
			return "", false
		}
		reasons = append(reasons, r.Baseline.Reason)
	}
	return strings.Join(reasons, "; "), true
}

func staleBaselines(s *Summary, sc *Scenario) []string {
	var stale []string
	for _, id := range sc.IDs {
		if b := s.IDs[id].Baseline; b != nil && b.Status == BaselineNowPassing {
			stale = append(stale, id)
		}
	}
	return stale
}

func baselineReasons(s *Summary, ids []string) string {
	var lines []string
	for _, id := range ids {
		lines = append(lines, id+": baseline reason: "+s.IDs[id].Baseline.Reason)
	}
	return strings.Join(lines, "\n")
}

// problemBody is the text of a failure or error: the step, the verifier's
// Expected/Actual message and the observed code.
func problemBody(sc *Scenario) string {
	var b strings.Builder
	if sc.FailingStep != "" {
		fmt.Fprintf(&b, "Step: %s\n", sc.FailingStep)
	}
	b.WriteString(sc.Message)
	if sc.Observed != "" {
		fmt.Fprintf(&b, "\nObserved: %s", sc.Observed)
	}
	fmt.Fprintf(&b, "\nScenario: %s:%d", sc.URI, sc.Line)
	return b.String()
}

// uniqueCaseNames names each testcase after its scenario, starting with its ID; rows of
// a Scenario Outline share a name, so duplicates get their line, then a counter.
func uniqueCaseNames(scs []*Scenario) []string {
	names := make([]string, len(scs))
	count := map[string]int{}
	for i, sc := range scs {
		names[i] = strings.TrimSpace(sc.Name)
		if id := sc.ID(); id != "" && !strings.HasPrefix(names[i], id) {
			names[i] = id + " " + names[i]
		}
		count[names[i]]++
	}
	used := map[string]bool{}
	for i, sc := range scs {
		if count[names[i]] > 1 {
			names[i] = fmt.Sprintf("%s (line %d)", names[i], sc.Line)
		}
		base := names[i]
		for k := 2; used[names[i]]; k++ {
			names[i] = fmt.Sprintf("%s #%d", base, k)
		}
		used[names[i]] = true
	}
	return names
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
