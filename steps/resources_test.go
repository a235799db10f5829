package steps

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// bareScenario is a scenario before its first step, on a target that
// declares no fixed addresses (every server takes a free loopback port).
func bareScenario(t *testing.T) *scenario {
	t.Helper()
	st := &scenario{suite: &Suite{}, keys: tokens.NewKeyring(), trace: mqttwire.NewTrace(), client: newClientSpec()}
	t.Cleanup(func() {
		if st.jwks != nil {
			_ = st.jwks.Close()
		}
		if st.scram != nil && st.scram.backend != nil {
			_ = st.scram.backend.Close()
		}
		if st.oidc != nil {
			_ = st.oidc.Close()
		}
	})
	return st
}

// A configuration's placeholders start the servers they name, and only
// those; the Setup then tells the target where they listen.
func TestStartNamedStartsWhatTheConfigurationNames(t *testing.T) {
	st := bareScenario(t)
	chain := []map[string]any{
		{"mechanism": "jwt", "use_jwks": true, "endpoint": "<jwks endpoint>"},
		{"mechanism": "scram", "backend": "http", "url": "<scram backend url>/auth?u=${username}"},
	}
	if err := st.startNamed(chain, map[string]any(nil)); err != nil {
		t.Fatal(err)
	}
	if st.jwks == nil || !strings.HasPrefix(st.setup.JWKS.URL, "http://127.0.0.1:") {
		t.Errorf("expected the JWKS endpoint started and in the Setup, got %+v", st.setup.JWKS)
	}
	if st.scram == nil || st.scram.backend == nil || st.setup.ScramBackendURL == "" {
		t.Errorf("expected the SCRAM backend started and in the Setup, got %q", st.setup.ScramBackendURL)
	}
	if st.oidc != nil {
		t.Error("expected no OIDC provider: the configuration names none")
	}
	// Naming them again starts nothing new.
	jwks, backend := st.jwks, st.scram.backend
	if err := st.startNamed(chain); err != nil || st.jwks != jwks || st.scram.backend != backend {
		t.Errorf("expected the same servers on second use, err %v", err)
	}
}

func TestStartNamedIgnoresOtherValues(t *testing.T) {
	st := bareScenario(t)
	chain := []map[string]any{{"mechanism": "jwt", "secret": "<jwks endpoint> is not a whole value", "public_key": "<rsa public key>"}}
	if err := st.startNamed(chain); err != nil {
		t.Fatal(err)
	}
	if st.jwks != nil || st.scram != nil || st.oidc != nil {
		t.Error("expected no server for a configuration that names none")
	}
}

// A step that uses the JWKS endpoint works without anything having
// started it before the scenario: the endpoint starts on first use and
// serves what the step defined.
func TestJWKSEndpointStartsOnFirstUse(t *testing.T) {
	st := bareScenario(t)
	f, err := st.jwksEndpoint()
	if err != nil {
		t.Fatal(err)
	}
	again, err := st.jwksEndpoint()
	if err != nil || again != f {
		t.Fatalf("expected the same endpoint on second use, err %v", err)
	}
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(st.setup.JWKS.URL)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("expected 200 from the endpoint started on first use, got %d", resp.StatusCode)
	}
}

// A SCRAM backend step works without a backend started before the
// scenario.
func TestScramBackendStartsOnFirstUse(t *testing.T) {
	st := bareScenario(t)
	b, err := st.scramBackend()
	if err != nil {
		t.Fatal(err)
	}
	if st.setup.ScramBackendURL != b.URL() {
		t.Errorf("expected the Setup to name %s, got %q", b.URL(), st.setup.ScramBackendURL)
	}
}

// An OpenID placeholder starts the provider, whose jwks_uri and issuer the
// Setup then names.
func TestStartNamedStartsTheOIDCProvider(t *testing.T) {
	st := bareScenario(t)
	chain := []map[string]any{{"mechanism": "jwt", "use_jwks": true, "endpoint": target.OIDCJWKSURIPlaceholder}}
	if err := st.startNamed(chain); err != nil {
		t.Fatal(err)
	}
	if st.oidc == nil || st.jwks != nil || st.scram != nil {
		t.Fatalf("expected the OIDC provider alone, got oidc %v jwks %v scram %v", st.oidc != nil, st.jwks != nil, st.scram != nil)
	}
	if s := st.setup.OIDC; s.JWKSURI == "" || !strings.HasPrefix(s.JWKSURI, s.Issuer) || s.Audience == "" {
		t.Errorf("the Setup names %+v", s)
	}
}
