package faults

// Faults of the security area (catalogue SEC-07..SEC-11 and the attack
// families folded into JWT-SRC-07 and JWT-CLAIM-01/05): the defects the
// JWT attack batteries find in real verifiers and brokers. The JWT ones
// are applied by reference/authn/jwtauth (header_checks.go, keyconfusion.go),
// the JWKS ones by reference/jwks, the MQTT ones by the broker glue.
const (
	IgnoreCrit              Name = "ignore-crit"
	IgnoreB64               Name = "ignore-b64"
	CritB64Understood       Name = "crit-b64-understood"
	JSONFirstDuplicateWins  Name = "json-first-duplicate-wins"
	LenientJSONText         Name = "lenient-json-text"
	TimeClaimsLenient       Name = "time-claims-lenient"
	TimeClaimsOutOfRange    Name = "time-claims-out-of-range-absent"
	FetchHeaderURLs         Name = "fetch-header-urls"
	HMACKeyConfusion        Name = "hmac-key-confusion"
	ConnectReadInAcceptLoop Name = "connect-read-in-accept-loop"
	SecondConnectIgnored    Name = "second-connect-ignored"
	FirstPacketHeld         Name = "first-packet-held"
	JWKSConnectWaitsOnFetch Name = "jwks-connect-waits-on-fetch"
	JWKSUnboundedBody       Name = "jwks-unbounded-body"
	JWKSNoRequestDeadline   Name = "jwks-no-request-deadline"
)

var secFaults = []Def{
	{Name: IgnoreCrit, IDs: []string{"SEC-07"},
		Doc: "a crit header listing extensions the verifier does not understand is ignored (EMQX's JOSE library, ambiguity A17) instead of refused"},
	{Name: IgnoreB64, IDs: []string{"SEC-07"},
		Doc: `"b64": false is ignored and the ordinary signing input verified, instead of refusing the unencoded-payload token`},
	{Name: CritB64Understood, IDs: []string{"SEC-07"},
		Doc: `b64 counts as a crit extension the verifier understands, but is never applied: "crit": ["b64"] passes and "b64": false is ignored, so the ordinary signing input is verified`},
	{Name: JSONFirstDuplicateWins, IDs: []string{"JWT-SRC-07", "JWT-CLAIM-01"},
		Doc: "a member named twice in the header or the claims keeps its first value (the header is not refused for it)"},
	{Name: LenientJSONText, IDs: []string{"JWT-SRC-07"},
		Doc: "header and claims JSON may start with a byte-order mark, be UTF-16, hold NaN and Infinity (read as 0), or be a nested JWT whose claims are read unverified"},
	{Name: TimeClaimsLenient, IDs: []string{"JWT-CLAIM-05"},
		Doc: "exp and nbf strings are trimmed and may be hex, integers beyond 64 bits wrap around, and a number out of float range reads as 0"},
	{Name: TimeClaimsOutOfRange, IDs: []string{"JWT-CLAIM-05"},
		Doc: "an exp or nbf that is a number beyond float range (1e400, -1e400) is skipped as if absent, so such a token never expires"},
	{Name: FetchHeaderURLs, IDs: []string{"SEC-08"},
		Doc: "the URLs a token header names (jku, x5u, a kid that is a URL) are fetched (and the answer ignored): server-side request forgery"},
	{Name: HMACKeyConfusion, IDs: []string{"SEC-09"},
		Doc: "public-key and JWKS modes accept HS256/384/512 tokens keyed with any encoding of a configured public key (PEM variants, DER, PKCS#1, JWK JSON, modulus)"},
	{Name: ConnectReadInAcceptLoop, IDs: []string{"SEC-10"},
		Doc: "each new connection's CONNECT is read in the accept loop, so a client sending it slowly stalls every other client"},
	{Name: SecondConnectIgnored, IDs: []string{"SEC-10"},
		Doc: "a second CONNECT on an authenticated connection is dropped silently instead of closing the connection (MQTT 5.0 section 3.1)"},
	{Name: FirstPacketHeld, IDs: []string{"SEC-10"},
		Doc: "a first packet that is an AUTH, a CONNECT whose Password flag has no Password, or a CONNECT over 64 KB (a fixed 64 KB read buffer) is held unanswered for up to a minute instead of refused or closed"},
	{Name: JWKSConnectWaitsOnFetch, IDs: []string{"SEC-11"},
		Doc: "JWKS: a CONNECT waits for a fetch under way, so an endpoint that hangs stalls authentication"},
	{Name: JWKSUnboundedBody, IDs: []string{"SEC-11"},
		Doc: "JWKS: the endpoint's body is read whatever its size, so an oversized set is adopted"},
	{Name: JWKSNoRequestDeadline, IDs: []string{"SEC-11"},
		Doc: "JWKS: a fetch has no overall deadline, so a set trickled past the 5 s request timeout is still adopted"},
}
