package jwtauth

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/faults"
)

// scopeIDs are the catalogue IDs the JWT faults must cover (every one
// broken by at least one fault).
var scopeIDs = []string{
	"JWT-SRC-01", "JWT-SRC-02", "JWT-SRC-03", "JWT-SRC-04", "JWT-SRC-05", "JWT-SRC-06", "JWT-SRC-07",
	"JWT-HMAC-01", "JWT-HMAC-02", "JWT-HMAC-03", "JWT-HMAC-04", "JWT-HMAC-05", "JWT-HMAC-06", "JWT-HMAC-08",
	"JWT-PK-01", "JWT-PK-02", "JWT-PK-03", "JWT-PK-04", "JWT-PK-05",
	"JWT-CLAIM-01", "JWT-CLAIM-02", "JWT-CLAIM-03", "JWT-CLAIM-04", "JWT-CLAIM-05", "JWT-CLAIM-06", "JWT-CLAIM-08", "JWT-CLAIM-09",
	"JWT-VC-01", "JWT-VC-02", "JWT-VC-03", "JWT-VC-04", "JWT-VC-05", "JWT-VC-06", "JWT-VC-07", "JWT-VC-08", "JWT-VC-09",
	"SEC-01", "SEC-03", "SEC-06",
}

// TestFaults checks that each JWT fault really breaks the behaviour of
// every ID it declares: each case shows the broken outcome with the fault
// on (the correct outcome without it is what the other tests check).
func TestFaults(t *testing.T) {
	k := mustKeys(t)
	n := now.Unix()
	good := hs256(t, "emqxsecret", claims{"exp": exp(60e9)})
	hmacWith := func(t *testing.T, f faults.Name, cfg string) *Authenticator {
		return build(t, testEnv(t, string(f)), cfg)
	}
	hm := func(t *testing.T, f faults.Name) *Authenticator { return hmacWith(t, f, hmacCfg) }
	deny := `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","on_missing_jwt":"deny"}`

	cases := map[faults.Name]func(t *testing.T, f faults.Name){
		faults.TokenAlwaysFromUsername: func(t *testing.T, f faults.Name) {
			wantBF(t, auth(hm(t, f), passwordClient(good)), CheckFormat)
		},
		faults.TokenAlwaysFromPassword: func(t *testing.T, f faults.Name) {
			c := passwordClient("x")
			c.Username = good
			wantBF(t, auth(hmacWith(t, f, `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","from":"username"}`), c), CheckFormat)
		},
		faults.MissingJWTAccept: func(t *testing.T, f faults.Name) {
			c := passwordClient("")
			c.HasPassword = false
			wantAccept(t, auth(hm(t, f), c))
		},
		faults.JWTIgnoresMQTT3: func(t *testing.T, f faults.Name) {
			c := passwordClient(good)
			c.Protocol = 4
			wantIgnore(t, auth(hm(t, f), c), CheckProtocol)
		},
		faults.JWTHandlesAuthMethod: func(t *testing.T, f faults.Name) {
			c := passwordClient(good)
			c.AuthMethod = "SCRAM-SHA-256"
			wantAccept(t, auth(hm(t, f), c))
		},
		faults.EmptyPasswordIsMissing: func(t *testing.T, f faults.Name) {
			wantDeny86(t, auth(hmacWith(t, f, deny), passwordClient("")), CheckMissingJWT)
		},
		faults.LenientTokenFormat: func(t *testing.T, f faults.Name) {
			a := hm(t, f)
			wantAccept(t, auth(a, passwordClient("Bearer "+good)))
			wantAccept(t, auth(a, passwordClient(good+"==")))
		},
		faults.HMACOnlyHS256: func(t *testing.T, f faults.Name) {
			wantBF(t, auth(hm(t, f), passwordClient(sign(t, jwt.SigningMethodHS384, []byte("emqxsecret"), claims{}))), CheckAlg)
		},
		faults.SkipSignature: func(t *testing.T, f faults.Name) {
			wantAccept(t, auth(hm(t, f), passwordClient(hs256(t, "other", claims{}))))
			pk := hmacWith(t, f, pkCfg(t, k.rsa))
			wantAccept(t, auth(pk, passwordClient(sign(t, jwt.SigningMethodRS256, k.rsa2, claims{}))))
			wantAccept(t, auth(pk, passwordClient(tamper(sign(t, jwt.SigningMethodRS256, k.rsa, claims{}), 2))))
			wantDeny86(t, auth(hm(t, f), passwordClient(hs256(t, "other", claims{"exp": n - 5}))), CheckExp)
		},
		faults.HMACIgnoreSecretBase64: func(t *testing.T, f faults.Name) {
			a := hmacWith(t, f, `{"mechanism":"jwt","algorithm":"hmac-based","secret":"YWJjZGVm","secret_base64_encoded":true}`)
			wantBF(t, auth(a, passwordClient(hs256(t, "abcdef", claims{}))), CheckSignature)
			hmacWith(t, f, `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","secret_base64_encoded":true}`)
		},
		faults.HMACAcceptInvalidBase64: func(t *testing.T, f faults.Name) {
			hmacWith(t, f, `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","secret_base64_encoded":true}`)
		},
		faults.AcceptAlgNone: func(t *testing.T, f faults.Name) {
			for _, cfg := range []string{hmacCfg, pkCfg(t, k.rsa)} {
				for _, alg := range []string{"none", "NONE"} {
					tok := rawToken(`{"alg":"`+alg+`"}`, `{}`, nil)
					wantAccept(t, auth(hmacWith(t, f, cfg), passwordClient(tok)))
					wantAccept(t, auth(hmacWith(t, f, cfg), passwordClient(strings.TrimSuffix(tok, "."))))
				}
			}
		},
		faults.StrictKidTyp: func(t *testing.T, f faults.Name) {
			wantBF(t, auth(hm(t, f), passwordClient(sign(t, jwt.SigningMethodHS256, []byte("emqxsecret"), claims{}, map[string]any{"typ": "at+jwt"}))), CheckTyp)
			wantBF(t, auth(hm(t, f), passwordClient(sign(t, jwt.SigningMethodHS256, []byte("emqxsecret"), claims{}, map[string]any{"kid": "k1"}))), CheckKid)
			wantAccept(t, auth(hm(t, f), passwordClient(good)))
		},
		faults.PKDocsAlgsOnly: func(t *testing.T, f faults.Name) {
			wantBF(t, auth(hmacWith(t, f, pkCfg(t, k.rsa)), passwordClient(sign(t, jwt.SigningMethodPS256, k.rsa, claims{}))), CheckAlg)
			wantBF(t, auth(hmacWith(t, f, pkCfg(t, k.ed)), passwordClient(sign(t, jwt.SigningMethodEdDSA, k.ed, claims{}))), CheckAlg)
		},
		faults.PKAcceptsHMAC: func(t *testing.T, f faults.Name) {
			wantAccept(t, auth(hmacWith(t, f, pkCfg(t, k.rsa)), passwordClient(hs256(t, pubPEM(t, k.rsa), claims{}))))
		},
		faults.PKLazyKeyParse: func(t *testing.T, f faults.Name) {
			a := hmacWith(t, f, `{"mechanism":"jwt","algorithm":"public-key","public_key":"not a key"}`)
			wantBF(t, auth(a, passwordClient(sign(t, jwt.SigningMethodRS256, k.rsa, claims{}))), CheckNoKeys)
		},
		faults.SkipExp: func(t *testing.T, f faults.Name) {
			wantAccept(t, auth(hm(t, f), passwordClient(hs256(t, "emqxsecret", claims{"exp": n - 100}))))
		},
		faults.ExpInclusive: func(t *testing.T, f faults.Name) {
			wantAccept(t, auth(hm(t, f), passwordClient(hs256(t, "emqxsecret", claims{"exp": n}))))
			wantDeny86(t, auth(hm(t, f), passwordClient(hs256(t, "emqxsecret", claims{"exp": n - 1}))), CheckExp)
		},
		faults.SkipNbf: func(t *testing.T, f faults.Name) {
			wantAccept(t, auth(hm(t, f), passwordClient(hs256(t, "emqxsecret", claims{"nbf": n + 100}))))
		},
		faults.CheckIat: func(t *testing.T, f faults.Name) {
			wantDeny86(t, auth(hm(t, f), passwordClient(hs256(t, "emqxsecret", claims{"iat": n + 100}))), CheckIat)
		},
		faults.RequireExp: func(t *testing.T, f faults.Name) {
			wantDeny86(t, auth(hm(t, f), passwordClient(seedToken)), CheckExp)
		},
		faults.TimeClaimsNumbersOnly: func(t *testing.T, f faults.Name) {
			wantDeny86(t, auth(hm(t, f), passwordClient(tokenWith(t, fmt.Sprintf(`{"exp":"%d"}`, n+100)))), CheckExp)
		},
		faults.IgnoreClientIDOverride: func(t *testing.T, f faults.Name) {
			r := auth(hm(t, f), passwordClient(hs256(t, "emqxsecret", claims{"clientid_override": "new"})))
			wantAccept(t, r)
			if r.Identity.ClientIDOverride != "" {
				t.Fatal("override applied")
			}
		},
		faults.FractionalExpTruncated: func(t *testing.T, f faults.Name) {
			wantAccept(t, auth(hm(t, f), passwordClient(tokenWith(t, fmt.Sprintf(`{"exp":%d.5}`, n+100)))))
		},
		faults.IgnoreVerifyClaims: func(t *testing.T, f faults.Name) {
			a := hmacWith(t, f, vcCfg(`{"aud":"mqtt","uid":"123"}`))
			for _, p := range []string{`{"aud":"mqtt","uid":"999"}`, `{"aud":"mqtt"}`, `{"uid":"123"}`, `{"aud":"mqtt","uid":123}`} {
				wantAccept(t, auth(a, passwordClient(tokenWith(t, p))))
			}
		},
		faults.VerifyClaimsNoTemplates: func(t *testing.T, f faults.Name) {
			a := hmacWith(t, f, vcCfg(`{"u":"${username}-${clientid}"}`))
			wantDeny86(t, auth(a, passwordClient(tokenWith(t, `{"u":"user1-client1"}`))), "verify_claims.u")
		},
		faults.UnknownPlaceholdersEmpty: func(t *testing.T, f faults.Name) {
			a := hmacWith(t, f, vcCfg(`{"x":"${foo}"}`))
			wantDeny86(t, auth(a, passwordClient(tokenWith(t, `{"x":"${foo}"}`))), "verify_claims.x")
		},
		faults.AudStringOnly: func(t *testing.T, f faults.Name) {
			a := hmacWith(t, f, vcCfg(`{"aud":"mqtt"}`))
			wantDeny86(t, auth(a, passwordClient(tokenWith(t, `{"aud":["x","mqtt"]}`))), CheckAud)
		},
		faults.ClaimsBeforeSignature: func(t *testing.T, f faults.Name) {
			wantDeny86(t, auth(hm(t, f), passwordClient(hs256(t, "other", claims{"exp": n - 5}))), CheckExp)
		},
		faults.AllowEmptyClaimName: func(t *testing.T, f faults.Name) {
			hmacWith(t, f, vcCfg(`[{"name":"","value":"x"}]`))
		},
		faults.AlgCaseInsensitive: func(t *testing.T, f faults.Name) {
			wantAccept(t, auth(hm(t, f), passwordClient(hmacRaw(t, "emqxsecret", `{"alg":"hs256"}`, `{}`))))
		},
		faults.TrustHeaderJWK: func(t *testing.T, f faults.Name) {
			jwk := map[string]any{}
			raw, _ := json.Marshal(joseKey(k.rsa2.Public()))
			_ = json.Unmarshal(raw, &jwk)
			tok := sign(t, jwt.SigningMethodRS256, k.rsa2, claims{}, map[string]any{"jwk": jwk})
			wantAccept(t, auth(hmacWith(t, f, pkCfg(t, k.rsa)), passwordClient(tok)))
		},
	}

	covered := map[string]bool{}
	for _, def := range faults.All() {
		check, ok := cases[def.Name]
		if !ok {
			continue // another area's fault
		}
		delete(cases, def.Name)
		for _, id := range def.IDs {
			covered[id] = true
		}
		t.Run(string(def.Name)+" "+fmt.Sprint(def.IDs), func(t *testing.T) { check(t, def.Name) })
	}
	for name := range cases {
		t.Errorf("fault %s is tested but not declared", name)
	}
	for _, id := range scopeIDs {
		if !covered[id] {
			t.Errorf("%s is broken by no JWT fault", id)
		}
	}
}

// TestFaultsOffByDefault: no defect (every real run) changes nothing.
func TestFaultsOffByDefault(t *testing.T) {
	a := build(t, testEnvironment{Env: authn.Env{Now: testEnv(t).Now}}, hmacCfg)
	wantBF(t, auth(a, passwordClient(rawToken(`{"alg":"none"}`, `{}`, nil))), CheckAlg)
}
