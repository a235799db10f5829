// Package tokenshape makes a JWS defective in one respect, for the
// scenarios of the attacks on token handling (SEC-01..SEC-05 and the
// families folded into JWT-SRC-07): a changed signature, a byte where
// base64url has none, another alphabet, a padded or nested token, a JWE, an
// unsigned token carrying a signature, JSON text in another encoding. Its
// functions take the token (or what signs one) and return the result; what
// the token is signed with is the caller's business.
package tokenshape

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"maps"
	"strings"
	"unicode/utf16"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/fixtures/tokens"
)

// ReshapeSignature decodes the signature segment of tok, changes it and
// puts it back; the header and payload stay as they were signed.
func ReshapeSignature(tok string, change func([]byte) ([]byte, error)) (string, error) {
	h, p, s, err := tokens.Split(tok)
	if err != nil {
		return "", err
	}
	sig, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", fmt.Errorf("signature: %w", err)
	}
	if sig, err = change(sig); err != nil {
		return "", err
	}
	return h + "." + p + "." + tokens.B64(sig), nil
}

// CheckECDSASize refuses a signature that is not the IEEE P1363 r || s of
// ES256, ES384 or ES512 (64, 96 or 132 bytes).
func CheckECDSASize(sig []byte) error {
	if len(sig) != 64 && len(sig) != 96 && len(sig) != 132 {
		return fmt.Errorf("a %d-byte signature is not an ES256/384/512 signature", len(sig))
	}
	return nil
}

// Corrupt flips bits in the middle of the signature; its length stays the
// same, so only the check of the signature can refuse it.
func Corrupt(sig []byte) ([]byte, error) {
	if len(sig) == 0 {
		return nil, fmt.Errorf("the token has no signature to corrupt")
	}
	out := append([]byte(nil), sig...)
	out[len(out)/2] ^= 0x5a
	return out, nil
}

// Segments names a compact JWS's three segments, in order.
var Segments = []string{"header", "payload", "signature"}

// InsertInside puts insert in the middle of the named segment of a signed
// token (after signing, so the signature covers the segment without it).
func InsertInside(tok, segment, insert string) (string, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return "", fmt.Errorf("not a three-part token")
	}
	for i, name := range Segments {
		if name != segment {
			continue
		}
		s := parts[i]
		if len(s) < 2 {
			return "", fmt.Errorf("the %s is too short to put a byte inside", segment)
		}
		parts[i] = s[:len(s)/2] + insert + s[len(s)/2:]
		return strings.Join(parts, "."), nil
	}
	return "", fmt.Errorf("no segment %q (want header, payload or signature)", segment)
}

// WithClaim is a copy of claims with one more (or another) claim.
func WithClaim(claims map[string]any, name string, value any) map[string]any {
	out := make(map[string]any, len(claims)+1)
	maps.Copy(out, claims)
	out[name] = value
	return out
}

// StandardAlphabet mints tokens with varying nonces until one of them has a
// segment holding a '-' or '_', and returns that token re-encoded in the
// standard base64 alphabet ("+/", no padding), so it differs from its
// base64url form.
func StandardAlphabet(mint func(nonce string) (string, error)) (string, error) {
	toStandard := strings.NewReplacer("-", "+", "_", "/")
	for i := 0; i < 256; i++ {
		tok, err := mint(strings.Repeat("?", i%7+1) + fmt.Sprint(i))
		if err != nil {
			return "", err
		}
		if std := toStandard.Replace(tok); std != tok {
			return std, nil
		}
	}
	return "", fmt.Errorf("no token with a '+' or '/' in 256 tries")
}

// The bounds of a padded token: the MQTT limit of a Password or Username
// field, and a floor above any unpadded token's length.
const (
	MaxLen    = 65535
	MinPadded = 200
)

// CheckPaddedLength refuses a length a token cannot be padded to.
func CheckPaddedLength(n int) error {
	if n < MinPadded || n > MaxLen {
		return fmt.Errorf("pad to between %d and %d bytes, not %d", MinPadded, MaxLen, n)
	}
	return nil
}

// PadTo grows a token to n bytes, give or take two (base64url grows in
// steps): sign makes the token with a filler claim of the given text, and
// PadTo searches the filler's length (at most 16 signatures).
func PadTo(n int, sign func(filler string) (string, error)) (string, error) {
	filler := 0
	tok, err := sign("")
	for i := 0; err == nil && i < 16 && (len(tok) > n || len(tok) < n-2); i++ {
		filler += (n - len(tok)) * 3 / 4
		if len(tok) > n {
			filler--
		}
		tok, err = sign(strings.Repeat("x", max(filler, 0)))
	}
	if err != nil {
		return "", err
	}
	if len(tok) > n || len(tok) < n-2 {
		return "", fmt.Errorf("could not pad the token to %d bytes (got %d)", n, len(tok))
	}
	return tok, nil
}

// NestedHeader is a JWS header for method with a field "n" nested depth
// levels deep: a parser without a depth limit recurses that deep (SEC-04).
func NestedHeader(method string, depth int) []byte {
	return []byte(fmt.Sprintf(`{"alg":%q,"typ":"JWT","n":%s%s}`, method, strings.Repeat("[", depth), strings.Repeat("]", depth)))
}

// EncryptJWE encrypts a token to a secret (PBES2-HS256+A128KW with the
// secret as password, A128GCM, cty JWT): a broker that decrypted JWEs with
// its HMAC secret would find the token inside.
func EncryptJWE(inner string, secret []byte) (string, error) {
	enc, err := jose.NewEncrypter(jose.A128GCM, jose.Recipient{Algorithm: jose.PBES2_HS256_A128KW, Key: secret},
		(&jose.EncrypterOptions{}).WithContentType("JWT"))
	if err != nil {
		return "", err
	}
	obj, err := enc.Encrypt([]byte(inner))
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}

// WithSignatureOf appends the signature segment of valid to an unsigned
// token ("header.payload."), or 32 random bytes when valid has none.
func WithSignatureOf(unsigned, valid string) string {
	sig := valid[strings.LastIndexByte(valid, '.')+1:]
	if sig == "" {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		sig = base64.RawURLEncoding.EncodeToString(b)
	}
	return unsigned + sig
}

// WithBOM puts a UTF-8 byte-order mark before JSON text.
func WithBOM(b []byte) []byte { return append([]byte{0xEF, 0xBB, 0xBF}, b...) }

// UTF16 re-encodes UTF-8 text as UTF-16, little-endian after its
// byte-order mark.
func UTF16(b []byte) []byte {
	out := []byte{0xFF, 0xFE}
	for _, c := range utf16.Encode([]rune(string(b))) {
		out = append(out, byte(c), byte(c>>8))
	}
	return out
}
