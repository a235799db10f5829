package jwtauth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/reference/authn"
)

// CheckHeader is the Result.Check of a header parameter the verifier must
// refuse although the signature may verify (SEC-07).
const CheckHeader = "header"

// checkHeaderParams applies the rules RFC 7515 and RFC 7797 leave to the
// verifier, on the header as it was signed:
//
//   - crit (RFC 7515 section 4.1.11): the verifier MUST reject a token
//     whose crit lists an extension it does not understand. The reference
//     understands none, so any crit is refused (SEC-07; EMQX's JOSE library
//     ignores crit, ambiguity A17).
//   - b64 (RFC 7797): "b64": false means the payload is not base64url
//     encoded in the signing input, which a JWT never is; a verifier that
//     ignores the parameter checks the ordinary signing input and accepts a
//     token its issuer meant otherwise.
//   - duplicate member names: RFC 7515 section 4 lets a parser reject them
//     or keep the last; two readings of one header are how parser
//     differentials start, so the reference refuses them.
//
// They run after the alg check and before the signature, so a refused
// header costs no signature check.
func (a *Authenticator) checkHeaderParams(t *compactToken) (authn.Result, bool) {
	fs := a.defects
	b64Understood := fs.critB64Understood
	if raw, ok := t.header["crit"]; ok && !fs.ignoreCrit && !(b64Understood && critListsOnly(raw, "b64")) {
		return a.backendFailure(CheckHeader, fmt.Sprintf("crit %s lists extensions this verifier does not understand (RFC 7515 section 4.1.11)", clip(raw))), false
	}
	if raw, ok := t.header["b64"]; ok && !fs.ignoreB64 && !b64Understood && string(bytes.TrimSpace(raw)) != "true" {
		return a.backendFailure(CheckHeader, fmt.Sprintf("b64 %s: an unencoded payload (RFC 7797) is not a JWT", clip(raw))), false
	}
	if !fs.jsonFirstDuplicateWins {
		if name, dup := duplicateMember(t.headerJSON); dup {
			return a.backendFailure(CheckHeader, fmt.Sprintf("the header names %q twice", name)), false
		}
	}
	return authn.Result{}, true
}

// critListsOnly reports whether crit is a non-empty list of name alone,
// for the fault crit-b64-understood.
func critListsOnly(crit json.RawMessage, name string) bool {
	var names []string
	if json.Unmarshal(crit, &names) != nil || len(names) == 0 {
		return false
	}
	for _, n := range names {
		if n != name {
			return false
		}
	}
	return true
}

// duplicateMember reports the first top-level member name of a JSON object
// that occurs twice. Text that is not an object reports none (the parse
// that follows refuses it).
func duplicateMember(data []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", false
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		name, _ := tok.(string)
		if seen[name] {
			return name, true
		}
		seen[name] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return "", false
		}
	}
	return "", false
}

// jsonTextFor returns how the authenticator turns a decoded segment into
// the JSON text it parses: as is, unless a fault makes it lenient.
func jsonTextFor(fs defects) func([]byte) []byte {
	lenient, firstWins := fs.lenientJSONText, fs.jsonFirstDuplicateWins
	if !lenient && !firstWins {
		return nil
	}
	return func(data []byte) []byte {
		if lenient {
			data = lenientJSONText(data)
		}
		if firstWins {
			data = keepFirstMembers(data)
		}
		return data
	}
}

// lenientJSONText is the fault lenient-json-text: a byte-order mark is
// dropped, UTF-16 is converted to UTF-8, a nested JWT's claims are read
// without verifying it, and JavaScript's NaN and Infinity literals are read
// as 0, as careless JSON readers do. RFC 8259 requires
// UTF-8 without a BOM in exchanged JSON and has no NaN.
func lenientJSONText(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case len(data) >= 2 && (data[0] == 0xFE && data[1] == 0xFF || data[0] == 0xFF && data[1] == 0xFE):
		data = fromUTF16(data[2:], data[0] == 0xFE)
	case len(data) >= 2 && data[0] == 0 && data[1] != 0:
		data = fromUTF16(data, true)
	case len(data) >= 2 && data[0] != 0 && data[1] == 0:
		data = fromUTF16(data, false)
	}
	if t := string(data); strings.Count(t, ".") == 2 && !strings.HasPrefix(strings.TrimSpace(t), "{") {
		// A nested JWT (cty "JWT"): the inner token's claims, unverified.
		parts := strings.Split(t, ".")
		if inner, err := b64.DecodeString(parts[1]); err == nil {
			data = inner
		}
	}
	for _, lit := range []string{"-Infinity", "Infinity", "NaN"} {
		data = []byte(strings.ReplaceAll(string(data), ":"+lit, ":0"))
	}
	return data
}

func fromUTF16(b []byte, bigEndian bool) []byte {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		if bigEndian {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		} else {
			u = append(u, uint16(b[i+1])<<8|uint16(b[i]))
		}
	}
	out := make([]byte, 0, len(u))
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
	}
	return out
}

// keepFirstMembers is the fault json-first-duplicate-wins: of a member
// name given twice at the top level, the first value is kept (Go's and
// most parsers keep the last). Text that is not an object is returned as
// is.
func keepFirstMembers(data []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return data
	}
	var names []string
	values := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return data
		}
		name, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return data
		}
		if _, dup := values[name]; !dup {
			names = append(names, name)
			values[name] = v
		}
	}
	var out bytes.Buffer
	out.WriteByte('{')
	for i, n := range names {
		if i > 0 {
			out.WriteByte(',')
		}
		k, _ := json.Marshal(n)
		out.Write(k)
		out.WriteByte(':')
		out.Write(values[n])
	}
	out.WriteByte('}')
	return out.Bytes()
}

// lenientTokenText is the fault lenient-token-format: what careless
// parsers forgive in a compact token before splitting it (JWT-SRC-07): a
// "Bearer " prefix, "=" padding, whitespace and line breaks, NUL bytes,
// bytes that are not UTF-8, a trailing dot, and the standard base64
// alphabet ("+/" for "-_").
func lenientTokenText(token string) string {
	token = strings.TrimSpace(strings.TrimPrefix(token, "Bearer "))
	token = strings.Map(func(r rune) rune {
		switch r {
		case '=', ' ', '\t', '\r', '\n', 0, utf8.RuneError:
			return -1
		case '+':
			return '-'
		case '/':
			return '_'
		}
		return r
	}, token)
	if strings.Count(token, ".") == 3 && strings.HasSuffix(token, ".") {
		token = strings.TrimSuffix(token, ".")
	}
	return token
}

// checkJSONText refuses decoded JSON text that is not UTF-8 or starts with
// a byte-order mark (RFC 8259 section 8.1): Go's parser would replace
// invalid bytes with U+FFFD, so "a\xff" in a claim would compare equal to
// a client's "a\uFFFD"; EMQX's parser refuses such text too.
func checkJSONText(data []byte) error {
	if bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) {
		return fmt.Errorf("JSON text starts with a byte-order mark")
	}
	if !utf8.Valid(data) {
		return fmt.Errorf("JSON text is not valid UTF-8")
	}
	return nil
}

// decryptJWE is part of the fault lenient-token-format: a JWE (five
// segments) is decrypted with a configured secret, as a broker that
// "supports encrypted tokens" does, and its plaintext taken as the token.
func decryptJWE(token string, keys []any) (string, bool) {
	if strings.Count(token, ".") != 4 {
		return "", false
	}
	obj, err := jose.ParseEncryptedCompact(token, []jose.KeyAlgorithm{jose.PBES2_HS256_A128KW, jose.PBES2_HS384_A192KW, jose.PBES2_HS512_A256KW, jose.DIRECT, jose.A128KW, jose.A256KW},
		[]jose.ContentEncryption{jose.A128GCM, jose.A256GCM, jose.A128CBC_HS256})
	if err != nil {
		return "", false
	}
	for _, k := range keys {
		if secret, ok := k.([]byte); ok {
			if plain, err := obj.Decrypt(secret); err == nil {
				return string(plain), true
			}
		}
	}
	return "", false
}
