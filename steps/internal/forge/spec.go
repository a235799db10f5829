// Package forge makes the tokens the suite connects with: a scenario's
// valid token, with its claims rendered for the connecting client and
// signed as the configured JWT authenticator verifies it, and the
// defective tokens the scenarios send to prove that a broker refuses them.
//
// It knows nothing of Gherkin nor of the scenario's state. A Spec says what
// the token is (built up by the steps before the client connects); a Mint
// holds what minting needs once the broker is known (the authenticator as
// the broker has it, the scenario's keys, the clock, the connecting
// client); Mint.Build returns the token and records its claims.
package forge

import (
	"fmt"
	"slices"
	"strings"

	"github.com/authspec/authspec/fixtures/tokens"
)

// Spec describes a scenario's token relative to the configured JWT
// authenticator. It is minted when the client connects, once the broker
// (and so the key material it verifies with) is known.
type Spec struct {
	// Alg is the signing algorithm; "" means the authenticator's default
	// (HS256, or the one that fits the configured key).
	Alg string
	// Claims overrides claim values (JSON text, NOW expressions allowed);
	// Dropped removes claims.
	Claims  map[string]string
	Dropped map[string]bool
	// Header adds or removes (nil) header fields; HeaderAlg, when set, is
	// written as "alg" instead of the signing algorithm.
	Header    map[string]any
	HeaderAlg string
	// Signer replaces the configured key (another secret, another key).
	Signer func(m *Mint, alg string) (method string, key any, err error)
	// RawHeader and RawPayload replace a segment's bytes (not JSON); with
	// RawRender their NOW expressions are rendered. RawEncode re-encodes a
	// segment's text before signing.
	RawHeader, RawPayload []byte
	RawRender             bool
	RawEncode             []RawEncoding
	// Reshape transforms the signed token (strip the signature, pad, ...).
	Reshape []func(tok string) (string, error)
	// Replace builds the whole token instead (seed token, alg none, key
	// confusion); it may use m.Claims.
	Replace func(m *Mint) (string, error)
	// Published: the token is a fixed, published vector (the seed token),
	// which cannot carry the target's token_claims.
	Published bool
}

// RawEncoding changes the bytes of one segment before signing.
type RawEncoding struct {
	Segment string // "header" or "payload"
	Change  func([]byte) []byte
}

// NewSpec is "a valid token": the authenticator's default algorithm and
// claims.
func NewSpec() *Spec {
	return &Spec{Claims: map[string]string{}, Dropped: map[string]bool{}, Header: map[string]any{}}
}

// NewAlgSpec is a valid token signed with alg.
func NewAlgSpec(alg string) (*Spec, error) {
	if !KnownAlg(alg) {
		return nil, fmt.Errorf("unknown algorithm %q (known: %s)", alg, strings.Join(tokens.AllAlgs, ", "))
	}
	s := NewSpec()
	s.Alg = alg
	return s, nil
}

// SeedSpec is the seed token of the catalogue, a published vector.
func SeedSpec() *Spec {
	s := NewSpec()
	s.Replace = func(*Mint) (string, error) { return tokens.SeedToken, nil }
	s.Published = true
	return s
}

// TextSpec is a token that is exactly text.
func TextSpec(text string) *Spec {
	s := NewSpec()
	s.Replace = func(*Mint) (string, error) { return text, nil }
	return s
}

// KnownAlg reports whether alg is a JWS algorithm the suite can sign with.
func KnownAlg(alg string) bool { return slices.Contains(tokens.AllAlgs, alg) }

// UsesClock reports whether a claim is written relative to NOW.
func (s *Spec) UsesClock() bool {
	if s.RawRender && (UsesNow(string(s.RawHeader)) || UsesNow(string(s.RawPayload))) {
		return true
	}
	for _, v := range s.Claims {
		if UsesNow(v) {
			return true
		}
	}
	return false
}

// DropClaim removes a claim from the token.
func (s *Spec) DropClaim(name string) {
	delete(s.Claims, name)
	s.Dropped[name] = true
}

// SetClaim sets a claim to a JSON value; NOW, NOW+N and NOW-N stand for
// the clock in Unix seconds.
func (s *Spec) SetClaim(name, value string) {
	s.Claims[name] = value
	delete(s.Dropped, name)
}

// SetHeader sets a header field to a JSON value, or removes it with the
// word absent. "alg" changes only what the header says: the signature is
// still made with the algorithm the token would use (SEC-06).
func (s *Spec) SetHeader(name, value string) error {
	if value == "absent" {
		if name == "alg" {
			return fmt.Errorf(`a header without "alg" is not a case this step makes`)
		}
		s.Header[name] = nil
		return nil
	}
	var v any
	if err := DecodeJSON([]byte(value), &v); err != nil {
		return fmt.Errorf("header %q: %s: %w", name, value, err)
	}
	if name != "alg" {
		s.Header[name] = v
		return nil
	}
	alg, ok := v.(string)
	if !ok {
		return fmt.Errorf(`header "alg" must be a string here, got %s`, value)
	}
	s.HeaderAlg = alg
	return nil
}
