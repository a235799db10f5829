package forge

import (
	"fmt"

	"github.com/authspec/authspec/fixtures/tokens"
)

// Minting in JWKS mode: a valid token is signed with a key of the set the
// suite serves (the first key pair served, unless the scenario names
// another), with that key's algorithm and its kid in the header, as an
// issuer publishing that set would sign it.

// JWKS is the JWKS endpoint the suite serves, as minting sees it.
type JWKS interface {
	// SigningKey is the key a valid token is signed with.
	SigningKey() (*JWKSKey, error)
	// KeyNamed is the key pair the scenario named name.
	KeyNamed(name string) (*JWKSKey, error)
	// PublishedJWK is the JWK the endpoint publishes for the key named
	// name (its public half, with the members the scenario gave it).
	PublishedJWK(name string) ([]byte, error)
}

// JWKSKey is a key pair of the set, as a token signed by it needs it.
type JWKSKey struct {
	Name string // the scenario's name for it
	Alg  string // the JWS algorithm tokens signed by it use
	Kid  string // its "kid" ("" puts none in the header)
	Key  *tokens.Key
}

// JWKSSigningKey is the key of the served set a valid token is signed
// with.
func (m *Mint) JWKSSigningKey() (*JWKSKey, error) {
	if m.JWKS == nil {
		return nil, fmt.Errorf(`the JWT authenticator uses JWKS, but the scenario serves no JWKS endpoint (describe it with "the JWKS endpoint serves ...")`)
	}
	return m.JWKS.SigningKey()
}

func (m *Mint) jwksDefaultAlg() (string, error) {
	k, err := m.JWKSSigningKey()
	if err != nil {
		return "", err
	}
	return k.Alg, nil
}

// jwksSigner signs with the default key of the set; alg must fit it.
func (m *Mint) jwksSigner(alg string) (string, any, error) {
	k, err := m.JWKSSigningKey()
	if err != nil {
		return "", nil, err
	}
	return m.SignWithJWKSKey(k, alg)
}

// SignWithJWKSKey signs with k: with alg when it fits k's kind, with k's
// own algorithm when the scenario chose none. Its kid goes into the header.
func (m *Mint) SignWithJWKSKey(k *JWKSKey, alg string) (string, any, error) {
	kind, err := tokens.KindForAlg(alg)
	if err != nil || kind != k.Key.Kind {
		if m.Spec.Alg != "" {
			return "", nil, fmt.Errorf("an %s token cannot be signed with JWKS key %q (%s)", alg, k.Name, k.Alg)
		}
		alg = k.Alg
	}
	m.SignedBy = k
	return alg, k.Key, nil
}

// WithKid adds the signing JWKS key's kid to the header fields unless the
// scenario set or removed "kid" itself.
func (m *Mint) WithKid(header map[string]any) map[string]any {
	if m.SignedBy == nil || m.SignedBy.Kid == "" {
		return header
	}
	if _, set := header["kid"]; set {
		return header
	}
	out := make(map[string]any, len(header)+1)
	for k, v := range header {
		out[k] = v
	}
	out["kid"] = m.SignedBy.Kid
	return out
}
