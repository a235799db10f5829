package keyattack

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/fixtures/jwksserver"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/internal/verify"
)

func key(t *testing.T, kind tokens.Kind) *tokens.Key {
	t.Helper()
	k, err := tokens.NewKeyring().Key(kind, "attacker")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestDocumentsHoldTheAttackersKey(t *testing.T) {
	k := key(t, tokens.ECP256)
	set, err := Document("jku", k)
	if err != nil {
		t.Fatal(err)
	}
	var jwks jose.JSONWebKeySet
	if err := json.Unmarshal(set, &jwks); err != nil || len(jwks.Keys) != 1 || jwks.Keys[0].Use != "sig" {
		t.Fatalf("jku: expected a JWK Set of one signing key, got %s (%v)", set, err)
	}
	if !k.Public().(*ecdsa.PublicKey).Equal(jwks.Keys[0].Key) {
		t.Error("jku: the set does not hold the attacker's key")
	}
	certPEM, err := Document("x5u", k)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(certPEM)
	if blk == nil || blk.Type != "CERTIFICATE" {
		t.Fatalf("x5u: expected a PEM certificate, got %q", certPEM)
	}
	cert, err := x509.ParseCertificate(blk.Bytes)
	if err != nil || !k.Public().(*ecdsa.PublicKey).Equal(cert.PublicKey) || cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature) != nil {
		t.Errorf("x5u: expected a certificate of the attacker's key, self-signed: %v", err)
	}
}

// A real server on loopback: a request to it is seen, none is not.
func TestNoRequestsSeesAFetch(t *testing.T) {
	body := []byte(`{"keys":[]}`)
	srv, err := Serve("127.0.0.1:0", "jku", body)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !strings.HasSuffix(srv.URL(), "/attacker/jku") {
		t.Errorf("expected the URL to name the field, got %s", srv.URL())
	}
	servers := []*jwksserver.Server{srv}
	if err := NoRequests(servers, "CONNACK 0x87"); err != nil {
		t.Fatalf("before any request: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if !bytes.Equal(got, body) {
		t.Errorf("expected the document, got %q", got)
	}
	err = NoRequests(servers, "CONNACK 0x87")
	m, ok := verify.As(err)
	if !ok || !strings.Contains(m.Actual, "1 request(s): GET "+srv.URL()) || !strings.Contains(m.Actual, "CONNACK 0x87") {
		t.Errorf("expected a Mismatch naming the GET, got %v", err)
	}
}

// Each SEC-09 encoding must be what its name says, of the given key, and
// differ from the others: a confused verifier keyed with any one of them is
// a different bug.
func TestRSAEncodings(t *testing.T) {
	k := key(t, tokens.RSA)
	pub := k.Public().(*rsa.PublicKey)
	jwk, err := json.Marshal(jose.JSONWebKey{Key: pub})
	if err != nil {
		t.Fatal(err)
	}
	p := PublicKey{Key: pub, PEMText: k.PublicPEM(), JWKJSON: jwk}
	get := func(enc string) []byte {
		b, err := p.Encode(enc)
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
	if string(get("the PEM text as configured")) != p.PEMText || !strings.HasSuffix(p.PEMText, "\n") ||
		string(get("the PEM text without its last newline")) != strings.TrimSuffix(p.PEMText, "\n") ||
		!bytes.Contains(get("the PEM text with CRLF line ends"), []byte("\r\n")) {
		t.Error("PEM variants")
	}
	if k, err := x509.ParsePKIXPublicKey(get("DER SubjectPublicKeyInfo")); err != nil || !pub.Equal(k) {
		t.Errorf("DER: %v", err)
	}
	if k, err := x509.ParsePKCS1PublicKey(get("PKCS#1 DER")); err != nil || !pub.Equal(k) {
		t.Errorf("PKCS#1: %v", err)
	}
	if blk, _ := pem.Decode(get("PKCS#1 PEM")); blk == nil || blk.Type != "RSA PUBLIC KEY" {
		t.Error("PKCS#1 PEM")
	}
	var back jose.JSONWebKey
	if err := json.Unmarshal(get("the JWK's JSON"), &back); err != nil || !pub.Equal(back.Key) {
		t.Errorf("JWK: %v", err)
	}
	if !bytes.Equal(get("the raw modulus"), pub.N.Bytes()) {
		t.Error("modulus")
	}
	if _, err := p.Encode("the raw public key"); err == nil {
		t.Error("an RSA key has no raw public key other than its modulus: the step must say so")
	}
	if _, err := p.Encode("base85"); err == nil {
		t.Error("an unknown encoding: expected an error")
	}
}

func TestRawPublicKeys(t *testing.T) {
	ec := key(t, tokens.ECP256).Public().(*ecdsa.PublicKey)
	want, _ := ec.Bytes()
	if got, err := (PublicKey{Key: ec}).Encode("the raw public key"); err != nil || !bytes.Equal(got, want) || len(got) != 65 {
		t.Errorf("P-256: expected the 65-byte uncompressed point, got %x %v", got, err)
	}
	ed := key(t, tokens.Ed25519).Public().(ed25519.PublicKey)
	if got, err := (PublicKey{Key: ed}).Encode("the raw public key"); err != nil || !bytes.Equal(got, ed) {
		t.Errorf("Ed25519: got %x %v", got, err)
	}
	if _, err := (PublicKey{Key: ec}).Encode("PKCS#1 DER"); err == nil {
		t.Error("PKCS#1 of an EC key: expected an error")
	}
}
