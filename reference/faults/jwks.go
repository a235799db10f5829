package faults

// Faults of the JWKS key-set fetcher (reference/jwks). Each one is a defect
// seen in real JWKS clients; reference/jwks turns them into its fetch policy
// when the Source is created.
const (
	// JWKSNoRefresh loads the key set once and caches it forever.
	JWKSNoRefresh Name = "jwks-no-refresh"
	// JWKSMergeSets adds each new set to the keys already held and never
	// forgets a key.
	JWKSMergeSets Name = "jwks-merge-sets"
	// JWKSFirstKeyOnly keeps only the first key of the set (keys[0]).
	JWKSFirstKeyOnly Name = "jwks-first-key-only"
	// JWKSStrictAlg skips keys whose "alg" is not a registered JWS algorithm,
	// which drops the jwcrypto recipe's "RSA256" keys.
	JWKSStrictAlg Name = "jwks-strict-alg"
	// JWKSDropHeaders sends neither the configured headers (nor the default
	// accept) nor te: trailers.
	JWKSDropHeaders Name = "jwks-drop-headers"
	// JWKSDropOnFirstFailure drops the keys at the first failed refresh.
	JWKSDropOnFirstFailure Name = "jwks-drop-on-first-failure"
	// JWKSNeverDrop keeps the last good set through any number of failures
	// (EMQX 5.8's behaviour, ambiguity A15).
	JWKSNeverDrop Name = "jwks-never-drop"
	// JWKSFailCountNotReset does not reset the failure count on success.
	JWKSFailCountNotReset Name = "jwks-fail-count-not-reset"
	// JWKSCheckStatus counts a non-2xx answer as a failed refresh (A10's
	// status-checking variant).
	JWKSCheckStatus Name = "jwks-check-status"
	// JWKSAcceptSingleJWK takes a document that is one JWK without "keys" as
	// a set of one key.
	JWKSAcceptSingleJWK Name = "jwks-accept-single-jwk"
	// JWKSEmptySetIsFailure counts {"keys": []} as a failed refresh.
	JWKSEmptySetIsFailure Name = "jwks-empty-set-is-failure"
	// JWKSSyncFirstFetch makes creating the authenticator wait for the first
	// fetch.
	JWKSSyncFirstFetch Name = "jwks-sync-first-fetch"
	// JWKSFetchOnMiss fetches the set synchronously when a token is checked
	// while no keys are held (lazy loading).
	JWKSFetchOnMiss Name = "jwks-fetch-on-miss"
	// JWKSNoIntervalClamp uses a refresh_interval below 10 s as given.
	JWKSNoIntervalClamp Name = "jwks-no-interval-clamp"
	// JWKSTLSSkipVerify never verifies the endpoint's certificate, even with
	// verify_peer.
	JWKSTLSSkipVerify Name = "jwks-tls-skip-verify"
	// JWKSTLSAlwaysVerify ignores ssl.verify = verify_none (explicit or the
	// legacy default) and always checks the certificate.
	JWKSTLSAlwaysVerify Name = "jwks-tls-always-verify"
	// JWKSUseKid picks the verification key by the token's kid (the JWKS
	// article's reading of A8): a token whose kid names no key of the set
	// is refused. Applied by the JWT authenticator (reference/authn/jwtauth).
	JWKSUseKid Name = "jwks-use-kid"
	// JWKSAcceptsHMAC keeps the set's oct keys and lets JWKS mode verify
	// HS256/384/512 with them (EMQX before its per-mode alg lists, A15).
	JWKSAcceptsHMAC Name = "jwks-accepts-hmac"
	// JWKSHeaderNamesUnchecked accepts any header name in headers.
	JWKSHeaderNamesUnchecked Name = "jwks-header-names-unchecked"
	// JWKSZeroIntervalDefault takes a refresh_interval of 0 or below as
	// "unset" (300 s) instead of refusing it.
	JWKSZeroIntervalDefault Name = "jwks-zero-interval-default"
)

// jwksFaults are the faults of the jwks area.
var jwksFaults = []Def{
	{Name: JWKSNoRefresh, IDs: []string{"JWT-JWKS-02", "JWT-JWKS-05"},
		Doc: "JWKS: once a fetch succeeds the set is cached forever; refresh_interval is ignored"},
	{Name: JWKSMergeSets, IDs: []string{"JWT-JWKS-02", "JWT-JWKS-08"},
		Doc: "JWKS: a refresh adds the new keys to the old ones, so a key removed at the endpoint keeps verifying"},
	{Name: JWKSFirstKeyOnly, IDs: []string{"JWT-JWKS-01"},
		Doc: "JWKS: only the first key of the set is used"},
	{Name: JWKSStrictAlg, IDs: []string{"JWT-JWKS-06"},
		Doc: `JWKS: keys whose "alg" is not a JWS algorithm name (the article's "RSA256") are skipped`},
	{Name: JWKSDropHeaders, IDs: []string{"JWT-JWKS-03"},
		Doc: "JWKS: requests carry neither the configured headers (nor the default accept: application/json) nor te: trailers"},
	{Name: JWKSDropOnFirstFailure, IDs: []string{"JWT-JWKS-05"},
		Doc: "JWKS: the keys are dropped at the first failed refresh instead of the max_fail_count-th"},
	{Name: JWKSNeverDrop, IDs: []string{"JWT-JWKS-05"},
		Doc: "JWKS: the last good set is kept through any number of failed refreshes (EMQX 5.8)"},
	{Name: JWKSFailCountNotReset, IDs: []string{"JWT-JWKS-05"},
		Doc: "JWKS: a successful refresh does not reset the count of failures, so later failures drop the keys early"},
	{Name: JWKSCheckStatus, IDs: []string{"JWT-JWKS-07"},
		Doc: "JWKS: an answer with a non-2xx status is a failed refresh even when its body is a JWK Set"},
	{Name: JWKSAcceptSingleJWK, IDs: []string{"JWT-JWKS-07"},
		Doc: `JWKS: a single JWK without "keys" is taken as a set of one key`},
	{Name: JWKSEmptySetIsFailure, IDs: []string{"JWT-JWKS-08"},
		Doc: `JWKS: {"keys": []} is a failed refresh, so the previous keys keep verifying`},
	{Name: JWKSSyncFirstFetch, IDs: []string{"JWT-JWKS-11"},
		Doc: "JWKS: creating the authenticator waits for the first fetch (up to the 5 s request timeout)"},
	{Name: JWKSFetchOnMiss, IDs: []string{"JWT-JWKS-11"},
		Doc: "JWKS: a CONNECT that finds no keys fetches the set itself and waits for it"},
	{Name: JWKSNoIntervalClamp, IDs: []string{"JWT-JWKS-10"},
		Doc: "JWKS: a refresh_interval below 10 s is used as given instead of being raised to 10 s"},
	{Name: JWKSTLSSkipVerify, IDs: []string{"JWT-JWKS-13"},
		Doc: "JWKS: the endpoint's TLS certificate is never verified, even with verify_peer or under hardened"},
	{Name: JWKSTLSAlwaysVerify, IDs: []string{"JWT-JWKS-13"},
		Doc: "JWKS: ssl.verify verify_none is ignored and the certificate always checked, so a self-signed endpoint fails under legacy"},
	{Name: JWKSUseKid, IDs: []string{"JWT-JWKS-04"},
		Doc: "JWKS: the key is picked by the token's kid, so a token whose kid names another key of the set, or none, gives a backend failure"},
	{Name: JWKSAcceptsHMAC, IDs: []string{"JWT-JWKS-09"},
		Doc: "JWKS: oct keys of the set are kept and verify HS256/384/512 tokens"},
	{Name: JWKSHeaderNamesUnchecked, IDs: []string{"JWT-JWKS-12"},
		Doc: "JWKS: header names outside [-0-9a-zA-Z_ ] are accepted at configuration"},
	{Name: JWKSZeroIntervalDefault, IDs: []string{"JWT-JWKS-10"},
		Doc: "JWKS: a refresh_interval of 0 or below is taken as the 300 s default instead of being refused"},
}
