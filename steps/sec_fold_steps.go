package steps

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf16"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/internal/forge"
	"github.com/authspec/authspec/steps/internal/verify"
)

// Steps of the attack families folded into JWT-SRC-07, JWT-CLAIM-01,
// JWT-CLAIM-05 and SEC-01: JWS format abuse, JSON text a careless parser
// forgives, a real JWE, a nested JWT, and unsigned tokens carrying a
// signature.
func registerSecFoldSteps(sc *registry) {
	sc.Given(`^the token's segments use the "\+/" alphabet$`, standardAlphabet, quotedAsDefect)
	sc.Given(`^the token has (a line break|a space|a NUL byte|a byte that is not UTF-8) inside its (header|payload|signature)$`, byteInside, quotedAsDefect)
	sc.Given(`^the token ends with a trailing dot$`, trailingDot, quotedAsDefect)
	sc.Given(`^the token is a JWE of a valid token, encrypted with the configured secret$`, realJWE, quotedAsDefect)
	sc.Given(`^the token is a JWS whose payload is a valid token \(cty "JWT"\)$`, nestedJWT, quotedAsDefect)
	sc.Given(`^the token's (header|payload) is the JSON text (.+)$`, segmentJSONText, quotedAsDefect)
	sc.Given(`^the token's (header|payload) JSON (starts with a byte-order mark|is UTF-16)$`, segmentEncoding, quotedAsDefect)
	sc.Given(`^the token is unsigned with alg "([^"]*)" but carries a valid token's signature$`, unsignedWithSignature, quotedAsDefect)
	sc.Given(`^the token is unsigned with alg "([^"]*)" and an empty signature$`, unsignedWithAlg, quotedAsDefect)
	sc.Then(`^the connection is refused$`, theConnectionIsRefused)
}

// standardAlphabet re-encodes the signed token's segments in the standard
// base64 alphabet ("+/", no padding). A "nonce" claim is varied until some
// segment holds a "+" or "/", so the token differs from its base64url form.
func standardAlphabet(ctx context.Context) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.Replace = func(m *mint) (string, error) {
		method, key, err := m.Signer()
		if err != nil {
			return "", err
		}
		for i := 0; i < 256; i++ {
			claims := make(map[string]any, len(m.Claims)+1)
			for k, v := range m.Claims {
				claims[k] = v
			}
			claims["nonce"] = strings.Repeat("?", i%7+1) + fmt.Sprint(i)
			tok, err := tokens.Mint(method, key, claims, m.WithKid(m.Spec.Header))
			if err != nil {
				return "", err
			}
			std := strings.NewReplacer("-", "+", "_", "/").Replace(tok)
			if std != tok {
				return std, nil
			}
		}
		return "", fmt.Errorf("no token with a '+' or '/' in 256 tries")
	}
	return nil
}

// byteInside inserts a byte (or CR LF) in the middle of a segment after
// signing.
func byteInside(ctx context.Context, what, segment string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	insert := map[string]string{"a line break": "\r\n", "a space": " ", "a NUL byte": "\x00", "a byte that is not UTF-8": "\xff"}[what]
	t.Reshape = append(t.Reshape, func(tok string) (string, error) {
		parts := strings.Split(tok, ".")
		if len(parts) != 3 {
			return "", fmt.Errorf("not a three-part token")
		}
		i := map[string]int{"header": 0, "payload": 1, "signature": 2}[segment]
		s := parts[i]
		if len(s) < 2 {
			return "", fmt.Errorf("the %s is too short to put a byte inside", segment)
		}
		parts[i] = s[:len(s)/2] + insert + s[len(s)/2:]
		return strings.Join(parts, "."), nil
	})
	return nil
}

func trailingDot(ctx context.Context) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.Reshape = append(t.Reshape, func(tok string) (string, error) { return tok + ".", nil })
	return nil
}

// realJWE encrypts a valid token to the configured secret (PBES2 with the
// secret as password, cty JWT): a broker that decrypted JWEs with its
// secret would find a valid JWS inside.
func realJWE(ctx context.Context) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.Replace = func(m *mint) (string, error) {
		inner, err := m.ValidInner()
		if err != nil {
			return "", err
		}
		secret, err := m.Secret()
		if err != nil {
			return "", err
		}
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
	return nil
}

// nestedJWT signs, with the configured key, a JWS whose payload is a valid
// token (RFC 7519 section 5.2's nested JWT): the claims are not JSON.
func nestedJWT(ctx context.Context) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.Replace = func(m *mint) (string, error) {
		inner, err := m.ValidInner()
		if err != nil {
			return "", err
		}
		method, key, err := m.Signer()
		if err != nil {
			return "", err
		}
		header, err := tokens.Header(method, map[string]any{"cty": "JWT"})
		if err != nil {
			return "", err
		}
		return tokens.Sign(method, key, header, []byte(inner))
	}
	return nil
}

// segmentJSONText makes a segment exactly the given JSON text (NOW
// expressions rendered), which need not be valid JSON (NaN) nor have unique
// names; the token is signed over it.
func segmentJSONText(ctx context.Context, segment, text string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if segment == "header" {
		t.RawHeader = []byte(text)
	} else {
		t.RawPayload = []byte(text)
	}
	t.RawRender = true
	return nil
}

// segmentEncoding re-encodes the segment's JSON text before signing.
func segmentEncoding(ctx context.Context, segment, how string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.RawEncode = append(t.RawEncode, forge.RawEncoding{Segment: segment, Change: func(b []byte) []byte {
		if how == "starts with a byte-order mark" {
			return append([]byte{0xEF, 0xBB, 0xBF}, b...)
		}
		u := utf16.Encode([]rune(string(b)))
		out := []byte{0xFF, 0xFE}
		for _, c := range u {
			out = append(out, byte(c), byte(c>>8))
		}
		return out
	}})
	return nil
}

// unsignedWithSignature is an alg "none" token whose signature segment is
// not empty: the signature of the valid token (SEC-01: a verifier that
// trusts alg none may still look at the signature, or not at all).
func unsignedWithSignature(ctx context.Context, alg string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.Replace = func(m *mint) (string, error) {
		valid, err := m.ValidInner()
		if err != nil {
			return "", err
		}
		unsigned, err := tokens.Unsigned(alg, m.Claims)
		if err != nil {
			return "", err
		}
		sig := valid[strings.LastIndexByte(valid, '.')+1:]
		if sig == "" {
			b := make([]byte, 32)
			_, _ = rand.Read(b)
			sig = base64.RawURLEncoding.EncodeToString(b)
		}
		return unsigned + sig, nil
	}
	return nil
}

// theConnectionIsRefused accepts any refusal: a CONNACK >= 0x80 or the
// connection closed. For forms where the catalogue's readings differ in
// the code (a broker may refuse a malformed token with BF or the claim
// with 0x86) but not in letting the client in.
func theConnectionIsRefused(ctx context.Context) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	a := st.answer
	if a == nil {
		return fmt.Errorf(`the scenario checks a CONNACK before "the client connects"`)
	}
	if err := verify.Refused(*a); err != nil {
		return st.explainAccepted(err)
	}
	return nil
}
