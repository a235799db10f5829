package reports

import (
	"strings"
)

// Verdict is the outcome of a scenario or of a catalogue ID (design.md, Verdicts).
type Verdict string

// The verdicts; the strings are part of the summary.json contract.
const (
	VerdictPass          Verdict = "pass"
	VerdictNonStrict     Verdict = "non-strict"
	VerdictFail          Verdict = "fail"
	VerdictNotApplicable Verdict = "not-applicable"
	VerdictError         Verdict = "error"
)

// Verdicts lists every verdict in the order reports show them.
var Verdicts = []Verdict{VerdictPass, VerdictNonStrict, VerdictFail, VerdictNotApplicable, VerdictError}

// judge sets a scenario's verdict, message, failing step and observed code from its
// steps and attachments. The first rule that applies wins:
//  1. a failed step: error if its message carries a harness or unreachable marker,
//     else fail;
//  2. an undefined, pending or ambiguous step: error (the suite cannot run it);
//  3. a not-applicable reason attached, or a skipped step: not applicable;
//  4. no steps at all: error;
//  5. a non-strict attachment: non-strict;
//  6. pass.
func judge(sc *Scenario) {
	sc.Observed = lastAttachment(sc.Attachments, MediaObserved)
	sc.Readings = scenarioReadings(sc.Attachments)
	if i := firstStep(sc.Steps, statusFailed); i >= 0 {
		st := sc.Steps[i]
		sc.FailingStep = st.Text
		sc.Message = st.Message
		if sc.Message == "" {
			sc.Message = "step failed without an error message"
		}
		switch {
		case strings.Contains(st.Message, UnreachablePrefix):
			sc.Verdict, sc.Unreachable = VerdictError, true
		case strings.Contains(st.Message, HarnessErrorPrefix):
			sc.Verdict = VerdictError
		default:
			sc.Verdict = VerdictFail
		}
		return
	}
	for _, status := range []string{statusUndefined, statusPending, statusAmbiguous} {
		if i := firstStep(sc.Steps, status); i >= 0 {
			st := sc.Steps[i]
			sc.Verdict, sc.FailingStep = VerdictError, st.Text
			sc.Message = HarnessErrorPrefix + status + " step: " + st.Text
			if st.Message != "" {
				sc.Message += ": " + st.Message
			}
			return
		}
	}
	if reason, ok := attachmentText(sc.Attachments, MediaNotApplicable); ok {
		sc.Verdict, sc.Message = VerdictNotApplicable, reason
		if i := firstStep(sc.Steps, statusSkipped); i >= 0 {
			sc.FailingStep = sc.Steps[i].Text
		}
		return
	}
	if i := firstStep(sc.Steps, statusSkipped); i >= 0 {
		sc.Verdict, sc.FailingStep = VerdictNotApplicable, sc.Steps[i].Text
		sc.Message = "skipped without a reason (the step returned godog.ErrSkip without reports.AttachNA)"
		return
	}
	if len(sc.Steps) == 0 {
		sc.Verdict, sc.Message = VerdictError, HarnessErrorPrefix+"scenario has no steps"
		return
	}
	if note, ok := attachmentText(sc.Attachments, MediaNonStrict); ok {
		sc.Verdict, sc.Message = VerdictNonStrict, note
		return
	}
	sc.Verdict = VerdictPass
}

// CombineVerdicts applies the contract's rule for an ID: fail if any scenario fails;
// else error if any errored; else non-strict if any is non-strict; else pass if any
// passed; else not applicable (also for no scenarios at all).
func CombineVerdicts(vs []Verdict) Verdict {
	has := map[Verdict]bool{}
	for _, v := range vs {
		has[v] = true
	}
	for _, v := range []Verdict{VerdictFail, VerdictError, VerdictNonStrict, VerdictPass} {
		if has[v] {
			return v
		}
	}
	return VerdictNotApplicable
}

func firstStep(steps []Step, status string) int {
	for i, st := range steps {
		if st.Status == status {
			return i
		}
	}
	return -1
}

// attachmentText joins the bodies of every attachment of that media type.
func attachmentText(as []Attachment, mediaType string) (string, bool) {
	var parts []string
	for _, a := range as {
		if a.MediaType == mediaType {
			parts = append(parts, strings.TrimSpace(string(a.Data)))
		}
	}
	return strings.Join(parts, "; "), len(parts) > 0
}

func lastAttachment(as []Attachment, mediaType string) string {
	last := ""
	for _, a := range as {
		if a.MediaType == mediaType {
			last = strings.TrimSpace(string(a.Data))
		}
	}
	return last
}
