package jwks

// The deliberate defects of the JWKS fetcher, one option each. They exist
// for the suite's self-test only: the composition root
// (reference/defects.go) switches one on when the broker starts with the
// matching fault of the catalogue (reference/faults), so that the self-test
// can prove the scenarios of the fault's IDs catch a broker with that bug.
// The zero value of policy is the correct behaviour; never set one for
// anything else.

// Defect switches on one deliberate defect (self-test only).
type Defect func(*policy)

// apply switches on ds.
func (d *policy) apply(ds []Defect) {
	for _, set := range ds {
		set(d)
	}
}

// NoRefresh is the fault jwks-no-refresh (self-test only): JWKS: once a
// fetch succeeds the set is cached forever; refresh_interval is ignored.
func NoRefresh() Defect { return func(d *policy) { d.noRefresh = true } }

// MergeSets is the fault jwks-merge-sets (self-test only): JWKS: a refresh
// adds the new keys to the old ones, so a key removed at the endpoint keeps
// verifying.
func MergeSets() Defect { return func(d *policy) { d.mergeSets = true } }

// FirstKeyOnly is the fault jwks-first-key-only (self-test only): JWKS:
// only the first key of the set is used.
func FirstKeyOnly() Defect { return func(d *policy) { d.firstKeyOnly = true } }

// StrictAlg is the fault jwks-strict-alg (self-test only): keys whose "alg"
// is not a JWS algorithm name (the article's "RSA256") are skipped.
func StrictAlg() Defect { return func(d *policy) { d.strictAlg = true } }

// DropHeaders is the fault jwks-drop-headers (self-test only): JWKS:
// requests carry neither the configured headers (nor the default accept:
// application/json) nor te: trailers.
func DropHeaders() Defect { return func(d *policy) { d.dropHeaders = true } }

// DropOnFirstFailure is the fault jwks-drop-on-first-failure (self-test
// only): JWKS: the keys are dropped at the first failed refresh instead of
// the max_fail_count-th.
func DropOnFirstFailure() Defect { return func(d *policy) { d.dropOnFirstFailure = true } }

// NeverDrop is the fault jwks-never-drop (self-test only): JWKS: the last
// good set is kept through any number of failed refreshes (EMQX 5.8).
func NeverDrop() Defect { return func(d *policy) { d.neverDrop = true } }

// FailCountNotReset is the fault jwks-fail-count-not-reset (self-test
// only): JWKS: a successful refresh does not reset the count of failures,
// so later failures drop the keys early.
func FailCountNotReset() Defect { return func(d *policy) { d.failCountNotReset = true } }

// CheckStatus is the fault jwks-check-status (self-test only): JWKS: an
// answer with a non-2xx status is a failed refresh even when its body is a
// JWK Set.
func CheckStatus() Defect { return func(d *policy) { d.checkStatus = true } }

// AcceptSingleJWK is the fault jwks-accept-single-jwk (self-test only): a
// single JWK without "keys" is taken as a set of one key.
func AcceptSingleJWK() Defect { return func(d *policy) { d.acceptSingleJWK = true } }

// EmptySetIsFailure is the fault jwks-empty-set-is-failure (self-test
// only): {"keys": []} is a failed refresh, so the previous keys keep
// verifying.
func EmptySetIsFailure() Defect { return func(d *policy) { d.emptySetIsFailure = true } }

// SyncFirstFetch is the fault jwks-sync-first-fetch (self-test only): JWKS:
// creating the authenticator waits for the first fetch (up to the 5 s
// request timeout).
func SyncFirstFetch() Defect { return func(d *policy) { d.syncFirstFetch = true } }

// FetchOnMiss is the fault jwks-fetch-on-miss (self-test only): JWKS: a
// CONNECT that finds no keys fetches the set itself and waits for it.
func FetchOnMiss() Defect { return func(d *policy) { d.fetchOnMiss = true } }

// NoIntervalClamp is the fault jwks-no-interval-clamp (self-test only):
// JWKS: a refresh_interval below 10 s is used as given instead of being
// raised to 10 s.
func NoIntervalClamp() Defect { return func(d *policy) { d.noIntervalClamp = true } }

// TLSSkipVerify is the fault jwks-tls-skip-verify (self-test only): JWKS:
// the endpoint's TLS certificate is never verified, even with verify_peer
// or under hardened.
func TLSSkipVerify() Defect { return func(d *policy) { d.tlsSkipVerify = true } }

// TLSAlwaysVerify is the fault jwks-tls-always-verify (self-test only):
// JWKS: ssl.verify verify_none is ignored and the certificate always
// checked, so a self-signed endpoint fails under legacy.
func TLSAlwaysVerify() Defect { return func(d *policy) { d.tlsAlwaysVerify = true } }

// AcceptsHMAC is the fault jwks-accepts-hmac (self-test only): JWKS: oct
// keys of the set are kept and verify HS256/384/512 tokens.
func AcceptsHMAC() Defect { return func(d *policy) { d.keepOctKeys = true } }

// ConnectWaitsOnFetch is the fault jwks-connect-waits-on-fetch (self-test
// only): JWKS: a CONNECT waits for a fetch under way, so an endpoint that
// hangs stalls authentication.
func ConnectWaitsOnFetch() Defect { return func(d *policy) { d.waitOnFetch = true } }

// UnboundedBody is the fault jwks-unbounded-body (self-test only): JWKS:
// the endpoint's body is read whatever its size, so an oversized set is
// adopted.
func UnboundedBody() Defect { return func(d *policy) { d.unboundedBody = true } }

// NoRequestDeadline is the fault jwks-no-request-deadline (self-test only):
// JWKS: a fetch has no overall deadline, so a set trickled past the 5 s
// request timeout is still adopted.
func NoRequestDeadline() Defect { return func(d *policy) { d.noDeadline = true } }
