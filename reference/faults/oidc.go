package faults

// Faults seen in brokers that take their keys from an OpenID Connect
// provider's jwks_uri (JWT-OIDC). The JWT authenticator
// (reference/authn/jwtauth) applies them to the keys of its JWKS source.
const (
	// OIDCRSAKeysOnly uses only the RSA keys of the set, as brokers that
	// were only ever tried with RS256 providers do: an ES256 provider's
	// tokens give a backend failure.
	OIDCRSAKeysOnly Name = "oidc-rsa-keys-only"
	// OIDCLastKeyOnly uses only the last key of the set, as if the newest
	// key were the only one that signs: during a rotation the tokens of
	// the old key, still published, give a backend failure.
	OIDCLastKeyOnly Name = "oidc-last-key-only"
	// OIDCKeysFromTokenIssuer, when no key of the set verifies a token,
	// fetches the discovery document of the token's own iss and tries the
	// keys at its jwks_uri: anyone who runs a provider can sign tokens the
	// broker verifies.
	OIDCKeysFromTokenIssuer Name = "oidc-keys-from-token-issuer"
)

var oidcFaults = []Def{
	{Name: OIDCRSAKeysOnly, IDs: []string{"JWT-OIDC-01"},
		Doc: "JWKS: only the RSA keys of the set verify tokens; EC keys (an ES256 provider's) are skipped"},
	{Name: OIDCLastKeyOnly, IDs: []string{"JWT-OIDC-03"},
		Doc: "JWKS: only the last key of the set verifies tokens, so during a rotation the old key's tokens give a backend failure"},
	{Name: OIDCKeysFromTokenIssuer, IDs: []string{"JWT-OIDC-02"},
		Doc: "JWKS: a token no key of the set verifies is checked with the keys of its own iss's discovery document (any provider's tokens verify)"},
}
