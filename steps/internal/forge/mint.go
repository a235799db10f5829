package forge

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// Mint is one minting of a Spec: what it needs to know (the authenticator
// as the broker has it, the scenario's keys, the clock and the connecting
// client) and what it found (Claims, SignedBy). A Spec's Signer and
// Replace receive it.
type Mint struct {
	Auth     target.Applied
	Keys     *tokens.Keyring
	Now      time.Time
	ClientID string
	Username string // "" when the client sends none
	Spec     *Spec
	// JWKS is the JWKS endpoint the suite serves (nil: none): in JWKS mode
	// a valid token is signed with a key of its set.
	JWKS JWKS
	// TokenClaims are the target profile's token_claims: every token
	// carries them, rendered for the client, under the configuration's
	// verify_claims and the scenario's own claims.
	TokenClaims map[string]any

	// Claims are the token's claims, filled by Build before Replace runs.
	Claims map[string]any
	// SignedBy is the JWKS key the token was signed with, if any: its kid
	// goes into the header.
	SignedBy *JWKSKey
}

// JWT verification modes, as the authenticator's configuration names them.
const (
	ModeHMAC      = "hmac-based"
	ModePublicKey = "public-key"
	ModeJWKS      = "jwks"
)

// Mode is the authenticator's verification mode.
func (m *Mint) Mode() string {
	if b, _ := m.Auth.Config["use_jwks"].(bool); b {
		return ModeJWKS
	}
	if a, _ := m.Auth.Config["algorithm"].(string); a != "" {
		return a
	}
	return ModeHMAC
}

// Secret is the configured HMAC secret as the broker uses it.
func (m *Mint) Secret() ([]byte, error) {
	s, ok := m.Auth.Config["secret"].(string)
	if !ok {
		return nil, fmt.Errorf("the JWT authenticator has no secret")
	}
	if b, _ := m.Auth.Config["secret_base64_encoded"].(bool); b {
		dec, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("the configured secret is not valid base64: %w", err)
		}
		return dec, nil
	}
	return []byte(s), nil
}

// ConfiguredKey is the private key matching the configured public key.
func (m *Mint) ConfiguredKey() (*tokens.Key, error) {
	if m.Auth.PrivateKey == nil {
		return nil, target.NotApplicable("the target gives no private key for its configured public key")
	}
	return m.Auth.PrivateKey, nil
}

// DefaultAlg is the algorithm a "valid token" uses.
func (m *Mint) DefaultAlg() (string, error) {
	switch m.Mode() {
	case ModeHMAC:
		return "HS256", nil
	case ModePublicKey:
		k, err := m.ConfiguredKey()
		if err != nil {
			return "", err
		}
		return tokens.DefaultAlgFor(k.Kind), nil
	case ModeJWKS:
		return m.jwksDefaultAlg()
	}
	return "", fmt.Errorf("no default algorithm for JWT mode %q", m.Mode())
}

// SigningAlg is the algorithm the token is signed with: the scenario's,
// or the authenticator's default.
func (m *Mint) SigningAlg() (string, error) {
	if m.Spec.Alg != "" {
		return m.Spec.Alg, nil
	}
	return m.DefaultAlg()
}

// Signer returns the method and key the token is signed with, for the
// scenario's algorithm or the authenticator's default.
func (m *Mint) Signer() (string, any, error) {
	alg, err := m.SigningAlg()
	if err != nil {
		return "", nil, err
	}
	if m.Spec.Signer != nil {
		return m.Spec.Signer(m, alg)
	}
	return m.ConfiguredSigner(alg)
}

// ConfiguredSigner signs with the configured secret or key, which alg must
// fit.
func (m *Mint) ConfiguredSigner(alg string) (string, any, error) {
	switch m.Mode() {
	case ModeHMAC:
		if !tokens.IsHMAC(alg) {
			return "", nil, target.NotApplicable("an %s token does not fit an hmac-based authenticator", alg)
		}
		s, err := m.Secret()
		return alg, s, err
	case ModePublicKey:
		return m.configuredKeySigner(alg)
	case ModeJWKS:
		return m.jwksSigner(alg)
	}
	return "", nil, fmt.Errorf("cannot sign for JWT mode %q", m.Mode())
}

func (m *Mint) configuredKeySigner(alg string) (string, any, error) {
	k, err := m.ConfiguredKey()
	if err != nil {
		return "", nil, err
	}
	kind, err := tokens.KindForAlg(alg)
	if err != nil || kind != k.Kind {
		return "", nil, target.NotApplicable("an %s token does not fit the configured %s key", alg, k.Kind)
	}
	return alg, k, nil
}

// Build mints the token: the claims, then the scenario's replacement, or
// the header and payload signed and reshaped.
func (m *Mint) Build() (string, error) {
	claims, err := m.BuildClaims()
	if err != nil {
		return "", err
	}
	m.Claims = claims
	if m.Spec.Published && len(m.TokenClaims) > 0 {
		return "", target.NotApplicable("the scenario's token is a published test vector, which cannot carry the profile's token_claims (%s)", strings.Join(sortedNames(m.TokenClaims), ", "))
	}
	if m.Spec.Replace != nil {
		return m.Spec.Replace(m)
	}
	method, key, err := m.Signer()
	if err != nil {
		return "", err
	}
	header, payload, err := m.segments(method)
	if err != nil {
		return "", err
	}
	tok, err := tokens.Sign(method, key, header, payload)
	if err != nil {
		return "", err
	}
	return m.Reshaped(tok)
}

// ValidInner is the token the scenario would send without Replace, with
// the scenario's header fields: for tokens that wrap or imitate it.
func (m *Mint) ValidInner() (string, error) {
	method, key, err := m.Signer()
	if err != nil {
		return "", err
	}
	return tokens.Mint(method, key, m.Claims, m.WithKid(m.Spec.Header))
}

// segments are the header and payload to sign: JSON of the spec's header
// fields and the claims, or the spec's raw bytes, then re-encoded.
func (m *Mint) segments(method string) (header, payload []byte, err error) {
	header = m.Spec.RawHeader
	if header == nil {
		headerAlg := method
		if m.Spec.HeaderAlg != "" {
			headerAlg = m.Spec.HeaderAlg
		}
		if header, err = tokens.Header(headerAlg, m.WithKid(m.Spec.Header)); err != nil {
			return nil, nil, err
		}
	}
	payload = m.Spec.RawPayload
	if payload == nil {
		if payload, err = tokens.Payload(m.Claims); err != nil {
			return nil, nil, err
		}
	}
	return m.rawShaped(header, payload)
}

// rawShaped renders NOW in raw segments and applies the re-encodings.
func (m *Mint) rawShaped(header, payload []byte) ([]byte, []byte, error) {
	if m.Spec.RawRender {
		for _, seg := range []*[]byte{&header, &payload} {
			text, err := RenderNow(string(*seg), m.Now)
			if err != nil {
				return nil, nil, err
			}
			*seg = []byte(text)
		}
	}
	for _, e := range m.Spec.RawEncode {
		if e.Segment == "header" {
			header = e.Change(header)
		} else {
			payload = e.Change(payload)
		}
	}
	return header, payload, nil
}

// Reshaped applies the scenario's reshapes to a signed token, in order.
func (m *Mint) Reshaped(tok string) (string, error) {
	var err error
	for _, f := range m.Spec.Reshape {
		if tok, err = f(tok); err != nil {
			return "", err
		}
	}
	return tok, nil
}
