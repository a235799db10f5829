package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/spf13/pflag"

	"github.com/authspec/authspec/loadgen"
	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/stats"
)

// loadOIDCFlags are `authspec load`'s flags for tokens from an OpenID
// Connect provider (--token-source oidc).
type loadOIDCFlags struct {
	source, listen, audience string
}

func (o *loadOIDCFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&o.source, "token-source", loadgen.TokenSourceMint,
		"jwt tokens: mint (signed by the generator) | oidc (each client's token from an OpenID Connect provider's token endpoint, client credentials grant; --alg RS256 or ES256; --tokens pool fetches them before the phase, fresh before each CONNECT; the results' info gives token_latency and token_failures apart from the CONNECT)")
	fl.StringVar(&o.listen, "oidc-listen", "", "where the provider serves with --token-source oidc (default: a free loopback port; a broker configured by hand needs its endpoint at http://ADDR/keys)")
	fl.StringVar(&o.audience, "oidc-audience", "mqtt-broker", "the aud of the provider's tokens (the broker's verify_claims)")
}

func (o *loadOIDCFlags) apply(c *loadgen.Config) {
	c.TokenSource, c.OIDCListen, c.OIDCAudience = o.source, o.listen, o.audience
}

// tokenInfo is what workload.OIDC reports in a phase's info.
type tokenInfo struct {
	Source   string            `json:"token_source"`
	Endpoint string            `json:"token_endpoint"`
	Requests int64             `json:"token_requests"`
	Latency  stats.Summary     `json:"token_latency"`
	Failures map[string]int    `json:"token_failures"`
	Examples map[string]string `json:"token_failure_examples"`
}

// writeTokenText prints, after the phases' summary, the token requests of
// each phase whose tokens came from a provider: issuance apart from the
// CONNECT, whose latency and service time the summary gives.
func writeTokenText(w io.Writer, run *results.Run) {
	for _, p := range run.Phases {
		raw, err := json.Marshal(p.Info)
		var ti tokenInfo
		if err != nil || json.Unmarshal(raw, &ti) != nil || ti.Source != loadgen.TokenSourceOIDC {
			continue
		}
		l := ti.Latency
		fmt.Fprintf(w, "\n%s tokens from %s: %d requests, latency ms p50 %.3f p90 %.3f p99 %.3f max %.3f\n",
			p.Name, ti.Endpoint, ti.Requests, l.P50MS, l.P90MS, l.P99MS, l.MaxMS)
		for _, cause := range slices.Sorted(maps.Keys(ti.Failures)) {
			fmt.Fprintf(w, "  token failures %s: %d (e.g. %s)\n", cause, ti.Failures[cause], ti.Examples[cause])
		}
	}
}
