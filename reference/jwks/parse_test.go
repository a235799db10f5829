package jwks

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// One unusable member of "keys" is skipped with its reason; the members
// around it are kept, in order (RFC 7517 section 5; see the package doc).
func TestBadKeysAreSkippedOneByOne(t *testing.T) {
	good1, good2 := mustKey(t, "RS256", "good1"), mustKey(t, "ES256", "good2")
	rsaKey := func() map[string]any { return jwkMap(t, mustKey(t, "RS256", "bad")) }
	ecKey := func() map[string]any { return jwkMap(t, mustKey(t, "ES256", "bad")) }
	bigModulus := make([]byte, 513) // 4104 bits, over go-jose's 4096-bit limit
	rand.Read(bigModulus)
	bigModulus[0] |= 0x80

	cases := map[string]func() any{
		"unknown kty": func() any { m := rsaKey(); m["kty"] = "PQC"; return m },
		"missing kty": func() any { m := rsaKey(); delete(m, "kty"); return m },
		"kty not a string": func() any {
			m := rsaKey()
			m["kty"] = 7
			return m
		},
		"RSA missing n": func() any { m := rsaKey(); delete(m, "n"); return m },
		"RSA missing e": func() any { m := rsaKey(); delete(m, "e"); return m },
		"RSA e of 1":    func() any { m := rsaKey(); m["e"] = "AQ"; return m },
		"RSA n not base64url": func() any {
			m := rsaKey()
			m["n"] = "!!!"
			return m
		},
		"RSA modulus over 4096 bits": func() any {
			m := rsaKey()
			m["n"] = base64.RawURLEncoding.EncodeToString(bigModulus)
			return m
		},
		"EC point off the curve": func() any {
			m := ecKey()
			y, _ := base64.RawURLEncoding.DecodeString(m["y"].(string))
			y[len(y)-1] ^= 1
			m["y"] = base64.RawURLEncoding.EncodeToString(y)
			return m
		},
		"EC coordinate of the wrong length": func() any {
			m := ecKey()
			x, _ := base64.RawURLEncoding.DecodeString(m["x"].(string))
			m["x"] = base64.RawURLEncoding.EncodeToString(x[1:])
			return m
		},
		"EC unknown curve": func() any { m := ecKey(); m["crv"] = "secp256k1"; return m },
		"EC missing y":     func() any { m := ecKey(); delete(m, "y"); return m },
		"OKP X25519 (not a signature key)": func() any {
			return map[string]any{"kty": "OKP", "crv": "X25519", "x": base64.RawURLEncoding.EncodeToString(make([]byte, 32))}
		},
		"OKP Ed25519 wrong length": func() any {
			return map[string]any{"kty": "OKP", "crv": "Ed25519", "x": base64.RawURLEncoding.EncodeToString(make([]byte, 31))}
		},
		"oct key": func() any {
			return map[string]any{"kty": "oct", "k": base64.RawURLEncoding.EncodeToString([]byte("emqxsecret"))}
		},
		"oct without k": func() any { return map[string]any{"kty": "oct"} },
		"not an object": func() any { return "RSA" },
		"null member":   func() any { return nil },
		"array member":  func() any { return []any{} },
		"x5c that does not parse": func() any {
			m := rsaKey()
			m["x5c"] = []string{"bm90IGEgY2VydA=="}
			return m
		},
	}
	for name, bad := range cases {
		t.Run(name, func(t *testing.T) {
			doc := setDoc(t, jwkMap(t, good1), bad(), jwkMap(t, good2))
			keys, skipped, err := ParseSet(doc)
			if err != nil {
				t.Fatalf("one bad key failed the whole set: %v", err)
			}
			if len(keys) != 2 || !sameKey(keys[0].Public, good1.Public()) || !sameKey(keys[1].Public, good2.Public()) {
				t.Fatalf("kept %d keys, want good1 and good2 in order", len(keys))
			}
			if len(skipped) != 1 || skipped[0].Index != 1 || skipped[0].Reason == nil {
				t.Fatalf("skipped %+v, want member 1 with a reason", skipped)
			}
		})
	}
}

// Symmetric keys never make it into a JWKS key list (JWT-JWKS-09): JWKS mode
// verifies only public-key algorithms.
func TestJWTJWKS09_OctKeyIsNotAPublicKey(t *testing.T) {
	oct := map[string]any{"kty": "oct", "k": base64.RawURLEncoding.EncodeToString([]byte("emqxsecret")), "alg": "HS256"}
	keys, skipped, err := ParseSet(setDoc(t, oct))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 0 || len(skipped) != 1 || !strings.Contains(skipped[0].Reason.Error(), "symmetric") {
		t.Fatalf("keys %d, skipped %+v", len(keys), skipped)
	}
}

// kid, alg and use are read leniently and select nothing (ambiguity A8): a
// numeric kid, an unknown alg, use "enc", a duplicate kid or none at all
// still give a key.
func TestJWTJWKS01_KidAlgUseDoNotFilter(t *testing.T) {
	var members []any
	var want []any
	for _, edit := range []func(map[string]any){
		func(m map[string]any) { m["kid"] = 1 },
		func(m map[string]any) { m["kid"] = "dup" },
		func(m map[string]any) { m["kid"] = "dup" },
		func(m map[string]any) { delete(m, "kid") },
		func(m map[string]any) { m["alg"] = "RSA256" },
		func(m map[string]any) { m["alg"] = "ES256" }, // does not fit an RSA key
		func(m map[string]any) { m["use"] = "enc" },
		func(m map[string]any) { m["use"] = []string{"sig"}; m["key_ops"] = []string{"encrypt"} },
	} {
		k := mustKey(t, "RS256", "k")
		m := jwkMap(t, k)
		edit(m)
		members = append(members, m)
		want = append(want, k.Public())
	}
	keys, skipped, err := ParseSet(setDoc(t, members...))
	if err != nil || len(skipped) != 0 {
		t.Fatalf("err %v, skipped %+v", err, skipped)
	}
	if len(keys) != len(want) {
		t.Fatalf("%d keys, want %d", len(keys), len(want))
	}
	for i, w := range want {
		if !sameKey(keys[i].Public, w) {
			t.Errorf("key %d out of order", i)
		}
	}
	if keys[1].KeyID != "dup" || keys[0].KeyID != "" || keys[4].Algorithm != "RSA256" || keys[6].Use != "enc" {
		t.Errorf("metadata not reported: %+v", keys)
	}
}

// A private JWK (the recipe's private.json, say) gives its public half.
func TestPrivateJWKGivesItsPublicPart(t *testing.T) {
	var members []any
	var want []any
	for _, alg := range []string{"RS256", "ES384", "EdDSA"} {
		k := mustKey(t, alg, alg)
		members = append(members, k.PrivateJWK())
		want = append(want, k.Public())
	}
	keys, skipped, err := ParseSet(setDoc(t, members...))
	if err != nil || len(skipped) != 0 || len(keys) != 3 {
		t.Fatalf("keys %d, skipped %+v, err %v", len(keys), skipped, err)
	}
	for i, k := range keys {
		switch k.Public.(type) {
		case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		default:
			t.Errorf("key %d is a %T, not a public key", i, k.Public)
		}
		if !sameKey(k.Public, want[i]) {
			t.Errorf("key %d is not the private key's public half", i)
		}
	}
}

// A document that is not a JWK Set is a failed refresh (JWT-JWKS-05, -07).
func TestNotASet(t *testing.T) {
	single, _ := json.Marshal(mustKey(t, "ES256", "one").JWK())
	for name, doc := range map[string]string{
		"not JSON":                "<html>502</html>",
		"empty body":              "",
		"truncated":               `{"keys": [`,
		"trailing garbage":        `{"keys": []} x`,
		"single JWK without keys": string(single),
		"empty object":            `{}`,
		"null":                    `null`,
		"top-level array of keys": `[` + string(single) + `]`,
		"keys null":               `{"keys": null}`,
		"keys an object":          `{"keys": {"kty": "RSA"}}`,
		"keys a string":           `{"keys": "abc"}`,
		"string document":         `"keys"`,
		"keys misspelt":           `{"Keys": []}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := ParseSet([]byte(doc))
			if !errors.Is(err, ErrNotASet) {
				t.Fatalf("ParseSet: %v, want ErrNotASet", err)
			}
		})
	}
}

func TestEmptySetIsASet(t *testing.T) {
	keys, skipped, err := ParseSet([]byte(`{"keys": [], "extra": 1}`))
	if err != nil || len(keys) != 0 || len(skipped) != 0 {
		t.Fatalf("keys %v, skipped %v, err %v", keys, skipped, err)
	}
}

// The example response of the JWKS article (seed 001), verbatim.
const articleExample = `{
  "keys":[
    {
      "alg":"RSA256",
      "e":"AQAB",
      "kid":"2",
      "kty":"RSA",
      "n":"vR14JnoiMvqnKuNPLx62vXBPT6OKTK61E9jm-4asIZKbEYwuAKEVCK1r_IYyK0Ok-VuXUwUr5PXbiMZ_S-MN576deJVrIx434NpjacHbL1DXcCpzE600w99hwXk1HlajKZd19XTL9osSOhvzJlyUeeClL0OjXDPT8VfZQIl_w-chvBaQL3gNR3TEzevfXPJ2yHStf-P8w4FRlXv-RQFh1X05don8qqLeWC2iqBhgv1GY_nZttrxL-u6FwLhoP3R8BM2vKY2T1lCtM88sP85q50JdQmHxX8cEZPnuKUuxLVNy3ec9FM-Lv2fzsmEti61aGlkLDKNiXl12EgvNXLz5Iw",
      "use":"sig"
    },
    {
      "alg":"RSA256",
      "e":"AQAB",
      "kid":"1",
      "kty":"RSA",
      "n":"0CVTPVrufUOfjPvdfzReJY9lEknYc0rARYIO2kCDrFvTrQHLwmh11nVmHodxDWJqkzkqRWWoyp5Uy7EG9e_xy5P4cYtvr-myg1V3RUrYnwvcso0q1LjQSeFVnDH0t1uoCf38aP_jE9xPwNpliqExG8gbdoX5xQbk6hox9QOWaNYF0iMJt-As_3BhmgDD0grIzPy_md14KFjxEW8pj5_ANoGEhsKozHni-yJkxWwgWXb0DLt8XjinpKDbI_e5pcGr6QqCvsH3bstNz8Ke7sft6tHeKVR2PfcBHYn2fcSeCwN6aOUFhJ30A6T4RIUwbOgX-JGR85d8YUt-28p5leo21w",
      "use":"sig"
    }
  ]
}`

func TestJWTJWKS06_ArticleExampleResponse(t *testing.T) {
	keys, skipped, err := ParseSet([]byte(articleExample))
	if err != nil || len(skipped) != 0 || len(keys) != 2 {
		t.Fatalf("keys %d, skipped %+v, err %v", len(keys), skipped, err)
	}
	for i, kid := range []string{"2", "1"} {
		pub, ok := keys[i].Public.(*rsa.PublicKey)
		if !ok || pub.E != 65537 || pub.N.BitLen() != 2048 {
			t.Errorf("key %d is not an RSA 2048 key with e=65537: %T", i, keys[i].Public)
		}
		if keys[i].KeyID != kid || keys[i].Algorithm != "RSA256" || keys[i].Use != "sig" {
			t.Errorf("key %d metadata %+v", i, keys[i])
		}
	}
}
