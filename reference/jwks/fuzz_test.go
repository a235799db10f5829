package jwks

import "testing"

// FuzzParseSet feeds arbitrary endpoint bodies to the JWK Set parser: the
// body comes from the network (SEC-11), so it must never panic, and every
// key it keeps must carry a public key.
func FuzzParseSet(f *testing.F) {
	for _, s := range []string{
		`{"keys":[]}`,
		`{"keys":[{"kty":"RSA","n":"sXch","e":"AQAB"}]}`,
		`{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}`,
		`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}`,
		`{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`,
		`{"kty":"RSA","n":"sXch","e":"AQAB"}`,
		`{"keys":[{"kty":"RSA","n":"","e":""}, null, 1, "x", {"kty":"EC","crv":"P-999"}]}`,
		`{"keys":{}}`, `[]`, ``, `{`, `{"keys":[` + "\xff" + `]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		keys, skipped, err := parseSet(doc, policy{})
		if err != nil && len(keys) > 0 {
			t.Fatalf("keys returned with an error: %v", err)
		}
		for i, k := range keys {
			if k.Public == nil {
				t.Fatalf("key %d has no public key (%d skipped)", i, len(skipped))
			}
		}
	})
}
