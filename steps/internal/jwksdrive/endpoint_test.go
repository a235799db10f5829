package jwksdrive

import (
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/tokens"
)

func start(t *testing.T) *Endpoint {
	t.Helper()
	e, err := Start(tokens.NewKeyring(), "127.0.0.1:0", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e
}

// fetch GETs url as a broker does (connection: close, the whole answer
// read) and returns the status and body.
func fetch(t *testing.T, url string, timeout time.Duration) (int, []byte, error) {
	t.Helper()
	return fetchTrusting(t, url, timeout, nil)
}

// fetchTrusting is fetch with the endpoint's certificate trusted.
func fetchTrusting(t *testing.T, url string, timeout time.Duration, roots *x509.CertPool) (int, []byte, error) {
	t.Helper()
	c := &http.Client{Timeout: timeout, Transport: &http.Transport{DisableKeepAlives: true,
		TLSClientConfig: &tls.Config{RootCAs: roots}}}
	resp, err := c.Get(url)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// kids reads the kids of a served set.
func kids(t *testing.T, body []byte) []string {
	t.Helper()
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		t.Fatalf("not a set: %s (%v)", body, err)
	}
	var out []string
	for _, k := range set.Keys {
		kid, _ := k["kid"].(string)
		out = append(out, kid)
	}
	return out
}

// The endpoint names keys from the scenario's keyring and serves them,
// with oct keys, on both its URLs; a valid token is signed by the first
// served key pair.
func TestEndpointServesTheScenariosKeys(t *testing.T) {
	e := start(t)
	if _, err := e.SigningKey(); !errors.Is(err, ErrNoSigningKey) {
		t.Fatalf("expected no signing key before the scenario names one, got %v", err)
	}
	k1, err := e.Define("k1", "ES256")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Define("k1", "RS256"); err == nil {
		t.Error("expected k1 redefined with another algorithm to be refused")
	}
	if k, err := e.SigningKey(); err != nil || k != k1 {
		t.Errorf("expected the first named key to sign before any is served, got %v %v", k, err)
	}
	e.ServeOct("o1", "secret")
	if err := e.Serve("k2", "RS256"); err != nil {
		t.Fatal(err)
	}
	if err := e.Publish(k1); err != nil {
		t.Fatal(err)
	}
	if k, err := e.SigningKey(); err != nil || k.Name != "k2" {
		t.Errorf("expected the first served key pair (k2) to sign, got %v %v", k, err)
	}
	for _, url := range []string{e.Setup().URL, e.Setup().HTTPSURL} {
		status, body, err := fetchTrusting(t, url, 5*time.Second, e.Server().CertPool())
		if err != nil || status != 200 || strings.Join(kids(t, body), ",") != "o1,k2,k1" {
			t.Fatalf("GET %s: %d %v, kids %v", url, status, err, kids(t, body))
		}
	}
	if secret, err := e.OctSecret("o1"); err != nil || string(secret) != "secret" {
		t.Errorf("expected the oct secret, got %q %v", secret, err)
	}
	if _, err := e.OctSecret("k1"); err == nil {
		t.Error("expected a key pair to have no oct secret")
	}
	if err := e.Unserve("k2"); err != nil {
		t.Fatal(err)
	}
	if err := e.Unserve("k2"); err == nil {
		t.Error("expected unserving a key no longer served to fail")
	}
	if k, err := e.SigningKey(); err != nil || k != k1 {
		t.Errorf("expected k1 to sign once k2 is gone, got %v %v", k, err)
	}
	if s := e.Setup(); !strings.HasPrefix(s.HTTPSURL, "https://127.0.0.1:") || len(s.CACertPEM) == 0 {
		t.Errorf("expected an HTTPS twin with its certificate, got %+v", s)
	}
}

// Listed keys carry the JWK members the scenario gives them; the recipe's
// set is n RSA keys with "alg": "RSA256" and "use": "sig".
func TestListedKeysAndTheRecipe(t *testing.T) {
	e := start(t)
	if err := e.ServeKeys(KeySpec{KID: "a", Alg: "EdDSA", JWKAlg: "ES256", Use: "enc"}, KeySpec{KID: "b", Alg: "ES256"}); err != nil {
		t.Fatal(err)
	}
	a, _ := e.Key("a")
	jwk, err := a.PublicJWK()
	if err != nil || !strings.Contains(string(jwk), `"alg":"ES256"`) || !strings.Contains(string(jwk), `"use":"enc"`) {
		t.Errorf("key a's JWK %s (%v): expected the listed alg and use", jwk, err)
	}
	b, _ := e.Key("b")
	if jwk, _ := b.PublicJWK(); strings.Contains(string(jwk), `"use"`) || strings.Contains(string(jwk), `"alg"`) {
		t.Errorf("key b's JWK %s: expected no alg or use", jwk)
	}
	for _, n := range []int{0, MaxRecipeKeys + 1} {
		if err := e.ServeRecipe(n); err == nil {
			t.Errorf("a recipe of %d keys was accepted", n)
		}
	}
	if err := e.ServeRecipe(2); err != nil {
		t.Fatal(err)
	}
	k2, err := e.Key("2")
	if err != nil || k2.Alg != "RS256" || k2.Pair.Kind != tokens.RSA {
		t.Fatalf("recipe key 2: %+v %v", k2, err)
	}
	if jwk, _ := k2.PublicJWK(); !strings.Contains(string(jwk), `"alg":"RSA256"`) || !strings.Contains(string(jwk), `"use":"sig"`) {
		t.Errorf("recipe key JWK %s", jwk)
	}
	_, body, _ := fetch(t, e.Setup().URL, 5*time.Second)
	if got := strings.Join(kids(t, body), ","); got != "a,b,1,2" {
		t.Errorf("served kids %s, want a,b,1,2", got)
	}
}

// The outsider has the signing key's kind, algorithm and kid, and another
// key pair.
func TestOutsiderIsNotServed(t *testing.T) {
	e := start(t)
	if _, err := e.Outsider(); err == nil {
		t.Fatal("an outsider without a signing key")
	}
	if err := e.Serve("k1", "ES384"); err != nil {
		t.Fatal(err)
	}
	k1, _ := e.Key("k1")
	o, err := e.Outsider()
	if err != nil {
		t.Fatal(err)
	}
	if o.KID != "k1" || o.Alg != "ES384" || o.Pair.Kind != k1.Pair.Kind || o.Pair.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(k1.Pair.Public()) {
		t.Errorf("outsider %+v: want kid k1, ES384, another key pair", o)
	}
}

func TestRefreshWaitAndInterval(t *testing.T) {
	floor := 10 * time.Second
	cases := []struct {
		config   map[string]any
		wait     time.Duration
		interval string
	}{
		{nil, DefaultRefresh, "300 (default)"},
		{map[string]any{"refresh_interval": 1}, floor, "1"},
		{map[string]any{"refresh_interval": 30.5}, 30500 * time.Millisecond, "30.5"},
		{map[string]any{"refresh_interval": "nonsense"}, DefaultRefresh, "nonsense"},
		{map[string]any{"refresh_interval": -1}, DefaultRefresh, "-1"},
	}
	for _, c := range cases {
		if got := RefreshWait(c.config, floor); got != c.wait {
			t.Errorf("RefreshWait(%v) = %s, want %s", c.config, got, c.wait)
		}
		if got := RefreshInterval(c.config); got != c.interval {
			t.Errorf("RefreshInterval(%v) = %q, want %q", c.config, got, c.interval)
		}
	}
	if StatusOr200("") != 200 || StatusOr200("404") != 404 {
		t.Error("StatusOr200")
	}
}

func bounded(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
