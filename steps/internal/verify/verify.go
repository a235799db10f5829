// Package verify holds the suite's shared verifiers: pure checks of what a
// broker did against what the catalogue expects. Every failure is one type,
// Mismatch, which reads "expected X, got Y" with X in the catalogue's terms,
// so reports stay uniform and a caller can tell a behaviour violation from a
// harness problem. It knows nothing of godog: the step layer turns a result
// into a step's outcome (a failure, a harness error, a non-strict pass).
package verify

import (
	"errors"
	"fmt"
	"strings"

	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/target"
)

// Mismatch is a behaviour violation: what the catalogue expects and what
// the broker did.
type Mismatch struct {
	Expected string
	Actual   string
}

func (m *Mismatch) Error() string { return "expected " + m.Expected + ", got " + m.Actual }

// New returns the Mismatch of expected and actual.
func New(expected, actual string) error { return &Mismatch{Expected: expected, Actual: actual} }

// As finds the Mismatch in err's chain.
func As(err error) (*Mismatch, bool) {
	var m *Mismatch
	ok := errors.As(err, &m)
	return m, ok
}

// ErrUnanswered marks a mismatch where the broker gave no answer before the
// deadline: a harness or target problem rather than a verdict on the
// behaviour.
var ErrUnanswered = errors.New("verify: no answer before the deadline")

type unanswered struct{ *Mismatch }

func (u unanswered) Is(target error) bool { return target == ErrUnanswered }
func (u unanswered) Unwrap() error        { return u.Mismatch }

// V311Code is the MQTT 3.1.1 return code EMQX sends for an MQTT 5 reason
// code (catalogue, top): 0x86 -> 4, 0x87 and 0x8C -> 5, 0x85 -> 2,
// 0x88 -> 3, any other refusal -> 1.
func V311Code(code byte) byte {
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

// Connack is an expected CONNACK: the catalogue's MQTT 5 reason code, in
// the client's protocol version.
type Connack struct {
	Code    byte
	Version target.Version
}

// Wire is the code on the wire in the client's version.
func (c Connack) Wire() byte {
	if c.Version == target.MQTT311 {
		return V311Code(c.Code)
	}
	return c.Code
}

func (c Connack) String() string {
	if c.Version == target.MQTT311 {
		return fmt.Sprintf("CONNACK return code %d (0x%02X in MQTT 5)", c.Wire(), c.Code)
	}
	return fmt.Sprintf("CONNACK 0x%02X", c.Code)
}

// ConnackAnswer checks a CONNECT's answer against the expected CONNACK.
// Under the refusal-only policy (a profile's reason_codes: refusal), a
// refusal with another code, or a connection closed without CONNACK, passes
// as non-strict. An answer that never came is a Mismatch marked
// ErrUnanswered.
func ConnackAnswer(ans client.Answer, want Connack, policy target.ReasonCodePolicy) (nonStrict bool, err error) {
	m := &Mismatch{Expected: want.String(), Actual: ans.String()}
	if ans.TimedOut {
		return false, unanswered{m}
	}
	if ans.Connack && ans.Code == want.Wire() {
		return false, nil
	}
	refusedAsWanted := want.Code != 0 && (ans.Closed || (ans.Connack && ans.Code != 0))
	if refusedAsWanted && policy == target.RefusalOnly {
		return true, nil
	}
	return false, m
}

// Refused checks that the broker refused a CONNECT in any way: a CONNACK
// with a refusal code (0x80 and above in MQTT 5, any non-zero return code
// in 3.1.1) or the connection closed.
func Refused(ans client.Answer) error {
	if ans.Closed || (ans.Connack && ans.Code >= 0x80) || (ans.Connack && ans.Version != target.MQTT5 && ans.Code != 0) {
		return nil
	}
	return New("a refusal (CONNACK >= 0x80, or the connection closed)", ans.String())
}

// Codes checks a list of reason codes (a SUBACK's) in order against the
// expected ones; what names the packet in the message ("SUBACK").
func Codes(what string, want, got []byte) error {
	if string(want) == string(got) {
		return nil
	}
	return New(what+" "+HexList(want), what+" "+HexList(got))
}

// HexList renders codes as "0x00, 0x87".
func HexList(codes []byte) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprintf("0x%02X", c)
	}
	return strings.Join(parts, ", ")
}

// Count checks a number of events ("request(s) to the SCRAM backend").
func Count(what string, want, got int) error {
	if want == got {
		return nil
	}
	return New(fmt.Sprintf("%d %s", want, what), fmt.Sprintf("%d", got))
}
