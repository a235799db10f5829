package jwtauth

import (
	"strings"
	"testing"

	"github.com/authspec/authspec/reference/authn"
)

func TestTokenSource(t *testing.T) {
	good := hs256(t, "emqxsecret", claims{"sub": "x", "exp": exp(60e9)})

	t.Run("JWT-SRC-01 token in the password, any username", func(t *testing.T) {
		a := build(t, testEnv(t), hmacCfg)
		c := passwordClient(good)
		c.Username = "whatever-anyone-says"
		wantAccept(t, auth(a, c))
		c.HasUsername, c.Username = false, ""
		wantAccept(t, auth(a, c))
	})

	t.Run("JWT-SRC-02 from username, password unused", func(t *testing.T) {
		a := build(t, testEnv(t), `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","from":"username"}`)
		c := passwordClient("not a token")
		c.Username = good
		wantAccept(t, auth(a, c))
		c.HasPassword, c.Password = false, nil
		wantAccept(t, auth(a, c))
		// The password's token is not looked at.
		c = passwordClient(good)
		c.Username = "plain-name"
		wantBF(t, auth(a, c), CheckFormat)
	})

	t.Run("JWT-SRC-03 on_missing_jwt", func(t *testing.T) {
		noPassword := passwordClient("")
		noPassword.HasPassword = false
		noUsername := passwordClient(good)
		noUsername.HasUsername, noUsername.Username = false, ""

		wantIgnore(t, auth(build(t, testEnv(t), hmacCfg), noPassword), CheckMissingJWT)
		wantDeny86(t, auth(build(t, hardenedEnv(t), hmacCfg), noPassword), CheckMissingJWT)
		deny := `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","on_missing_jwt":"deny"}`
		wantDeny86(t, auth(build(t, testEnv(t), deny), noPassword), CheckMissingJWT)
		ignore := `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","on_missing_jwt":"ignore"}`
		wantIgnore(t, auth(build(t, hardenedEnv(t), ignore), noPassword), CheckMissingJWT)
		fromUser := `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","from":"username","on_missing_jwt":"deny"}`
		wantDeny86(t, auth(build(t, testEnv(t), fromUser), noUsername), CheckMissingJWT)
	})

	t.Run("JWT-SRC-04 MQTT 3.1.1 clients the same way", func(t *testing.T) {
		a := build(t, testEnv(t), hmacCfg)
		for _, proto := range []byte{3, 4, 5} {
			c := passwordClient(good)
			c.Protocol = proto
			wantAccept(t, auth(a, c))
			c.Password = []byte(hs256(t, "other", claims{}))
			wantBF(t, auth(a, c), CheckSignature)
			c.Password = []byte(hs256(t, "emqxsecret", claims{"exp": exp(-60e9)}))
			wantDeny86(t, auth(a, c), CheckExp)
		}
		if authn.V3Code(authn.CodeBadUserNameOrPass) != 4 || authn.V3Code(authn.CodeNotAuthorized) != 5 {
			t.Fatal("3.1.1 codes are not 4 and 5")
		}
	})

	t.Run("JWT-SRC-05 Authentication-Method present is ignored", func(t *testing.T) {
		a := build(t, testEnv(t), hmacCfg)
		c := passwordClient(good)
		c.AuthMethod = "SCRAM-SHA-256"
		wantIgnore(t, auth(a, c), CheckAuthMethod)
	})

	t.Run("JWT-SRC-06 zero-length password is a malformed token", func(t *testing.T) {
		deny := `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","on_missing_jwt":"deny"}`
		for _, cfg := range []string{hmacCfg, deny} {
			wantBF(t, auth(build(t, testEnv(t), cfg), passwordClient("")), CheckFormat)
		}
	})

	t.Run("JWT-SRC-07 only the JWS compact form", func(t *testing.T) {
		a := build(t, testEnv(t), hmacCfg)
		parts := strings.Split(good, ".")
		bad := map[string]string{
			"bearer prefix":   "Bearer " + good,
			"padding":         parts[0] + "==." + parts[1] + "." + parts[2],
			"padded sig":      good + "=",
			"jwe five parts":  good + ".AAAA.BBBB",
			"two parts":       parts[0] + "." + parts[1],
			"four parts":      good + ".",
			"one part":        parts[1],
			"whitespace":      good + " ",
			"newline inside":  parts[0] + "\n." + parts[1] + "." + parts[2],
			"standard base64": strings.ReplaceAll(strings.ReplaceAll(good, "-", "+"), "_", "/") + "+/",
			"plain text":      "hello",
			"json":            `{"alg":"HS256"}`,
		}
		for name, tok := range bad {
			t.Run(name, func(t *testing.T) { wantBF(t, auth(a, passwordClient(tok)), CheckFormat) })
		}
	})
}

func TestVerifyToken(t *testing.T) {
	a := build(t, testEnv(t), hmacCfg)
	wantAccept(t, a.VerifyToken(t.Context(), seedToken))
	wantBF(t, a.VerifyToken(t.Context(), hs256(t, "nope", claims{})), CheckSignature)
	u := build(t, testEnv(t), `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","from":"username"}`)
	wantAccept(t, u.VerifyToken(t.Context(), seedToken))
}
