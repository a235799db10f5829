package byhand

import (
	"fmt"
	"net/url"

	"github.com/authspec/authspec/fixtures/oidcprovider"
	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/steps/target"
)

// A by-hand broker that takes its keys from the suite's OpenID Connect
// provider (JWT-OIDC) declares a JWKS authenticator whose endpoint is the
// provider's jwks_uri at serve.oidc_listen, and verify_claims naming the
// provider's issuer (http://<serve.oidc_listen>) and the broker's audience.
// The suite then serves its provider there, with that issuer, issuing
// tokens for that audience.

// oidcDeclared is the provider a declared authenticator uses.
type oidcDeclared struct {
	listen, issuer, audience string
}

// declareOIDC reads the provider from a JWKS authenticator whose endpoint
// is at serve.oidc_listen.
func declareOIDC(p *profile.Profile, cfg map[string]any) (oidcDeclared, error) {
	endpoint, _ := cfg["endpoint"].(string)
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme != "http" || u.Path != oidcprovider.KeysPath {
		return oidcDeclared{}, fmt.Errorf("endpoint: %q: the suite's OIDC provider (serve.oidc_listen: %s) publishes its keys at http://%s%s",
			endpoint, p.Serve.OIDCListen, p.Serve.OIDCListen, oidcprovider.KeysPath)
	}
	claims, err := claimsOf(cfg["verify_claims"])
	if err != nil {
		return oidcDeclared{}, err
	}
	iss, aud := claims["iss"], claims["aud"]
	issURL, err := url.Parse(iss)
	if iss == "" || aud == "" || err != nil || issURL.Scheme != "http" || !sameHostPort(issURL.Host, p.Serve.OIDCListen) ||
		(issURL.Path != "" && issURL.Path != "/") {
		return oidcDeclared{}, fmt.Errorf("verify_claims: a broker taking keys from the suite's OIDC provider checks iss (http://%s, the provider's issuer) and aud (any audience): got iss %q, aud %q",
			p.Serve.OIDCListen, iss, aud)
	}
	return oidcDeclared{listen: p.Serve.OIDCListen, issuer: iss, audience: aud}, nil
}

// atOIDC reports whether a declared endpoint is the suite's provider.
func (t *Target) atOIDC(endpoint any) bool {
	s, _ := endpoint.(string)
	u, err := url.Parse(s)
	return t.oidc.listen != "" && err == nil && sameHostPort(u.Host, t.oidc.listen)
}

// OIDCListen, OIDCIssuer and OIDCAudience are target.OIDCHost.
func (t *Target) OIDCListen() string   { return t.oidc.listen }
func (t *Target) OIDCIssuer() string   { return t.oidc.issuer }
func (t *Target) OIDCAudience() string { return t.oidc.audience }

// fitEndpointOIDC: "<oidc jwks_uri>" needs a broker fetching from the
// provider, and "<jwks endpoint>" one fetching from the JWKS endpoint.
func (t *Target) fitEndpointOIDC(w, h any) (bool, error) {
	ws, _ := w.(string)
	switch {
	case ws == target.OIDCJWKSURIPlaceholder && !t.atOIDC(h):
		return true, target.NotApplicable("needs the suite's OIDC provider's jwks_uri (serve.oidc_listen); the broker declares endpoint %s", show(h))
	case ws == target.OIDCJWKSURIPlaceholder:
		return true, nil
	case ws == jwksPlaceholder && t.atOIDC(h):
		return true, target.NotApplicable("needs the suite's JWKS endpoint; the broker declares the OIDC provider's jwks_uri %s", show(h))
	}
	return false, nil
}

// resolveOIDCClaims replaces "<oidc issuer>" and "<oidc audience>" in the
// scenario's verify_claims with the declared provider's values, so they
// compare with the declared claims.
func (t *Target) resolveOIDCClaims(w any) any {
	if t.oidc.listen == "" {
		return w
	}
	sub := func(v any) any {
		switch v {
		case target.OIDCIssuerPlaceholder:
			return t.oidc.issuer
		case target.OIDCAudiencePlaceholder:
			return t.oidc.audience
		}
		return v
	}
	switch vc := w.(type) {
	case map[string]any:
		out := make(map[string]any, len(vc))
		for k, v := range vc {
			out[k] = sub(v)
		}
		return out
	case []any:
		out := make([]any, len(vc))
		for i, item := range vc {
			if entry, ok := item.(map[string]any); ok {
				e := make(map[string]any, len(entry))
				for k, v := range entry {
					e[k] = v
				}
				e["value"] = sub(entry["value"])
				item = e
			}
			out[i] = item
		}
		return out
	}
	return w
}
