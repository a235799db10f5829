package jwtauth

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/authspec/authspec/fixtures/testenv"
)

// vectorsDir holds the repository's copy of the third-party vectors
// (SEC-05), with their licence; sharedVectorsDir is where they come from,
// beside the checkout, which TestVendoredWycheproofIsCurrent compares.
const (
	vectorsDir       = "../../../testdata/wycheproof"
	sharedVectorsDir = "../../../../shared/vectors/wycheproof"
)

type wpFile struct {
	TestGroups []struct {
		PublicKeyPem string `json:"publicKeyPem"`
		TagSize      int    `json:"tagSize"`
		Tests        []struct {
			TcID    int    `json:"tcId"`
			Comment string `json:"comment"`
			Key     string `json:"key"`
			Msg     string `json:"msg"`
			Sig     string `json:"sig"`
			Tag     string `json:"tag"`
			Result  string `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// TestWycheproof (SEC-05) runs the vectors through the signature check the
// authenticator uses (golang-jwt's method for the JWS alg, via verifyWith;
// keys parsed by ParsePublicKeyPEM). A JWS cannot be built around an
// arbitrary msg, so the signing input is the vector's msg itself.
func TestWycheproof(t *testing.T) {
	files := map[string]struct {
		alg     string
		fullTag int // HMAC: bits of an untruncated tag
	}{
		"hmac_sha256_test.json":                  {"HS256", 256},
		"hmac_sha384_test.json":                  {"HS384", 384},
		"hmac_sha512_test.json":                  {"HS512", 512},
		"rsa_signature_2048_sha256_test.json":    {"RS256", 0},
		"rsa_signature_2048_sha384_test.json":    {"RS384", 0},
		"rsa_signature_2048_sha512_test.json":    {"RS512", 0},
		"rsa_pss_2048_sha256_mgf1_32_test.json":  {"PS256", 0},
		"ecdsa_secp256r1_sha256_p1363_test.json": {"ES256", 0},
		"ecdsa_secp384r1_sha384_p1363_test.json": {"ES384", 0},
		"ecdsa_secp521r1_sha512_p1363_test.json": {"ES512", 0},
		"ed25519_test.json":                      {"EdDSA", 0},
	}
	for name, f := range files {
		t.Run("SEC-05 "+f.alg, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(vectorsDir, name))
			if err != nil {
				t.Fatal(err)
			}
			var wp wpFile
			if err := json.Unmarshal(data, &wp); err != nil {
				t.Fatal(err)
			}
			var valid, invalid int
			for _, g := range wp.TestGroups {
				var groupKey any
				if g.PublicKeyPem != "" {
					k, err := ParsePublicKeyPEM([]byte(g.PublicKeyPem))
					if err != nil {
						t.Fatalf("group key: %v", err)
					}
					groupKey = k
				}
				for _, tc := range g.Tests {
					key := groupKey
					if tc.Key != "" {
						key = mustHex(t, tc.Key)
					}
					sig := tc.Sig
					if sig == "" {
						sig = tc.Tag
					}
					tok := &compactToken{signingInput: string(mustHex(t, tc.Msg)), sig: mustHex(t, sig)}
					err := verifyWith(f.alg, tok, []any{key})
					want := tc.Result
					if f.fullTag != 0 && g.TagSize != f.fullTag {
						want = "invalid" // a truncated MAC is not a JWS signature
					}
					switch want {
					case "valid":
						valid++
						if err != nil {
							t.Errorf("tc %d (%s): valid signature refused: %v", tc.TcID, tc.Comment, err)
						}
					case "invalid":
						invalid++
						if err == nil {
							t.Errorf("tc %d (%s): INVALID signature verified", tc.TcID, tc.Comment)
						}
					}
				}
			}
			if valid == 0 || invalid == 0 {
				t.Fatalf("vectors not read: %d valid, %d invalid", valid, invalid)
			}
			t.Logf("%d valid and %d invalid vectors checked", valid, invalid)
		})
	}
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestVendoredWycheproofIsCurrent: testdata/wycheproof is a byte-for-byte
// copy of ../shared/vectors/wycheproof (vectors, README, LICENSE). Without
// ../shared there is nothing to compare: skipped on a developer's machine,
// required in CI, which has it.
func TestVendoredWycheproofIsCurrent(t *testing.T) {
	shared, err := os.ReadDir(sharedVectorsDir)
	if err != nil {
		testenv.Unavailable(t, "the vendored Wycheproof vectors cannot be compared with ../shared/vectors/wycheproof: %v", err)
	}
	ours, err := os.ReadDir(vectorsDir)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, e := range ours {
		names[e.Name()] = true
	}
	for _, e := range shared {
		want, err := os.ReadFile(filepath.Join(sharedVectorsDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(vectorsDir, e.Name()))
		switch {
		case err != nil:
			t.Errorf("%s: not vendored (%v): cp ../shared/vectors/wycheproof/* testdata/wycheproof/", e.Name(), err)
		case !bytes.Equal(got, want):
			t.Errorf("%s differs from ../shared/vectors/wycheproof: cp ../shared/vectors/wycheproof/* testdata/wycheproof/", e.Name())
		}
		delete(names, e.Name())
	}
	for name := range names {
		t.Errorf("testdata/wycheproof/%s is not in ../shared/vectors/wycheproof", name)
	}
	if _, err := os.Stat(filepath.Join(vectorsDir, "LICENSE")); err != nil {
		t.Errorf("the vectors' licence must travel with them: %v", err)
	}
}
