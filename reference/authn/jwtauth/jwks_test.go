package jwtauth

import (
	"crypto"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/reference/authn"
)

// fakeSource is a KeySource whose keys the test sets.
type fakeSource struct {
	mu     sync.Mutex
	keys   []crypto.PublicKey
	closed bool
}

func (f *fakeSource) PublicKeys() []crypto.PublicKey {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.keys
}

func (f *fakeSource) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	return nil
}

func (f *fakeSource) set(keys ...crypto.PublicKey) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys = keys
}

const jwksCfg = `{"mechanism":"jwt","use_jwks":true,"endpoint":"http://127.0.0.1:1/jwks"}`

func jwksAuth(t *testing.T, env testEnvironment, cfg string) (*Authenticator, *fakeSource, *JWKSConfig) {
	t.Helper()
	src := &fakeSource{}
	var got JWKSConfig
	a := build(t, env, cfg, WithJWKS(func(c JWKSConfig, _ authn.Env) (KeySource, error) {
		got = c
		return src, nil
	}))
	return a, src, &got
}

func TestJWKSMode(t *testing.T) {
	k := mustKeys(t)
	t.Run("JWT-JWKS-01 every key tried in order, kid ignored", func(t *testing.T) {
		a, src, _ := jwksAuth(t, testEnv(t), jwksCfg)
		src.set(k.rsa2.Public(), k.p256.Public(), k.ed.Public(), k.rsa.Public())
		for _, tok := range []string{
			sign(t, jwt.SigningMethodRS256, k.rsa, claims{}, map[string]any{"kid": "unknown"}),
			sign(t, jwt.SigningMethodES256, k.p256, claims{}),
			sign(t, jwt.SigningMethodEdDSA, k.ed, claims{}, map[string]any{"kid": 7}),
			sign(t, jwt.SigningMethodPS512, k.rsa2, claims{}),
		} {
			wantAccept(t, auth(a, passwordClient(tok)))
		}
	})
	t.Run("JWT-JWKS-04 a key not in the set", func(t *testing.T) {
		a, src, _ := jwksAuth(t, testEnv(t), jwksCfg)
		src.set(k.rsa.Public())
		wantBF(t, auth(a, passwordClient(sign(t, jwt.SigningMethodRS256, k.rsa2, claims{}))), CheckSignature)
	})
	t.Run("JWT-JWKS-08 no keys is a backend failure", func(t *testing.T) {
		a, src, _ := jwksAuth(t, testEnv(t), jwksCfg)
		tok := sign(t, jwt.SigningMethodRS256, k.rsa, claims{})
		wantBF(t, auth(a, passwordClient(tok)), CheckNoKeys)
		src.set(k.rsa.Public())
		wantAccept(t, auth(a, passwordClient(tok)))
		src.set()
		wantBF(t, auth(a, passwordClient(tok)), CheckNoKeys)
	})
	t.Run("JWT-JWKS-09 HS tokens refused even with an oct key", func(t *testing.T) {
		a, src, _ := jwksAuth(t, testEnv(t), jwksCfg)
		src.set([]byte("emqxsecret"), k.rsa.Public())
		wantBF(t, auth(a, passwordClient(hs256(t, "emqxsecret", claims{}))), CheckAlg)
	})
	t.Run("JWT-VC-01 verify_claims in JWKS mode", func(t *testing.T) {
		a, src, _ := jwksAuth(t, testEnv(t), `{"mechanism":"jwt","use_jwks":true,"endpoint":"https://idp.example/jwks","verify_claims":{"iss":"idp"}}`)
		src.set(k.rsa.Public())
		wantAccept(t, auth(a, passwordClient(sign(t, jwt.SigningMethodRS256, k.rsa, claims{"iss": "idp"}))))
		wantDeny86(t, auth(a, passwordClient(sign(t, jwt.SigningMethodRS256, k.rsa, claims{"iss": "x"}))), "verify_claims.iss")
	})
	t.Run("Close closes the key source", func(t *testing.T) {
		a, src, _ := jwksAuth(t, testEnv(t), jwksCfg)
		if err := a.Close(); err != nil || !src.closed {
			t.Fatalf("closed=%v err=%v", src.closed, err)
		}
	})
	t.Run("disabled authenticator starts no key source", func(t *testing.T) {
		started := false
		_, err := New(json.RawMessage(`{"mechanism":"jwt","use_jwks":true,"enable":false,"endpoint":"http://h/j"}`), testEnv(t).Env,
			WithJWKS(func(JWKSConfig, authn.Env) (KeySource, error) { started = true; return &fakeSource{}, nil }))
		if err != nil || started {
			t.Fatalf("err=%v started=%v", err, started)
		}
	})
}

func TestJWKSConfig(t *testing.T) {
	t.Run("defaults", func(t *testing.T) {
		_, _, c := jwksAuth(t, testEnv(t), jwksCfg)
		if c.RefreshInterval != 300*time.Second || c.PoolSize != 8 || c.MaxFailCount != 5 ||
			len(c.Headers) != 1 || c.Headers["Accept"] != "application/json" || c.SSL.Enable || c.SSL.Verify != "verify_none" {
			t.Fatalf("defaults %+v", c)
		}
		_, _, h := jwksAuth(t, hardenedEnv(t), jwksCfg)
		if h.SSL.Verify != "verify_peer" {
			t.Fatalf("JWT-JWKS-13 hardened default verify %q", h.SSL.Verify)
		}
	})
	t.Run("configured", func(t *testing.T) {
		_, _, c := jwksAuth(t, testEnv(t), `{"mechanism":"jwt","use_jwks":true,"endpoint":"https://h/j","refresh_interval":3,
			"headers":{"X-Api-Key":"k","te":"gzip"},"pool_size":2,"max_fail_count":1,
			"ssl":{"enable":true,"verify":"verify_peer","cacertfile":"/ca.pem","server_name_indication":"disable","versions":["tlsv1.3"]}}`)
		if c.RefreshInterval != 3*time.Second || c.EffectiveRefreshInterval(MinRefreshInterval) != 10*time.Second ||
			c.EffectiveRefreshInterval(time.Second) != 3*time.Second {
			t.Fatalf("JWT-JWKS-10 refresh %v", c.RefreshInterval)
		}
		if len(c.Headers) != 2 || c.Headers["X-Api-Key"] != "k" || c.PoolSize != 2 || c.MaxFailCount != 1 {
			t.Fatalf("%+v", c)
		}
		if !c.SSL.Enable || c.SSL.Verify != "verify_peer" || c.SSL.CACertFile != "/ca.pem" || c.SSL.ServerNameIndication != "disable" || c.SSL.Versions[0] != "tlsv1.3" {
			t.Fatalf("ssl %+v", c.SSL)
		}
	})
	factory := WithJWKS(func(JWKSConfig, authn.Env) (KeySource, error) { return &fakeSource{}, nil })
	for cfg, want := range map[string]string{
		`{"mechanism":"jwt","use_jwks":true}`:                                                   "endpoint: is required",
		`{"mechanism":"jwt","use_jwks":true,"endpoint":"ftp://h/j"}`:                            "endpoint: must be an http:// or https:// URL",
		`{"mechanism":"jwt","use_jwks":true,"endpoint":"http://h/j","refresh_interval":0}`:      "refresh_interval: must be a positive integer",
		`{"mechanism":"jwt","use_jwks":true,"endpoint":"http://h/j","refresh_interval":-5}`:     "refresh_interval: must be a positive integer",
		`{"mechanism":"jwt","use_jwks":true,"endpoint":"http://h/j","refresh_interval":"soon"}`: "refresh_interval: must be an integer",
		`{"mechanism":"jwt","use_jwks":true,"endpoint":"http://h/j","headers":{"a:b":"c"}}`:     "JWT-JWKS-12",
		`{"mechanism":"jwt","use_jwks":true,"endpoint":"http://h/j","headers":{"a":1}}`:         "headers.a: must be a string",
		`{"mechanism":"jwt","use_jwks":true,"endpoint":"http://h/j","algorithm":"public-key"}`:  "algorithm: unknown field",
		`{"mechanism":"jwt","use_jwks":true,"endpoint":"http://h/j","ssl":{"verify":"yes"}}`:    "ssl.verify: must be one of verify_peer, verify_none",
		`{"mechanism":"jwt","use_jwks":true,"endpoint":"http://h/j","ssl":{"bogus":1}}`:         "ssl.bogus: unknown field",
		`{"mechanism":"jwt","use_jwks":true,"endpoint":"http://h/j","max_fail_count":0}`:        "max_fail_count: must be a positive integer",
		`{"mechanism":"jwt","use_jwks":"perhaps","endpoint":"http://h/j"}`:                      "use_jwks: must be a boolean",
	} {
		_, err := New(json.RawMessage(cfg), testEnv(t).Env, factory)
		if want == "JWT-JWKS-12" {
			want = `headers: header names must match [-0-9a-zA-Z_ ]+; bad header: "a:b"`
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want %q, got %v", cfg, want, err)
		}
	}
	t.Run("without a factory JWKS is unavailable", func(t *testing.T) {
		_, err := New(json.RawMessage(jwksCfg), testEnv(t).Env)
		if err == nil || !strings.Contains(err.Error(), "JWKS is unavailable") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("factory error", func(t *testing.T) {
		_, err := New(json.RawMessage(jwksCfg), testEnv(t).Env, WithJWKS(func(JWKSConfig, authn.Env) (KeySource, error) {
			return nil, errors.New("boom")
		}))
		if err == nil || !strings.Contains(err.Error(), "boom") {
			t.Fatalf("got %v", err)
		}
	})
}
