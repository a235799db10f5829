package forge

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// Key confusion (SEC-09) keys the HMAC with the key the authenticator
// verifies with: the configured PEM text as configured (its encodings are
// keyattack's tests), the suite's PEM when the configuration names the
// key otherwise; an HMAC authenticator has no public key to confuse.
func TestKeyConfusionUsesTheVerifyingKey(t *testing.T) {
	keys := tokens.NewKeyring()
	k, err := keys.Key(tokens.RSA, "sec-09")
	if err != nil {
		t.Fatal(err)
	}
	configured := strings.ReplaceAll(k.PublicPEM(), "\n", "\r\n")
	m := &Mint{Auth: target.Applied{Config: map[string]any{"algorithm": "public-key", "public_key": configured}, PrivateKey: k}, Keys: keys}
	p, err := m.verifyingPublicKey()
	if err != nil {
		t.Fatal(err)
	}
	if p.PEMText != configured || !k.Public().(*rsa.PublicKey).Equal(p.Key) {
		t.Errorf("expected the configured PEM text and key, got %q", p.PEMText)
	}
	var jwk jose.JSONWebKey
	if err := json.Unmarshal(p.JWKJSON, &jwk); err != nil || !k.Public().(*rsa.PublicKey).Equal(jwk.Key) {
		t.Errorf("JWK: %v", err)
	}
	m.Auth.Config["public_key"] = "${rsa_public_key_file}"
	if p, err := m.verifyingPublicKey(); err != nil || p.PEMText != k.PublicPEM() {
		t.Errorf("a key configured by reference: expected the suite's PEM, got %q %v", p.PEMText, err)
	}
	tok, err := m.KeyedWithPublicKey("HS256", "DER SubjectPublicKeyInfo")
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(k.Public())
	keyedWith := func(key []byte) bool {
		_, err := jwt.Parse(tok, func(*jwt.Token) (any, error) { return key, nil }, jwt.WithValidMethods([]string{"HS256"}))
		return err == nil
	}
	if !keyedWith(der) || keyedWith([]byte(k.PublicPEM())) {
		t.Errorf("expected an HS256 token keyed with the DER public key, got %q", tok)
	}
	hmac := &Mint{Auth: target.Applied{Config: map[string]any{"algorithm": "hmac-based", "secret": "s"}}, Keys: keys}
	if _, err := hmac.verifyingPublicKey(); err == nil || !strings.Contains(err.Error(), "not hmac-based") {
		t.Errorf("an HMAC authenticator: expected an error, got %v", err)
	}
}
