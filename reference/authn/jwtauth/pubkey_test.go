package jwtauth

import (
	"crypto"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

func TestPublicKey(t *testing.T) {
	k := mustKeys(t)

	t.Run("JWT-PK-01 every public-key algorithm with its key", func(t *testing.T) {
		cases := []struct {
			m    jwt.SigningMethod
			priv crypto.Signer
		}{
			{jwt.SigningMethodRS256, k.rsa}, {jwt.SigningMethodRS384, k.rsa}, {jwt.SigningMethodRS512, k.rsa},
			{jwt.SigningMethodPS256, k.rsa}, {jwt.SigningMethodPS384, k.rsa}, {jwt.SigningMethodPS512, k.rsa},
			{jwt.SigningMethodES256, k.p256}, {jwt.SigningMethodES384, k.p384}, {jwt.SigningMethodES512, k.p521},
			{jwt.SigningMethodEdDSA, k.ed},
		}
		for _, c := range cases {
			t.Run(c.m.Alg(), func(t *testing.T) {
				a := build(t, testEnv(t), pkCfg(t, c.priv))
				wantAccept(t, auth(a, passwordClient(sign(t, c.m, c.priv, claims{"exp": exp(60e9)}))))
			})
		}
		t.Run("PEM file path", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pub.pem")
			if err := os.WriteFile(path, []byte(pubPEM(t, k.rsa)), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, _ := json.Marshal(map[string]any{"mechanism": "jwt", "algorithm": "public-key", "public_key": path})
			a := build(t, testEnv(t), string(cfg))
			wantAccept(t, auth(a, passwordClient(sign(t, jwt.SigningMethodRS256, k.rsa, claims{}))))
		})
		t.Run("PKCS1 RSA PUBLIC KEY", func(t *testing.T) {
			p := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&k.rsa.PublicKey)})
			cfg, _ := json.Marshal(map[string]any{"mechanism": "jwt", "algorithm": "public-key", "public_key": string(p)})
			a := build(t, testEnv(t), string(cfg))
			wantAccept(t, auth(a, passwordClient(sign(t, jwt.SigningMethodRS256, k.rsa, claims{}))))
		})
	})

	t.Run("JWT-PK-02 another key or an alg that does not fit the key", func(t *testing.T) {
		rsaAuth := build(t, testEnv(t), pkCfg(t, k.rsa))
		wantBF(t, auth(rsaAuth, passwordClient(sign(t, jwt.SigningMethodRS256, k.rsa2, claims{}))), CheckSignature)
		wantBF(t, auth(rsaAuth, passwordClient(sign(t, jwt.SigningMethodES256, k.p256, claims{}))), CheckSignature)
		wantBF(t, auth(rsaAuth, passwordClient(sign(t, jwt.SigningMethodEdDSA, k.ed, claims{}))), CheckSignature)
		ecAuth := build(t, testEnv(t), pkCfg(t, k.p256))
		wantBF(t, auth(ecAuth, passwordClient(sign(t, jwt.SigningMethodES256, k.p256b, claims{}))), CheckSignature)
		wantBF(t, auth(ecAuth, passwordClient(sign(t, jwt.SigningMethodES384, k.p384, claims{}))), CheckSignature)
		edAuth := build(t, testEnv(t), pkCfg(t, k.ed))
		wantBF(t, auth(edAuth, passwordClient(sign(t, jwt.SigningMethodEdDSA, k.ed2, claims{}))), CheckSignature)
	})

	t.Run("JWT-PK-03 HS and none refused, key confusion", func(t *testing.T) {
		pemText := pubPEM(t, k.rsa)
		a := build(t, testEnv(t), pkCfg(t, k.rsa))
		wantBF(t, auth(a, passwordClient(hs256(t, "emqxsecret", claims{}))), CheckAlg)
		wantBF(t, auth(a, passwordClient(rawToken(`{"alg":"none"}`, `{}`, nil))), CheckAlg)
		input := seg(`{"alg":"HS256","typ":"JWT"}`) + "." + seg(`{"sub":"x"}`)
		mac := hmac.New(sha256.New, []byte(pemText))
		mac.Write([]byte(input))
		confused := input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
		wantBF(t, auth(a, passwordClient(confused)), CheckAlg)
	})

	t.Run("JWT-PK-04 bad keys refused at creation unless disabled", func(t *testing.T) {
		dir := t.TempDir()
		junk := filepath.Join(dir, "junk.pem")
		_ = os.WriteFile(junk, []byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"), 0o600)
		for name, value := range map[string]string{
			"malformed PEM":     "-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----\n",
			"not PEM":           "emqxsecret",
			"missing file":      filepath.Join(dir, "absent.pem"),
			"file without key":  junk,
			"truncated":         pubPEM(t, k.rsa)[:100],
			"private key block": "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
		} {
			t.Run(name, func(t *testing.T) {
				cfg := map[string]any{"mechanism": "jwt", "algorithm": "public-key", "public_key": value}
				raw, _ := json.Marshal(cfg)
				_, err := New(raw, testEnv(t).Env)
				if err == nil || !strings.Contains(err.Error(), "public_key: invalid_public_key") {
					t.Fatalf("want invalid_public_key, got %v", err)
				}
				cfg["enable"] = false
				raw, _ = json.Marshal(cfg)
				if _, err := New(raw, testEnv(t).Env); err != nil {
					t.Fatalf("enable:false must succeed: %v", err)
				}
			})
		}
	})

	t.Run("JWT-PK-05 altered header or payload", func(t *testing.T) {
		a := build(t, testEnv(t), pkCfg(t, k.p256))
		tok := sign(t, jwt.SigningMethodES256, k.p256, claims{"sub": "alice", "exp": exp(60e9)})
		wantAccept(t, auth(a, passwordClient(tok)))
		parts := strings.Split(tok, ".")
		resigned := seg(`{"alg":"ES256","typ":"JWT","kid":"x"}`) + "." + parts[1] + "." + parts[2]
		wantBF(t, auth(a, passwordClient(resigned)), CheckSignature)
		altered := parts[0] + "." + seg(`{"sub":"mallory","exp":`+itoa64(exp(60e9))+`}`) + "." + parts[2]
		wantBF(t, auth(a, passwordClient(altered)), CheckSignature)
		wantBF(t, auth(a, passwordClient(tamper(tok, 1))), "")
		wantBF(t, auth(a, passwordClient(tamper(tok, 0))), "")
	})
}

func itoa64(i int64) string {
	b, _ := json.Marshal(i)
	return string(b)
}
