package steps

import (
	"errors"

	"github.com/authspec/authspec/steps/internal/forge"
)

// The scenario's JWKS endpoint as the forge sees it (forge.JWKS): in JWKS
// mode a valid token is signed with a key of the set it serves.

// mintingJWKS is the scenario's JWKS endpoint for a minting (nil when the
// scenario serves none: the forge then says so if it needs one).
func mintingJWKS(f *jwksFixture) forge.JWKS {
	if f == nil {
		return nil
	}
	return jwksSigningKeys{f}
}

type jwksSigningKeys struct{ f *jwksFixture }

func (s jwksSigningKeys) SigningKey() (*forge.JWKSKey, error) {
	k, err := s.f.signingKey()
	if err != nil {
		return nil, err
	}
	return k.forged(), nil
}

func (s jwksSigningKeys) KeyNamed(name string) (*forge.JWKSKey, error) {
	k, err := s.f.key(name)
	if err != nil {
		return nil, err
	}
	return k.forged(), nil
}

func (s jwksSigningKeys) PublishedJWK(name string) ([]byte, error) {
	k, err := s.f.key(name)
	if err != nil {
		return nil, err
	}
	return k.publicJWK()
}

// forged is k as a token signed by it needs it.
func (k *jwksKey) forged() *forge.JWKSKey {
	return &forge.JWKSKey{Name: k.name, Alg: k.alg, Kid: k.kid, Key: k.key}
}

// jwksFixtureOf is the JWKS endpoint m mints for, for a step that needs
// more of it than the forge does (a key by name, the JWK it publishes).
func jwksFixtureOf(m *mint) (*jwksFixture, error) {
	if s, ok := m.JWKS.(jwksSigningKeys); ok {
		return s.f, nil
	}
	if _, err := m.JWKSSigningKey(); err != nil {
		return nil, err
	}
	return nil, errors.New("the token is minted for a JWKS endpoint the scenario does not serve")
}
