package steps

import (
	"encoding/json"
	"fmt"
	"strings"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/internal/keyattack"
	"github.com/authspec/authspec/steps/internal/tokenshape"
)

// The token builder's side of the SEC vocabulary (sec_steps.go): the
// tokens its handlers put in a tokenSpec's replace, made with the mint
// (token.go) when the client connects. These are methods of the mint and
// move with it; the shapes themselves are steps/internal/tokenshape's, the
// attacker's key material steps/internal/keyattack's.

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

// signerAndHeader is the method and key the token is signed with and its
// header (with the signing JWKS key's kid).
func (m *mint) signerAndHeader() (string, any, []byte, error) {
	method, key, err := m.signer()
	if err != nil {
		return "", nil, nil, err
	}
	header, err := tokens.Header(method, m.withKid(m.spec.header))
	return method, key, header, err
}

// validInner is the token the scenario would send without replace.
func (m *mint) validInner() (string, error) {
	method, key, err := m.signer()
	if err != nil {
		return "", err
	}
	return tokens.Mint(method, key, m.claims, m.withKid(m.spec.header))
}

// withDefectiveSignature signs the token's header and payload with a
// signature of one of Wycheproof's invalid families (SEC-05).
func (m *mint) withDefectiveSignature(defect string) (string, error) {
	method, key, header, err := m.signerAndHeader()
	if err != nil {
		return "", err
	}
	if k, ok := key.(*tokens.Key); ok {
		key = k.Private
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

// paddedTo signs the token with a "filler" claim that makes it n bytes,
// give or take two; the scenario's later shapes (a corrupted signature)
// still apply (SEC-04).
func (m *mint) paddedTo(n int) (string, error) {
	method, key, header, err := m.signerAndHeader()
	if err != nil {
		return "", err
	}
	tok, err := tokenshape.PadTo(n, func(filler string) (string, error) {
		payload, err := tokens.Payload(tokenshape.WithClaim(m.claims, "filler", filler))
		if err != nil {
			return "", err
		}
		return tokens.Sign(method, key, header, payload)
	})
	if err != nil {
		return "", err
	}
	return m.reshaped(tok)
}

// withNestedHeader signs the token under a header with a field nested
// depth levels deep (SEC-04).
func (m *mint) withNestedHeader(depth int) (string, error) {
	method, key, err := m.signer()
	if err != nil {
		return "", err
	}
	payload, err := tokens.Payload(m.claims)
	if err != nil {
		return "", err
	}
	tok, err := tokens.Sign(method, key, tokenshape.NestedHeader(method, depth), payload)
	if err != nil {
		return "", err
	}
	return m.reshaped(tok)
}

// inStandardAlphabet is the token in the standard base64 alphabet, its
// "nonce" claim varied until the alphabet shows.
func (m *mint) inStandardAlphabet() (string, error) {
	method, key, err := m.signer()
	if err != nil {
		return "", err
	}
	return tokenshape.StandardAlphabet(func(nonce string) (string, error) {
		return tokens.Mint(method, key, tokenshape.WithClaim(m.claims, "nonce", nonce), m.withKid(m.spec.header))
	})
}

// encryptedToSecret is the valid token encrypted to the configured secret.
func (m *mint) encryptedToSecret() (string, error) {
	inner, err := m.validInner()
	if err != nil {
		return "", err
	}
	secret, err := m.secret()
	if err != nil {
		return "", err
	}
	return tokenshape.EncryptJWE(inner, secret)
}

// nestingValidToken signs, with the configured key, a JWS whose payload is
// the valid token (RFC 7519 section 5.2's nested JWT, cty JWT).
func (m *mint) nestingValidToken() (string, error) {
	inner, err := m.validInner()
	if err != nil {
		return "", err
	}
	method, key, err := m.signer()
	if err != nil {
		return "", err
	}
	header, err := tokens.Header(method, map[string]any{"cty": "JWT"})
	if err != nil {
		return "", err
	}
	return tokens.Sign(method, key, header, []byte(inner))
}

// unsignedCarryingSignature is an unsigned token with alg whose signature
// segment is the valid token's signature.
func (m *mint) unsignedCarryingSignature(alg string) (string, error) {
	valid, err := m.validInner()
	if err != nil {
		return "", err
	}
	unsigned, err := tokens.Unsigned(alg, m.claims)
	if err != nil {
		return "", err
	}
	return tokenshape.WithSignatureOf(unsigned, valid), nil
}

// keyedWithPublicKey is an HMAC token (alg) whose secret is the verifying
// public key in encoding (SEC-09).
func (m *mint) keyedWithPublicKey(alg, encoding string) (string, error) {
	p, err := m.verifyingPublicKey()
	if err != nil {
		return "", err
	}
	secret, err := p.Encode(encoding)
	if err != nil {
		return "", err
	}
	return tokens.Mint(alg, secret, m.claims, nil)
}

// attackerKey is the attacker's key of the kind the authenticator
// verifies, so that only trust in the token's header could make its
// signature verify (SEC-03).
func (m *mint) attackerKey() (*tokens.Key, error) {
	kind, err := m.verifyingKind()
	if err != nil {
		return nil, err
	}
	return m.keys.Key(kind, "attacker "+string(kind))
}

// verifyingKind is the kind of key the authenticator verifies with: the
// configured key's, the JWKS signing key's, RSA for an HMAC secret.
func (m *mint) verifyingKind() (tokens.Kind, error) {
	switch m.mode() {
	case "public-key":
		k, err := m.configuredKey()
		if err != nil {
			return "", err
		}
		return k.Kind, nil
	case "jwks":
		k, err := m.verifyingJWKSKey()
		if err != nil {
			return "", err
		}
		return k.key.Kind, nil
	}
	return tokens.RSA, nil
}

// verifyingJWKSKey is the key of the suite's JWKS endpoint a valid token is
// signed with.
func (m *mint) verifyingJWKSKey() (*jwksKey, error) {
	f, err := m.jwksFixture()
	if err != nil {
		return nil, err
	}
	return f.signingKey()
}

// verifyingPublicKey is the public key the authenticator verifies with
// (the configured key, or the JWKS signing key) in the forms it was given.
func (m *mint) verifyingPublicKey() (keyattack.PublicKey, error) {
	switch m.mode() {
	case "public-key":
		return m.configuredPublicKey()
	case "jwks":
		return m.jwksPublicKey()
	}
	return keyattack.PublicKey{}, fmt.Errorf("key confusion needs a public-key or JWKS authenticator, not %s", m.mode())
}

// configuredPublicKey is the configured public key, with its PEM text as
// configured (or as the suite writes it, when the configuration names the
// key otherwise).
func (m *mint) configuredPublicKey() (keyattack.PublicKey, error) {
	k, err := m.configuredKey()
	if err != nil {
		return keyattack.PublicKey{}, err
	}
	pemText, _ := m.auth.Config["public_key"].(string)
	if !strings.HasPrefix(pemText, "-----BEGIN") {
		pemText = k.PublicPEM()
	}
	jwk, err := json.Marshal(jose.JSONWebKey{Key: k.Public()})
	if err != nil {
		return keyattack.PublicKey{}, err
	}
	return keyattack.PublicKey{Key: k.Public(), PEMText: pemText, JWKJSON: jwk}, nil
}

// jwksPublicKey is the JWKS signing key, with the JWK the endpoint
// publishes for it.
func (m *mint) jwksPublicKey() (keyattack.PublicKey, error) {
	k, err := m.verifyingJWKSKey()
	if err != nil {
		return keyattack.PublicKey{}, err
	}
	jwk, err := k.publicJWK()
	if err != nil {
		return keyattack.PublicKey{}, err
	}
	return keyattack.PublicKey{Key: k.key.Public(), PEMText: k.key.PublicPEM(), JWKJSON: jwk}, nil
}

// signedByJWKSKey signs with the named key of the suite's JWKS endpoint,
// with its algorithm and its kid in the header.
func (m *mint) signedByJWKSKey(name string) (string, any, error) {
	f, err := m.jwksFixture()
	if err != nil {
		return "", nil, err
	}
	k, err := f.key(name)
	if err != nil {
		return "", nil, err
	}
	m.signedBy = k
	return k.alg, k.key, nil
}
