package stats

import "fmt"

// Cause is why an attempt failed other than by a refusing CONNACK.
type Cause string

// The causes an attempt can fail with. A refusal (CONNACK with a reason
// code >= 0x80) is counted by its code, not by a cause.
const (
	// CauseTimeout: no CONNACK (or AUTH) within the attempt's timeout, e.g.
	// a broker that accepts TCP and never answers.
	CauseTimeout Cause = "timeout"
	// CauseRefused: the TCP connection was refused (nothing listening).
	CauseRefused Cause = "refused"
	// CauseReset: the broker reset or closed the connection before its
	// CONNACK (how some 3.1.1 brokers refuse, or an overloaded one).
	CauseReset Cause = "reset"
	// CauseNoPort: no local address or port was free to connect from.
	CauseNoPort Cause = "no-port"
	// CauseProtocol: the broker answered with something a CONNECT does not
	// allow (an unexpected packet, a malformed one).
	CauseProtocol Cause = "protocol"
	// CauseVerify: the broker accepted, but its SCRAM server signature did
	// not verify (the broker is not who it claims).
	CauseVerify Cause = "verify"
	// CauseClient: the generator itself failed (e.g. minting a token).
	CauseClient Cause = "client"
	// CauseInterrupted: the run was interrupted (Ctrl-C) mid-attempt.
	CauseInterrupted Cause = "interrupted"
	// CauseOther: any other network error.
	CauseOther Cause = "other"
)

// Outcome is what one connection attempt came to.
type Outcome struct {
	// Connack: the broker answered with a CONNACK, whose reason code is Code.
	Connack bool
	Code    byte
	// Cause is set when the attempt failed other than by a refusal.
	Cause Cause
	// Err describes the failure (kept as an example per cause and code).
	Err error
}

// OK reports an accepted connection (CONNACK 0x00) with no failure.
func (o Outcome) OK() bool { return o.Connack && o.Code == 0 && o.Cause == "" }

// Accepted is the outcome of a successful attempt.
func Accepted() Outcome { return Outcome{Connack: true} }

// Refusal is the outcome of a CONNACK with a non-zero reason code.
func Refusal(code byte, reason string) Outcome {
	o := Outcome{Connack: true, Code: code}
	if reason != "" {
		o.Err = fmt.Errorf("CONNACK 0x%02X: %s", code, reason)
	}
	return o
}

// Failed is the outcome of an attempt that failed for cause.
func Failed(cause Cause, err error) Outcome { return Outcome{Cause: cause, Err: err} }

// CodeKey is how reason codes are written in results: "0x86".
func CodeKey(code byte) string { return fmt.Sprintf("0x%02X", code) }
