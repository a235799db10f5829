package jwtauth

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/faults"
)

// kidSource is a KeySource that tells kids (KeyIDSource).
type kidSource struct {
	fakeSource
	kids []string
}

func (k *kidSource) KeysWithIDs() []IdentifiedKey {
	keys := k.PublicKeys()
	out := make([]IdentifiedKey, len(keys))
	for i, key := range keys {
		out[i] = IdentifiedKey{KID: k.kids[i], Key: key}
	}
	return out
}

// TestDefectFaults shows each fault of the claims, expiry, JWKS and
// signature areas that the JWT authenticator applies breaking its
// behaviour, next to the correct outcome without it.
func TestDefectFaults(t *testing.T) {
	k := mustKeys(t)
	hm := func(t *testing.T, fs ...string) *Authenticator { return build(t, testEnv(t, fs...), hmacCfg) }
	tok := func(c claims) string { return hs256(t, "emqxsecret", c) }

	t.Run("superuser faults (JWT-CLAIM-07)", func(t *testing.T) {
		for _, c := range []struct {
			value       any
			right, bool bool // correct reading; under superuser-bool-only
			truthy      bool // under superuser-truthy
		}{
			{true, true, true, true}, {"1", true, false, true}, {2, true, false, true},
			{"yes", false, false, true}, {1.5, false, false, true}, {false, false, false, false}, {"0", false, false, true}, {nil, false, false, true},
		} {
			c := c
			got := func(fs ...string) bool {
				r := auth(hm(t, fs...), passwordClient(tok(claims{"is_superuser": c.value})))
				wantAccept(t, r)
				return r.Identity.Superuser
			}
			if got() != c.right || got(string(faults.SuperuserBoolOnly)) != c.bool || got(string(faults.SuperuserTruthy)) != c.truthy {
				t.Errorf("is_superuser %v: want %v / bool-only %v / truthy %v", c.value, c.right, c.bool, c.truthy)
			}
		}
	})

	t.Run("client_attrs faults (JWT-ATTR-01..03)", func(t *testing.T) {
		attrs := func(fs []string, v any) authn.Result {
			return auth(hm(t, fs...), passwordClient(tok(claims{"client_attrs": v})))
		}
		r := attrs([]string{string(faults.ClientAttrsIgnored)}, map[string]any{"role": "x"})
		wantAccept(t, r)
		if len(r.Identity.ClientAttrs) != 0 {
			t.Errorf("client-attrs-ignored: got %v", r.Identity.ClientAttrs)
		}
		r = attrs([]string{string(faults.ClientAttrsKeepBadKeys)}, map[string]any{"ok": "a", "bad key": "b"})
		wantAccept(t, r)
		if r.Identity.ClientAttrs["bad key"] != "b" {
			t.Errorf("client-attrs-keep-invalid-keys: got %v", r.Identity.ClientAttrs)
		}
		wantBF(t, attrs(nil, map[string]any{"n": 42}), CheckClientAttrs)
		r = attrs([]string{string(faults.ClientAttrsStringified)}, map[string]any{"n": 42, "l": []any{"a", "b"}})
		wantAccept(t, r)
		if r.Identity.ClientAttrs["n"] != "42" || r.Identity.ClientAttrs["l"] != `["a","b"]` {
			t.Errorf("client-attrs-stringified: got %v", r.Identity.ClientAttrs)
		}
		wantBF(t, attrs(nil, "role=x"), CheckClientAttrs)
		wantAccept(t, attrs([]string{string(faults.ClientAttrsStringified)}, "role=x"))
	})

	t.Run("disconnect-after-expire-ignored (JWT-EXP-02)", func(t *testing.T) {
		cfg := `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","disconnect_after_expire":false}`
		c := passwordClient(tok(claims{"exp": exp(time.Minute)}))
		if r := auth(build(t, testEnv(t), cfg), c); r.Identity.DisconnectOnExpire {
			t.Error("disconnect on expiry without the fault")
		}
		if r := auth(build(t, testEnv(t, string(faults.DisconnectSettingIgnored)), cfg), c); !r.Identity.DisconnectOnExpire {
			t.Error("no disconnect on expiry with the fault")
		}
	})

	t.Run("acl-claim-name-ignored (JWT-ACL-07)", func(t *testing.T) {
		cfg := `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","acl_claim_name":"perms"}`
		c := passwordClient(tok(claims{"acl": map[string]any{"pub": []any{"x"}}}))
		if r := auth(build(t, testEnv(t), cfg), c); r.Identity.Rules != nil {
			t.Error("the acl claim was read although acl_claim_name is perms")
		}
		if r := auth(build(t, testEnv(t, string(faults.ACLClaimNameIgnored)), cfg), c); r.Identity.Rules == nil {
			t.Error("with the fault the acl claim should be read")
		}
	})

	t.Run("ecdsa-psychic-signatures (SEC-02)", func(t *testing.T) {
		cfg := pkCfg(t, k.p256)
		zero := rawToken(`{"alg":"ES256"}`, `{"sub":"x"}`, make([]byte, 64))
		wantBF(t, auth(build(t, testEnv(t), cfg), passwordClient(zero)), CheckSignature)
		wantAccept(t, auth(build(t, testEnv(t, string(faults.ECDSAPsychicSignatures)), cfg), passwordClient(zero)))
	})

	t.Run("pss-salt-length-auto (SEC-05)", func(t *testing.T) {
		input := seg(`{"alg":"PS256"}`) + "." + seg(`{"sub":"x"}`)
		digest := sha256.Sum256([]byte(input))
		sig, err := rsa.SignPSS(rand.Reader, k.rsa, crypto.SHA256, digest[:], &rsa.PSSOptions{SaltLength: 20})
		if err != nil {
			t.Fatal(err)
		}
		tok := input + "." + base64.RawURLEncoding.EncodeToString(sig)
		cfg := pkCfg(t, k.rsa)
		wantBF(t, auth(build(t, testEnv(t), cfg), passwordClient(tok)), CheckSignature)
		wantAccept(t, auth(build(t, testEnv(t, string(faults.PSSSaltLengthAuto)), cfg), passwordClient(tok)))
	})

	t.Run("trust-header-keys (SEC-03)", func(t *testing.T) {
		set, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: k.rsa2.Public()}}})
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.rsa2.Public(), k.rsa2)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/jwks" {
				_, _ = w.Write(set)
				return
			}
			_ = pem.Encode(w, &pem.Block{Type: "CERTIFICATE", Bytes: der})
		}))
		defer srv.Close()
		for _, header := range []map[string]any{
			{"jku": srv.URL + "/jwks"},
			{"x5u": srv.URL + "/cert"},
			{"x5c": []string{base64.StdEncoding.EncodeToString(der)}},
		} {
			tok := sign(t, jwt.SigningMethodRS256, k.rsa2, claims{}, header)
			wantBF(t, auth(build(t, testEnv(t), pkCfg(t, k.rsa)), passwordClient(tok)), CheckSignature)
			wantAccept(t, auth(build(t, testEnv(t, string(faults.TrustHeaderKeys)), pkCfg(t, k.rsa)), passwordClient(tok)))
		}
	})

	t.Run("jwks-use-kid (JWT-JWKS-04)", func(t *testing.T) {
		for _, fs := range [][]string{nil, {string(faults.JWKSUseKid)}} {
			src := &kidSource{kids: []string{"k1", "k2"}}
			src.set(k.rsa.Public(), k.rsa2.Public())
			a := build(t, testEnv(t, fs...), jwksCfg, WithJWKS(func(JWKSConfig, authn.Env) (KeySource, error) { return src, nil }))
			r := auth(a, passwordClient(sign(t, jwt.SigningMethodRS256, k.rsa2, claims{}, map[string]any{"kid": "k1"})))
			if fs == nil {
				wantAccept(t, r)
			} else {
				wantBF(t, r, CheckSignature) // only k1 is tried
			}
		}
	})

	t.Run("jwks-accepts-hmac (JWT-JWKS-09)", func(t *testing.T) {
		for _, fs := range [][]string{nil, {string(faults.JWKSAcceptsHMAC)}} {
			a, src, _ := jwksAuth(t, testEnv(t, fs...), jwksCfg)
			src.set(k.rsa.Public(), []byte("oct-secret"))
			r := auth(a, passwordClient(hs256(t, "oct-secret", claims{})))
			if fs == nil {
				wantBF(t, r, CheckAlg)
			} else {
				wantAccept(t, r)
			}
		}
	})

	t.Run("JWKS configuration faults (JWT-JWKS-10, -12)", func(t *testing.T) {
		factory := WithJWKS(func(JWKSConfig, authn.Env) (KeySource, error) { return &fakeSource{}, nil })
		for cfg, fault := range map[string]faults.Name{
			`{"mechanism":"jwt","use_jwks":true,"endpoint":"http://h/j","refresh_interval":0}`:  faults.JWKSZeroIntervalDefault,
			`{"mechanism":"jwt","use_jwks":true,"endpoint":"http://h/j","refresh_interval":-1}`: faults.JWKSZeroIntervalDefault,
			`{"mechanism":"jwt","use_jwks":true,"endpoint":"http://h/j","headers":{"a:b":"c"}}`: faults.JWKSHeaderNamesUnchecked,
		} {
			if _, err := New(json.RawMessage(cfg), testEnv(t).Env, factory); err == nil {
				t.Errorf("%s accepted without the fault", cfg)
			}
			a, err := New(json.RawMessage(cfg), testEnv(t).Env, factory, WithDefects(defectOf[fault]))
			if err != nil {
				t.Errorf("%s refused with %s: %v", cfg, fault, err)
				continue
			}
			if c := a.(*Authenticator).Config().JWKS; strings.Contains(cfg, "refresh_interval") && c.RefreshInterval != 300*time.Second {
				t.Errorf("%s with %s: want the 300 s default, got %s", cfg, fault, c.RefreshInterval)
			}
		}
	})
}
