package jwtauth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// maxTokenLen bounds what is parsed at all: MQTT fields hold at most 65535
// bytes (SEC-04), so anything longer did not come from a CONNECT.
const maxTokenLen = 65535

// compactToken is a JWS compact serialization split into its parts, with
// the header decoded. The payload is decoded only after the signature
// verifies.
type compactToken struct {
	raw          string
	signingInput string // header "." payload, what the signature covers
	payload      string // base64url payload segment
	header       map[string]any
	alg          string // "" when the header's alg is missing or not a string
	sig          []byte
}

// b64 is the strict base64url decoding JWS requires: no padding, no
// non-canonical trailing bits.
var b64 = base64.RawURLEncoding.Strict()

// parseCompact accepts exactly three base64url segments (JWT-SRC-07): no
// padding, no whitespace, no prefix. Everything else is "not a JWT".
func parseCompact(s string) (*compactToken, error) {
	if len(s) > maxTokenLen {
		return nil, fmt.Errorf("token is %d bytes, more than %d", len(s), maxTokenLen)
	}
	if s == "" {
		return nil, errors.New("empty token")
	}
	if n := strings.Count(s, "."); n != 2 {
		return nil, fmt.Errorf("a JWS compact token has 3 dot-separated segments, this one has %d", n+1)
	}
	for i := 0; i < len(s); i++ {
		if !isB64URL(s[i]) && s[i] != '.' {
			return nil, fmt.Errorf("byte %d (%q) is not base64url", i, s[i])
		}
	}
	first := strings.IndexByte(s, '.')
	second := first + 1 + strings.IndexByte(s[first+1:], '.')
	t := &compactToken{raw: s, signingInput: s[:second], payload: s[first+1 : second]}
	headerJSON, err := b64.DecodeString(s[:first])
	if err != nil {
		return nil, fmt.Errorf("header is not base64url: %v", err)
	}
	if err := json.Unmarshal(headerJSON, &t.header); err != nil || t.header == nil {
		return nil, fmt.Errorf("header is not a JSON object")
	}
	t.alg, _ = t.header["alg"].(string)
	if t.sig, err = b64.DecodeString(s[second+1:]); err != nil {
		return nil, fmt.Errorf("signature is not base64url: %v", err)
	}
	return t, nil
}

func isB64URL(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// decodePayload decodes the claims set: a JSON object, each claim kept as
// raw JSON so that number forms (integer vs fraction) stay visible.
func (t *compactToken) decodePayload() (map[string]json.RawMessage, error) {
	data, err := b64.DecodeString(t.payload)
	if err != nil {
		return nil, fmt.Errorf("payload is not base64url: %v", err)
	}
	var claims map[string]json.RawMessage
	if err := json.Unmarshal(data, &claims); err != nil || claims == nil {
		return nil, errors.New("payload is not a JSON object")
	}
	return claims, nil
}

// signatureVerifier checks signatures with golang-jwt: a Parser restricted
// to the mode's algorithms, with its claims validation off (EMQX's claim
// rules are checked by this package).
type signatureVerifier struct {
	parser *jwt.Parser
}

func newSignatureVerifier(algs []string) signatureVerifier {
	return signatureVerifier{parser: jwt.NewParser(
		jwt.WithValidMethods(algs),
		jwt.WithoutClaimsValidation(),
		jwt.WithStrictDecoding(),
	)}
}

// verify reports whether any of keys verifies t (EMQX tries every key in
// order, A8).
func (v signatureVerifier) verify(t *compactToken, keys []any) error {
	if len(keys) == 0 {
		return errors.New("no verification key")
	}
	var set any = keys[0]
	if len(keys) > 1 {
		vks := make([]jwt.VerificationKey, len(keys))
		for i, k := range keys {
			vks[i] = k
		}
		set = jwt.VerificationKeySet{Keys: vks}
	}
	_, err := v.parser.ParseWithClaims(t.raw, &skipClaims{}, func(*jwt.Token) (any, error) { return set, nil })
	return err
}

// verifyWith checks t's signature with the named method directly: for
// PS256/384/512, whose registered golang-jwt methods are too lenient (see
// strictPSS), and for the fault switches that let a non-canonical alg
// through.
func verifyWith(method string, t *compactToken, keys []any) error {
	m := methodFor(method)
	if m == nil {
		return fmt.Errorf("unknown signing method %q", method)
	}
	err := errors.New("no verification key")
	for _, k := range keys {
		if err = m.Verify(t.signingInput, t.sig, k); err == nil {
			return nil
		}
	}
	return err
}

// skipClaims receives golang-jwt's claims decoding and keeps nothing: the
// payload is decoded by decodePayload only once the signature verified.
// golang-jwt still checks that the payload is JSON.
type skipClaims struct{}

func (*skipClaims) UnmarshalJSON([]byte) error                   { return nil }
func (*skipClaims) GetExpirationTime() (*jwt.NumericDate, error) { return nil, nil }
func (*skipClaims) GetIssuedAt() (*jwt.NumericDate, error)       { return nil, nil }
func (*skipClaims) GetNotBefore() (*jwt.NumericDate, error)      { return nil, nil }
func (*skipClaims) GetIssuer() (string, error)                   { return "", nil }
func (*skipClaims) GetSubject() (string, error)                  { return "", nil }
func (*skipClaims) GetAudience() (jwt.ClaimStrings, error)       { return nil, nil }
