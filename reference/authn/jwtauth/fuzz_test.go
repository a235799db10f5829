package jwtauth

import (
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/config/security"
)

// FuzzAuthenticate feeds arbitrary passwords to an HMAC authenticator: it
// must never panic, always answer one of its outcomes with a Check, and
// accept only tokens golang-jwt verifies with the secret.
func FuzzAuthenticate(f *testing.F) {
	for _, s := range []string{
		seedToken,
		hs256(f, "emqxsecret", claims{"exp": exp(60e9), "acl": map[string]any{"pub": []string{"a/#"}}}),
		hs256(f, "emqxsecret", claims{"client_attrs": map[string]any{"a": []any{"x", 1}}}),
		rawToken(`{"alg":"none"}`, `{}`, nil),
		"a.b.c", "..", "", "Bearer x.y.z", "eyJ.eyJ.", "e30.e30.e30",
	} {
		f.Add(s)
	}
	env := testEnvironment{Env: authn.Env{Profile: security.Legacy, Now: func() time.Time { return now }}}
	a := build(f, env, `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","verify_claims":{"sub":"${username}"}}`)
	lax := build(f, env, hmacCfg)
	parser := jwt.NewParser(jwt.WithValidMethods(hmacAlgs), jwt.WithoutClaimsValidation())
	key := func(*jwt.Token) (any, error) { return []byte("emqxsecret"), nil }
	f.Fuzz(func(t *testing.T, password string) {
		for _, auth := range []*Authenticator{a, lax} {
			r := auth.Authenticate(t.Context(), passwordClient(password))
			if r.Check == "" || r.Authenticator != ID {
				t.Fatalf("result without check: %+v", r)
			}
			switch r.Outcome {
			case authn.Accept:
				if _, err := parser.Parse(password, key); err != nil {
					t.Fatalf("accepted a token golang-jwt refuses: %v", err)
				}
			case authn.Deny:
				if r.Code != authn.CodeBadUserNameOrPass {
					t.Fatalf("deny with code 0x%02X", r.Code)
				}
			case authn.Ignore:
			default:
				t.Fatalf("outcome %s", r.Outcome)
			}
		}
	})
}
