package jwtauth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/reference/config/schema"
)

// seedToken is the cloud docs' default test token (catalogue, Vectors).
const seedToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJFTVFYIENsb3VkIiwiaWF0IjoxNTE2MjM5MDIyfQ.-k9Ggc6L_Jxq4uUf9xwdJpwRrS3PquL-JZKtAJoOvBo"

func TestHMAC(t *testing.T) {
	t.Run("JWT-HMAC-01 HS256 HS384 HS512 with the secret's bytes", func(t *testing.T) {
		a := build(t, testEnv(t), hmacCfg)
		for _, m := range []jwt.SigningMethod{jwt.SigningMethodHS256, jwt.SigningMethodHS384, jwt.SigningMethodHS512} {
			wantAccept(t, auth(a, passwordClient(sign(t, m, []byte("emqxsecret"), claims{"exp": exp(60e9)}))))
		}
	})

	t.Run("JWT-HMAC-02 another secret is a backend failure", func(t *testing.T) {
		a := build(t, testEnv(t), hmacCfg)
		wantBF(t, auth(a, passwordClient(hs256(t, "emqxsecreT", claims{}))), CheckSignature)
	})

	t.Run("JWT-HMAC-03 secret_base64_encoded", func(t *testing.T) {
		a := build(t, testEnv(t), `{"mechanism":"jwt","algorithm":"hmac-based","secret":"YWJjZGVm","secret_base64_encoded":true}`)
		wantAccept(t, auth(a, passwordClient(hs256(t, "abcdef", claims{}))))
		wantBF(t, auth(a, passwordClient(hs256(t, "YWJjZGVm", claims{}))), CheckSignature)
	})

	t.Run("JWT-HMAC-04 invalid base64 secret refused at creation", func(t *testing.T) {
		_, err := New(json.RawMessage(`{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","secret_base64_encoded":true}`), testEnv(t).Env)
		var fe *schema.FieldError
		if !errors.As(err, &fe) || fe.Path != "secret" || !strings.Contains(fe.Msg, "base64") {
			t.Fatalf("want a FieldError on secret, got %v", err)
		}
	})

	t.Run("JWT-HMAC-05 seed token with emqxsecret never expires", func(t *testing.T) {
		a := build(t, testEnv(t), hmacCfg)
		c := passwordClient(seedToken)
		c.Username = "any"
		r := auth(a, c)
		wantAccept(t, r)
		if !r.Identity.ExpireAt.IsZero() || r.Identity.DisconnectOnExpire {
			t.Fatalf("seed token has no exp but the identity expires: %+v", r.Identity)
		}
	})

	t.Run("JWT-HMAC-06 only HS algorithms, key confusion refused", func(t *testing.T) {
		k := mustKeys(t)
		a := build(t, testEnv(t), hmacCfg)
		others := map[string]string{
			"RS256": sign(t, jwt.SigningMethodRS256, k.rsa, claims{}),
			"PS256": sign(t, jwt.SigningMethodPS256, k.rsa, claims{}),
			"ES256": sign(t, jwt.SigningMethodES256, k.p256, claims{}),
			"EdDSA": sign(t, jwt.SigningMethodEdDSA, k.ed, claims{}),
			"none":  rawToken(`{"alg":"none"}`, `{}`, nil),
		}
		for alg, tok := range others {
			t.Run(alg, func(t *testing.T) { wantBF(t, auth(a, passwordClient(tok)), CheckAlg) })
		}
		// RS256 header, "signature" an HMAC keyed with the RSA public key PEM,
		// against an HMAC authenticator whose secret is that very PEM.
		pemText := pubPEM(t, k.rsa)
		cfg, _ := json.Marshal(map[string]any{"mechanism": "jwt", "algorithm": "hmac-based", "secret": pemText})
		confused := build(t, testEnv(t), string(cfg))
		input := seg(`{"alg":"RS256","typ":"JWT"}`) + "." + seg(`{"sub":"x"}`)
		mac := hmac.New(sha256.New, []byte(pemText))
		mac.Write([]byte(input))
		tok := input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
		wantBF(t, auth(confused, passwordClient(tok)), CheckAlg)
		// the same bytes with an HS256 header verify: the test token is right
		hsTok := strings.Replace(tok, seg(`{"alg":"RS256","typ":"JWT"}`), seg(`{"alg":"HS256","typ":"JWT"}`), 1)
		mac = hmac.New(sha256.New, []byte(pemText))
		mac.Write([]byte(strings.SplitN(hsTok, ".", 3)[0] + "." + seg(`{"sub":"x"}`)))
		hsTok = strings.Join(strings.SplitN(hsTok, ".", 3)[:2], ".") + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
		wantAccept(t, auth(confused, passwordClient(hsTok)))
	})

	t.Run("JWT-HMAC-08 kid and typ ignored", func(t *testing.T) {
		a := build(t, testEnv(t), hmacCfg)
		for _, h := range []map[string]any{
			{"kid": "no-such-key"}, {"kid": 42}, {"typ": "at+jwt"}, {"typ": "xyz"}, {"typ": nil, "kid": ""},
		} {
			wantAccept(t, auth(a, passwordClient(sign(t, jwt.SigningMethodHS256, []byte("emqxsecret"), claims{}, h))))
		}
	})
}

func TestHMACConfig(t *testing.T) {
	env := testEnv(t)
	bad := map[string]string{
		`{"mechanism":"jwt","algorithm":"hmac-based"}`:                                     "secret: is required",
		`{"mechanism":"jwt","algorithm":"hmac-based","secret":""}`:                         "secret: must not be empty",
		`{"mechanism":"jwt","algorithm":"hmac-based","secret":5}`:                          "secret: must be a string",
		`{"mechanism":"jwt","algorithm":"hmac-based","secret":"s","public_key":"x"}`:       "public_key: unknown field",
		`{"mechanism":"jwt","algorithm":"hmac-based","secret":"s","enable":"maybe"}`:       "enable: must be a boolean",
		`{"mechanism":"jwt","algorithm":"hmac","secret":"s"}`:                              "algorithm: must be hmac-based or public-key",
		`{"mechanism":"jwt","secret":"s"}`:                                                 "algorithm: is required",
		`{"mechanism":"jwt","algorithm":"hmac-based","secret":"s","from":"clientid"}`:      "from: must be one of password, username",
		`{"mechanism":"jwt","algorithm":"hmac-based","secret":"s","on_missing_jwt":"yes"}`: "on_missing_jwt: must be one of ignore, deny",
		`{"mechanism":"scram","algorithm":"hmac-based","secret":"s"}`:                      "mechanism: must be jwt",
		`[1]`: "must be an object",
	}
	for cfg, want := range bad {
		_, err := New(json.RawMessage(cfg), env.Env)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want error %q, got %v", cfg, want, err)
		}
	}
	// Strings are cast as HOCON does.
	a := build(t, env, `{"mechanism":"jwt","algorithm":"hmac-based","secret":"s","enable":"false","disconnect_after_expire":"false"}`)
	if a.Config().Enable || a.Config().DisconnectAfterExpire {
		t.Fatal("string booleans not read")
	}
}
