package reports

import (
	"fmt"
	"strings"
)

// Exit codes of `authspec conform` (contract). Only main maps them to os.Exit.
const (
	ExitConformant  = 0 // every ID passed, was non-strict, not applicable, or a baselined gap still failing
	ExitFailures    = 1 // a failure or error not in the baseline, or a baselined gap that now passes
	ExitUsage       = 2 // usage or configuration error (flags, profile, baseline file)
	ExitUnreachable = 3 // the target could not be reached
)

// ExitCode applies the contract and the baseline rules to the run.
func (s *Summary) ExitCode() int {
	code, _ := s.Gate()
	return code
}

// Gate returns the exit code and one sentence per reason it is not ExitConformant.
//
// Precedence: an unreachable target wins (ExitUnreachable), because then the other
// verdicts say little about the broker; otherwise any of these gives ExitFailures:
//   - an ID that fails and is not baselined;
//   - an ID in error (harness or target problem) - a run that could not check a
//     behaviour cannot call the target conformant, baselined or not;
//   - a baselined ID that now passes (or is non-strict): the baseline is stale;
//   - a scenario without a catalogue ID (a suite defect);
//   - no scenario at all;
//   - nothing judged: scenarios ran but no ID got pass, non-strict or fail (every
//     claimed ID not applicable, e.g. a profile whose configuration cannot show
//     what it claims): a gate must not go green having proved nothing.
//
// Not applicable never gates and never counts as pass.
func (s *Summary) Gate() (int, []string) {
	var unreachable, fails, errs, stale []string
	for _, id := range s.SortedIDs() {
		r := s.IDs[id]
		if r.Unreachable {
			unreachable = append(unreachable, id)
		}
		switch r.Verdict {
		case VerdictFail:
			if r.Baseline == nil {
				fails = append(fails, id)
			}
		case VerdictError:
			errs = append(errs, id)
		case VerdictPass, VerdictNonStrict:
			if r.Baseline != nil {
				stale = append(stale, fmt.Sprintf("%s (baseline reason: %s)", id, r.Baseline.Reason))
			}
		}
	}
	var reasons []string
	if len(unreachable) > 0 {
		reasons = append(reasons, "target unreachable in "+list(unreachable))
	}
	if s.Adapter != nil && s.Adapter.BrokerDown != "" {
		unreachable = append(unreachable, "the adapter's broker")
		reasons = append(reasons, "broker down: "+s.Adapter.BrokerDown)
	}
	if len(fails) > 0 {
		reasons = append(reasons, "failing (not in the baseline): "+list(fails))
	}
	if len(errs) > 0 {
		reasons = append(reasons, "errors (harness or target problem): "+list(errs))
	}
	if len(stale) > 0 {
		reasons = append(reasons, "baselined gaps that now pass, remove them from the baseline: "+strings.Join(stale, "; "))
	}
	if len(s.IDs) == 0 && len(s.Unidentified) == 0 {
		// Nothing ran (an empty feature set or a filter that matched nothing): an empty
		// run must not read as "conformant".
		reasons = append(reasons, "no scenario ran")
	}
	if s.NothingJudged {
		reasons = append(reasons, s.nothingJudged())
	}
	if n := len(s.Unidentified); n > 0 {
		reasons = append(reasons, fmt.Sprintf("%d scenario(s) without a catalogue ID tag", n))
	}
	switch {
	case len(unreachable) > 0:
		return ExitUnreachable, reasons
	case len(reasons) > 0:
		return ExitFailures, reasons
	default:
		return ExitConformant, nil
	}
}

func list(ids []string) string {
	const most = 10
	if len(ids) > most {
		return fmt.Sprintf("%s and %d more", strings.Join(ids[:most], ", "), len(ids)-most)
	}
	return strings.Join(ids, ", ")
}

// nothingJudged is the gate's sentence for a run that judged nothing, with the
// dominant not-applicable reason.
func (s *Summary) nothingJudged() string {
	msg := fmt.Sprintf("nothing judged: none of the %d IDs got pass, non-strict or fail", len(s.IDs))
	if r := s.DominantNA; r != nil {
		msg += fmt.Sprintf("; most often not applicable because: %s (%d of %d IDs)", r.Reason, r.IDs, s.Totals.NotApplicable)
	}
	return msg
}
