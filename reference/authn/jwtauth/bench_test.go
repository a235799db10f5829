package jwtauth

import (
	"context"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/reference/authn"
)

// BenchmarkVerify compares the authenticator's whole verify path (format,
// alg, signature, EMQX's claim checks, identity) with a bare golang-jwt
// parse+verify of the same token, for HS256 and RS256.
func BenchmarkVerify(b *testing.B) {
	k := mustKeys(b)
	c := claims{"sub": "device-1", "exp": exp(3600e9), "is_superuser": false,
		"client_attrs": map[string]any{"site": "lab"}}
	cases := []struct {
		name  string
		cfg   string
		token string
		key   any
		algs  []string
	}{
		{"HS256", hmacCfg, hs256(b, "emqxsecret", c), []byte("emqxsecret"), []string{"HS256"}},
		{"RS256", pkCfg(b, k.rsa), sign(b, jwt.SigningMethodRS256, k.rsa, c), &k.rsa.PublicKey, []string{"RS256"}},
	}
	for _, tc := range cases {
		a := build(b, testEnv(b), tc.cfg)
		cl := passwordClient(tc.token)
		b.Run(tc.name+"/authenticator", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if r := a.Authenticate(context.Background(), cl); r.Outcome != authn.Accept {
					b.Fatalf("%+v", r)
				}
			}
		})
		b.Run(tc.name+"/golang-jwt", func(b *testing.B) {
			b.ReportAllocs()
			p := jwt.NewParser(jwt.WithValidMethods(tc.algs), jwt.WithoutClaimsValidation())
			kf := func(*jwt.Token) (any, error) { return tc.key, nil }
			for b.Loop() {
				if _, err := p.Parse(tc.token, kf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHostileTokens (SEC-04): a 65535-byte or deeply nested token that
// does not verify, against a short bad token.
func BenchmarkHostileTokens(b *testing.B) {
	a := build(b, testEnv(b), hmacCfg)
	tokens := bigTokens(b)
	tokens["short, bad signature"] = hs256(b, "wrong", claims{"sub": "x"})
	for name, tok := range tokens {
		cl := passwordClient(tok)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				a.Authenticate(context.Background(), cl)
			}
		})
	}
}
