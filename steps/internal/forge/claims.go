package forge

import (
	"fmt"
	"sort"

	"github.com/authspec/authspec/steps/target"
)

// BuildClaims is the token's payload: a subject, issued now, expiring in
// an hour, with the profile's token_claims and every verify_claims claim
// rendered for the client; then the scenario's overrides and drops.
func (m *Mint) BuildClaims() (map[string]any, error) {
	claims, err := m.defaultClaims()
	if err != nil {
		return nil, err
	}
	if err := m.override(claims); err != nil {
		return nil, err
	}
	for name := range m.Spec.Dropped {
		if si, ok := m.Auth.ClaimStandIns[name]; ok {
			name = si.Declared
		}
		delete(claims, name)
	}
	if err := m.keepsClaims(); err != nil {
		return nil, err
	}
	return claims, nil
}

// defaultClaims are the claims of a valid token for the connecting client;
// verify_claims are written after token_claims and win.
func (m *Mint) defaultClaims() (map[string]any, error) {
	now := m.Now.Unix()
	claims := map[string]any{"sub": "authspec", "iat": now, "exp": now + 3600}
	for name, value := range m.TokenClaims {
		claims[name] = RenderClaim(value, m.ClientID, m.Username)
	}
	expected, err := VerifyClaims(m.Auth.Config)
	if err != nil {
		return nil, err
	}
	for name, value := range expected {
		claims[name] = RenderTemplate(value, m.ClientID, m.Username)
	}
	return claims, nil
}

// override writes the scenario's claim values, NOW rendered, or carries
// them over to the claim that stands in for them.
func (m *Mint) override(claims map[string]any) error {
	for name, expr := range m.Spec.Claims {
		text, err := RenderNow(expr, m.Now)
		if err != nil {
			return err
		}
		// Numbers stay as written (json.Number): 1.0 must reach the broker
		// as 1.0, not 1 (JWT-CLAIM-07).
		var v any
		if err := DecodeJSON([]byte(text), &v); err != nil {
			return fmt.Errorf("claim %q: %s is not a JSON value: %w", name, expr, err)
		}
		handled, err := m.standInFor(name, v, claims)
		if err != nil {
			return err
		}
		if !handled {
			claims[name] = v
		}
	}
	return nil
}

// keepsClaims: a claim the target's broker checks beyond the scenario's
// configuration (target.Applied.KeptClaims) must reach it as rendered; a
// scenario that changes it would break the token in a second respect.
func (m *Mint) keepsClaims() error {
	for _, name := range m.Auth.KeptClaims {
		_, changed := m.Spec.Claims[name]
		if changed || m.Spec.Dropped[name] {
			return target.NotApplicable("the scenario changes the token's %q claim, which the broker's verify_claims checks", name)
		}
	}
	return nil
}

// VerifyClaims reads verify_claims in either configured shape: a map
// {claim: value} or a list of {name, value}. Values are rendered as strings,
// as EMQX compares them.
func VerifyClaims(cfg map[string]any) (map[string]string, error) {
	out := map[string]string{}
	switch vc := cfg["verify_claims"].(type) {
	case nil:
	case map[string]any:
		for k, v := range vc {
			out[k] = fmt.Sprint(v)
		}
	case []any:
		for i, item := range vc {
			entry, ok := item.(map[string]any)
			name, okName := entry["name"].(string)
			if !ok || !okName {
				return nil, fmt.Errorf("verify_claims[%d]: want {name, value}", i)
			}
			out[name] = fmt.Sprint(entry["value"])
		}
	default:
		return nil, fmt.Errorf("verify_claims: want an object or a list, got %T", vc)
	}
	return out, nil
}

func sortedNames(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
