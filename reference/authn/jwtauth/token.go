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
	// header keeps each header parameter as raw JSON: nested values in a
	// hostile header are scanned, not built into Go values (SEC-04).
	header map[string]json.RawMessage
	alg    string // "" when the header's alg is missing or not a string
	hasAlg bool   // the header's alg is a string
	sig    []byte
	// headerJSON is the decoded header text (header_checks.go reads it
	// again for duplicate names); jsonText, when a fault sets it, turns a
	// decoded segment into the text that is parsed.
	headerJSON []byte
	jsonText   func([]byte) []byte
}

// b64 is the strict base64url decoding JWS requires: no padding, no
// non-canonical trailing bits.
var b64 = base64.RawURLEncoding.Strict()

// parseCompactText accepts exactly three base64url segments (JWT-SRC-07): no
// padding, no whitespace, no prefix. Everything else is "not a JWT".
//
// jsonText (nil: none) is applied to the decoded header and, later, the
// payload (header_checks.go: only faults set it).
func parseCompactText(s string, jsonText func([]byte) []byte) (*compactToken, error) {
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
		if !compactByte[s[i]] {
			return nil, fmt.Errorf("byte %d (%q) is not base64url", i, s[i])
		}
	}
	first := strings.IndexByte(s, '.')
	second := first + 1 + strings.IndexByte(s[first+1:], '.')
	t := &compactToken{raw: s, signingInput: s[:second], payload: s[first+1 : second], jsonText: jsonText}
	headerJSON, err := b64.DecodeString(s[:first])
	if err != nil {
		return nil, fmt.Errorf("header is not base64url: %v", err)
	}
	if jsonText != nil {
		headerJSON = jsonText(headerJSON)
	}
	if err := checkJSONText(headerJSON); err != nil {
		return nil, fmt.Errorf("header: %v", err)
	}
	t.headerJSON = headerJSON
	if nestedDeeperThan(headerJSON, maxHeaderDepth) {
		return nil, fmt.Errorf("header JSON is nested more than %d levels", maxHeaderDepth)
	}
	if err := json.Unmarshal(headerJSON, &t.header); err != nil || t.header == nil {
		return nil, fmt.Errorf("header is not a JSON object")
	}
	t.alg, t.hasAlg = t.headerString("alg")
	if t.sig, err = b64.DecodeString(s[second+1:]); err != nil {
		return nil, fmt.Errorf("signature is not base64url: %v", err)
	}
	return t, nil
}

// maxHeaderDepth bounds the nesting of the (unauthenticated) header: real
// headers (jwk, x5c) nest two or three levels, and a hostile one should
// not cost a deep JSON parse (SEC-04).
const maxHeaderDepth = 16

// nestedDeeperThan reports whether JSON text nests arrays and objects more
// than limit levels, outside strings. It does not validate the JSON.
func nestedDeeperThan(data []byte, limit int) bool {
	depth, inString, escaped := 0, false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			if depth++; depth > limit {
				return true
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return false
}

// compactByte marks the bytes a compact JWS may hold: base64url and '.'.
var compactByte = func() (t [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") {
		t[c] = true
	}
	return t
}()

// headerString reads a string header parameter.
func (t *compactToken) headerString(name string) (string, bool) {
	raw, ok := t.header[name]
	if !ok || len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var v string
	if json.Unmarshal(raw, &v) != nil {
		return "", false
	}
	return v, true
}

// decodePayload decodes the claims set: a JSON object, each claim kept as
// raw JSON so that number forms (integer vs fraction) stay visible. It is
// validated once and split without a reflective decode (payload.go); the
// claims are slices of one buffer.
func (t *compactToken) decodePayload() (map[string]json.RawMessage, error) {
	data, err := b64.DecodeString(t.payload)
	if err != nil {
		return nil, fmt.Errorf("payload is not base64url: %v", err)
	}
	if t.jsonText != nil {
		data = t.jsonText(data)
	}
	if err := checkJSONText(data); err != nil {
		return nil, fmt.Errorf("payload: %v", err)
	}
	if !json.Valid(data) {
		return nil, errors.New("payload is not a JSON object")
	}
	claims, ok := splitObject(data)
	if !ok {
		return nil, errors.New("payload is not a JSON object")
	}
	return claims, nil
}

// verifyWith checks t's signature with golang-jwt's signing method for
// alg, trying every key in order (EMQX tries every key; kid is ignored, A8).
//
// golang-jwt's Parser is not used on purpose: it decodes the header and the
// claims JSON before it checks the signature, so a 64 KB token of nested
// JSON costs a full JSON parse even when its signature is garbage (SEC-04:
// about 4x the time of the signature check). Here the signature is checked
// first and the payload is decoded only once it verified. The methods are
// golang-jwt's own, except PS256/384/512 (see strictPSS).
func verifyWith(method string, t *compactToken, keys []any) error {
	m := methodFor(method)
	if m == nil {
		return fmt.Errorf("unknown signing method %q", method)
	}
	return verifyWithMethod(m, t, keys)
}

// verifyWithMethod tries every key with m.
func verifyWithMethod(m jwt.SigningMethod, t *compactToken, keys []any) error {
	err := errors.New("no verification key")
	for _, k := range keys {
		if err = m.Verify(t.signingInput, t.sig, k); err == nil {
			return nil
		}
	}
	return err
}
