package steps

import (
	"fmt"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/internal/jwksdrive"
)

// Minting in JWKS mode: a valid token is signed with a key of the set the
// suite serves (the first key pair served, unless the scenario names
// another), with that key's algorithm and its kid in the header, as an
// issuer publishing that set would sign it.

func (m *mint) jwksFixture() (*jwksdrive.Endpoint, error) {
	if m.jwks == nil {
		return nil, fmt.Errorf(`the JWT authenticator uses JWKS, but the scenario serves no JWKS endpoint (describe it with "the JWKS endpoint serves ...")`)
	}
	return m.jwks, nil
}

func (m *mint) jwksDefaultAlg() (string, error) {
	f, err := m.jwksFixture()
	if err != nil {
		return "", err
	}
	k, err := f.SigningKey()
	if err != nil {
		return "", err
	}
	return k.Alg, nil
}

// jwksSigner signs with the default key of the set; alg must fit it.
func (m *mint) jwksSigner(alg string) (string, any, error) {
	f, err := m.jwksFixture()
	if err != nil {
		return "", nil, err
	}
	k, err := f.SigningKey()
	if err != nil {
		return "", nil, err
	}
	return m.signWithJWKSKey(k, alg)
}

// signWithJWKSKey signs with k: with alg when it fits k's kind, with k's
// own algorithm when the scenario chose none. Its kid goes into the header.
func (m *mint) signWithJWKSKey(k *jwksdrive.Key, alg string) (string, any, error) {
	kind, err := tokens.KindForAlg(alg)
	if err != nil || kind != k.Pair.Kind {
		if m.spec.alg != "" {
			return "", nil, fmt.Errorf("an %s token cannot be signed with JWKS key %q (%s)", alg, k.Name, k.Alg)
		}
		alg = k.Alg
	}
	m.signedBy = k
	return alg, k.Pair, nil
}

// withKid adds the signing JWKS key's kid to the header fields unless the
// scenario set or removed "kid" itself.
func (m *mint) withKid(header map[string]any) map[string]any {
	if m.signedBy == nil || m.signedBy.KID == "" {
		return header
	}
	if _, set := header["kid"]; set {
		return header
	}
	out := make(map[string]any, len(header)+1)
	for k, v := range header {
		out[k] = v
	}
	out["kid"] = m.signedBy.KID
	return out
}
