package forge

import (
	"encoding/json"
	"fmt"
	"strings"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/internal/keyattack"
	"github.com/authspec/authspec/steps/internal/tokenshape"
)

// The defective tokens of the SEC vocabulary (the handlers in
// steps/sec_steps.go put them in a Spec's Replace): made by the Mint when
// the client connects, from the valid token it would have sent. The shapes
// themselves are steps/internal/tokenshape's, the attacker's key material
// steps/internal/keyattack's.

// SignerAndHeader is the method and key the token is signed with and its
// header (with the signing JWKS key's kid).
func (m *Mint) SignerAndHeader() (string, any, []byte, error) {
	method, key, err := m.Signer()
	if err != nil {
		return "", nil, nil, err
	}
	header, err := tokens.Header(method, m.WithKid(m.Spec.Header))
	return method, key, header, err
}

// WithDefectiveSignature signs the token's header and payload with a
// signature of one of Wycheproof's invalid families (SEC-05).
func (m *Mint) WithDefectiveSignature(defect string) (string, error) {
	method, key, header, err := m.SignerAndHeader()
	if err != nil {
		return "", err
	}
	if k, ok := key.(*tokens.Key); ok {
		key = k.Private
	}
	payload, err := tokens.Payload(m.Claims)
	if err != nil {
		return "", err
	}
	input := tokens.B64(header) + "." + tokens.B64(payload)
	sig, err := DefectiveSignature(method, defect, key, input)
	if err != nil {
		return "", err
	}
	return input + "." + tokens.B64(sig), nil
}

// PaddedTo signs the token with a "filler" claim that makes it n bytes,
// give or take two; the scenario's later shapes (a corrupted signature)
// still apply (SEC-04).
func (m *Mint) PaddedTo(n int) (string, error) {
	method, key, header, err := m.SignerAndHeader()
	if err != nil {
		return "", err
	}
	tok, err := tokenshape.PadTo(n, func(filler string) (string, error) {
		payload, err := tokens.Payload(tokenshape.WithClaim(m.Claims, "filler", filler))
		if err != nil {
			return "", err
		}
		return tokens.Sign(method, key, header, payload)
	})
	if err != nil {
		return "", err
	}
	return m.Reshaped(tok)
}

// WithNestedHeader signs the token under a header with a field nested
// depth levels deep (SEC-04).
func (m *Mint) WithNestedHeader(depth int) (string, error) {
	method, key, err := m.Signer()
	if err != nil {
		return "", err
	}
	payload, err := tokens.Payload(m.Claims)
	if err != nil {
		return "", err
	}
	tok, err := tokens.Sign(method, key, tokenshape.NestedHeader(method, depth), payload)
	if err != nil {
		return "", err
	}
	return m.Reshaped(tok)
}

// InStandardAlphabet is the token in the standard base64 alphabet, its
// "nonce" claim varied until the alphabet shows.
func (m *Mint) InStandardAlphabet() (string, error) {
	method, key, err := m.Signer()
	if err != nil {
		return "", err
	}
	return tokenshape.StandardAlphabet(func(nonce string) (string, error) {
		return tokens.Mint(method, key, tokenshape.WithClaim(m.Claims, "nonce", nonce), m.WithKid(m.Spec.Header))
	})
}

// EncryptedToSecret is the valid token encrypted to the configured secret.
func (m *Mint) EncryptedToSecret() (string, error) {
	inner, err := m.ValidInner()
	if err != nil {
		return "", err
	}
	secret, err := m.Secret()
	if err != nil {
		return "", err
	}
	return tokenshape.EncryptJWE(inner, secret)
}

// NestingValidToken signs, with the configured key, a JWS whose payload is
// the valid token (RFC 7519 section 5.2's nested JWT, cty JWT).
func (m *Mint) NestingValidToken() (string, error) {
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

// UnsignedCarryingSignature is an unsigned token with alg whose signature
// segment is the valid token's signature.
func (m *Mint) UnsignedCarryingSignature(alg string) (string, error) {
	valid, err := m.ValidInner()
	if err != nil {
		return "", err
	}
	unsigned, err := tokens.Unsigned(alg, m.Claims)
	if err != nil {
		return "", err
	}
	return tokenshape.WithSignatureOf(unsigned, valid), nil
}

// KeyedWithPublicKey is an HMAC token (alg) whose secret is the verifying
// public key in encoding (SEC-09).
func (m *Mint) KeyedWithPublicKey(alg, encoding string) (string, error) {
	p, err := m.verifyingPublicKey()
	if err != nil {
		return "", err
	}
	secret, err := p.Encode(encoding)
	if err != nil {
		return "", err
	}
	return tokens.Mint(alg, secret, m.Claims, nil)
}

// AttackerKey is the attacker's key of the kind the authenticator
// verifies, so that only trust in the token's header could make its
// signature verify (SEC-03).
func (m *Mint) AttackerKey() (*tokens.Key, error) {
	kind, err := m.verifyingKind()
	if err != nil {
		return nil, err
	}
	return m.Keys.Key(kind, "attacker "+string(kind))
}

// verifyingKind is the kind of key the authenticator verifies with: the
// configured key's, the JWKS signing key's, RSA for an HMAC secret.
func (m *Mint) verifyingKind() (tokens.Kind, error) {
	switch m.Mode() {
	case "public-key":
		k, err := m.ConfiguredKey()
		if err != nil {
			return "", err
		}
		return k.Kind, nil
	case "jwks":
		k, err := m.JWKSSigningKey()
		if err != nil {
			return "", err
		}
		return k.Key.Kind, nil
	}
	return tokens.RSA, nil
}

// verifyingPublicKey is the public key the authenticator verifies with
// (the configured key, or the JWKS signing key) in the forms it was given.
func (m *Mint) verifyingPublicKey() (keyattack.PublicKey, error) {
	switch m.Mode() {
	case "public-key":
		return m.configuredPublicKey()
	case "jwks":
		return m.jwksPublicKey()
	}
	return keyattack.PublicKey{}, fmt.Errorf("key confusion needs a public-key or JWKS authenticator, not %s", m.Mode())
}

// configuredPublicKey is the configured public key, with its PEM text as
// configured (or as the suite writes it, when the configuration names the
// key otherwise).
func (m *Mint) configuredPublicKey() (keyattack.PublicKey, error) {
	k, err := m.ConfiguredKey()
	if err != nil {
		return keyattack.PublicKey{}, err
	}
	pemText, _ := m.Auth.Config["public_key"].(string)
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
func (m *Mint) jwksPublicKey() (keyattack.PublicKey, error) {
	k, err := m.JWKSSigningKey()
	if err != nil {
		return keyattack.PublicKey{}, err
	}
	jwk, err := m.JWKS.PublishedJWK(k.Name)
	if err != nil {
		return keyattack.PublicKey{}, err
	}
	return keyattack.PublicKey{Key: k.Key.Public(), PEMText: k.Key.PublicPEM(), JWKJSON: jwk}, nil
}

// SignedByJWKSKey signs with the named key of the suite's JWKS endpoint,
// with its algorithm and its kid in the header.
func (m *Mint) SignedByJWKSKey(name string) (string, any, error) {
	if m.JWKS == nil {
		return "", nil, fmt.Errorf("the token is signed by JWKS key %q, but the scenario serves no JWKS endpoint", name)
	}
	k, err := m.JWKS.KeyNamed(name)
	if err != nil {
		return "", nil, err
	}
	m.SignedBy = k
	return k.Alg, k.Key, nil
}
