// Package jwks fetches the JWK Set the JWT authenticator verifies tokens with
// in `use_jwks: true` mode (catalogue JWT-JWKS-01..13).
//
// A Source GETs the endpoint once at creation, without blocking its caller
// (JWT-JWKS-11), then every refresh interval (JWT-JWKS-02). PublicKeys returns
// the keys of the last good set in document order; it never fetches. A
// fetch times out after 5 s, or after the interval when a test made the
// interval shorter, so a hang fails before the next tick.
//
// What counts as a failed refresh (JWT-JWKS-05, -07): no answer (endpoint
// down, TLS error, connect or request timeout, connection reset), a body over
// the size cap (1 MiB; EMQX has none), and a body that is not a JWK Set: not
// JSON, not an object, no "keys" member (a single JWK), or "keys" not an
// array. The HTTP status is not looked at. A failure keeps the last good set; the max-fail-count-th failure
// in a row drops it; the next success restores keys and resets the count.
//
// Keys are read one by one, so one unusable key does not sink the set (RFC
// 7517 section 5: "Implementations SHOULD ignore JWKs within a JWK Set that
// use kty values that are not understood by them, that are missing required
// members, or for which values are out of the supported ranges"). go-jose's
// JSONWebKeySet would fail the whole document on the first bad key, so the
// Source decodes the "keys" array itself and gives each member to
// jose.JSONWebKey. A member is skipped, with a warning naming its index and
// kid, when go-jose refuses it (unknown kty or OKP curve, RSA without n or e
// or with a modulus over 4096 bits, EC point off its curve or of the wrong
// length, bad base64url, x5c that does not match), when it is not an object,
// and when it is a symmetric ("oct") key: JWKS mode verifies only public-key algorithms (JWT-JWKS-09), so an oct
// key could never verify a token. A private JWK contributes its public part.
// A document whose every key is skipped is a successful refresh with no keys,
// like {"keys": []} (JWT-JWKS-08).
//
// EMQX (jose 1.11) is not uniform here and the catalogue does not fix it: a
// member with an unknown kty stays in its set as an unusable entry, while a
// known kty with missing members makes the whole refresh fail. Scenarios
// should not assert either way for such documents.
//
// kid, alg and use are read leniently (a number where a string is expected is
// ignored, not an error) and never select or filter keys (ambiguity A8);
// Keys reports them for logging.
//
// EMQX fetches once per pool worker (pool_size, default 8), so its endpoint
// sees several GETs per interval and workers may briefly disagree during a
// rotation (JWT-JWKS-02). The reference runs one fetcher per authenticator.
// The suite must therefore never assert a single GET per interval, nor an
// exact request count, against an external broker.
package jwks
