package steps

import (
	"context"
	"fmt"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/target"
)

// The shared verifiers. Every failure reads "expected X, got Y" so reports
// stay uniform; X is stated in the catalogue's terms.

// mismatch is a behaviour violation.
func mismatch(expected, got string) error {
	return fmt.Errorf("expected %s, got %s", expected, got)
}

// v311Code is the MQTT 3.1.1 return code EMQX sends for an MQTT 5 reason
// code (catalogue, top): 0x86 -> 4, 0x87 and 0x8C -> 5, 0x80-0x84 -> 1.
func v311Code(code byte) byte {
	switch {
	case code == 0x00:
		return 0
	case code == 0x86:
		return 4
	case code == 0x87, code == 0x8C:
		return 5
	case code == 0x85:
		return 2
	case code == 0x88:
		return 3
	}
	return 1
}

// expectation is an expected CONNACK, in the client's protocol version.
type expectation struct {
	code    byte // MQTT 5 reason code (the catalogue's)
	version target.Version
}

func (e expectation) wire() byte {
	if e.version == target.MQTT311 {
		return v311Code(e.code)
	}
	return e.code
}

func (e expectation) String() string {
	switch {
	case e.version == target.MQTT311:
		return fmt.Sprintf("CONNACK return code %d (0x%02X in MQTT 5)", e.wire(), e.code)
	default:
		return fmt.Sprintf("CONNACK 0x%02X", e.code)
	}
}

// verifyConnack checks the answer against the expected code. Under the
// refusal-only policy (a profile's reason_codes: refusal), a refusal with
// another code, or a connection closed without CONNACK, passes as
// non-strict. An answer that never came is a harness or target problem.
func verifyConnack(ctx context.Context, ans *client.Answer, want expectation, policy target.ReasonCodePolicy) (context.Context, error) {
	if ans == nil {
		return ctx, fmt.Errorf(`the scenario checks a CONNACK before "the client connects"`)
	}
	if ans.TimedOut {
		return ctx, reports.HarnessError(mismatch(want.String(), ans.String()))
	}
	if ans.Connack && ans.Code == want.wire() {
		return ctx, nil
	}
	refusedAsWanted := want.code != 0 && (ans.Closed || (ans.Connack && ans.Code != 0))
	if refusedAsWanted && policy == target.RefusalOnly {
		return reports.AttachNonStrict(ctx, ans.String(), want.String()), nil
	}
	return ctx, mismatch(want.String(), ans.String())
}
