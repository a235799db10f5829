package forge

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// The defects a scenario gives its token, one aspect each: the key it is
// signed with, its algorithm, its shape. Each changes the Spec; the defect
// is made when the token is minted.

// otherSecret is a secret that differs from the configured one.
const otherSecret = "authspec-not-the-configured-secret"

// SignWithAnotherSecret signs an HMAC token with a secret that is not the
// configured one.
func (s *Spec) SignWithAnotherSecret() {
	s.Signer = func(m *Mint, alg string) (string, any, error) {
		if m.Mode() != ModeHMAC {
			return "", nil, fmt.Errorf(`"another secret" needs an hmac-based authenticator; use "another key"`)
		}
		if !tokens.IsHMAC(alg) {
			return "", nil, fmt.Errorf("an %s token has no secret", alg)
		}
		secret, err := m.Secret()
		if err != nil {
			return "", nil, err
		}
		other := otherSecret
		if string(secret) == other {
			other += "-2"
		}
		return alg, []byte(other), nil
	}
}

// SignWithSecretText signs with the secret's configured text, ignoring
// secret_base64_encoded (JWT-HMAC-03).
func (s *Spec) SignWithSecretText() {
	s.Signer = func(m *Mint, alg string) (string, any, error) {
		text, ok := m.Auth.Config["secret"].(string)
		if !ok {
			return "", nil, fmt.Errorf("the JWT authenticator has no secret")
		}
		return alg, []byte(text), nil
	}
}

// SignWithSecretDecoded signs with the base64 decoding of the secret's
// text, whatever secret_base64_encoded says (JWT-HMAC-03).
func (s *Spec) SignWithSecretDecoded() {
	s.Signer = func(m *Mint, alg string) (string, any, error) {
		text, _ := m.Auth.Config["secret"].(string)
		dec, err := base64.StdEncoding.DecodeString(text)
		if err != nil {
			// Only a target that fixes its own secret (a by-hand broker)
			// gets here: the scenarios configure base64 text.
			return "", nil, target.NotApplicable("the scenario needs a secret that is valid base64; the broker's is not")
		}
		return alg, dec, nil
	}
}

// SignByAnotherKey signs with a key of the configured key's kind that is
// not the configured key (JWT-PK-02).
func (s *Spec) SignByAnotherKey() {
	s.Signer = func(m *Mint, alg string) (string, any, error) {
		k, err := m.ConfiguredKey()
		if err != nil {
			return "", nil, err
		}
		other, err := m.Keys.Key(k.Kind, "other "+string(k.Kind))
		return alg, other, err
	}
}

// SignWithAlgInstead signs a correct signature with alg: with the
// configured key when alg fits it, otherwise with a key of alg's own kind
// (or a secret for HS*). The token is well signed; only the algorithm is
// outside what the authenticator may accept (JWT-HMAC-06, JWT-PK-02/03).
func (s *Spec) SignWithAlgInstead(alg string) error {
	if !KnownAlg(alg) {
		return fmt.Errorf("unknown algorithm %q", alg)
	}
	s.Alg = alg
	s.Signer = func(m *Mint, alg string) (string, any, error) {
		if method, key, err := m.ConfiguredSigner(alg); err == nil {
			return method, key, nil
		}
		if tokens.IsHMAC(alg) {
			return alg, []byte(otherSecret), nil
		}
		kind, err := tokens.KindForAlg(alg)
		if err != nil {
			return "", nil, err
		}
		k, err := m.Keys.Key(kind, "own "+string(kind))
		return alg, k, err
	}
	return nil
}

// Unsigned makes the token an unsigned one whose header says alg, with an
// empty signature.
func (s *Spec) Unsigned(alg string) {
	s.Replace = func(m *Mint) (string, error) { return tokens.Unsigned(alg, m.Claims) }
}

// StripSignature drops the signature segment and its dot.
func (s *Spec) StripSignature() { s.Reshape = append(s.Reshape, tokens.StripSignature) }

// EmptySignature empties the signature segment, keeping its dot.
func (s *Spec) EmptySignature() { s.Reshape = append(s.Reshape, tokens.EmptySignature) }

// AlterAfterSigning changes the segment ("header": its kid, "payload": its
// sub) after the token is signed, so the signature no longer covers it.
func (s *Spec) AlterAfterSigning(segment string) {
	field, value := "sub", "altered-after-signing"
	if segment == "header" {
		field = "kid"
	}
	s.Reshape = append(s.Reshape, func(tok string) (string, error) {
		return tokens.Tamper(tok, segment, tokens.SetJSONField(field, value))
	})
}

// FivePartJWE makes the token a five-part JWE in form.
func (s *Spec) FivePartJWE() {
	s.Replace = func(*Mint) (string, error) { return tokens.FivePartJWE(), nil }
}

// BearerPrefix sends the token after "Bearer ".
func (s *Spec) BearerPrefix() {
	s.Reshape = append(s.Reshape, func(tok string) (string, error) { return tokens.WithBearer(tok), nil })
}

// PadSegments gives the segments base64 "=" padding.
func (s *Spec) PadSegments() { s.Reshape = append(s.Reshape, tokens.Padded) }

// BreakBase64 makes the payload invalid base64url.
func (s *Spec) BreakBase64() { s.Reshape = append(s.Reshape, tokens.BadBase64) }

// notJSON is a segment that decodes from base64url to text that is not
// JSON; the token is otherwise correctly signed over it.
var notJSON = []byte("this segment is not JSON")

// SegmentNotJSON makes the segment ("header" or "payload") text that is
// not JSON, signed over.
func (s *Spec) SegmentNotJSON(segment string) {
	if segment == "header" {
		s.RawHeader = notJSON
	} else {
		s.RawPayload = notJSON
	}
}

// HMACWithConfiguredPEM is the key-confusion token of JWT-PK-03: HS256
// keyed with the PEM text of the configured public key, byte for byte as
// configured when the configuration holds the PEM itself.
func (s *Spec) HMACWithConfiguredPEM() {
	s.Replace = func(m *Mint) (string, error) {
		pemText, _ := m.Auth.Config["public_key"].(string)
		if !strings.HasPrefix(pemText, "-----BEGIN") {
			k, err := m.ConfiguredKey()
			if err != nil {
				return "", err
			}
			pemText = k.PublicPEM()
		}
		return tokens.HMACWithPEM(pemText, m.Claims)
	}
}

// RS256OverHMACWithRSAPEM is the key confusion of JWT-HMAC-06: the header
// says RS256, the signature is HMAC-SHA256 keyed with an RSA public key's
// PEM text.
func (s *Spec) RS256OverHMACWithRSAPEM() {
	s.Replace = func(m *Mint) (string, error) {
		k, err := m.Keys.Key(tokens.RSA, "attacker rsa")
		if err != nil {
			return "", err
		}
		return tokens.RS256HeaderWithHMAC([]byte(k.PublicPEM()), m.Claims)
	}
}

// RS256OverHMACWithSecret: the header says RS256, the signature is
// HMAC-SHA256 keyed with the configured secret (what a verifier that picks
// the algorithm by the key's type would check; JWT-HMAC-06).
func (s *Spec) RS256OverHMACWithSecret() {
	s.Replace = func(m *Mint) (string, error) {
		secret, err := m.Secret()
		if err != nil {
			return "", err
		}
		return tokens.RS256HeaderWithHMAC(secret, m.Claims)
	}
}
