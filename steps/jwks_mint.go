package steps

import (
	"github.com/authspec/authspec/steps/internal/forge"
	"github.com/authspec/authspec/steps/internal/jwksdrive"
)

// The scenario's JWKS endpoint as the forge sees it (forge.JWKS): in JWKS
// mode a valid token is signed with a key of the set it serves.

// mintingJWKS is the scenario's JWKS endpoint for a minting (nil when the
// scenario serves none: the forge then says so if it needs one).
func mintingJWKS(e *jwksdrive.Endpoint) forge.JWKS {
	if e == nil {
		return nil
	}
	return jwksSigningKeys{e}
}

type jwksSigningKeys struct{ e *jwksdrive.Endpoint }

func (s jwksSigningKeys) SigningKey() (*forge.JWKSKey, error) {
	return forged(s.e.SigningKey())
}

func (s jwksSigningKeys) KeyNamed(name string) (*forge.JWKSKey, error) {
	return forged(s.e.Key(name))
}

func (s jwksSigningKeys) PublishedJWK(name string) ([]byte, error) {
	k, err := s.e.Key(name)
	if err != nil {
		return nil, err
	}
	return k.PublicJWK()
}

// forged is k as a token signed by it needs it.
func forged(k *jwksdrive.Key, err error) (*forge.JWKSKey, error) {
	if err != nil {
		return nil, err
	}
	return &forge.JWKSKey{Name: k.Name, Alg: k.Alg, Kid: k.KID, Key: k.Pair}, nil
}
