package jwtauth

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"runtime"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
)

// allModes builds one authenticator per mode, all trusting the same keys.
func allModes(t *testing.T) map[string]*Authenticator {
	k := mustKeys(t)
	j, src, _ := jwksAuth(t, testEnv(t), jwksCfg)
	src.set(k.rsa.Public(), k.p256.Public())
	return map[string]*Authenticator{
		"hmac":       build(t, testEnv(t), hmacCfg),
		"public-key": build(t, testEnv(t), pkCfg(t, k.rsa)),
		"jwks":       j,
	}
}

func TestSecurity(t *testing.T) {
	k := mustKeys(t)

	t.Run("SEC-01 alg none and empty or stripped signatures", func(t *testing.T) {
		for mode, a := range allModes(t) {
			for _, alg := range []string{"none", "None", "NONE", "nOnE"} {
				tok := rawToken(`{"alg":"`+alg+`","typ":"JWT"}`, `{"sub":"x"}`, nil)
				t.Run(mode+"/"+alg, func(t *testing.T) { wantBF(t, auth(a, passwordClient(tok)), CheckAlg) })
			}
			valid := map[string]string{
				"hmac":       hs256(t, "emqxsecret", claims{}),
				"public-key": sign(t, jwt.SigningMethodRS256, k.rsa, claims{}),
				"jwks":       sign(t, jwt.SigningMethodES256, k.p256, claims{}),
			}[mode]
			wantAccept(t, auth(a, passwordClient(valid)))
			cut := valid[:strings.LastIndexByte(valid, '.')]
			t.Run(mode+"/empty signature", func(t *testing.T) { wantBF(t, auth(a, passwordClient(cut+".")), CheckSignature) })
			t.Run(mode+"/stripped signature", func(t *testing.T) { wantBF(t, auth(a, passwordClient(cut)), CheckFormat) })
		}
	})

	t.Run("SEC-02 psychic ECDSA signatures", func(t *testing.T) {
		a := build(t, testEnv(t), pkCfg(t, k.p256))
		input := seg(`{"alg":"ES256","typ":"JWT"}`) + "." + seg(`{"sub":"admin"}`)
		n := k.p256.Curve.Params().N.FillBytes(make([]byte, 32))
		one := big.NewInt(1).FillBytes(make([]byte, 32))
		for name, sig := range map[string][]byte{
			"r=0,s=0": make([]byte, 64),
			"r=0,s=1": append(make([]byte, 32), one...),
			"r=1,s=0": append(one, make([]byte, 32)...),
			"r=n,s=n": append(append([]byte{}, n...), n...),
		} {
			tok := input + "." + base64.RawURLEncoding.EncodeToString(sig)
			t.Run(name, func(t *testing.T) { wantBF(t, auth(a, passwordClient(tok)), CheckSignature) })
		}
	})

	t.Run("SEC-03 keys in the header are never used", func(t *testing.T) {
		a := build(t, testEnv(t), pkCfg(t, k.rsa))
		attacker := k.rsa2
		jwk, _ := json.Marshal(jose.JSONWebKey{Key: attacker.Public(), Algorithm: "RS256", Use: "sig"})
		var jwkObj map[string]any
		_ = json.Unmarshal(jwk, &jwkObj)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "attacker"},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, attacker.Public(), attacker)
		if err != nil {
			t.Fatal(err)
		}
		for name, h := range map[string]map[string]any{
			"jwk": {"jwk": jwkObj},
			"jku": {"jku": "http://127.0.0.1:1/attacker-jwks"},
			"x5u": {"x5u": "http://127.0.0.1:1/attacker.pem"},
			"x5c": {"x5c": []string{base64.StdEncoding.EncodeToString(der)}},
		} {
			tok := sign(t, jwt.SigningMethodRS256, attacker, claims{"sub": "admin"}, h)
			t.Run(name, func(t *testing.T) { wantBF(t, auth(a, passwordClient(tok)), CheckSignature) })
		}
	})

	t.Run("SEC-04 large and deeply nested tokens", func(t *testing.T) {
		a := build(t, testEnv(t), hmacCfg)
		for name, tok := range bigTokens(t) {
			t.Run(name, func(t *testing.T) {
				if len(tok) > 65535 || len(tok) < 60000 {
					t.Fatalf("token is %d bytes", len(tok))
				}
				if strings.HasSuffix(name, "valid signature") {
					// Signed by the secret: deep but legal JSON is a token.
					wantAccept(t, auth(a, passwordClient(tok)))
				} else {
					wantBF(t, auth(a, passwordClient(tok)), "")
				}
				if per := allocPerAuth(a, tok); per > 4<<20 {
					t.Fatalf("one authentication allocated %d bytes", per)
				}
			})
		}
		over := strings.Repeat("A", 65536)
		wantBF(t, auth(a, passwordClient(over)), CheckFormat)
	})

	t.Run("SEC-06 alg is case-sensitive", func(t *testing.T) {
		h := build(t, testEnv(t), hmacCfg)
		for _, alg := range []string{"hs256", "Hs256", "hS256"} {
			tok := hmacRaw(t, "emqxsecret", `{"alg":"`+alg+`"}`, `{}`)
			wantBF(t, auth(h, passwordClient(tok)), CheckAlg)
		}
		p := build(t, testEnv(t), pkCfg(t, k.rsa))
		input := seg(`{"alg":"Rs256"}`) + "." + seg(`{}`)
		sig, err := jwt.SigningMethodRS256.Sign(input, k.rsa)
		if err != nil {
			t.Fatal(err)
		}
		wantBF(t, auth(p, passwordClient(input+"."+base64.RawURLEncoding.EncodeToString(sig))), CheckAlg)
		e := build(t, testEnv(t), pkCfg(t, k.ed))
		input = seg(`{"alg":"EDDSA"}`) + "." + seg(`{}`)
		sig, _ = jwt.SigningMethodEdDSA.Sign(input, k.ed)
		wantBF(t, auth(e, passwordClient(input+"."+base64.RawURLEncoding.EncodeToString(sig))), CheckAlg)
	})
}

// bigTokens are SEC-04's hostile tokens, each at most 65535 bytes.
func bigTokens(t testing.TB) map[string]string {
	const limit = 65535
	fill := func(build func(n int) string) string {
		// the largest payload whose token fits the MQTT limit
		lo, hi := 0, limit
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if len(build(mid)) <= limit {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		return build(lo)
	}
	hdrSeg := seg(`{"alg":"HS256","typ":"JWT"}`)
	sig := strings.Repeat("A", 43)
	return map[string]string{
		"65535 bytes, bad signature": fill(func(n int) string {
			return hdrSeg + "." + seg(`{"pad":"`+strings.Repeat("x", n)+`"}`) + "." + sig
		}),
		"nested arrays in the payload": fill(func(n int) string {
			return hdrSeg + "." + seg(strings.Repeat("[", n)+strings.Repeat("]", n)) + "." + sig
		}),
		"nested objects in the payload, bad signature": fill(func(n int) string {
			return hdrSeg + "." + seg(strings.Repeat(`{"a":`, n)+"1"+strings.Repeat("}", n)) + "." + sig
		}),
		"nested objects in the payload, valid signature": fill(func(n int) string {
			return hmacRaw(t, "emqxsecret", `{"alg":"HS256"}`, strings.Repeat(`{"a":`, n)+"1"+strings.Repeat("}", n))
		}),
		"nested header": fill(func(n int) string {
			return seg(`{"alg":"HS256","x":`+strings.Repeat("[", n)+strings.Repeat("]", n)+`}`) + "." + seg(`{}`) + "." + sig
		}),
		"unterminated nesting": fill(func(n int) string {
			return seg(`{"alg":"HS256"}`) + "." + seg(strings.Repeat(`{"a":[`, n)) + "." + sig
		}),
	}
}

// allocPerAuth is the bytes one authentication allocates, on average.
func allocPerAuth(a *Authenticator, tok string) uint64 {
	const runs = 5
	c := passwordClient(tok)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < runs; i++ {
		auth(a, c)
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / runs
}

func TestNestedDeeperThan(t *testing.T) {
	for in, want := range map[string]bool{
		`{"a":[1,{"b":2}]}`:                   false,
		`[[[[[`:                               true,
		`{"s":"[[[[[[[[[[[["}`:                false,
		`{"s":"\"[[[[[[[[[[[["}`:              false,
		`{"s":"\\"}` + strings.Repeat("[", 5): true,
		strings.Repeat("[", 4) + strings.Repeat("]", 4) + strings.Repeat("{", 5): true,
	} {
		if got := nestedDeeperThan([]byte(in), 4); got != want {
			t.Errorf("%s: got %v", in, got)
		}
	}
}
