package faults

// Faults of the JWT authenticator (reference/authn/jwtauth). Each breaks one
// behaviour the way a real buggy broker would; IDs are the catalogue IDs
// whose scenarios observe it.
const (
	TokenAlwaysFromUsername  Name = "jwt-token-always-from-username"
	TokenAlwaysFromPassword  Name = "jwt-token-always-from-password"
	MissingJWTAccept         Name = "missing-jwt-accept"
	JWTIgnoresMQTT3          Name = "jwt-ignores-mqtt3"
	JWTHandlesAuthMethod     Name = "jwt-handles-auth-method"
	EmptyPasswordIsMissing   Name = "empty-password-is-missing"
	LenientTokenFormat       Name = "lenient-token-format"
	HMACOnlyHS256            Name = "hmac-hs256-only"
	SkipSignature            Name = "skip-signature"
	HMACIgnoreSecretBase64   Name = "hmac-ignore-secret-base64"
	HMACAcceptInvalidBase64  Name = "hmac-accept-invalid-base64"
	AcceptAlgNone            Name = "accept-alg-none"
	StrictKidTyp             Name = "reject-kid-and-typ"
	PKDocsAlgsOnly           Name = "pk-docs-algs-only"
	PKAcceptsHMAC            Name = "pk-accepts-hmac"
	PKLazyKeyParse           Name = "pk-lazy-key-parse"
	SkipExp                  Name = "skip-exp"
	ExpInclusive             Name = "exp-inclusive"
	SkipNbf                  Name = "skip-nbf"
	CheckIat                 Name = "check-iat"
	RequireExp               Name = "require-exp"
	TimeClaimsNumbersOnly    Name = "time-claims-numbers-only"
	IgnoreClientIDOverride   Name = "ignore-clientid-override"
	FractionalExpTruncated   Name = "fractional-exp-truncated"
	IgnoreVerifyClaims       Name = "ignore-verify-claims"
	VerifyClaimsNoTemplates  Name = "verify-claims-no-templates"
	UnknownPlaceholdersEmpty Name = "verify-claims-unknown-placeholders-empty"
	AudStringOnly            Name = "aud-string-only"
	ClaimsBeforeSignature    Name = "claims-before-signature"
	AllowEmptyClaimName      Name = "allow-empty-claim-name"
	AlgCaseInsensitive       Name = "alg-case-insensitive"
	TrustHeaderJWK           Name = "trust-header-jwk"
	SuperuserBoolOnly        Name = "superuser-bool-only"
	SuperuserTruthy          Name = "superuser-truthy"
	ClientAttrsIgnored       Name = "client-attrs-ignored"
	ClientAttrsKeepBadKeys   Name = "client-attrs-keep-invalid-keys"
	ClientAttrsStringified   Name = "client-attrs-stringified"
	DisconnectSettingIgnored Name = "disconnect-after-expire-ignored"
	ECDSAPsychicSignatures   Name = "ecdsa-psychic-signatures"
	PSSSaltLengthAuto        Name = "pss-salt-length-auto"
	TrustHeaderKeys          Name = "trust-header-keys"
)

// jwtFaults are the faults of the jwt area.
var jwtFaults = []Def{
	{TokenAlwaysFromUsername, []string{"JWT-SRC-01"},
		"The JWT is always read from the Username, whatever `from` says, so a token in the Password is never seen."},
	{TokenAlwaysFromPassword, []string{"JWT-SRC-02"},
		"The JWT is always read from the Password, so `from: username` has no effect."},
	{MissingJWTAccept, []string{"JWT-SRC-03"},
		"A CONNECT without a token in the configured field is accepted instead of following on_missing_jwt."},
	{JWTIgnoresMQTT3, []string{"JWT-SRC-04"},
		"The JWT authenticator only handles MQTT 5 clients and ignores MQTT 3.1.1 clients."},
	{JWTHandlesAuthMethod, []string{"JWT-SRC-05"},
		"The JWT authenticator verifies the Password of an MQTT 5 CONNECT that carries an Authentication-Method instead of ignoring it."},
	{EmptyPasswordIsMissing, []string{"JWT-SRC-06"},
		"A zero-length Password counts as no token, so on_missing_jwt decides instead of a backend failure."},
	{LenientTokenFormat, []string{"JWT-SRC-07"},
		"A `Bearer ` prefix, `=` padding, whitespace, line breaks, NUL bytes and a trailing dot are stripped and `+/` read as `-_` before the token is parsed, and a JWE is decrypted with the secret."},
	{HMACOnlyHS256, []string{"JWT-HMAC-01"},
		"The HMAC authenticator accepts only HS256: HS384 and HS512 tokens give a backend failure."},
	{SkipSignature, []string{"JWT-HMAC-02", "JWT-PK-02", "JWT-PK-05", "JWT-VC-08", "JWT-JWKS-04", "SEC-02", "SEC-04", "SEC-05"},
		"The token's signature is not checked (its alg still is): any secret or key, or an altered token, is accepted."},
	{HMACIgnoreSecretBase64, []string{"JWT-HMAC-03", "JWT-HMAC-04"},
		"secret_base64_encoded is ignored: the secret's literal text is the HMAC key, and a secret that is not base64 is accepted."},
	{HMACAcceptInvalidBase64, []string{"JWT-HMAC-04"},
		"A secret that is not valid base64 with secret_base64_encoded: true is used as raw text instead of being refused."},
	{AcceptAlgNone, []string{"JWT-HMAC-06", "JWT-PK-03", "SEC-01"},
		"A token with alg `none` (any capitalisation) is accepted in every mode, whatever its signature segment holds."},
	{StrictKidTyp, []string{"JWT-HMAC-08"},
		"In HMAC and public-key modes a token whose header names a `kid`, or has a `typ` other than JWT, gives a backend failure."},
	{PKDocsAlgsOnly, []string{"JWT-PK-01"},
		"The public-key authenticator accepts only the documented RS* and ES* algorithms, not PS* or EdDSA."},
	{PKAcceptsHMAC, []string{"JWT-PK-03"},
		"The public-key authenticator also accepts HS* tokens, using the configured PEM text as the HMAC secret (key confusion)."},
	{PKLazyKeyParse, []string{"JWT-PK-04"},
		"A public key that does not parse is not refused when the authenticator is created; tokens then give a backend failure."},
	{SkipExp, []string{"JWT-CLAIM-01"},
		"The exp claim is not checked: expired tokens are accepted."},
	{ExpInclusive, []string{"JWT-CLAIM-06"},
		"A token whose exp equals the current second is still accepted."},
	{SkipNbf, []string{"JWT-CLAIM-02"},
		"The nbf claim is not checked: tokens not yet valid are accepted."},
	{CheckIat, []string{"JWT-CLAIM-03"},
		"A token whose iat is in the future is refused with 0x86."},
	{RequireExp, []string{"JWT-CLAIM-04", "JWT-HMAC-05", "JWT-EXP-01"},
		"A token without exp is refused with 0x86."},
	{TimeClaimsNumbersOnly, []string{"JWT-CLAIM-05"},
		"exp and nbf given as numeric strings are not converted, so such tokens are refused with 0x86."},
	{IgnoreClientIDOverride, []string{"JWT-CLAIM-08"},
		"The clientid_override claim is ignored: the client keeps the Client ID of its CONNECT."},
	{FractionalExpTruncated, []string{"JWT-CLAIM-09"},
		"A fractional exp with disconnect_after_expire is truncated to whole seconds instead of giving a backend failure."},
	{IgnoreVerifyClaims, []string{"JWT-VC-01", "JWT-VC-03", "JWT-VC-04", "JWT-VC-07"},
		"verify_claims (aud included) is not checked."},
	{VerifyClaimsNoTemplates, []string{"JWT-VC-02", "JWT-VC-05"},
		"${clientid} and ${username} in verify_claims are not replaced: the template text itself is expected."},
	{UnknownPlaceholdersEmpty, []string{"JWT-VC-06"},
		"Placeholders other than ${clientid} and ${username} in verify_claims render as empty instead of staying literal."},
	{AudStringOnly, []string{"JWT-VC-04"},
		"An aud claim that is an array is refused even when it contains the expected audience."},
	{ClaimsBeforeSignature, []string{"JWT-VC-08"},
		"Claims are checked before the signature, so an expired token with a bad signature gets 0x86 instead of 0x87."},
	{AllowEmptyClaimName, []string{"JWT-VC-09"},
		"A verify_claims entry with an empty claim name is accepted at configuration."},
	{AlgCaseInsensitive, []string{"SEC-06"},
		"The token's alg is compared case-insensitively, so hs256 or Rs256 is accepted."},
	{TrustHeaderJWK, []string{"SEC-03"},
		"A public key embedded in the token header (jwk) is trusted to verify the token."},
	{SuperuserBoolOnly, []string{"JWT-CLAIM-07"},
		"Only a JSON true in is_superuser makes a superuser: \"true\", \"1\" and integers >= 1 do not."},
	{SuperuserTruthy, []string{"JWT-CLAIM-07"},
		"Any is_superuser value but a JSON false makes a superuser (0, \"0\", \"yes\", 1.0 and null included)."},
	{ClientAttrsIgnored, []string{"JWT-ATTR-01"},
		"The client_attrs claim is ignored: the client gets no attributes."},
	{ClientAttrsKeepBadKeys, []string{"JWT-ATTR-02"},
		"client_attrs entries whose key is not a restricted string are kept instead of dropped."},
	{ClientAttrsStringified, []string{"JWT-ATTR-03"},
		"client_attrs values that are not strings are converted to their JSON text, and a client_attrs that is not an object is ignored, instead of failing the authentication."},
	{DisconnectSettingIgnored, []string{"JWT-EXP-02"},
		"disconnect_after_expire false is ignored: the client is disconnected at exp anyway."},
	{ECDSAPsychicSignatures, []string{"SEC-02"},
		"An ECDSA signature with r = s = 0 verifies any token (CVE-2022-21449, \"psychic signatures\")."},
	{TrustHeaderKeys, []string{"SEC-03"},
		"Keys the token header names by x5c (a certificate), jku (a JWK Set URL) or x5u (a certificate URL) are fetched and trusted to verify the token."},
	{PSSSaltLengthAuto, []string{"SEC-05"},
		"PS256/384/512 signatures are verified with any salt length (golang-jwt's default) instead of the hash length RFC 7518 requires."},
}
