package forge

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// Signatures with the defects of the invalid families of Wycheproof's
// signature vectors (SEC-05), rebuilt over a token's own signing input with
// the scenario's key. A vector cannot be replayed as a token: a JWS
// signature covers base64url(header) "." base64url(payload), and a vector's
// message is arbitrary bytes, so the suite carries each family's defect
// over instead. (The vectors themselves are run against the reference's
// verifier by reference/authn/jwtauth's TestWycheproof.)

// signatureDefects lists the defects by the algorithm family they apply
// to, each with the Wycheproof flag of its family.
var signatureDefects = map[string]map[string]string{
	"ES": {
		"r = n":           "InvalidSignature",
		"s = n":           "InvalidSignature",
		"DER encoding":    "SignatureSize (a DER signature where IEEE P1363 is required)",
		"one byte longer": "SignatureSize",
	},
	"RS": {
		"padding 00 02":          "ModifiedPadding",
		"BER-encoded DigestInfo": "BerEncodedPadding",
		"SHA-512 DigestInfo":     "WrongHash",
		"bytes after the digest": "InvalidAsnInPadding",
	},
	"PS": {
		"salt length 20": "ModifiedSignature (PSS salt length other than the hash length)",
	},
	"Ed": {
		"S + L":            "SignatureMalleability",
		"one byte shorter": "TruncatedSignature",
		"garbage appended": "SignatureWithGarbage",
	},
	"HS": {
		"tag truncated to 16 bytes": "ModifiedTag",
	},
}

func defectFamily(alg string) string {
	if alg == "EdDSA" {
		return "Ed"
	}
	if len(alg) < 2 {
		return ""
	}
	return alg[:2]
}

// DefectiveSignature signs input with key under alg, then applies defect
// (a name of signatureDefects for alg's family). key is a crypto.Signer
// (RSA, ECDSA, Ed25519) or an HMAC secret.
func DefectiveSignature(alg, defect string, key any, input string) ([]byte, error) {
	family := defectFamily(alg)
	if _, ok := signatureDefects[family][defect]; !ok {
		return nil, fmt.Errorf("no signature defect %q for %s (known: %s)", defect, alg, knownDefects(family))
	}
	switch family {
	case "ES":
		return ecdsaDefect(alg, defect, key, input)
	case "RS", "PS":
		priv, ok := key.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("%s needs an RSA key, got %T", alg, key)
		}
		if family == "PS" {
			h, digest := hashOf(alg, input)
			return rsa.SignPSS(rand.Reader, priv, h, digest, &rsa.PSSOptions{SaltLength: 20, Hash: h})
		}
		return pkcs1Defect(alg, defect, priv, input)
	case "Ed":
		priv, ok := key.(ed25519.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("EdDSA needs an Ed25519 key, got %T", key)
		}
		return ed25519Defect(defect, priv, input)
	case "HS":
		return truncatedTag(alg, key, input)
	}
	return nil, fmt.Errorf("no signature defects for %s", alg)
}

// knownDefects lists the family's defects, quoted, for an error.
func knownDefects(family string) string {
	var known []string
	for d := range signatureDefects[family] {
		known = append(known, fmt.Sprintf("%q", d))
	}
	sort.Strings(known)
	return strings.Join(known, ", ")
}

// truncatedTag is the HMAC tag of input cut to 16 bytes (the only HS
// defect).
func truncatedTag(alg string, key any, input string) ([]byte, error) {
	secret, ok := key.([]byte)
	if !ok {
		return nil, fmt.Errorf("%s needs a secret, got %T", alg, key)
	}
	h, _ := hashOf(alg, input)
	mac := hmac.New(h.New, secret)
	mac.Write([]byte(input))
	return mac.Sum(nil)[:16], nil
}

func hashOf(alg, input string) (crypto.Hash, []byte) {
	h := crypto.SHA256
	switch alg[len(alg)-3:] {
	case "384":
		h = crypto.SHA384
	case "512":
		h = crypto.SHA512
	}
	d := h.New()
	d.Write([]byte(input))
	return h, d.Sum(nil)
}

// ecdsaDefect starts from a correct IEEE P1363 signature (r || s).
func ecdsaDefect(alg, defect string, key any, input string) ([]byte, error) {
	priv, ok := key.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s needs an ECDSA key, got %T", alg, key)
	}
	sig, err := jwt.GetSigningMethod(alg).Sign(input, priv)
	if err != nil {
		return nil, err
	}
	size := len(sig) / 2
	n := priv.Curve.Params().N
	switch defect {
	case "r = n":
		n.FillBytes(sig[:size])
	case "s = n":
		n.FillBytes(sig[size:])
	case "DER encoding":
		return asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])})
	case "one byte longer":
		sig = append(sig, 0)
	}
	return sig, nil
}

// ZeroECDSA sets r, s or both of an IEEE P1363 signature to 0 (SEC-02,
// CVE-2022-21449).
func ZeroECDSA(sig []byte, which string) []byte {
	out := slices.Clone(sig)
	size := len(out) / 2
	if which == "r" || which == "r and s" {
		clear(out[:size])
	}
	if which == "s" || which == "r and s" {
		clear(out[size:])
	}
	return out
}

// DigestInfo prefixes of PKCS #1 v1.5 (RFC 8017 section 9.2, note 1).
var digestInfoPrefix = map[crypto.Hash][]byte{
	crypto.SHA256: {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
	crypto.SHA384: {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30},
	crypto.SHA512: {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40},
}

// pkcs1Defect builds the encoded message EM = 00 01 FF..FF 00 T with the
// defect, then signs it with the raw RSA private operation, as Wycheproof
// makes its padding vectors. With defect "" it is a correct RS* signature.
func pkcs1Defect(alg, defect string, priv *rsa.PrivateKey, input string) ([]byte, error) {
	h, digest := hashOf(alg, input)
	t := append(slices.Clone(digestInfoPrefix[h]), digest...)
	blockType := byte(0x01)
	switch defect {
	case "padding 00 02":
		blockType = 0x02
	case "BER-encoded DigestInfo":
		// The outer SEQUENCE length in long form (0x81 len): valid BER,
		// not DER.
		t = append([]byte{t[0], 0x81}, t[1:]...)
	case "SHA-512 DigestInfo":
		sum := sha512.Sum512([]byte(input))
		if h == crypto.SHA512 {
			s := sha256.Sum256([]byte(input))
			t = append(slices.Clone(digestInfoPrefix[crypto.SHA256]), s[:]...)
		} else {
			t = append(slices.Clone(digestInfoPrefix[crypto.SHA512]), sum[:]...)
		}
	case "bytes after the digest":
		t = append(t, 0x00, 0x00)
	}
	k := priv.Size()
	if len(t)+11 > k {
		return nil, fmt.Errorf("RSA key of %d bytes too small for the DigestInfo", k)
	}
	em := make([]byte, k)
	em[1] = blockType
	for i := 2; i < k-len(t)-1; i++ {
		em[i] = 0xff
	}
	copy(em[k-len(t):], t)
	m := new(big.Int).SetBytes(em)
	s := new(big.Int).Exp(m, priv.D, priv.N)
	return s.FillBytes(make([]byte, k)), nil
}

// ed25519L is the order of the Ed25519 base point.
var ed25519L, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

func ed25519Defect(defect string, priv ed25519.PrivateKey, input string) ([]byte, error) {
	sig := ed25519.Sign(priv, []byte(input))
	switch defect {
	case "S + L":
		// S is little-endian; S + L < 2^254 still fits its 32 bytes.
		le := slices.Clone(sig[32:])
		slices.Reverse(le)
		s := new(big.Int).Add(new(big.Int).SetBytes(le), ed25519L)
		be := s.FillBytes(make([]byte, 32))
		slices.Reverse(be)
		copy(sig[32:], be)
	case "one byte shorter":
		sig = sig[:63]
	case "garbage appended":
		sig = append(sig, 0x00)
	}
	return sig, nil
}
