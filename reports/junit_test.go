package reports

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
)

// A generic reading of the JUnit document, independent of the writer's types, so the
// test checks what a CI tool would read.
type readSuites struct {
	XMLName  xml.Name    `xml:"testsuites"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Suites   []readSuite `xml:"testsuite"`
}

type readSuite struct {
	Name     string     `xml:"name,attr"`
	Tests    int        `xml:"tests,attr"`
	Failures int        `xml:"failures,attr"`
	Errors   int        `xml:"errors,attr"`
	Skipped  int        `xml:"skipped,attr"`
	Time     string     `xml:"time,attr"`
	Cases    []readCase `xml:"testcase"`
}

type readCase struct {
	Classname string `xml:"classname,attr"`
	Name      string `xml:"name,attr"`
	Time      string `xml:"time,attr"`
	Failure   *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Body    string `xml:",chardata"`
	} `xml:"failure"`
	Error *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
	} `xml:"error"`
	Skipped *struct {
		Message string `xml:"message,attr"`
	} `xml:"skipped"`
	SystemOut string `xml:"system-out"`
}

func readFixtureJUnit(t *testing.T) readSuites {
	t.Helper()
	s, _ := fixtureSummary(t)
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, s); err != nil {
		t.Fatal(err)
	}
	var doc readSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v\n%s", err, buf.String())
	}
	return doc
}

func TestJUnitParsesAndCountsMatch(t *testing.T) {
	doc := readFixtureJUnit(t)
	var tests, failures, errs, skipped int
	for _, suite := range doc.Suites {
		var f, e, s int
		names := map[string]bool{}
		for _, c := range suite.Cases {
			if c.Classname != suite.Name {
				t.Errorf("case %q has classname %q in suite %q", c.Name, c.Classname, suite.Name)
			}
			if names[c.Name] {
				t.Errorf("duplicate testcase name %q in %s", c.Name, suite.Name)
			}
			names[c.Name] = true
			if id, _, _ := strings.Cut(c.Name, " "); !IsCatalogueID(id) || GroupOf(id) != suite.Name {
				t.Errorf("case name %q does not start with an ID of group %s", c.Name, suite.Name)
			}
			if _, err := strconv.ParseFloat(c.Time, 64); err != nil {
				t.Errorf("case %q time %q: %v", c.Name, c.Time, err)
			}
			kinds := 0
			if c.Failure != nil {
				f++
				kinds++
			}
			if c.Error != nil {
				e++
				kinds++
			}
			if c.Skipped != nil {
				s++
				kinds++
			}
			if kinds > 1 {
				t.Errorf("case %q has %d of failure/error/skipped", c.Name, kinds)
			}
		}
		if suite.Tests != len(suite.Cases) || suite.Failures != f || suite.Errors != e || suite.Skipped != s {
			t.Errorf("suite %s says tests=%d failures=%d errors=%d skipped=%d, counted %d/%d/%d/%d",
				suite.Name, suite.Tests, suite.Failures, suite.Errors, suite.Skipped, len(suite.Cases), f, e, s)
		}
		tests, failures, errs, skipped = tests+suite.Tests, failures+f, errs+e, skipped+s
	}
	if doc.Tests != tests || doc.Failures != failures || doc.Errors != errs || doc.Skipped != skipped {
		t.Errorf("testsuites says %d/%d/%d/%d, suites sum to %d/%d/%d/%d",
			doc.Tests, doc.Failures, doc.Errors, doc.Skipped, tests, failures, errs, skipped)
	}
	// The fixture: 14 scenarios; fails JWT-CLAIM-03, SCRAM-04 (one row) and the stale
	// baseline JWT-CLAIM-05; errors SCRAM-01..03; skipped: 2 n/a + the known gap JWT-CLAIM-04.
	if tests != 14 || failures != 3 || errs != 3 || skipped != 3 {
		t.Errorf("counts %d/%d/%d/%d, want 14/3/3/3", tests, failures, errs, skipped)
	}
}

func TestJUnitElementsPerVerdict(t *testing.T) {
	doc := readFixtureJUnit(t)
	cases := map[string]readCase{}
	for _, suite := range doc.Suites {
		for _, c := range suite.Cases {
			cases[c.Name] = c
		}
	}
	get := func(name string) readCase {
		t.Helper()
		c, ok := cases[name]
		if !ok {
			t.Fatalf("no testcase %q", name)
		}
		return c
	}
	if c := get("JWT-CLAIM-03 a token without exp is refused when exp is required"); c.Failure == nil ||
		c.Failure.Type != "fail" || !strings.Contains(c.Failure.Body, "Expected: CONNACK refused with 0x86 <Bad User Name or Password>") ||
		!strings.Contains(c.Failure.Body, "Actual:") || !strings.Contains(c.SystemOut, "-> CONNECT v5") {
		t.Errorf("fail case: %+v", c)
	}
	if c := get("JWT-CLAIM-02 a token not yet valid is refused"); c.Failure != nil || !strings.Contains(c.SystemOut, "non-strict: observed 0x87, expected 0x86") {
		t.Errorf("non-strict case: %+v", c)
	}
	if c := get("JWT-CLAIM-04 iat in the future is refused"); c.Skipped == nil || c.Skipped.Message != "known gap (baseline): iat is not checked (vendor issue 123)" {
		t.Errorf("known gap case: %+v", c)
	}
	if c := get("JWT-CLAIM-05 a token with a wrong issuer is refused"); c.Failure == nil || c.Failure.Type != "baseline-now-passing" {
		t.Errorf("stale baseline case: %+v", c)
	}
	if c := get("JWT-SRC-02 the token is read from the username"); c.Skipped == nil || !strings.Contains(c.Skipped.Message, "not applicable: the profile is configured by hand with from: password") {
		t.Errorf("n/a case: %+v", c)
	}
	if c := get("SCRAM-02 a wrong password is refused"); c.Error == nil || c.Error.Type != "target-unreachable" {
		t.Errorf("unreachable case: %+v", c)
	}
	if c := get("SCRAM-01 a client with the right password is accepted"); c.Error == nil || c.Error.Type != "harness-error" {
		t.Errorf("harness error case: %+v", c)
	}
	for _, name := range []string{
		"JWT-SRC-01 the token is read from the configured field (line 14)",
		"JWT-SRC-01 the token is read from the configured field (line 15)",
	} {
		get(name)
	}
}

func TestUniqueCaseNames(t *testing.T) {
	scs := []*Scenario{
		{IDs: []string{"JWT-SRC-01"}, Name: "JWT-SRC-01 outline", Line: 9},
		{IDs: []string{"JWT-SRC-01"}, Name: "JWT-SRC-01 outline", Line: 10},
		{IDs: []string{"JWT-SRC-02"}, Name: "reads the username", Line: 20},
		// Same name and line in two files: the counter makes them unique.
		{IDs: []string{"JWT-SRC-03"}, Name: "JWT-SRC-03 x", Line: 5, URI: "a.feature"},
		{IDs: []string{"JWT-SRC-03"}, Name: "JWT-SRC-03 x", Line: 5, URI: "b.feature"},
	}
	got := strings.Join(uniqueCaseNames(scs), "|")
	want := "JWT-SRC-01 outline (line 9)|JWT-SRC-01 outline (line 10)|JWT-SRC-02 reads the username|JWT-SRC-03 x (line 5)|JWT-SRC-03 x (line 5) #2"
	if got != want {
		t.Errorf("names\n got %s\nwant %s", got, want)
	}
}
