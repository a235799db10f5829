// Package authn holds the broker-independent authentication model of the
// reference: what an authenticator answers about a connecting client
// (Result), and the chain that runs authenticators in order (chain.go). The
// client itself is the reference's one identity model, clientinfo.Client.
//
// Nothing here reads or writes MQTT packets: the broker glue in package
// reference turns a CONNECT into a clientinfo.Client and a Result into a
// CONNACK, AUTH or DISCONNECT. The load generator and the tests reuse this
// package directly.
package authn

import (
	"context"
	"log/slog"
	"time"

	"github.com/authspec/authspec/reference/authz"
	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/config/security"
)

// MQTT 5 reason codes that authentication produces. MQTT 3.1.1 return codes
// are derived with V3Code.
const (
	CodeSuccess              byte = 0x00
	CodeContinue             byte = 0x18
	CodeReauthenticate       byte = 0x19
	CodeProtocolError        byte = 0x82
	CodeBadUserNameOrPass    byte = 0x86
	CodeNotAuthorized        byte = 0x87
	CodeBadAuthMethod        byte = 0x8C
	CodeServerUnavailable    byte = 0x88
	CodeImplementationError  byte = 0x83
	CodeMalformedPacket      byte = 0x81
	CodeUnspecifiedError     byte = 0x80
	CodeClientIDNotValid     byte = 0x85
	CodePacketTooLarge       byte = 0x95
	CodeQuotaExceeded        byte = 0x97
	CodeNotAuthorizedV3      byte = 5
	CodeBadUserNameOrPassV3  byte = 4
	CodeServerUnavailableV3  byte = 3
	CodeIdentifierRejectedV3 byte = 2
)

// V3Code maps an MQTT 5 CONNACK reason code to the MQTT 3.1.1 return code EMQX
// sends: 0x86 -> 4, 0x87 and 0x8C -> 5, 0x80..0x84 -> 1 (catalogue, top).
func V3Code(code byte) byte {
	switch {
	case code == CodeSuccess:
		return 0
	case code == CodeBadUserNameOrPass:
		return CodeBadUserNameOrPassV3
	case code == CodeNotAuthorized, code == CodeBadAuthMethod:
		return CodeNotAuthorizedV3
	case code == CodeClientIDNotValid:
		return CodeIdentifierRejectedV3
	case code == CodeServerUnavailable:
		return CodeServerUnavailableV3
	default:
		return 1
	}
}

// Outcome is what one authenticator (or the whole chain) decided.
type Outcome int

const (
	// Ignore passes the client on to the next authenticator.
	Ignore Outcome = iota
	// Accept ends the chain with CONNACK 0x00.
	Accept
	// Deny ends the chain with CONNACK Result.Code.
	Deny
	// Continue asks the broker to send AUTH 0x18 with Result.AuthData and to
	// hand the client's next Authentication-Data to Result.Next.
	Continue
)

func (o Outcome) String() string {
	switch o {
	case Accept:
		return "accept"
	case Deny:
		return "deny"
	case Continue:
		return "continue"
	}
	return "ignore"
}

// Result is one authenticator's (or the chain's) answer.
type Result struct {
	Outcome Outcome
	// Code is the MQTT 5 reason code of a Deny (0x86, 0x87, 0x8C, 0x82).
	Code byte
	// BackendFailure marks an Ignore caused by a token or backend the
	// authenticator could not verify (EMQX's "BF"): under the hardened profile
	// the chain turns it into 0x87 unless ignore_backend_failures is set.
	BackendFailure bool
	// Authenticator and Check say who decided and which check decided, e.g.
	// "jwt" and "signature" or "exp"; the broker logs them in one line.
	Authenticator string
	Check         string
	Detail        string

	// Identity is what an Accept grants.
	Identity Identity

	// AuthData is the server's Authentication-Data: AUTH 0x18 data on
	// Continue, the CONNACK's (SCRAM server-final) on Accept.
	AuthData []byte
	// Next receives the client's next Authentication-Data on Continue.
	Next Exchange
}

// Identity is what a successful authentication tells authorization and the
// session about the client: the grant authorization weighs (superuser,
// rules, their expiry) and what changes the client's identity.
type Identity struct {
	authz.Grant
	// ClientAttrs become the client's attributes (clientinfo.Client).
	ClientAttrs      map[string]string
	ClientIDOverride string // non-empty: register the client under this ID
	// DisconnectOnExpire: send DISCONNECT 0x87 at ExpireAt (JWT
	// disconnect_after_expire, SCRAM expire_at).
	DisconnectOnExpire bool
}

// Authenticator is one entry of the chain.
type Authenticator interface {
	// ID is EMQX's authenticator ID: "jwt", "password_based:built_in_database",
	// "scram:http".
	ID() string
	Authenticate(ctx context.Context, c *clientinfo.Client) Result
	// Close stops background work (JWKS refresh, HTTP pools).
	Close() error
}

// Exchange continues an enhanced (MQTT 5 AUTH) authentication.
type Exchange interface {
	// Step takes the Authentication-Data of the client's next AUTH 0x18.
	Step(ctx context.Context, data []byte) Result
}

// Reauthenticator is implemented by enhanced authenticators that support
// re-authentication (AUTH 0x19 on a connected client).
type Reauthenticator interface {
	Reauthenticate(ctx context.Context, c *clientinfo.Client) Result
}

// Env is what every authenticator is built with: the behaviour choices of the
// broker it serves. Deliberate defects are not here: each package takes its
// own as options at construction (reference/defects.go wires them).
type Env struct {
	Profile security.Profile
	Log     *slog.Logger
	Now     func() time.Time
}

// Clock returns env.Now, or time.Now when unset.
func (e Env) Clock() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Logger returns env.Log, or a logger that discards when unset.
func (e Env) Logger() *slog.Logger {
	if e.Log != nil {
		return e.Log
	}
	return slog.New(slog.DiscardHandler)
}
