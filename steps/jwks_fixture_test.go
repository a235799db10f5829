package steps

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// nowhere is a target the fixture tests never provision.
type nowhere struct{}

func (nowhere) Name() string { return "nowhere" }
func (nowhere) Provision(context.Context, target.Setup) (target.Instance, error) {
	return nil, target.NotApplicable("test target")
}

func testFixture(t *testing.T) *jwksFixture {
	t.Helper()
	f, err := startJWKSFixture(&scenario{suite: &Suite{Target: nowhere{}}, keys: tokens.NewKeyring()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.close() })
	return f
}

func get(t *testing.T, url string) (int, []byte, error) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// The fixture names keys from the scenario's keyring and serves them, with
// oct keys, through fixtures/jwksserver on both endpoints; a valid token is
// signed by the first served key pair. (The endpoint's model and its fetch
// observation are fixtures/jwksserver's, tested there.)
func TestJWKSFixtureServesTheScenariosKeys(t *testing.T) {
	f := testFixture(t)
	if _, err := f.signingKey(); err == nil {
		t.Fatal("expected no signing key before the scenario names one")
	}
	k1, err := f.define("k1", "ES256")
	if err != nil {
		t.Fatal(err)
	}
	k2, err := f.define("k2", "RS256")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.define("k1", "RS256"); err == nil {
		t.Error("expected k1 redefined with another algorithm to be refused")
	}
	if k, err := f.signingKey(); err != nil || k != k1 {
		t.Errorf("expected the first named key to sign before any is served, got %v %v", k, err)
	}
	f.serveOct("o1", "secret")
	if err := f.publish(k2, k1); err != nil {
		t.Fatal(err)
	}
	if k, err := f.signingKey(); err != nil || k != k2 {
		t.Errorf("expected the first served key pair (k2) to sign, got %v %v", k, err)
	}
	status, body, err := get(t, f.endpoint().URL)
	if err != nil || status != 200 {
		t.Fatalf("GET: %d %v", status, err)
	}
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil || len(set.Keys) != 3 {
		t.Fatalf("expected three keys, got %s (%v)", body, err)
	}
	for i, want := range []string{"o1", "k2", "k1"} {
		if set.Keys[i]["kid"] != want {
			t.Errorf("key %d: expected kid %s, got %v", i, want, set.Keys[i]["kid"])
		}
	}
	if secret, err := f.octSecret("o1"); err != nil || string(secret) != "secret" {
		t.Errorf("expected the oct secret, got %q %v", secret, err)
	}
	if err := f.unserve("k2"); err != nil {
		t.Fatal(err)
	}
	if err := f.unserve("k2"); err == nil {
		t.Error("expected unserving a key no longer served to fail")
	}
	if k, err := f.signingKey(); err != nil || k != k1 {
		t.Errorf("expected k1 to sign once k2 is gone, got %v %v", k, err)
	}
	if e := f.endpoint(); e.HTTPSURL == "" || len(e.CACertPEM) == 0 {
		t.Errorf("expected an HTTPS endpoint with its certificate, got %+v", e)
	}
}
