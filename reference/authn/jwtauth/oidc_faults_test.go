package jwtauth

import (
	"context"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/fixtures/oidcprovider"
	"github.com/authspec/authspec/reference/faults"
)

func TestOIDCFaults(t *testing.T) {
	k := mustKeys(t)
	t.Run(string(faults.OIDCRSAKeysOnly), func(t *testing.T) {
		tok := sign(t, jwt.SigningMethodES256, k.p256, claims{})
		for fault, accept := range map[string]bool{"": true, string(faults.OIDCRSAKeysOnly): false} {
			a, src, _ := jwksAuth(t, testEnv(t, nonEmpty(fault)...), jwksCfg)
			src.set(k.rsa.Public(), k.p256.Public())
			if r := auth(a, passwordClient(tok)); accept {
				wantAccept(t, r)
			} else {
				wantBF(t, r, CheckSignature)
			}
		}
	})
	t.Run(string(faults.OIDCLastKeyOnly), func(t *testing.T) {
		old := sign(t, jwt.SigningMethodRS256, k.rsa, claims{})
		for fault, accept := range map[string]bool{"": true, string(faults.OIDCLastKeyOnly): false} {
			a, src, _ := jwksAuth(t, testEnv(t, nonEmpty(fault)...), jwksCfg)
			src.set(k.rsa.Public(), k.p256.Public()) // mid-rotation: old key first, new key last
			if r := auth(a, passwordClient(old)); accept {
				wantAccept(t, r)
			} else {
				wantBF(t, r, CheckSignature)
			}
		}
	})
	t.Run(string(faults.OIDCKeysFromTokenIssuer), func(t *testing.T) {
		// A provider the broker was never told about issues the token.
		p, err := oidcprovider.Start(oidcprovider.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		key, err := oidcprovider.GenerateKey(jose.RS256, "rogue")
		if err != nil {
			t.Fatal(err)
		}
		p.Rotate(key)
		p.AddClient(oidcprovider.Client{ID: "c", Secret: "s", Audience: []string{"b"}})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		tok, err := oidcprovider.NewTokenClient(p.TokenURL(), 5*time.Second).Token(ctx, "c", "s")
		if err != nil {
			t.Fatal(err)
		}
		for fault, accept := range map[string]bool{"": false, string(faults.OIDCKeysFromTokenIssuer): true} {
			env := testEnv(t, nonEmpty(fault)...)
			env.Now = time.Now // the provider's token is valid now, not at the helpers' fixed clock
			a, src, _ := jwksAuth(t, env, jwksCfg)
			src.set(k.rsa.Public())
			if r := auth(a, passwordClient(tok.JWT)); accept {
				wantAccept(t, r)
			} else {
				wantBF(t, r, CheckSignature)
			}
		}
	})
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
