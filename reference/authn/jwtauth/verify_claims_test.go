package jwtauth

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/placeholder"
	"github.com/golang-jwt/jwt/v5"
)

func vcCfg(verifyClaims string) string {
	return `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","verify_claims":` + verifyClaims + `}`
}

func TestVerifyClaims(t *testing.T) {
	k := mustKeys(t)
	tok := func(payload string) string { return tokenWith(t, payload) }

	t.Run("JWT-VC-01 claims equal the configured value, every mode", func(t *testing.T) {
		a := build(t, testEnv(t), vcCfg(`{"iss":"emqx","tenant":"t1"}`))
		wantAccept(t, auth(a, passwordClient(tok(`{"iss":"emqx","tenant":"t1","x":1}`))))
		wantDeny86(t, auth(a, passwordClient(tok(`{"iss":"emqx","tenant":"t2"}`))), "verify_claims.tenant")
		pk := map[string]any{"mechanism": "jwt", "algorithm": "public-key", "public_key": pubPEM(t, k.p256),
			"verify_claims": map[string]string{"iss": "emqx"}}
		raw, _ := json.Marshal(pk)
		pa := build(t, testEnv(t), string(raw))
		wantAccept(t, auth(pa, passwordClient(sign(t, jwt.SigningMethodES256, k.p256, claims{"iss": "emqx"}))))
		wantDeny86(t, auth(pa, passwordClient(sign(t, jwt.SigningMethodES256, k.p256, claims{"iss": "other"}))), "verify_claims.iss")
		// JWKS mode: see TestJWKSMode.
	})

	t.Run("JWT-VC-02 clientid and username placeholders", func(t *testing.T) {
		a := build(t, testEnv(t), vcCfg(`{"username":"${username}","cid":"${clientid}"}`))
		c := passwordClient(tok(`{"username":"user1","cid":"client1"}`))
		wantAccept(t, auth(a, c))
		c.Username = "user2"
		wantDeny86(t, auth(a, c), "verify_claims.username")
		c = passwordClient(tok(`{"username":"user1","cid":"client1"}`))
		c.ClientID = "client2"
		wantDeny86(t, auth(a, c), "verify_claims.cid")
	})

	t.Run("JWT-VC-03 missing claim", func(t *testing.T) {
		a := build(t, testEnv(t), vcCfg(`{"tenant":"t1"}`))
		wantDeny86(t, auth(a, passwordClient(tok(`{"sub":"x"}`))), "verify_claims.tenant")
	})

	t.Run("JWT-VC-04 aud string or array", func(t *testing.T) {
		a := build(t, testEnv(t), vcCfg(`{"aud":"mqtt-${clientid}"}`))
		wantAccept(t, auth(a, passwordClient(tok(`{"aud":"mqtt-client1"}`))))
		wantAccept(t, auth(a, passwordClient(tok(`{"aud":["other","mqtt-client1"]}`))))
		for _, aud := range []string{`"other"`, `""`, `[]`, `["other"]`, `5`, `{"a":"mqtt-client1"}`, `null`, `[["mqtt-client1"]]`} {
			wantDeny86(t, auth(a, passwordClient(tok(`{"aud":`+aud+`}`))), CheckAud)
		}
		wantDeny86(t, auth(a, passwordClient(tok(`{"sub":"x"}`))), CheckAud)
	})

	t.Run("JWT-VC-05 mixed template, unsent username renders empty", func(t *testing.T) {
		a := build(t, testEnv(t), vcCfg(`{"who":"${username}-${clientid}"}`))
		c := passwordClient(tok(`{"who":"-myclient"}`))
		c.ClientID, c.HasUsername, c.Username = "myclient", false, ""
		wantAccept(t, auth(a, c))
		c = passwordClient(tok(`{"who":"user1-client1"}`))
		wantAccept(t, auth(a, c))
	})

	t.Run("JWT-VC-06 other placeholders stay literal", func(t *testing.T) {
		a := build(t, testEnv(t), vcCfg(`{"x":"${foo}","p":"${password}","d":"$${$}x"}`))
		wantAccept(t, auth(a, passwordClient(tok(`{"x":"${foo}","p":"${password}","d":"$$x"}`))))
		wantDeny86(t, auth(a, passwordClient(tok(`{"x":"","p":"${password}","d":"$$x"}`))), "verify_claims.x")
	})

	t.Run("JWT-VC-07 non-string claims never match", func(t *testing.T) {
		a := build(t, testEnv(t), vcCfg(`{"uid":"123"}`))
		for _, v := range []string{`123`, `true`, `["123"]`, `{"v":"123"}`, `null`, `123.0`} {
			wantDeny86(t, auth(a, passwordClient(tok(`{"uid":`+v+`}`))), "verify_claims.uid")
		}
		a = build(t, testEnv(t), vcCfg(`{"ok":"true"}`))
		wantDeny86(t, auth(a, passwordClient(tok(`{"ok":true}`))), "verify_claims.ok")
	})

	t.Run("JWT-VC-08 order: signature, aud, exp/nbf, custom", func(t *testing.T) {
		a := build(t, testEnv(t), vcCfg(`{"aud":"a","tenant":"t1"}`))
		expired := fmt.Sprintf(`{"aud":"b","exp":%d,"tenant":"t2"}`, now.Unix()-10)
		wantBF(t, auth(a, passwordClient(hmacRaw(t, "wrong", hdr, expired))), CheckSignature)
		wantDeny86(t, auth(a, passwordClient(tok(expired))), CheckAud)
		wantDeny86(t, auth(a, passwordClient(tok(fmt.Sprintf(`{"aud":"a","exp":%d,"tenant":"t2"}`, now.Unix()-10)))), CheckExp)
		wantDeny86(t, auth(a, passwordClient(tok(fmt.Sprintf(`{"aud":"a","exp":%d,"nbf":%d,"tenant":"t2"}`, now.Unix()+10, now.Unix()+10)))), CheckNbf)
		wantDeny86(t, auth(a, passwordClient(tok(`{"aud":"a","tenant":"t2"}`))), "verify_claims.tenant")
	})

	t.Run("JWT-VC-09 map or list, no empty names", func(t *testing.T) {
		a := build(t, testEnv(t), vcCfg(`[{"name":"iss","value":"emqx"},{"name":"u","value":"${username}"}]`))
		wantAccept(t, auth(a, passwordClient(tok(`{"iss":"emqx","u":"user1"}`))))
		wantDeny86(t, auth(a, passwordClient(tok(`{"iss":"emqx","u":"user2"}`))), "verify_claims.u")
		for cfg, want := range map[string]string{
			`{"":"x"}`:                         `verify_claims: claim name must not be empty`,
			`[{"name":"","value":"x"}]`:        `verify_claims[0].name: claim name must not be empty`,
			`[{"name":"a"}]`:                   `verify_claims[0].value: is required`,
			`[{"name":"a","value":1}]`:         `verify_claims[0].value: must be a string`,
			`[{"name":"a","value":"1","x":1}]`: `verify_claims[0].x: unknown field`,
			`{"a":1}`:                          `verify_claims.a: must be a string`,
			`"iss"`:                            `verify_claims: must be an object or a list`,
			`[5]`:                              `verify_claims[0]: must be an object`,
		} {
			_, err := New(json.RawMessage(vcCfg(cfg)), testEnv(t).Env)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: want %q, got %v", cfg, want, err)
			}
		}
	})

	t.Run("checked claims are consumed as in EMQX", func(t *testing.T) {
		a := build(t, testEnv(t), vcCfg(`[{"name":"exp","value":"x"}]`))
		wantDeny86(t, auth(a, passwordClient(tok(fmt.Sprintf(`{"exp":%d}`, now.Unix()+60)))), "verify_claims.exp")
	})
}

// The placeholder engine's own tests cover the verify_claims rules
// (placeholder.VerifyClaims); this one covers how the authenticator
// applies its faults to them.
func TestExpectedUnderFaults(t *testing.T) {
	c := &clientinfo.Client{ClientID: "c", Username: "u", HasUsername: true}
	tm := placeholder.VerifyClaims.Parse("${clientid}/${username}/${zone}/${$}")
	for _, r := range []struct {
		fs   defects
		want string
	}{
		{defects{}, "c/u/${zone}/$"},
		{defects{verifyClaimsNoTemplates: true}, "${clientid}/${username}/${zone}/${$}"},
		{defects{unknownPlaceholdersEmpty: true}, "c/u//$"},
	} {
		if got := expected(&tm, c, r.fs); got != r.want {
			t.Errorf("%+v: got %q, want %q", r.fs, got, r.want)
		}
	}
}
