package jwtauth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/config/security"
	"github.com/authspec/authspec/reference/faults"
)

// now is the fixed clock of every test: claims are relative to it.
var now = time.Unix(1_700_000_000, 0)

type testKeys struct {
	rsa, rsa2               *rsa.PrivateKey
	p256, p384, p521, p256b *ecdsa.PrivateKey
	ed, ed2                 ed25519.PrivateKey
}

var (
	keysOnce sync.Once
	keys     testKeys
)

func mustKeys(t testing.TB) *testKeys {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		gen := func(bits int) *rsa.PrivateKey {
			k, e := rsa.GenerateKey(rand.Reader, bits)
			if e != nil {
				err = e
			}
			return k
		}
		ec := func(c elliptic.Curve) *ecdsa.PrivateKey {
			k, e := ecdsa.GenerateKey(c, rand.Reader)
			if e != nil {
				err = e
			}
			return k
		}
		keys.rsa, keys.rsa2 = gen(2048), gen(2048)
		keys.p256, keys.p384, keys.p521, keys.p256b = ec(elliptic.P256()), ec(elliptic.P384()), ec(elliptic.P521()), ec(elliptic.P256())
		_, keys.ed, _ = ed25519.GenerateKey(rand.Reader)
		_, keys.ed2, _ = ed25519.GenerateKey(rand.Reader)
		if err != nil {
			panic(err)
		}
	})
	return &keys
}

// pubPEM is the SPKI PEM text of a private key's public half.
func pubPEM(t testing.TB, priv crypto.Signer) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// testEnvironment is an env and the defects a test switches on, by the
// catalogue's names (defect_names_test.go).
type testEnvironment struct {
	authn.Env
	defects []Defect
}

// testEnv is a legacy env with the fixed clock and the named faults on.
func testEnv(t testing.TB, faultNames ...string) testEnvironment {
	t.Helper()
	env := testEnvironment{Env: authn.Env{Profile: security.Legacy, Now: func() time.Time { return now }}}
	for _, n := range faultNames {
		d, ok := defectOf[faults.Name(n)]
		if !ok {
			t.Fatalf("fault %q is not a defect of the JWT authenticator", n)
		}
		env.defects = append(env.defects, d)
	}
	return env
}

func hardenedEnv(t testing.TB, faultNames ...string) testEnvironment {
	env := testEnv(t, faultNames...)
	env.Profile = security.Hardened
	return env
}

// build makes an authenticator from JSON or fails the test.
func build(t testing.TB, env testEnvironment, cfg string, opts ...Option) *Authenticator {
	t.Helper()
	opts = append(opts, WithDefects(env.defects...))
	a, err := New(json.RawMessage(cfg), env.Env, opts...)
	if err != nil {
		t.Fatalf("New(%s): %v", cfg, err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a.(*Authenticator)
}

const hmacCfg = `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret"}`

func pkCfg(t testing.TB, priv crypto.Signer) string {
	b, _ := json.Marshal(map[string]any{"mechanism": "jwt", "algorithm": "public-key", "public_key": pubPEM(t, priv)})
	return string(b)
}

// claims is a payload relative to the fixed clock.
type claims = jwt.MapClaims

func exp(d time.Duration) int64 { return now.Add(d).Unix() }

// sign mints a token with golang-jwt; extra header fields are added.
func sign(t testing.TB, m jwt.SigningMethod, key any, c claims, header ...map[string]any) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, c)
	for _, h := range header {
		for k, v := range h {
			tok.Header[k] = v
		}
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("sign %s: %v", m.Alg(), err)
	}
	return s
}

func hs256(t testing.TB, secret string, c claims) string {
	return sign(t, jwt.SigningMethodHS256, []byte(secret), c)
}

func seg(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// rawToken builds header.payload.signature from JSON texts, unsigned.
func rawToken(header, payload string, sig []byte) string {
	return seg(header) + "." + seg(payload) + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// hmacRaw signs header.payload texts with HS256 (for payloads golang-jwt
// cannot produce: numeric strings, odd JSON).
func hmacRaw(t testing.TB, secret, header, payload string) string {
	t.Helper()
	input := seg(header) + "." + seg(payload)
	sig, err := jwt.SigningMethodHS256.Sign(input, []byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func passwordClient(token string) *clientinfo.Client {
	return &clientinfo.Client{Protocol: 5, ClientID: "client1", Username: "user1", HasUsername: true,
		Password: []byte(token), HasPassword: true, Listener: "tcp:default", Zone: "default", PeerHost: "127.0.0.1"}
}

func auth(a *Authenticator, c *clientinfo.Client) authn.Result {
	return a.Authenticate(context.Background(), c)
}

func wantAccept(t testing.TB, r authn.Result) {
	t.Helper()
	if r.Outcome != authn.Accept {
		t.Fatalf("want accept, got %s code 0x%02X check %q: %s", r.Outcome, r.Code, r.Check, r.Detail)
	}
	if r.Authenticator != ID {
		t.Fatalf("Authenticator = %q", r.Authenticator)
	}
}

// wantBF wants a backend failure decided by check ("" = any check).
func wantBF(t testing.TB, r authn.Result, check string) {
	t.Helper()
	if r.Outcome != authn.Ignore || !r.BackendFailure {
		t.Fatalf("want backend failure, got %s (bf=%v) code 0x%02X check %q: %s", r.Outcome, r.BackendFailure, r.Code, r.Check, r.Detail)
	}
	if check != "" && r.Check != check {
		t.Fatalf("want check %q, got %q: %s", check, r.Check, r.Detail)
	}
	if r.Detail == "" {
		t.Fatal("a backend failure without Detail")
	}
}

func wantDeny86(t testing.TB, r authn.Result, check string) {
	t.Helper()
	if r.Outcome != authn.Deny || r.Code != authn.CodeBadUserNameOrPass {
		t.Fatalf("want deny 0x86, got %s code 0x%02X check %q: %s", r.Outcome, r.Code, r.Check, r.Detail)
	}
	if check != "" && r.Check != check {
		t.Fatalf("want check %q, got %q: %s", check, r.Check, r.Detail)
	}
}

func wantIgnore(t testing.TB, r authn.Result, check string) {
	t.Helper()
	if r.Outcome != authn.Ignore || r.BackendFailure {
		t.Fatalf("want plain ignore, got %s (bf=%v) check %q: %s", r.Outcome, r.BackendFailure, r.Check, r.Detail)
	}
	if check != "" && r.Check != check {
		t.Fatalf("want check %q, got %q: %s", check, r.Check, r.Detail)
	}
}

// tamper flips the last character of a segment (0 header, 1 payload, 2
// signature) to another valid base64url character.
func tamper(tok string, segment int) string {
	parts := strings.Split(tok, ".")
	p := []byte(parts[segment])
	i := len(p) / 2
	if p[i] == 'A' {
		p[i] = 'B'
	} else {
		p[i] = 'A'
	}
	parts[segment] = string(p)
	return strings.Join(parts, ".")
}

// joseKey wraps a public key as a JWK.
func joseKey(k crypto.PublicKey) jose.JSONWebKey {
	return jose.JSONWebKey{Key: k, Algorithm: "RS256", Use: "sig"}
}
