package steps

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/fixtures/jwksserver"
	"github.com/authspec/authspec/fixtures/tokens"
)

func registerSecSteps(sc *registry) {
	sc.Given(`^the token's ECDSA signature has (r|s|r and s) set to 0$`, ecdsaSignatureZeroed, quotedAsDefect)
	sc.Given(`^the token's signature has the defect "([^"]+)"$`, signatureWithDefect, quotedAsDefect)
	sc.Given(`^the token's signature is corrupted$`, signatureCorrupted, quotedAsDefect)
	sc.Given(`^the token is signed by an attacker's key named in its "(jwk|jku|x5u|x5c)" header$`, signedByHeaderKey, quotedAsDefect)
	sc.Given(`^the token is padded to (\d+) bytes$`, tokenPaddedTo, quotedAsDefect)
	sc.Given(`^the token's payload is JSON nested (\d+) levels deep$`, payloadNested, quotedAsDefect)
	sc.Given(`^the token's header is JSON nested (\d+) levels deep$`, headerNested, quotedAsDefect)
	registerSecV4Steps(sc)
	registerAbuseSteps(sc)
	registerSecFoldSteps(sc)
}

// reshapeSignature changes the decoded signature of the signed token.
func reshapeSignature(change func([]byte) ([]byte, error)) func(string) (string, error) {
	return func(tok string) (string, error) {
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
}

func ecdsaSignatureZeroed(ctx context.Context, which string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.reshape = append(t.reshape, reshapeSignature(func(sig []byte) ([]byte, error) {
		if len(sig) != 64 && len(sig) != 96 && len(sig) != 132 {
			return nil, fmt.Errorf("a %d-byte signature is not an ES256/384/512 signature", len(sig))
		}
		return zeroECDSA(sig, which), nil
	}))
	return nil
}

// signatureCorrupted flips bits in the middle of the signature; its length
// stays the same, so only the check of the signature can refuse it.
func signatureCorrupted(ctx context.Context) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.reshape = append(t.reshape, reshapeSignature(func(sig []byte) ([]byte, error) {
		if len(sig) == 0 {
			return nil, fmt.Errorf("the token has no signature to corrupt")
		}
		out := append([]byte(nil), sig...)
		out[len(out)/2] ^= 0x5a
		return out, nil
	}))
	return nil
}

// signingAlg is the algorithm the token is signed with: the scenario's,
// or the authenticator's default.
func (m *mint) signingAlg() (string, error) {
	if m.spec.alg != "" {
		return m.spec.alg, nil
	}
	return m.defaultAlg()
}

// signer returns the method and key the token is signed with, for the
// scenario's algorithm or the authenticator's default.
func (m *mint) signer() (string, any, error) {
	alg, err := m.signingAlg()
	if err != nil {
		return "", nil, err
	}
	if m.spec.signer != nil {
		return m.spec.signer(m, alg)
	}
	return m.configuredSigner(alg)
}

// signatureWithDefect signs the token's header and payload with a
// signature of one of Wycheproof's invalid families (SEC-05).
func signatureWithDefect(ctx context.Context, defect string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.replace = func(m *mint) (string, error) {
		method, key, err := m.signer()
		if err != nil {
			return "", err
		}
		if k, ok := key.(*tokens.Key); ok {
			key = k.Private
		}
		header, err := tokens.Header(method, m.withKid(m.spec.header))
		if err != nil {
			return "", err
		}
		payload, err := tokens.Payload(m.claims)
		if err != nil {
			return "", err
		}
		input := tokens.B64(header) + "." + tokens.B64(payload)
		sig, err := defectiveSignature(method, defect, key, input)
		if err != nil {
			return "", err
		}
		return input + "." + tokens.B64(sig), nil
	}
	return nil
}

// signedByHeaderKey is SEC-03: the attacker signs with its own key (of the
// kind the authenticator verifies, so only trust in the header could make
// it verify) and names that key in the header. For jku and x5u the suite
// serves the attacker's JWK Set or certificate at a loopback URL, so a
// broker that fetched them would get a key that verifies.
func signedByHeaderKey(ctx context.Context, field string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.replace = func(m *mint) (string, error) {
		kind := tokens.RSA
		switch m.mode() {
		case "public-key":
			k, err := m.configuredKey()
			if err != nil {
				return "", err
			}
			kind = k.Kind
		case "jwks":
			f, err := m.jwksFixture()
			if err != nil {
				return "", err
			}
			k, err := f.SigningKey()
			if err != nil {
				return "", err
			}
			kind = k.Pair.Kind
		}
		attacker, err := m.keys.Key(kind, "attacker "+string(kind))
		if err != nil {
			return "", err
		}
		url := ""
		if field == "jku" || field == "x5u" {
			if url, err = st.extOf().serveAttackerKey(st.attackerListen(), field, attacker); err != nil {
				return "", err
			}
		}
		return tokens.WithHeaderKey(tokens.HeaderKey(field), attacker, url, m.claims)
	}
	return nil
}

// serveAttackerKey serves the attacker's key where a jku (a JWK Set) or x5u
// (a PEM certificate) header points, and returns the URL.
func (x *extState) serveAttackerKey(listen, field string, k *tokens.Key) (string, error) {
	var body []byte
	switch field {
	case "jku":
		raw, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: k.Public(), Use: "sig"}}})
		if err != nil {
			return "", err
		}
		body = raw
	default:
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "authspec attacker (test key)"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k.Private)
		if err != nil {
			return "", err
		}
		body = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	srv, err := jwksserver.Start(jwksserver.WithAddr(listen), jwksserver.WithPath("/attacker/"+field))
	if err != nil {
		return "", err
	}
	x.attackers = append(x.attackers, srv)
	srv.ServeRaw(200, "application/json", body)
	return srv.URL(), nil
}

// maxTokenLen is the MQTT limit of a Password or Username field.
const maxTokenLen = 65535

// tokenPaddedTo grows the token to n bytes (give or take two: base64url
// grows in steps) with a "filler" claim, signed as the token would be;
// later shapes (a corrupted signature) still apply.
func tokenPaddedTo(ctx context.Context, n int) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	if n < 200 || n > maxTokenLen {
		return fmt.Errorf("pad to between 200 and %d bytes, not %d", maxTokenLen, n)
	}
	t.replace = func(m *mint) (string, error) {
		method, key, err := m.signer()
		if err != nil {
			return "", err
		}
		header, err := tokens.Header(method, m.withKid(m.spec.header))
		if err != nil {
			return "", err
		}
		sign := func(filler int) (string, error) {
			claims := make(map[string]any, len(m.claims)+1)
			for k, v := range m.claims {
				claims[k] = v
			}
			claims["filler"] = strings.Repeat("x", max(filler, 0))
			payload, err := tokens.Payload(claims)
			if err != nil {
				return "", err
			}
			return tokens.Sign(method, key, header, payload)
		}
		filler := 0
		tok, err := sign(filler)
		for i := 0; err == nil && i < 16 && (len(tok) > n || len(tok) < n-2); i++ {
			filler += (n - len(tok)) * 3 / 4
			if len(tok) > n {
				filler--
			}
			tok, err = sign(filler)
		}
		if err != nil {
			return "", err
		}
		if len(tok) > n || len(tok) < n-2 {
			return "", fmt.Errorf("could not pad the token to %d bytes (got %d)", n, len(tok))
		}
		return m.reshaped(tok)
	}
	return nil
}

// payloadNested makes the payload {"sub":"authspec","n":[[[...]]]}: a
// parser without a depth limit recurses that deep (SEC-04).
func payloadNested(ctx context.Context, depth int) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.rawPayload = tokens.NestedJSON(depth)
	return nil
}

// headerNested adds a field nested depth levels deep to the header.
func headerNested(ctx context.Context, depth int) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.replace = func(m *mint) (string, error) {
		method, key, err := m.signer()
		if err != nil {
			return "", err
		}
		header := []byte(fmt.Sprintf(`{"alg":%q,"typ":"JWT","n":%s%s}`, method, strings.Repeat("[", depth), strings.Repeat("]", depth)))
		payload, err := tokens.Payload(m.claims)
		if err != nil {
			return "", err
		}
		tok, err := tokens.Sign(method, key, header, payload)
		if err != nil {
			return "", err
		}
		return m.reshaped(tok)
	}
	return nil
}
