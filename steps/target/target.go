// Package target is the boundary between the scenarios and a broker under
// test. The same scenario text runs on any broker: a Target turns what a
// scenario needs (a Setup: the authentication chain in EMQX's JSON shape,
// authorization settings, the security profile) into a running Instance, or
// says the Setup cannot be met (NotApplicable).
//
// The in-process reference (Reference) starts a fresh reference broker per
// scenario; targets for real brokers (EMQX API, by-hand profiles, containers)
// implement the same two interfaces.
package target

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/reference/config/security"
)

// Target is a broker the suite can run scenarios against.
type Target interface {
	// Name is used in report paths (reports/<name>/).
	Name() string
	// Provision makes the broker behave as s describes and returns the
	// running instance. An error wrapping *NotApplicableError means the
	// target cannot meet s (the scenario is reported not applicable); any
	// other error is a harness or target problem.
	Provision(ctx context.Context, s Setup) (Instance, error)
}

// Setup is what one scenario needs from the broker.
type Setup struct {
	// Authentication is the chain, in order, as EMQX JSON objects. String
	// values may be key placeholders (see Placeholders) that the target
	// resolves to key material it can sign with.
	Authentication []map[string]any
	// Authorization is EMQX's "authorization" object (no_match,
	// deny_action, cache, sources); nil leaves the target's default.
	Authorization map[string]any
	// Profile is EMQX's security profile ("" means legacy): the one type
	// the suite, the target profiles and the reference share.
	Profile security.Profile
	// IgnoreBackendFailures is authentication_settings.ignore_backend_failures.
	IgnoreBackendFailures bool
	// Users are added to the password_based:built_in_database
	// authenticator of the chain.
	Users []User
	// Keys is the scenario's keyring: key placeholders draw from it.
	Keys *tokens.Keyring
	// IDs are the scenario's catalogue IDs (a target may claim only some).
	IDs []string
	// ExactConfig: the scenario depends on the literal values of the
	// configuration (a published test vector such as the seed token), not
	// only on their kind, so a by-hand target whose secret differs cannot
	// run it.
	ExactConfig bool
	// ScramBackendURL is the base URL of the scenario's SCRAM credential
	// backend (http://host:port), which "<scram backend url>" stands for;
	// "" when the scenario runs none.
	ScramBackendURL string
	// JWKS is the JWKS endpoint the scenario serves (zero when none).
	JWKS JWKSEndpoint
	// OIDC is the OpenID Connect provider the scenario serves (zero when
	// none).
	OIDC OIDCProvider
	// Readings are the catalogue ambiguities the scenario's outcome depends
	// on, with the reading it expects ({"A1": "exp-required"}; nil for
	// none): a reading can change what the scenario observes.
	Readings map[string]string
	// KeepJWKSRefreshFloor: the scenario observes EMQX's 10 s floor of the
	// JWKS refresh_interval (JWT-JWKS-10), so a target that lowers the floor
	// to make refreshes quick (the in-process reference) must keep it.
	KeepJWKSRefreshFloor bool
	// Scenario identifies the scenario in its run (godog's pickle ID,
	// stable between a dry run and the run over the same files): targets
	// that schedule scenarios by configuration (configure: command) use it.
	Scenario string
	// Alone: the scenario changes the broker's configuration while it
	// runs (it creates an authenticator), so it cannot share a broker
	// configured for other scenarios.
	Alone bool
	// Exclusive: the scenario observes the broker beyond its own CONNECT
	// (a client ID it fixes, publishes, subscriptions, sessions), so it
	// cannot share the broker with scenarios running at the same time.
	Exclusive bool
}

// User is one user of EMQX's built-in database authenticator.
type User struct {
	UserID      string `json:"user_id"`
	Password    string `json:"password"`
	IsSuperuser bool   `json:"is_superuser"`
}

// Version is an MQTT protocol version as profiles write it.
type Version string

const (
	MQTT5   Version = "5"
	MQTT311 Version = "3.1.1"
)

// Instance is a provisioned broker, ready for one scenario.
type Instance interface {
	// Dial opens a network connection to the broker's MQTT listener.
	Dial(ctx context.Context) (net.Conn, error)
	// Versions lists the MQTT versions the broker speaks.
	Versions() []Version
	// Authenticators is the chain as the broker has it, with key
	// placeholders resolved and the private keys that match configured
	// public keys: what the suite signs tokens with.
	Authenticators() []Applied
	// Close releases the instance (stops a per-scenario broker, restores a
	// shared one's chain).
	Close() error
}

// Applied is one authenticator as the broker has it.
type Applied struct {
	// Config is the authenticator's EMQX JSON with placeholders resolved.
	Config map[string]any
	// PrivateKey signs tokens its public_key verifies (public-key mode).
	PrivateKey *tokens.Key
	// KeptClaims are verify_claims the broker checks that the scenario's
	// configuration does not name (a by-hand broker's declared claims):
	// every token carries them rendered for the client, and a scenario that
	// changes or drops one would break the token in a second respect, so it
	// is not applicable.
	KeptClaims []string
	// ClaimStandIns map a verify_claims claim of the scenario's
	// configuration that the broker does not check to a declared claim that
	// stands in for it (a by-hand broker checks its own claims). A token
	// value the scenario gives the claim that is right for the scenario's
	// template leaves the declared claim as rendered; a wrong one goes to
	// the declared claim instead, as does dropping it.
	ClaimStandIns map[string]ClaimStandIn
}

// ClaimStandIn is the declared claim that stands in for a scenario's.
type ClaimStandIn struct {
	Declared string // the declared claim's name
	Template string // the scenario's expected value, with ${clientid}/${username}
	// DeclaredTemplate is the declared claim's expected value: the
	// scenario's values are carried over to it (steps/internal/forge/standins.go).
	DeclaredTemplate string
}

// ClientInspector is implemented by instances that can show a connected
// client's attributes (EMQX: GET /api/v5/clients/{clientid}).
type ClientInspector interface {
	Client(ctx context.Context, clientID string) (ClientInfo, bool, error)
}

// ClientInfo is what a broker shows of a client.
type ClientInfo struct {
	ClientID    string            `json:"clientid"`
	Username    string            `json:"username"`
	Connected   bool              `json:"connected"`
	IsSuperuser bool              `json:"is_superuser"`
	ClientAttrs map[string]string `json:"client_attrs"`
}

// AuthenticatorAdmin is implemented by instances whose chain can be changed
// at run time (EMQX: /api/v5/authentication), for the scenarios about
// creating authenticators.
type AuthenticatorAdmin interface {
	// CreateAuthenticator adds one authenticator (EMQX JSON, which may hold
	// key placeholders). A refusal by the broker is a *ConfigRefusedError;
	// other errors are harness errors.
	CreateAuthenticator(ctx context.Context, config map[string]any) error
	// AuthenticatorIDs lists the chain's authenticator IDs ("jwt", ...).
	AuthenticatorIDs(ctx context.Context) ([]string, error)
}

// ConfigRefusedError is a broker's refusal of a configuration.
type ConfigRefusedError struct {
	Status int // HTTP status of the management API, 0 if none
	Body   string
}

func (e *ConfigRefusedError) Error() string {
	return fmt.Sprintf("configuration refused (HTTP %d): %s", e.Status, e.Body)
}

// NotApplicableError says why a target cannot run a scenario.
type NotApplicableError struct{ Reason string }

func (e *NotApplicableError) Error() string { return "not applicable: " + e.Reason }

// NotApplicable returns a *NotApplicableError with a formatted reason.
func NotApplicable(format string, args ...any) error {
	return &NotApplicableError{Reason: fmt.Sprintf(format, args...)}
}

// AsNotApplicable returns the reason when err says "not applicable".
func AsNotApplicable(err error) (string, bool) {
	var na *NotApplicableError
	if errors.As(err, &na) {
		return na.Reason, true
	}
	return "", false
}

// ReasonCodePolicy says how strictly reason codes are compared (a target
// profile's reason_codes).
type ReasonCodePolicy string

const (
	// ExactCodes: a refusal must carry EMQX's reason code.
	ExactCodes ReasonCodePolicy = "exact"
	// RefusalOnly: any refusal passes, as non-strict when its code differs.
	RefusalOnly ReasonCodePolicy = "refusal"
)

// Policied is implemented by targets whose profile relaxes reason codes.
type Policied interface {
	ReasonCodes() ReasonCodePolicy
}

// PolicyOf returns t's reason-code policy (exact unless t says otherwise).
func PolicyOf(t Target) ReasonCodePolicy {
	if p, ok := t.(Policied); ok && p.ReasonCodes() != "" {
		return p.ReasonCodes()
	}
	return ExactCodes
}

// Speaks reports whether inst speaks MQTT version v.
func Speaks(inst Instance, v Version) bool {
	for _, have := range inst.Versions() {
		if have == v {
			return true
		}
	}
	return false
}

// EMQXJWKSRefreshFloor is EMQX's floor of the JWKS refresh_interval
// (JWT-JWKS-10): a broker raises any smaller interval to it.
const EMQXJWKSRefreshFloor = 10 * time.Second

// JWKSRefreshFloorer is implemented by targets that lower the floor of the
// JWKS refresh_interval (the in-process reference does, to keep scenarios
// fast). Steps that wait for a refresh wait the effective interval plus the
// step timeout; a target that does not implement it is taken to keep
// EMQX's floor.
type JWKSRefreshFloorer interface {
	JWKSRefreshFloor(s Setup) time.Duration
}

// JWKSRefreshFloor is t's floor for a scenario's Setup.
func JWKSRefreshFloor(t Target, s Setup) time.Duration {
	if f, ok := t.(JWKSRefreshFloorer); ok {
		return f.JWKSRefreshFloor(s)
	}
	return EMQXJWKSRefreshFloor
}
