package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/spf13/pflag"

	"github.com/authspec/authspec/fixtures/oidcprovider"
)

// serveOIDC is `authspec serve --oidc-provider ADDR`: an OpenID Connect
// provider beside the reference, so a person can try "get a token, then
// connect" by hand with curl and mosquitto_pub.
type serveOIDC struct {
	listen, alg, clientID, secret, audience string
	lifetime                                time.Duration
}

func (o *serveOIDC) flags(f *pflag.FlagSet) {
	f.StringVar(&o.listen, "oidc-provider", "", "also serve an OpenID Connect provider on this address (e.g. 127.0.0.1:18100); without --config the broker takes its keys from it")
	f.StringVar(&o.alg, "oidc-alg", "RS256", "the provider's signing algorithm: RS256 | ES256")
	f.StringVar(&o.clientID, "oidc-client-id", "device-1", "the OAuth client registered at the provider (client credentials grant)")
	f.StringVar(&o.secret, "oidc-client-secret", "device-1-secret", "that client's secret")
	f.StringVar(&o.audience, "oidc-audience", "mqtt-broker", "the aud of the provider's tokens, which the broker checks")
	f.DurationVar(&o.lifetime, "oidc-token-lifetime", time.Hour, "how long the provider's tokens are valid")
}

// start runs the provider with one key and one client.
func (o *serveOIDC) start() (*oidcprovider.Provider, error) {
	k, err := oidcprovider.GenerateKey(jose.SignatureAlgorithm(o.alg), "authspec-"+o.alg)
	if err != nil {
		return nil, usageError("--oidc-alg: %v", err)
	}
	if o.lifetime <= 0 {
		return nil, usageError("--oidc-token-lifetime must be positive, got %s", o.lifetime)
	}
	p, err := oidcprovider.Start(oidcprovider.Options{Listen: o.listen, TokenLifetime: o.lifetime})
	if err != nil {
		return nil, usageError("--oidc-provider: %v", err)
	}
	p.AddClient(oidcprovider.Client{ID: o.clientID, Secret: o.secret, Audience: []string{o.audience}})
	p.Rotate(k)
	return p, nil
}

// config is the broker's configuration when none is given: a JWKS
// authenticator on the provider's jwks_uri, bound to its issuer and the
// audience (JWT-OIDC-01).
func (o *serveOIDC) config(p *oidcprovider.Provider) []byte {
	cfg, _ := json.Marshal([]map[string]any{{
		"mechanism": "jwt", "from": "password", "use_jwks": true,
		"endpoint": p.JWKSURI(), "refresh_interval": 10,
		"verify_claims": map[string]string{"iss": p.Issuer(), "aud": o.audience},
	}})
	return cfg
}

func (o *serveOIDC) describe(w io.Writer, p *oidcprovider.Provider) {
	fmt.Fprintf(w, "authspec OIDC provider: issuer %s, discovery %s, jwks_uri %s, token endpoint %s\n",
		p.Issuer(), p.DiscoveryURL(), p.JWKSURI(), p.TokenURL())
	fmt.Fprintf(w, "  get a token: curl -s -u %s:%s -d grant_type=client_credentials %s\n", o.clientID, o.secret, p.TokenURL())
}
