package target

import (
	"fmt"
	"net"
)

// What OpenID Connect scenarios (JWT-OIDC) need from a target beyond the
// authentication chain.

// OIDCProvider is the OpenID Connect provider the suite serves for one
// scenario (the step layer runs it; the broker fetches its keys from
// jwks_uri). The placeholders stand for it in a configuration:
//
//	"<oidc jwks_uri>"   JWKSURI, as the provider's discovery document gives it
//	"<oidc issuer>"     Issuer, the tokens' iss
//	"<oidc audience>"   Audience, the aud of the tokens issued for the broker
type OIDCProvider struct {
	Issuer   string
	JWKSURI  string
	Audience string
}

// DefaultOIDCAudience is the audience of the tokens the suite's provider
// issues for the broker, unless the target names another.
const DefaultOIDCAudience = "mqtt-broker"

// OIDCHost is implemented by targets whose broker was configured once
// with a provider's jwks_uri, issuer and audience (a by-hand profile's
// serve.oidc_listen and the declared verify_claims): the suite serves its
// provider exactly there, with that issuer, for that audience.
type OIDCHost interface {
	// OIDCListen is the provider's address ("" when the target has none).
	OIDCListen() string
	// OIDCIssuer and OIDCAudience are the iss and aud the broker checks.
	OIDCIssuer() string
	OIDCAudience() string
}

// OIDCListen is where the suite's provider listens for t: the target's
// address, else a free port on the host where t's JWKS endpoint listens
// (a broker that reaches one reaches the other).
func OIDCListen(t Target) string {
	if h, ok := t.(OIDCHost); ok && h.OIDCListen() != "" {
		return h.OIDCListen()
	}
	return JWKSHTTPSListen(t)
}

// OIDCIssuer is the issuer the suite's provider must use for t ("": the
// provider's own address).
func OIDCIssuer(t Target) string {
	if h, ok := t.(OIDCHost); ok && h.OIDCListen() != "" {
		return h.OIDCIssuer()
	}
	return ""
}

// OIDCAudience is the audience of the tokens the broker of t accepts.
func OIDCAudience(t Target) string {
	if h, ok := t.(OIDCHost); ok && h.OIDCListen() != "" && h.OIDCAudience() != "" {
		return h.OIDCAudience()
	}
	return DefaultOIDCAudience
}

// OIDCOtherListen is where a second provider (another issuer, whose keys
// the broker never fetches) listens: a free port on the same host.
func OIDCOtherListen(t Target) string {
	host, _, err := net.SplitHostPort(OIDCListen(t))
	if err != nil {
		return DefaultJWKSListen
	}
	return net.JoinHostPort(host, "0")
}

const (
	OIDCJWKSURIPlaceholder  = "<oidc jwks_uri>"
	OIDCIssuerPlaceholder   = "<oidc issuer>"
	OIDCAudiencePlaceholder = "<oidc audience>"
)

func isOIDCPlaceholder(s string) bool {
	return s == OIDCJWKSURIPlaceholder || s == OIDCIssuerPlaceholder || s == OIDCAudiencePlaceholder
}

// oidcValue resolves an OIDC placeholder; ok is false for any other string.
func (r Resolver) oidcValue(p string) (value string, ok bool, err error) {
	if !isOIDCPlaceholder(p) {
		return "", false, nil
	}
	v := map[string]string{
		OIDCJWKSURIPlaceholder:  r.OIDC.JWKSURI,
		OIDCIssuerPlaceholder:   r.OIDC.Issuer,
		OIDCAudiencePlaceholder: r.OIDC.Audience,
	}[p]
	if v == "" {
		return "", true, fmt.Errorf(`placeholder %s: the scenario serves no OpenID Connect provider (describe it with "the OIDC provider signs with ...")`, p)
	}
	return v, true, nil
}
