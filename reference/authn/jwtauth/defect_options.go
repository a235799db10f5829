package jwtauth

import "github.com/authspec/authspec/reference/authz"

// The deliberate defects of the JWT authenticator, one option each. They
// exist for the suite's self-test only: the composition root
// (reference/defects.go) switches one on when the broker starts with the
// matching fault of the catalogue (reference/faults), so that the self-test
// can prove the scenarios of the fault's IDs catch a broker with that bug.
// The zero value of defects is the correct behaviour; never set one for
// anything else.

// Defect switches on one deliberate defect (self-test only).
type Defect func(*defects)

// defects are the deliberate defects switched on, read as plain fields.
type defects struct {
	// acl are the acl area's defects that apply to the token's rules.
	acl authz.Defects

	aclClaimNameIgnored            bool // acl-claim-name-ignored
	acceptAlgNone                  bool // accept-alg-none
	algCaseInsensitive             bool // alg-case-insensitive
	allowEmptyClaimName            bool // allow-empty-claim-name
	audStringOnly                  bool // aud-string-only
	checkIat                       bool // check-iat
	claimNamesCaseInsensitive      bool // claim-names-case-insensitive
	claimsBeforeSignature          bool // claims-before-signature
	clientAttrsIgnored             bool // client-attrs-ignored
	clientAttrsKeepBadKeys         bool // client-attrs-keep-invalid-keys
	clientAttrsStringified         bool // client-attrs-stringified
	critB64Understood              bool // crit-b64-understood
	disconnectSettingIgnored       bool // disconnect-after-expire-ignored
	ecdsaPsychicSignatures         bool // ecdsa-psychic-signatures
	emptyPasswordIsMissing         bool // empty-password-is-missing
	expInclusive                   bool // exp-inclusive
	fetchHeaderURLs                bool // fetch-header-urls
	fractionalExpTruncated         bool // fractional-exp-truncated
	hmacAcceptInvalidBase64        bool // hmac-accept-invalid-base64
	hmacIgnoreSecretBase64         bool // hmac-ignore-secret-base64
	hmacKeyConfusion               bool // hmac-key-confusion
	hmacOnlyHS256                  bool // hmac-hs256-only
	ignoreB64                      bool // ignore-b64
	ignoreClientIDOverride         bool // ignore-clientid-override
	ignoreCrit                     bool // ignore-crit
	ignoreVerifyClaims             bool // ignore-verify-claims
	jsonFirstDuplicateWins         bool // json-first-duplicate-wins
	jwksAcceptsHMAC                bool // jwks-accepts-hmac
	jwksHeaderNamesUnchecked       bool // jwks-header-names-unchecked
	jwksUseKid                     bool // jwks-use-kid
	jwksZeroIntervalDefault        bool // jwks-zero-interval-default
	jwtHandlesAuthMethod           bool // jwt-handles-auth-method
	jwtIgnoresMQTT3                bool // jwt-ignores-mqtt3
	lenientJSONText                bool // lenient-json-text
	lenientTokenFormat             bool // lenient-token-format
	missingJWTAccept               bool // missing-jwt-accept
	oidcKeysFromTokenIssuer        bool // oidc-keys-from-token-issuer
	oidcLastKeyOnly                bool // oidc-last-key-only
	oidcRSAKeysOnly                bool // oidc-rsa-keys-only
	pkAcceptsHMAC                  bool // pk-accepts-hmac
	pkDocsAlgsOnly                 bool // pk-docs-algs-only
	pkLazyKeyParse                 bool // pk-lazy-key-parse
	pssSaltLengthAuto              bool // pss-salt-length-auto
	requireExp                     bool // require-exp
	skipExp                        bool // skip-exp
	skipNbf                        bool // skip-nbf
	skipSignature                  bool // skip-signature
	strictKidTyp                   bool // reject-kid-and-typ
	superuserBoolOnly              bool // superuser-bool-only
	superuserTruthy                bool // superuser-truthy
	timeClaimsLenient              bool // time-claims-lenient
	timeClaimsNumbersOnly          bool // time-claims-numbers-only
	timeClaimsOutOfRangeAbsent     bool // time-claims-out-of-range-absent
	tokenAlwaysFromPassword        bool // jwt-token-always-from-password
	tokenAlwaysFromUsername        bool // jwt-token-always-from-username
	tokenFromEitherField           bool // jwt-token-from-either-field
	tokenFromOtherFieldWhenMissing bool // jwt-token-from-other-field-when-missing
	trustHeaderJWK                 bool // trust-header-jwk
	trustHeaderKeys                bool // trust-header-keys
	unknownPlaceholdersEmpty       bool // verify-claims-unknown-placeholders-empty
	verifyClaimsCaseInsensitive    bool // verify-claims-case-insensitive
	verifyClaimsNoTemplates        bool // verify-claims-no-templates
	verifyClaimsScalarText         bool // verify-claims-scalar-text
}

// apply switches on ds.
func (d *defects) apply(ds []Defect) {
	for _, set := range ds {
		set(d)
	}
}

// ACLClaimNameIgnored is the fault acl-claim-name-ignored (self-test only):
// reads the token's rules from the acl claim whatever acl_claim_name says.
func ACLClaimNameIgnored() Defect { return func(d *defects) { d.aclClaimNameIgnored = true } }

// AcceptAlgNone is the fault accept-alg-none (self-test only): A token with
// alg `none` (any capitalisation) is accepted in every mode, whatever its
// signature segment holds.
func AcceptAlgNone() Defect { return func(d *defects) { d.acceptAlgNone = true } }

// AlgCaseInsensitive is the fault alg-case-insensitive (self-test only):
// The token's alg is compared case-insensitively, so hs256 or Rs256 is
// accepted.
func AlgCaseInsensitive() Defect { return func(d *defects) { d.algCaseInsensitive = true } }

// AllowEmptyClaimName is the fault allow-empty-claim-name (self-test only):
// A verify_claims entry with an empty claim name is accepted at
// configuration.
func AllowEmptyClaimName() Defect { return func(d *defects) { d.allowEmptyClaimName = true } }

// AudStringOnly is the fault aud-string-only (self-test only): An aud claim
// that is an array is refused even when it contains the expected audience.
func AudStringOnly() Defect { return func(d *defects) { d.audStringOnly = true } }

// IatChecked is the fault check-iat (self-test only): A token whose iat is
// in the future is refused with 0x86.
func IatChecked() Defect { return func(d *defects) { d.checkIat = true } }

// ClaimNamesCaseInsensitive is the fault claim-names-case-insensitive
// (self-test only): Claim names are matched case-insensitively, and a
// look-alike claim ("Exp", "Aud", "Tenant") wins over the claim itself.
func ClaimNamesCaseInsensitive() Defect {
	return func(d *defects) { d.claimNamesCaseInsensitive = true }
}

// ClaimsBeforeSignature is the fault claims-before-signature (self-test
// only): Claims are checked before the signature, so an expired token with
// a bad signature gets 0x86 instead of 0x87.
func ClaimsBeforeSignature() Defect { return func(d *defects) { d.claimsBeforeSignature = true } }

// ClientAttrsIgnored is the fault client-attrs-ignored (self-test only):
// The client_attrs claim is ignored: the client gets no attributes.
func ClientAttrsIgnored() Defect { return func(d *defects) { d.clientAttrsIgnored = true } }

// ClientAttrsKeepBadKeys is the fault client-attrs-keep-invalid-keys
// (self-test only): client_attrs entries whose key is not a restricted
// string are kept instead of dropped.
func ClientAttrsKeepBadKeys() Defect { return func(d *defects) { d.clientAttrsKeepBadKeys = true } }

// ClientAttrsStringified is the fault client-attrs-stringified (self-test
// only): client_attrs values that are not strings are converted to their
// JSON text, and a client_attrs that is not an object is ignored, instead
// of failing the authentication.
func ClientAttrsStringified() Defect { return func(d *defects) { d.clientAttrsStringified = true } }

// DisconnectSettingIgnored is the fault disconnect-after-expire-ignored
// (self-test only): disconnect_after_expire false is ignored: the client is
// disconnected at exp anyway.
func DisconnectSettingIgnored() Defect { return func(d *defects) { d.disconnectSettingIgnored = true } }

// ECDSAPsychicSignatures is the fault ecdsa-psychic-signatures (self-test
// only): An ECDSA signature with r = s = 0 verifies any token
// (CVE-2022-21449, "psychic signatures").
func ECDSAPsychicSignatures() Defect { return func(d *defects) { d.ecdsaPsychicSignatures = true } }

// EmptyPasswordIsMissing is the fault empty-password-is-missing (self-test
// only): A zero-length Password counts as no token, so on_missing_jwt
// decides instead of a backend failure.
func EmptyPasswordIsMissing() Defect { return func(d *defects) { d.emptyPasswordIsMissing = true } }

// ExpInclusive is the fault exp-inclusive (self-test only): A token whose
// exp equals the current second is still accepted.
func ExpInclusive() Defect { return func(d *defects) { d.expInclusive = true } }

// FetchHeaderURLs is the fault fetch-header-urls (self-test only): the URLs
// a token header names (jku, x5u, a kid that is a URL) are fetched (and the
// answer ignored): server-side request forgery.
func FetchHeaderURLs() Defect { return func(d *defects) { d.fetchHeaderURLs = true } }

// FractionalExpTruncated is the fault fractional-exp-truncated (self-test
// only): A fractional exp with disconnect_after_expire is truncated to
// whole seconds instead of giving a backend failure.
func FractionalExpTruncated() Defect { return func(d *defects) { d.fractionalExpTruncated = true } }

// HMACAcceptInvalidBase64 is the fault hmac-accept-invalid-base64
// (self-test only): A secret that is not valid base64 with
// secret_base64_encoded: true is used as raw text instead of being refused.
func HMACAcceptInvalidBase64() Defect { return func(d *defects) { d.hmacAcceptInvalidBase64 = true } }

// HMACIgnoreSecretBase64 is the fault hmac-ignore-secret-base64 (self-test
// only): secret_base64_encoded is ignored: the secret's literal text is the
// HMAC key, and a secret that is not base64 is accepted.
func HMACIgnoreSecretBase64() Defect { return func(d *defects) { d.hmacIgnoreSecretBase64 = true } }

// HMACKeyConfusion is the fault hmac-key-confusion (self-test only):
// public-key and JWKS modes accept HS256/384/512 tokens keyed with any
// encoding of a configured public key (PEM variants, DER, PKCS#1, JWK JSON,
// modulus).
func HMACKeyConfusion() Defect { return func(d *defects) { d.hmacKeyConfusion = true } }

// HMACOnlyHS256 is the fault hmac-hs256-only (self-test only): The HMAC
// authenticator accepts only HS256: HS384 and HS512 tokens give a backend
// failure.
func HMACOnlyHS256() Defect { return func(d *defects) { d.hmacOnlyHS256 = true } }

// IgnoreB64 is the fault ignore-b64 (self-test only): "b64": false is
// ignored and the ordinary signing input verified, instead of refusing the
// unencoded-payload token.
func IgnoreB64() Defect { return func(d *defects) { d.ignoreB64 = true } }

// CritB64Understood is the fault crit-b64-understood (self-test only): the
// verifier counts b64 among the crit extensions it understands, then never
// applies it: "crit": ["b64"] passes the crit check and "b64": false is
// ignored, so the ordinary signing input is verified.
func CritB64Understood() Defect { return func(d *defects) { d.critB64Understood = true } }

// IgnoreClientIDOverride is the fault ignore-clientid-override (self-test
// only): The clientid_override claim is ignored: the client keeps the
// Client ID of its CONNECT.
func IgnoreClientIDOverride() Defect { return func(d *defects) { d.ignoreClientIDOverride = true } }

// IgnoreCrit is the fault ignore-crit (self-test only): a crit header
// listing extensions the verifier does not understand is ignored (EMQX's
// JOSE library, ambiguity A17) instead of refused.
func IgnoreCrit() Defect { return func(d *defects) { d.ignoreCrit = true } }

// IgnoreVerifyClaims is the fault ignore-verify-claims (self-test only):
// verify_claims (aud included) is not checked.
func IgnoreVerifyClaims() Defect { return func(d *defects) { d.ignoreVerifyClaims = true } }

// JSONFirstDuplicateWins is the fault json-first-duplicate-wins (self-test
// only): a member named twice in the header or the claims keeps its first
// value (the header is not refused for it).
func JSONFirstDuplicateWins() Defect { return func(d *defects) { d.jsonFirstDuplicateWins = true } }

// JWKSAcceptsHMAC is the fault jwks-accepts-hmac (self-test only): JWKS:
// oct keys of the set are kept and verify HS256/384/512 tokens.
func JWKSAcceptsHMAC() Defect { return func(d *defects) { d.jwksAcceptsHMAC = true } }

// JWKSHeaderNamesUnchecked is the fault jwks-header-names-unchecked
// (self-test only): JWKS: header names outside [-0-9a-zA-Z_ ] are accepted
// at configuration.
func JWKSHeaderNamesUnchecked() Defect { return func(d *defects) { d.jwksHeaderNamesUnchecked = true } }

// JWKSUseKid is the fault jwks-use-kid (self-test only): JWKS: the key is
// picked by the token's kid, so a token whose kid names another key of the
// set, or none, gives a backend failure.
func JWKSUseKid() Defect { return func(d *defects) { d.jwksUseKid = true } }

// JWKSZeroIntervalDefault is the fault jwks-zero-interval-default
// (self-test only): JWKS: a refresh_interval of 0 or below is taken as the
// 300 s default instead of being refused.
func JWKSZeroIntervalDefault() Defect { return func(d *defects) { d.jwksZeroIntervalDefault = true } }

// JWTHandlesAuthMethod is the fault jwt-handles-auth-method (self-test
// only): The JWT authenticator verifies the Password of an MQTT 5 CONNECT
// that carries an Authentication-Method instead of ignoring it.
func JWTHandlesAuthMethod() Defect { return func(d *defects) { d.jwtHandlesAuthMethod = true } }

// JWTIgnoresMQTT3 is the fault jwt-ignores-mqtt3 (self-test only): The JWT
// authenticator only handles MQTT 5 clients and ignores MQTT 3.1.1 clients.
func JWTIgnoresMQTT3() Defect { return func(d *defects) { d.jwtIgnoresMQTT3 = true } }

// LenientJSONText is the fault lenient-json-text (self-test only): header
// and claims JSON may start with a byte-order mark, be UTF-16, hold NaN and
// Infinity (read as 0), or be a nested JWT whose claims are read unverified.
func LenientJSONText() Defect { return func(d *defects) { d.lenientJSONText = true } }

// LenientTokenFormat is the fault lenient-token-format (self-test only): A
// `Bearer ` prefix, `=` padding, whitespace, line breaks, NUL bytes and a
// trailing dot are stripped and `+/` read as `-_` before the token is
// parsed, and a JWE is decrypted with the secret.
func LenientTokenFormat() Defect { return func(d *defects) { d.lenientTokenFormat = true } }

// MissingJWTAccept is the fault missing-jwt-accept (self-test only): A
// CONNECT without a token in the configured field is accepted instead of
// following on_missing_jwt.
func MissingJWTAccept() Defect { return func(d *defects) { d.missingJWTAccept = true } }

// OIDCKeysFromTokenIssuer is the fault oidc-keys-from-token-issuer
// (self-test only): JWKS: a token no key of the set verifies is checked
// with the keys of its own iss's discovery document (any provider's tokens
// verify).
func OIDCKeysFromTokenIssuer() Defect { return func(d *defects) { d.oidcKeysFromTokenIssuer = true } }

// OIDCLastKeyOnly is the fault oidc-last-key-only (self-test only): JWKS:
// only the last key of the set verifies tokens, so during a rotation the
// old key's tokens give a backend failure.
func OIDCLastKeyOnly() Defect { return func(d *defects) { d.oidcLastKeyOnly = true } }

// OIDCRSAKeysOnly is the fault oidc-rsa-keys-only (self-test only): JWKS:
// only the RSA keys of the set verify tokens; EC keys (an ES256 provider's)
// are skipped.
func OIDCRSAKeysOnly() Defect { return func(d *defects) { d.oidcRSAKeysOnly = true } }

// PKAcceptsHMAC is the fault pk-accepts-hmac (self-test only): The
// public-key authenticator also accepts HS* tokens, using the configured
// PEM text as the HMAC secret (key confusion).
func PKAcceptsHMAC() Defect { return func(d *defects) { d.pkAcceptsHMAC = true } }

// PKDocsAlgsOnly is the fault pk-docs-algs-only (self-test only): The
// public-key authenticator accepts only the documented RS* and ES*
// algorithms, not PS* or EdDSA.
func PKDocsAlgsOnly() Defect { return func(d *defects) { d.pkDocsAlgsOnly = true } }

// PKLazyKeyParse is the fault pk-lazy-key-parse (self-test only): A public
// key that does not parse is not refused when the authenticator is created;
// tokens then give a backend failure.
func PKLazyKeyParse() Defect { return func(d *defects) { d.pkLazyKeyParse = true } }

// PSSSaltLengthAuto is the fault pss-salt-length-auto (self-test only):
// PS256/384/512 signatures are verified with any salt length (golang-jwt's
// default) instead of the hash length RFC 7518 requires.
func PSSSaltLengthAuto() Defect { return func(d *defects) { d.pssSaltLengthAuto = true } }

// RequireExp is the fault require-exp (self-test only): A token without exp
// is refused with 0x86.
func RequireExp() Defect { return func(d *defects) { d.requireExp = true } }

// SkipExp is the fault skip-exp (self-test only): The exp claim is not
// checked: expired tokens are accepted.
func SkipExp() Defect { return func(d *defects) { d.skipExp = true } }

// SkipNbf is the fault skip-nbf (self-test only): The nbf claim is not
// checked: tokens not yet valid are accepted.
func SkipNbf() Defect { return func(d *defects) { d.skipNbf = true } }

// SkipSignature is the fault skip-signature (self-test only): The token's
// signature is not checked (its alg still is): any secret or key, or an
// altered token, is accepted.
func SkipSignature() Defect { return func(d *defects) { d.skipSignature = true } }

// StrictKidTyp is the fault reject-kid-and-typ (self-test only): In HMAC
// and public-key modes a token whose header names a `kid`, or has a `typ`
// other than JWT, gives a backend failure.
func StrictKidTyp() Defect { return func(d *defects) { d.strictKidTyp = true } }

// SuperuserBoolOnly is the fault superuser-bool-only (self-test only): Only
// a JSON true in is_superuser makes a superuser: "true", "1" and integers
// >= 1 do not.
func SuperuserBoolOnly() Defect { return func(d *defects) { d.superuserBoolOnly = true } }

// SuperuserTruthy is the fault superuser-truthy (self-test only): Any
// is_superuser value but a JSON false makes a superuser (0, "0", "yes", 1.0
// and null included).
func SuperuserTruthy() Defect { return func(d *defects) { d.superuserTruthy = true } }

// TimeClaimsLenient is the fault time-claims-lenient (self-test only): exp
// and nbf strings are trimmed and may be hex, integers beyond 64 bits wrap
// around, and a number out of float range reads as 0.
func TimeClaimsLenient() Defect { return func(d *defects) { d.timeClaimsLenient = true } }

// TimeClaimsNumbersOnly is the fault time-claims-numbers-only (self-test
// only): exp and nbf given as numeric strings are not converted, so such
// tokens are refused with 0x86.
func TimeClaimsNumbersOnly() Defect { return func(d *defects) { d.timeClaimsNumbersOnly = true } }

// TimeClaimsOutOfRangeAbsent is the fault time-claims-out-of-range-absent
// (self-test only): an exp or nbf that is a JSON number beyond float range
// (1e400, -1e400) is dropped as if absent, as readers that check only the
// time claims they could decode do.
func TimeClaimsOutOfRangeAbsent() Defect {
	return func(d *defects) { d.timeClaimsOutOfRangeAbsent = true }
}

// TokenAlwaysFromPassword is the fault jwt-token-always-from-password
// (self-test only): The JWT is always read from the Password, so `from:
// username` has no effect.
func TokenAlwaysFromPassword() Defect { return func(d *defects) { d.tokenAlwaysFromPassword = true } }

// TokenAlwaysFromUsername is the fault jwt-token-always-from-username
// (self-test only): The JWT is always read from the Username, whatever
// `from` says, so a token in the Password is never seen.
func TokenAlwaysFromUsername() Defect { return func(d *defects) { d.tokenAlwaysFromUsername = true } }

// TokenFromEitherField is the fault jwt-token-from-either-field (self-test
// only): A token that does not verify in the configured field is tried
// again from the other CONNECT field.
func TokenFromEitherField() Defect { return func(d *defects) { d.tokenFromEitherField = true } }

// TokenFromOtherFieldWhenMissing is the fault
// jwt-token-from-other-field-when-missing (self-test only): With the
// configured field absent, the JWT is read from the other CONNECT field
// instead of following on_missing_jwt.
func TokenFromOtherFieldWhenMissing() Defect {
	return func(d *defects) { d.tokenFromOtherFieldWhenMissing = true }
}

// TrustHeaderJWK is the fault trust-header-jwk (self-test only): A public
// key embedded in the token header (jwk) is trusted to verify the token.
func TrustHeaderJWK() Defect { return func(d *defects) { d.trustHeaderJWK = true } }

// TrustHeaderKeys is the fault trust-header-keys (self-test only): Keys the
// token header names by x5c (a certificate), jku (a JWK Set URL) or x5u (a
// certificate URL) are fetched and trusted to verify the token.
func TrustHeaderKeys() Defect { return func(d *defects) { d.trustHeaderKeys = true } }

// UnknownPlaceholdersEmpty is the fault
// verify-claims-unknown-placeholders-empty (self-test only): Placeholders
// other than ${clientid} and ${username} in verify_claims render as empty
// instead of staying literal.
func UnknownPlaceholdersEmpty() Defect { return func(d *defects) { d.unknownPlaceholdersEmpty = true } }

// VerifyClaimsCaseInsensitive is the fault verify-claims-case-insensitive
// (self-test only): verify_claims values are compared without regard to
// case ("ACME" matches "acme").
func VerifyClaimsCaseInsensitive() Defect {
	return func(d *defects) { d.verifyClaimsCaseInsensitive = true }
}

// VerifyClaimsNoTemplates is the fault verify-claims-no-templates
// (self-test only): ${clientid} and ${username} in verify_claims are not
// replaced: the template text itself is expected.
func VerifyClaimsNoTemplates() Defect { return func(d *defects) { d.verifyClaimsNoTemplates = true } }

// VerifyClaimsScalarText is the fault verify-claims-scalar-text (self-test
// only): A number or boolean claim matches the expected string that is its
// text ("uid": 123 matches "123").
func VerifyClaimsScalarText() Defect { return func(d *defects) { d.verifyClaimsScalarText = true } }
