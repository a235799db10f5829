package loadgen

import (
	"testing"

	"github.com/authspec/authspec/loadgen/stats"
	"github.com/authspec/authspec/loadgen/workload"
)

// Tokens from the provider, fetched before each CONNECT: every attempt is
// accepted, and the phase reports the token requests apart from the
// CONNECTs (their latency in info, the CONNECT's in the phase).
func TestOIDCTokensAgainstReference(t *testing.T) {
	c := quick()
	c.Rate, c.Concurrency = 0, 4
	c.Algs, c.TokenSource, c.Tokens = []string{"RS256"}, TokenSourceOIDC, workload.TokensFresh
	res := run(t, c, startReference(t))
	p := res.Run.Phases[0]
	if p.Name != "jwt-oidc-RS256" || p.Succeeded != 40 || p.Failed != 0 {
		t.Fatalf("phase %s: %d accepted, %d failed (%v), want 40 accepted", p.Name, p.Succeeded, p.Failed, p.Examples)
	}
	lat, ok := p.Info["token_latency"].(stats.Summary)
	if !ok || lat.Count != 40 || lat.P50MS <= 0 {
		t.Errorf("token_latency = %#v, want 40 token requests measured", p.Info["token_latency"])
	}
	if p.Service.Count != 40 {
		t.Errorf("service time of %d CONNECTs, want 40", p.Service.Count)
	}
}

func TestOIDCTokenSourceValidation(t *testing.T) {
	c := quick()
	c.TokenSource, c.Algs = TokenSourceOIDC, []string{"HS256"}
	if err := c.Validate(); err == nil {
		t.Error("--token-source oidc with HS256 was accepted")
	}
	c.TokenSource = "vault"
	if err := c.Validate(); err == nil {
		t.Error("an unknown token source was accepted")
	}
}
