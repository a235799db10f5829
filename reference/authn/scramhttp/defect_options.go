package scramhttp

import "github.com/authspec/authspec/reference/authz"

// The deliberate defects of the SCRAM-over-HTTP authenticator, one option
// each. They exist for the suite's self-test only: the composition root
// (reference/defects.go) switches one on when the broker starts with the
// matching fault of the catalogue (reference/faults), so that the self-test
// can prove the scenarios of the fault's IDs catch a broker with that bug.
// The zero value of defects is the correct behaviour; never set one for
// anything else.

// Defect switches on one deliberate defect (self-test only).
type Defect func(*defects)

// defects are the deliberate defects switched on, read as plain fields.
type defects struct {
	// acl are the acl area's defects that apply to the answer's rules.
	acl authz.Defects

	acceptChannelBinding     bool // scram-accept-channel-binding
	acceptNon200             bool // scram-accept-non-200
	anyScramMethod           bool // scram-any-scram-method
	clientAttrsStringified   bool // scram-client-attrs-stringified
	clientIDOverrideHonoured bool // scram-clientid-override-honoured
	denyWithoutAuthMethod    bool // scram-deny-without-auth-method
	expireAtMillis           bool // scram-expire-at-ms
	expireAtNoDisconnect     bool // scram-expire-at-no-disconnect
	honourResultField        bool // scram-honour-result-field
	ignoreContentType        bool // scram-ignore-content-type
	invalidACLDropped        bool // scram-invalid-acl-dropped
	iterationFromAnswer      bool // scram-iteration-from-answer
	noDefaultHeaders         bool // scram-no-default-headers
	noRequestTimeout         bool // scram-no-request-timeout
	postFormAsJSON           bool // scram-post-form-as-json
	reauthRefused            bool // scram-reauth-refused
	saltAsText               bool // scram-salt-as-text
	skipFinalNonceCheck      bool // scram-skip-final-nonce-check
	skipProofCheck           bool // scram-skip-proof-check
	superuserIgnored         bool // scram-superuser-ignored
	twoBackendRequests       bool // scram-two-backend-requests
	usernameFromConnect      bool // scram-username-from-connect
	v311BadCredentials       bool // scram-v311-bad-credentials
	wrongPassword0x86        bool // scram-wrong-password-0x86
	wrongServerSignature     bool // scram-wrong-server-signature
}

// Option configures New.
type Option func(*options)

type options struct {
	defects defects
}

// WithDefects switches deliberate defects on (self-test only).
func WithDefects(ds ...Defect) Option {
	return func(o *options) { o.defects.apply(ds) }
}

// WithACLDefects switches on the acl area's defects that apply to the rules
// of a backend answer (self-test only).
func WithACLDefects(d authz.Defects) Option {
	return func(o *options) { o.defects.acl = d }
}

// apply switches on ds.
func (d *defects) apply(ds []Defect) {
	for _, set := range ds {
		set(d)
	}
}

// AcceptChannelBinding is the fault scram-accept-channel-binding (self-test
// only): SCRAM: a client requiring channel binding (gs2 flag p=) is served
// as if it had sent y.
func AcceptChannelBinding() Defect { return func(d *defects) { d.acceptChannelBinding = true } }

// AcceptNon200 is the fault scram-accept-non-200 (self-test only): SCRAM:
// the backend's HTTP status is not checked; any answer whose body holds the
// keys is used.
func AcceptNon200() Defect { return func(d *defects) { d.acceptNon200 = true } }

// AnyScramMethod is the fault scram-any-scram-method (self-test only):
// SCRAM: any Authentication-Method starting with SCRAM- is handled with the
// configured hash instead of ignored.
func AnyScramMethod() Defect { return func(d *defects) { d.anyScramMethod = true } }

// ClientAttrsStringified is the fault scram-client-attrs-stringified
// (self-test only): SCRAM: client_attrs values that are not strings are
// converted to text instead of failing the attempt.
func ClientAttrsStringified() Defect { return func(d *defects) { d.clientAttrsStringified = true } }

// ClientIDOverrideHonoured is the fault scram-clientid-override-honoured
// (self-test only): SCRAM: clientid_override in the backend's answer
// renames the client.
func ClientIDOverrideHonoured() Defect { return func(d *defects) { d.clientIDOverrideHonoured = true } }

// DenyWithoutAuthMethod is the fault scram-deny-without-auth-method
// (self-test only): SCRAM: a CONNECT without Authentication-Method is
// refused (0x87) instead of passed on, so a later JWT authenticator never
// sees it.
func DenyWithoutAuthMethod() Defect { return func(d *defects) { d.denyWithoutAuthMethod = true } }

// ExpireAtMillis is the fault scram-expire-at-ms (self-test only): SCRAM:
// expire_at is read as Unix milliseconds, so a seconds value is in the past
// and a milliseconds value is accepted.
func ExpireAtMillis() Defect { return func(d *defects) { d.expireAtMillis = true } }

// ExpireAtNoDisconnect is the fault scram-expire-at-no-disconnect
// (self-test only): SCRAM: expire_at is not enforced on the connection; the
// client stays connected past it.
func ExpireAtNoDisconnect() Defect { return func(d *defects) { d.expireAtNoDisconnect = true } }

// HonourResultField is the fault scram-honour-result-field (self-test
// only): SCRAM: a result field in the backend's answer is obeyed as by the
// HTTP password authenticator (deny refuses, ignore passes on).
func HonourResultField() Defect { return func(d *defects) { d.honourResultField = true } }

// IgnoreContentType is the fault scram-ignore-content-type (self-test
// only): SCRAM: the backend's answer is parsed as JSON whatever its
// Content-Type.
func IgnoreContentType() Defect { return func(d *defects) { d.ignoreContentType = true } }

// InvalidACLDropped is the fault scram-invalid-acl-dropped (self-test
// only): SCRAM: an acl in the backend's answer that is not a valid rule
// list is dropped and the client accepted without rules.
func InvalidACLDropped() Defect { return func(d *defects) { d.invalidACLDropped = true } }

// IterationFromAnswer is the fault scram-iteration-from-answer (self-test
// only): SCRAM: an iteration_count in the backend's answer replaces the
// configured one in i=.
func IterationFromAnswer() Defect { return func(d *defects) { d.iterationFromAnswer = true } }

// NoDefaultHeaders is the fault scram-no-default-headers (self-test only):
// SCRAM: backend requests carry only the configured headers, without EMQX's
// defaults.
func NoDefaultHeaders() Defect { return func(d *defects) { d.noDefaultHeaders = true } }

// NoRequestTimeout is the fault scram-no-request-timeout (self-test only):
// SCRAM: request_timeout is not applied; the broker waits for a slow
// backend as long as it takes.
func NoRequestTimeout() Defect { return func(d *defects) { d.noRequestTimeout = true } }

// PostFormAsJSON is the fault scram-post-form-as-json (self-test only):
// SCRAM: a POST body is always JSON, even with content-type
// application/x-www-form-urlencoded configured.
func PostFormAsJSON() Defect { return func(d *defects) { d.postFormAsJSON = true } }

// ReauthRefused is the fault scram-reauth-refused (self-test only): SCRAM:
// re-authentication (AUTH 0x19) is always refused with DISCONNECT 0x87.
func ReauthRefused() Defect { return func(d *defects) { d.reauthRefused = true } }

// SaltAsText is the fault scram-salt-as-text (self-test only): SCRAM: the
// answer's hex salt is sent in s= as text instead of hex-decoded, so no
// client's proof verifies.
func SaltAsText() Defect { return func(d *defects) { d.saltAsText = true } }

// SkipFinalNonceCheck is the fault scram-skip-final-nonce-check (self-test
// only): SCRAM: the client-final nonce is not compared with the combined
// nonce.
func SkipFinalNonceCheck() Defect { return func(d *defects) { d.skipFinalNonceCheck = true } }

// SkipProofCheck is the fault scram-skip-proof-check (self-test only):
// SCRAM: the client proof is not verified; any password is accepted.
func SkipProofCheck() Defect { return func(d *defects) { d.skipProofCheck = true } }

// SuperuserIgnored is the fault scram-superuser-ignored (self-test only):
// SCRAM: is_superuser in the backend's answer is ignored.
func SuperuserIgnored() Defect { return func(d *defects) { d.superuserIgnored = true } }

// TwoBackendRequests is the fault scram-two-backend-requests (self-test
// only): SCRAM: the credentials are fetched from the backend again when the
// client-final message arrives.
func TwoBackendRequests() Defect { return func(d *defects) { d.twoBackendRequests = true } }

// UsernameFromConnect is the fault scram-username-from-connect (self-test
// only): SCRAM: ${username} in the backend request is the CONNECT Username
// instead of the SCRAM user name.
func UsernameFromConnect() Defect { return func(d *defects) { d.usernameFromConnect = true } }

// V311BadCredentials is the fault scram-v311-bad-credentials (self-test
// only): SCRAM: MQTT 3.1.1 clients are refused as bad user name or password
// (return code 4) instead of passed on.
func V311BadCredentials() Defect { return func(d *defects) { d.v311BadCredentials = true } }

// WrongPassword0x86 is the fault scram-wrong-password-0x86 (self-test
// only): SCRAM: a proof that does not verify is refused with 0x86 instead
// of 0x87.
func WrongPassword0x86() Defect { return func(d *defects) { d.wrongPassword0x86 = true } }

// WrongServerSignature is the fault scram-wrong-server-signature (self-test
// only): SCRAM: the server-final v= is signed with StoredKey instead of
// ServerKey, so clients that verify it reject the broker.
func WrongServerSignature() Defect { return func(d *defects) { d.wrongServerSignature = true } }
