package loadgen

import (
	"fmt"

	"github.com/authspec/authspec/loadgen/workload"
)

// Token sources of the jwt workload (Config.TokenSource).
const (
	// TokenSourceMint: the generator signs each client's token itself.
	TokenSourceMint = "mint"
	// TokenSourceOIDC: each client gets its token from an OpenID Connect
	// provider's token endpoint (workload.OIDC), which the run serves.
	TokenSourceOIDC = workload.TokenSourceOIDC
)

// oidcAlgs are the algorithms the provider signs with.
var oidcAlgs = []string{"RS256", "ES256"}

// validateTokenSource checks the token source of a jwt phase.
func (c Config) validateTokenSource() []error {
	switch c.TokenSource {
	case "", TokenSourceMint:
		return nil
	case TokenSourceOIDC:
	default:
		return []error{fmt.Errorf("unknown token source %q (known: mint, oidc)", c.TokenSource)}
	}
	var errs []error
	for _, a := range c.Algs {
		if a != oidcAlgs[0] && a != oidcAlgs[1] {
			errs = append(errs, fmt.Errorf("--token-source oidc: the provider signs with %v, not %s", oidcAlgs, a))
		}
	}
	if c.Shard.Split() && c.OIDCListen == "" {
		errs = append(errs, fmt.Errorf("--token-source oidc with shards needs --oidc-listen: the broker fetches keys from one provider"))
	}
	return errs
}

// oidcWorkload is the jwt workload with tokens from the provider.
func (r *runner) oidcWorkload(alg string) (workload.Workload, error) {
	return workload.NewOIDC(workload.OIDCOptions{Alg: alg, Tokens: r.cfg.Tokens, Listen: r.cfg.OIDCListen,
		Audience: r.cfg.OIDCAudience, TokenTimeout: r.cfg.Timeout, Names: r.names})
}
