package reports

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cucumber/godog"
)

// This test runs real scenarios through godog v0.15.1 and its cucumber formatter, with
// steps that follow the conventions of conventions.go, and checks that each verdict and
// each piece of evidence survives the trip through cucumber.json.

const conventionsFeature = `@CONV
Feature: conventions
  Scenario: CONV-01 passes
    Given the broker answers 0x86
    Then all is well

  Scenario: CONV-02 does not apply
    Given it does not apply because the profile declares from: username
    Then all is well

  Scenario: CONV-03 is non-strict
    Given the broker answers 0x87
    Then the code differs from 0x86 but the refusal is right

  @CONV-04
  Scenario: CONV-04 fails
    Given the broker answers 0x00
    Then the broker should have refused

  Scenario: CONV-05 meets a harness problem
    Given the fixture cannot start
    Then all is well

  Scenario: CONV-06 cannot reach the target
    Given the target cannot be reached
    Then all is well
`

func runConventionsFeature(t *testing.T) []byte {
	t.Helper()
	// Only CONV-04 carries its ID tag; the others exercise the fallback to the ID the
	// scenario name starts with.
	var out bytes.Buffer
	suite := godog.TestSuite{
		Name: "conventions",
		ScenarioInitializer: func(sc *godog.ScenarioContext) {
			sc.Step(`^the broker answers (0x[0-9A-F]{2})$`, func(ctx context.Context, code string) (context.Context, error) {
				return AttachObserved(ctx, code), nil
			})
			sc.Step(`^all is well$`, func(ctx context.Context) (context.Context, error) { return ctx, nil })
			sc.Step(`^it does not apply because (.*)$`, func(ctx context.Context, reason string) (context.Context, error) {
				return NotApplicable(ctx, reason)
			})
			sc.Step(`^the code differs from (0x[0-9A-F]{2}) but the refusal is right$`, func(ctx context.Context, want string) (context.Context, error) {
				return AttachNonStrict(ctx, "0x87", want), nil
			})
			sc.Step(`^the broker should have refused$`, func(ctx context.Context) (context.Context, error) {
				return ctx, errors.New("Expected: CONNACK refused with 0x86\nActual:   CONNACK 0x00")
			})
			sc.Step(`^the fixture cannot start$`, func(ctx context.Context) (context.Context, error) {
				return ctx, HarnessError(errors.New("listen tcp 127.0.0.1:18090: address already in use"))
			})
			sc.Step(`^the target cannot be reached$`, func(ctx context.Context) (context.Context, error) {
				return ctx, Unreachable(errors.New("dial tcp 127.0.0.1:1: connection refused"))
			})
			sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
				if err != nil && !errors.Is(err, godog.ErrSkip) {
					ctx = AttachPacketTrace(ctx, "-> CONNECT\n<- CONNACK 0x00\n")
				}
				return ctx, nil
			})
		},
		Options: &godog.Options{
			Format:          "cucumber",
			Output:          &out,
			NoColors:        true,
			Concurrency:     1,
			FeatureContents: []godog.Feature{{Name: "conventions.feature", Contents: []byte(conventionsFeature)}},
		},
	}
	suite.Run() // its status is 1 because scenarios fail on purpose
	if out.Len() == 0 {
		t.Fatal("godog wrote no cucumber JSON")
	}
	return out.Bytes()
}

func TestConventionsThroughGodog(t *testing.T) {
	data := runConventionsFeature(t)
	s, err := Build(data, fixtureMeta, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		verdict  Verdict
		observed string
		message  string
	}{
		"CONV-01": {VerdictPass, "0x86", ""},
		"CONV-02": {VerdictNotApplicable, "", "the profile declares from: username"},
		"CONV-03": {VerdictNonStrict, "0x87", "observed 0x87, expected 0x86"},
		"CONV-04": {VerdictFail, "0x00", "Expected: CONNACK refused with 0x86\nActual:   CONNACK 0x00"},
		"CONV-05": {VerdictError, "", HarnessErrorPrefix + "listen tcp 127.0.0.1:18090: address already in use"},
		"CONV-06": {VerdictError, "", UnreachablePrefix + "dial tcp 127.0.0.1:1: connection refused"},
	}
	for id, w := range want {
		r, ok := s.IDs[id]
		if !ok {
			t.Errorf("%s missing from the summary (ids: %v)", id, s.SortedIDs())
			continue
		}
		if r.Verdict != w.verdict || r.Observed != w.observed || r.Message != w.message || r.Group != "CONV" {
			t.Errorf("%s: got %+v, want %+v", id, r, w)
		}
	}
	for _, sc := range s.Scenarios {
		trace := sc.PacketTrace()
		switch sc.Verdict {
		case VerdictFail, VerdictError:
			if !strings.Contains(trace, "<- CONNACK 0x00") {
				t.Errorf("%s: the packet trace attached in the After hook is missing", sc.ID())
			}
		default:
			if trace != "" {
				t.Errorf("%s: unexpected packet trace %q", sc.ID(), trace)
			}
		}
	}
	if code := s.ExitCode(); code != ExitUnreachable {
		t.Errorf("exit %d, want %d", code, ExitUnreachable)
	}
}
