package steps

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// Each SEC-09 encoding must be what its name says, of the configured key,
// and differ from the others: a confused verifier keyed with any one of
// them is a different bug.
func TestPublicKeyEncodings(t *testing.T) {
	keys := tokens.NewKeyring()
	k, err := keys.Key(tokens.RSA, "sec-09")
	if err != nil {
		t.Fatal(err)
	}
	pemText := k.PublicPEM()
	m := &mint{Auth: target.Applied{Config: map[string]any{"algorithm": "public-key", "public_key": pemText}, PrivateKey: k}, Keys: keys}
	pub := k.Public().(*rsa.PublicKey)
	get := func(enc string) []byte {
		b, err := publicKeyEncoding(m, enc)
		if err != nil {
			t.Fatalf("%s: %v", enc, err)
		}
		return b
	}
	seen := map[string]string{}
	for _, enc := range []string{"the PEM text as configured", "the PEM text without its last newline", "the PEM text with CRLF line ends",
		"DER SubjectPublicKeyInfo", "PKCS#1 DER", "PKCS#1 PEM", "the JWK's JSON", "the raw modulus"} {
		b := string(get(enc))
		if other, dup := seen[b]; dup {
			t.Errorf("%q and %q are the same bytes", enc, other)
		}
		seen[b] = enc
	}
	if string(get("the PEM text as configured")) != pemText || !strings.HasSuffix(pemText, "\n") ||
		string(get("the PEM text without its last newline")) != strings.TrimSuffix(pemText, "\n") ||
		!bytes.Contains(get("the PEM text with CRLF line ends"), []byte("\r\n")) {
		t.Error("PEM variants")
	}
	if p, err := x509.ParsePKIXPublicKey(get("DER SubjectPublicKeyInfo")); err != nil || !pub.Equal(p) {
		t.Errorf("DER: %v", err)
	}
	if p, err := x509.ParsePKCS1PublicKey(get("PKCS#1 DER")); err != nil || !pub.Equal(p) {
		t.Errorf("PKCS#1: %v", err)
	}
	if blk, _ := pem.Decode(get("PKCS#1 PEM")); blk == nil || blk.Type != "RSA PUBLIC KEY" {
		t.Error("PKCS#1 PEM")
	}
	var jwk jose.JSONWebKey
	if err := json.Unmarshal(get("the JWK's JSON"), &jwk); err != nil || !pub.Equal(jwk.Key) {
		t.Errorf("JWK: %v", err)
	}
	if !bytes.Equal(get("the raw modulus"), pub.N.Bytes()) {
		t.Error("modulus")
	}
	if _, err := publicKeyEncoding(m, "the raw public key"); err == nil {
		t.Error("an RSA key has no raw public key other than its modulus: the step must say so")
	}
}
