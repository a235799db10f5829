package reports

import (
	"context"
	"sort"
	"strings"

	"github.com/cucumber/godog"
)

// MediaReading carries the readings of the catalogue's ambiguities a
// scenario was judged under, "A1=exp-required A8=kid-ignored" (the
// reference's reading, or the one the target's profile declares in
// variants:). The reports show them beside the verdict.
const MediaReading = "application/vnd.authspec.reading+text"

// AttachReading records the ambiguity readings a scenario was judged under.
func AttachReading(ctx context.Context, readings string) context.Context {
	return godog.Attach(ctx, godog.Attachment{Body: []byte(readings), FileName: "ambiguity reading", MediaType: MediaReading})
}

// scenarioReadings are the readings attached to a scenario, each once.
func scenarioReadings(atts []Attachment) []string {
	var out []string
	for _, a := range atts {
		if a.MediaType != MediaReading {
			continue
		}
		for _, r := range strings.Fields(string(a.Data)) {
			out = appendOnce(out, r)
		}
	}
	return out
}

// idReadings are the readings of an ID's judged scenarios (pass,
// non-strict, fail): what its verdict was judged under.
func idReadings(scs []*Scenario) []string {
	var out []string
	for _, sc := range scs {
		if sc.Verdict == VerdictNotApplicable || sc.Verdict == VerdictError {
			continue
		}
		for _, r := range sc.Readings {
			out = appendOnce(out, r)
		}
	}
	sort.Strings(out)
	return out
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// readingsText renders readings for a person: "ambiguity A1 judged under
// reading exp-required".
func readingsText(readings []string) string {
	if len(readings) == 0 {
		return ""
	}
	parts := make([]string, len(readings))
	for i, r := range readings {
		id, reading, _ := strings.Cut(r, "=")
		parts[i] = "ambiguity " + id + " judged under reading " + reading
	}
	return strings.Join(parts, "; ")
}
