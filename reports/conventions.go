package reports

import (
	"context"
	"errors"
	"fmt"

	"github.com/cucumber/godog"
)

// The conventions below are how step code tells the reports package more than godog's
// passed/failed/skipped: only what reaches cucumber.json reaches the reports, and godog
// writes there the step statuses, the failing step's error text and the attachments.
//
// godog v0.15.1 stores an attachment on the step whose returned context carries it
// (attachments are cleared after every step), so a step that attaches MUST return the
// context it got back: `func(ctx context.Context, ...) (context.Context, error)`.
// Attachments made in After* hooks land on the failing step (or the last one); the
// parser reads attachments from every step of a scenario, so where they land does not
// matter.

// Media types of the attachments the parser understands. Bodies are UTF-8 text.
const (
	// MediaNotApplicable carries why a scenario does not apply to the target. The
	// scenario is reported not applicable when it carries this attachment and no
	// step failed (the step should also return godog.ErrSkip: see NotApplicable).
	MediaNotApplicable = "application/vnd.authspec.na+text"
	// MediaNonStrict marks a passed scenario as non-strict: the broker accepted or
	// refused as specified but with another reason code than EMQX. The body says
	// observed vs expected (see AttachNonStrict).
	MediaNonStrict = "application/vnd.authspec.non-strict+text"
	// MediaObserved carries the reason code the broker answered with ("0x87"), shown
	// in the report's cell. The last one attached in a scenario wins.
	MediaObserved = "application/vnd.authspec.observed+text"
	// MediaPacketTrace is the media type of a scenario's packet trace.
	MediaPacketTrace = "text/plain"
)

// PacketTraceName is the attachment name (godog's FileName) of a packet trace.
const PacketTraceName = "packet trace"

// Error message markers. godog keeps only an error's text, so the kind of a failure
// travels in its message. A marker may appear anywhere in the message, because godog
// prefixes hook errors ("after scenario hook failed: ..., step error: ...").
const (
	// HarnessErrorPrefix starts the message of a failure that is the harness's or the
	// target's problem, not a behaviour violation: the verdict is error, not fail.
	HarnessErrorPrefix = "harness error: "
	// UnreachablePrefix starts the message of an error because the target could not be
	// reached at all (connection refused, no answer before the timeout). Such an error
	// makes the run exit with ExitUnreachable.
	UnreachablePrefix = "target unreachable: "
)

// NotClaimedPrefix starts the not-applicable reason of a scenario whose IDs the
// target's profile does not claim. Such IDs are counted apart (Summary.NotClaimed):
// a run is asked to judge what it claims, and "not claimed" says nothing about
// why the claimed IDs could not be judged.
const NotClaimedPrefix = "the profile does not claim "

// AttachNA records why the scenario is not applicable. Return the context it gives
// back together with godog.ErrSkip (or use NotApplicable, which does both).
func AttachNA(ctx context.Context, reason string) context.Context {
	return godog.Attach(ctx, godog.Attachment{Body: []byte(reason), FileName: "not applicable", MediaType: MediaNotApplicable})
}

// NotApplicable ends a step as "not applicable" with its reason:
//
//	return reports.NotApplicable(ctx, "profile declares from: username")
func NotApplicable(ctx context.Context, reason string) (context.Context, error) {
	return AttachNA(ctx, reason), godog.ErrSkip
}

// AttachNonStrict marks the scenario non-strict: the behaviour matched but the reason
// code did not (only meaningful under reason_codes: refusal). The step then returns nil.
func AttachNonStrict(ctx context.Context, observed, expected string) context.Context {
	body := fmt.Sprintf("observed %s, expected %s", observed, expected)
	return godog.Attach(ctx, godog.Attachment{Body: []byte(body), FileName: "non-strict", MediaType: MediaNonStrict})
}

// AttachObserved records the reason code the broker answered with, e.g. "0x87" (see
// FormatCode), or a short word for answers without a code ("closed", "timeout").
func AttachObserved(ctx context.Context, code string) context.Context {
	return godog.Attach(ctx, godog.Attachment{Body: []byte(code), FileName: "observed", MediaType: MediaObserved})
}

// AttachPacketTrace attaches the packet trace of a scenario (typically from an
// AfterScenario hook when the scenario failed); the HTML report shows it in the
// scenario's details.
func AttachPacketTrace(ctx context.Context, trace string) context.Context {
	return godog.Attach(ctx, godog.Attachment{Body: []byte(trace), FileName: PacketTraceName, MediaType: MediaPacketTrace})
}

// FormatCode renders an MQTT reason code the way reports show it: "0x87".
func FormatCode(code byte) string { return fmt.Sprintf("0x%02X", code) }

// HarnessError marks err as a harness or target problem (verdict error, not fail).
// It keeps err in the chain for errors.Is/As.
func HarnessError(err error) error {
	if err == nil {
		return nil
	}
	return &markedError{prefix: HarnessErrorPrefix, err: err}
}

// Unreachable marks err as "the target could not be reached" (verdict error, run
// exits with ExitUnreachable).
func Unreachable(err error) error {
	if err == nil {
		return nil
	}
	return &markedError{prefix: UnreachablePrefix, err: err}
}

// IsUnreachable reports whether err was marked with Unreachable.
func IsUnreachable(err error) bool {
	var m *markedError
	for e := err; errors.As(e, &m); e = m.err {
		if m.prefix == UnreachablePrefix {
			return true
		}
	}
	return false
}

type markedError struct {
	prefix string
	err    error
}

func (e *markedError) Error() string { return e.prefix + e.err.Error() }
func (e *markedError) Unwrap() error { return e.err }
