package forge

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

func hmacAuth(extra map[string]any) target.Applied {
	cfg := map[string]any{"mechanism": "jwt", "algorithm": "hmac-based", "secret": "emqxsecret"}
	for k, v := range extra {
		cfg[k] = v
	}
	return target.Applied{Config: cfg}
}

func decodeClaims(t *testing.T, tok string) map[string]any {
	t.Helper()
	_, p, _, err := tokens.Split(tok)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDefaultTokenVerifiesAndCarriesRenderedClaims(t *testing.T) {
	vc := map[string]any{"who": "${username}-${clientid}", "k": "${foo}", "n": json.Number("5")}
	m := &Mint{Auth: hmacAuth(map[string]any{"verify_claims": vc}), Keys: tokens.NewKeyring(),
		Now: time.Unix(1719830400, 0), ClientID: "c1", Username: "alice", Spec: NewSpec()}
	tok, err := m.Build()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(func() time.Time { return m.Now })).
		Parse(tok, func(*jwt.Token) (any, error) { return []byte("emqxsecret"), nil }); err != nil {
		t.Fatalf("expected the default token to verify with the configured secret, got %v", err)
	}
	c := decodeClaims(t, tok)
	want := map[string]any{"who": "alice-c1", "k": "${foo}", "n": "5", "exp": float64(1719834000), "sub": "authspec"}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("claim %s: expected %v, got %v", k, v, c[k])
		}
	}
}

func TestVerifyClaimsListForm(t *testing.T) {
	got, err := VerifyClaims(map[string]any{"verify_claims": []any{map[string]any{"name": "sub", "value": "x"}}})
	if err != nil || got["sub"] != "x" {
		t.Fatalf("expected sub=x, got %v (%v)", got, err)
	}
	if _, err := VerifyClaims(map[string]any{"verify_claims": []any{"bad"}}); err == nil {
		t.Error("expected an error for a list entry that is not {name, value}")
	}
}

func TestOverridesAndDrops(t *testing.T) {
	spec := NewSpec()
	spec.Claims["exp"] = `"NOW+60"`
	spec.Claims["aud"] = `["a", "b"]`
	spec.Dropped["sub"] = true
	m := &Mint{Auth: hmacAuth(nil), Keys: tokens.NewKeyring(), Now: time.Unix(100, 0), Spec: spec}
	tok, err := m.Build()
	if err != nil {
		t.Fatal(err)
	}
	c := decodeClaims(t, tok)
	if c["exp"] != "160" {
		t.Errorf(`expected exp "160" (a numeric string), got %#v`, c["exp"])
	}
	if _, ok := c["sub"]; ok {
		t.Error("expected sub dropped")
	}
	spec.Claims["bad"] = `not json`
	if _, err := m.Build(); err == nil {
		t.Error("expected an error for a claim value that is not JSON")
	}
}

func TestPublicKeyTokenUsesTheConfiguredKey(t *testing.T) {
	ring := tokens.NewKeyring()
	k, err := ring.Key(tokens.ECP256, target.ConfiguredKeyName(tokens.ECP256))
	if err != nil {
		t.Fatal(err)
	}
	auth := target.Applied{Config: map[string]any{"mechanism": "jwt", "algorithm": "public-key", "public_key": k.PublicPEM()}, PrivateKey: k}
	m := &Mint{Auth: auth, Keys: ring, Now: time.Now(), Spec: NewSpec()}
	tok, err := m.Build()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jwt.NewParser(jwt.WithValidMethods([]string{"ES256"})).Parse(tok, func(*jwt.Token) (any, error) { return k.Public(), nil }); err != nil {
		t.Fatalf("expected an ES256 token verified by the configured key, got %v", err)
	}
	// An algorithm that does not fit the key is not applicable, not a token.
	m.Spec.Alg = "RS256"
	if _, err := m.Build(); err == nil {
		t.Fatal("expected RS256 against an EC key to be refused")
	} else if _, ok := target.AsNotApplicable(err); !ok {
		t.Fatalf("expected not applicable, got %v", err)
	}
	// Without the private key the target cannot serve this scenario.
	m.Spec.Alg = ""
	m.Auth.PrivateKey = nil
	if _, err := m.Build(); err == nil || !strings.Contains(err.Error(), "private key") {
		t.Fatalf("expected a not-applicable error about the private key, got %v", err)
	}
}

func TestRenderTemplateLeavesOtherPlaceholders(t *testing.T) {
	got := RenderTemplate("${username}-${clientid}/${password}/${foo}", "c", "")
	if got != "-c/${password}/${foo}" {
		t.Fatalf("expected -c/${password}/${foo}, got %s", got)
	}
}

func TestTokenClaimsRideInEveryTokenUnderTheScenarios(t *testing.T) {
	spec := NewSpec()
	spec.Claims["scope"] = `"admin"`
	m := &Mint{Auth: hmacAuth(map[string]any{"verify_claims": map[string]any{"sub": "${clientid}"}}), Keys: tokens.NewKeyring(),
		Now: time.Unix(1719830400, 0), ClientID: "c1", Username: "alice", Spec: spec,
		TokenClaims: map[string]any{"jid": "${username}@localhost", "sub": "ignored", "scope": "read", "tags": []any{"${clientid}", "x"}}}
	tok, err := m.Build()
	if err != nil {
		t.Fatal(err)
	}
	c := decodeClaims(t, tok)
	if c["jid"] != "alice@localhost" {
		t.Errorf("expected jid rendered for the client, got %v", c["jid"])
	}
	if c["sub"] != "c1" {
		t.Errorf("expected verify_claims to win over token_claims for sub, got %v", c["sub"])
	}
	if c["scope"] != "admin" {
		t.Errorf("expected the scenario's claim to win over token_claims, got %v", c["scope"])
	}
	if tags, _ := c["tags"].([]any); len(tags) != 2 || tags[0] != "c1" {
		t.Errorf("expected a list claim rendered item by item, got %v", c["tags"])
	}
	spec.Dropped["jid"] = true
	if tok, err = m.Build(); err != nil {
		t.Fatalf("expected a scenario dropping a token claim to still mint (the broker need not check it), got %v", err)
	}
	if _, has := decodeClaims(t, tok)["jid"]; has {
		t.Error("expected the dropped token claim to be gone")
	}
}

func TestPublishedTokenCannotCarryTokenClaims(t *testing.T) {
	spec := NewSpec()
	spec.Replace = func(*Mint) (string, error) { return tokens.SeedToken, nil }
	spec.Published = true
	m := &Mint{Auth: hmacAuth(nil), Keys: tokens.NewKeyring(), Now: time.Now(), Spec: spec,
		TokenClaims: map[string]any{"jid": "${username}@localhost"}}
	if _, err := m.Build(); err == nil || !strings.Contains(err.Error(), "published test vector") {
		t.Fatalf("expected not applicable for the seed token with token_claims, got %v", err)
	}
	m.TokenClaims = nil
	if tok, err := m.Build(); err != nil || tok != tokens.SeedToken {
		t.Fatalf("expected the seed token unchanged without token_claims, got %q (%v)", tok, err)
	}
}
