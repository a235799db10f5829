package jwks

// policy is the fetcher's deliberate defects (self-test only), set once at
// New from WithDefects so that the fetch path asks plain questions ("does
// the status count?"). The zero policy is the correct behaviour.
type policy struct {
	noRefresh          bool // stop the timer after the first success
	mergeSets          bool // union of old and new keys
	firstKeyOnly       bool // keep keys[0] only
	strictAlg          bool // skip keys whose alg is not a JWS alg name
	dropHeaders        bool // no configured headers, no connection/te
	dropOnFirstFailure bool // max fail count of 1
	neverDrop          bool // never drop on failures
	failCountNotReset  bool // success keeps the failure count
	checkStatus        bool // non-2xx is a failure
	acceptSingleJWK    bool // a lone JWK is a set of one
	emptySetIsFailure  bool // {"keys": []} is a failure
	syncFirstFetch     bool // New waits for the first fetch
	fetchOnMiss        bool // PublicKeys fetches when it has no keys
	noIntervalClamp    bool // keep intervals under the floor
	tlsSkipVerify      bool // never verify the certificate
	tlsAlwaysVerify    bool // treat verify_none as verify_peer
	keepOctKeys        bool // oct keys are kept as []byte keys
	waitOnFetch        bool // PublicKeys waits for a fetch under way (SEC-11)
	unboundedBody      bool // no cap on the body (SEC-11)
	noDeadline         bool // no overall deadline on a fetch (SEC-11)
}

// jwsAlgs are the registered JWS "alg" values (RFC 7518 section 3.1, RFC
// 8037), which jwks-strict-alg wrongly requires a JWK's alg to be one of.
var jwsAlgs = map[string]bool{
	"HS256": true, "HS384": true, "HS512": true,
	"RS256": true, "RS384": true, "RS512": true,
	"ES256": true, "ES384": true, "ES512": true,
	"PS256": true, "PS384": true, "PS512": true,
	"EdDSA": true, "none": true,
}
