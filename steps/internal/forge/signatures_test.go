package forge

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/asn1"
	"math/big"
	"slices"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/fixtures/tokens"
)

// Every SEC-05 defect must make a strict verifier refuse the signature,
// while the signature is otherwise real: a lenient verifier, or one that
// undoes the defect, accepts it. Without that second half a defect would
// be mere garbage, which proves nothing about a verifier.
func TestSignatureDefectsAreRealSignaturesWithOneDefect(t *testing.T) {
	keys := tokens.NewKeyring()
	key := func(kind tokens.Kind) crypto.Signer {
		k, err := keys.Key(kind, "defect "+string(kind))
		if err != nil {
			t.Fatal(err)
		}
		return k.Private
	}
	const input = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhdXRoc3BlYyJ9"
	for family, defects := range signatureDefects {
		for defect := range defects {
			alg := map[string]string{"ES": "ES256", "RS": "RS256", "PS": "PS256", "Ed": "EdDSA", "HS": "HS256"}[family]
			if defect == "DER encoding" {
				alg = "ES384"
			}
			var k any
			switch family {
			case "ES":
				k = key(map[string]tokens.Kind{"ES256": tokens.ECP256, "ES384": tokens.ECP384}[alg])
			case "RS", "PS":
				k = key(tokens.RSA)
			case "Ed":
				k = key(tokens.Ed25519)
			case "HS":
				k = []byte("secret")
			}
			t.Run(alg+" "+defect, func(t *testing.T) {
				sig, err := DefectiveSignature(alg, defect, k, input)
				if err != nil {
					t.Fatal(err)
				}
				verifyKey := k
				if s, ok := k.(crypto.Signer); ok {
					verifyKey = s.Public()
				}
				m := jwt.GetSigningMethod(alg)
				if family == "PS" {
					strict := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}
					m = &jwt.SigningMethodRSAPSS{SigningMethodRSA: jwt.SigningMethodPS256.SigningMethodRSA, Options: strict, VerifyOptions: strict}
				}
				if err := m.Verify(input, sig, verifyKey); err == nil {
					t.Fatalf("a strict %s verifier accepted the %q signature", alg, defect)
				}
				undone(t, alg, defect, k, input, sig)
			})
		}
	}
	if _, err := DefectiveSignature("ES256", "no such defect", key(tokens.ECP256), input); err == nil {
		t.Error("an unknown defect was accepted")
	}
}

// undone checks that sig is a real signature once its defect is undone or
// tolerated.
func undone(t *testing.T, alg, defect string, key any, input string, sig []byte) {
	t.Helper()
	switch defect {
	case "DER encoding":
		var rs struct{ R, S *big.Int }
		if _, err := asn1.Unmarshal(sig, &rs); err != nil {
			t.Fatal(err)
		}
		_, digest := hashOf(alg, input)
		if !ecdsa.Verify(&key.(*ecdsa.PrivateKey).PublicKey, digest, rs.R, rs.S) {
			t.Fatal("the DER signature does not verify once decoded")
		}
	case "one byte longer", "garbage appended":
		if err := jwt.GetSigningMethod(alg).Verify(input, sig[:len(sig)-1], key.(crypto.Signer).Public()); err != nil {
			t.Fatalf("without its extra byte the signature does not verify: %v", err)
		}
	case "salt length 20":
		if err := jwt.SigningMethodPS256.Verify(input, sig, key.(crypto.Signer).Public()); err != nil {
			t.Fatalf("golang-jwt's lenient PS256 (salt length auto) refuses it too: %v", err)
		}
	case "S + L":
		le := append([]byte(nil), sig[32:]...)
		slices.Reverse(le)
		sMod := new(big.Int).Mod(new(big.Int).SetBytes(le), ed25519L)
		be := sMod.FillBytes(make([]byte, 32))
		slices.Reverse(be)
		canonical := append(append([]byte(nil), sig[:32]...), be...)
		if err := jwt.SigningMethodEdDSA.Verify(input, canonical, key.(crypto.Signer).Public()); err != nil {
			t.Fatalf("with S reduced mod L the signature does not verify: %v", err)
		}
	case "tag truncated to 16 bytes":
		mac := hmac.New(sha256.New, key.([]byte))
		mac.Write([]byte(input))
		if !hmac.Equal(mac.Sum(nil)[:16], sig) {
			t.Fatal("the truncated tag is not the tag's prefix")
		}
	}
}

// The raw RSA construction behind the PKCS #1 defects makes a correct
// signature when no defect is applied.
func TestPKCS1RawSigningWithoutDefectVerifies(t *testing.T) {
	k, err := tokens.NewKeyring().Key(tokens.RSA, "raw")
	if err != nil {
		t.Fatal(err)
	}
	priv := k.Private.(*rsa.PrivateKey)
	for _, alg := range []string{"RS256", "RS384", "RS512"} {
		sig, err := pkcs1Defect(alg, "", priv, "header.payload")
		if err != nil {
			t.Fatal(err)
		}
		if err := jwt.GetSigningMethod(alg).Verify("header.payload", sig, &priv.PublicKey); err != nil {
			t.Errorf("%s: a defect-free raw signature does not verify: %v", alg, err)
		}
	}
}

func TestZeroECDSA(t *testing.T) {
	sig := []byte{1, 2, 3, 4}
	if got := ZeroECDSA(sig, "r"); string(got) != string([]byte{0, 0, 3, 4}) {
		t.Errorf("r: %v", got)
	}
	if got := ZeroECDSA(sig, "s"); string(got) != string([]byte{1, 2, 0, 0}) {
		t.Errorf("s: %v", got)
	}
	if got := ZeroECDSA(sig, "r and s"); string(got) != string([]byte{0, 0, 0, 0}) {
		t.Errorf("r and s: %v", got)
	}
	if string(sig) != string([]byte{1, 2, 3, 4}) {
		t.Error("zeroECDSA changed its input")
	}
}
