package forge

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/authspec/authspec/steps/target"
)

// Claim stand-ins (target.Applied.ClaimStandIns): a by-hand broker checks
// its own claims, so a scenario's verify_claims claim C (template T) is
// shown with a declared claim D (template TD) instead. The scenario's value
// for C is carried over to D so that it keeps its meaning: what is right
// for T is right for TD, and what is wrong for T is wrong for TD in the same
// way (another client's value, the unrendered template, another case, a
// number that reads as the expected string). When the declared claim cannot
// carry that meaning, the scenario could not fail for what it observes
// there, and it is not applicable, saying why: never a vacuous pass.

// standInFor applies a scenario's value for a claim with a stand-in.
// handled is false for a claim without one. A look-alike of such a claim
// ("Tenant" for "tenant": a negative twin) becomes the same look-alike of
// the declared claim.
func (m *Mint) standInFor(name string, v any, claims map[string]any) (handled bool, err error) {
	si, declared, ok := m.standInOf(name)
	if !ok {
		return false, nil
	}
	if declared == "" {
		return true, target.NotApplicable("the scenario's look-alike claim %q has no look-alike of the broker's %q to stand for it", name, si.Declared)
	}
	mapped, err := carryOver(v, si, m.ClientID, m.Username)
	if err != nil {
		return true, err
	}
	claims[declared] = mapped
	return true, nil
}

// standInOf finds the stand-in of claim name, or of the claim it is a
// look-alike of; declared is the claim to write ("" when the look-alike
// has no counterpart).
func (m *Mint) standInOf(name string) (si target.ClaimStandIn, declared string, ok bool) {
	if si, ok := m.Auth.ClaimStandIns[name]; ok {
		return si, si.Declared, true
	}
	for claim, si := range m.Auth.ClaimStandIns {
		if strings.EqualFold(claim, name) {
			return si, lookAlike(name, claim, si.Declared), true
		}
	}
	return target.ClaimStandIn{}, "", false
}

// lookAlike makes of declared what look is of claim: upper case, or the
// first letter upper ("" when declared would not change).
func lookAlike(look, claim, declared string) string {
	var out string
	switch look {
	case strings.ToUpper(claim):
		out = strings.ToUpper(declared)
	case strings.ToUpper(claim[:1]) + claim[1:]:
		out = strings.ToUpper(declared[:1]) + declared[1:]
	}
	if out == declared {
		return ""
	}
	return out
}

// carryOver maps the scenario's value for a claim (template si.Template)
// to the declared claim's (si.DeclaredTemplate), keeping what makes it
// right or wrong, or says (not applicable) why it cannot.
func carryOver(v any, si target.ClaimStandIn, clientID, username string) (any, error) {
	if si.Template == si.DeclaredTemplate {
		return v, nil
	}
	right := RenderTemplate(si.Template, clientID, username)
	rightD := RenderTemplate(si.DeclaredTemplate, clientID, username)
	switch x := v.(type) {
	case string:
		return carryString(x, si, right, rightD, clientID, username)
	case json.Number, float64, int, int64, bool:
		return carryScalar(x, si, right, rightD)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			m, err := carryOver(e, si, clientID, username)
			if err != nil {
				return nil, err
			}
			out[i] = m
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			m, err := carryOver(e, si, clientID, username)
			if err != nil {
				return nil, err
			}
			out[k] = m
		}
		return out, nil
	}
	return v, nil
}

// carryScalar carries a number or a boolean that reads as the expected
// string (JWT-VC-07: 123 against "123") to its look-alike for the declared
// value; any other stays as it is.
func carryScalar(x any, si target.ClaimStandIn, right, rightD string) (any, error) {
	text := fmt.Sprint(x)
	if text != right {
		return x, nil
	}
	var same any
	if err := DecodeJSON([]byte(rightD), &same); err == nil {
		if _, isString := same.(string); !isString && fmt.Sprint(same) == rightD {
			return same, nil
		}
	}
	return nil, target.NotApplicable("the scenario's %s %s reads as its expected %q; the broker's %s value %q is not the text of a %T, so nothing of that type can stand for it",
		kindOf(x), text, right, si.Declared, rightD, x)
}

func carryString(s string, si target.ClaimStandIn, right, rightD, clientID, username string) (any, error) {
	if s == right {
		return rightD, nil
	}
	// The template rendered for another client, or not rendered at all:
	// the declared template rendered the same way.
	if c, u, ok := Unrender(si.Template, s, clientID, username); ok {
		mapped := RenderTemplate(si.DeclaredTemplate, c, u)
		if mapped == rightD {
			return nil, target.NotApplicable("the value %q the scenario means to be wrong for %q renders the broker's %q template %q right",
				s, si.Template, si.Declared, si.DeclaredTemplate)
		}
		return mapped, nil
	}
	if strings.EqualFold(s, right) {
		return carryCase(s, si, right, rightD)
	}
	if s == rightD {
		return nil, target.NotApplicable("the value %q the scenario means to be wrong for %q is right for the broker's %q claim", s, si.Template, si.Declared)
	}
	return s, nil
}

// carryCase carries another case of the right value.
func carryCase(s string, si target.ClaimStandIn, right, rightD string) (any, error) {
	var mapped string
	switch s {
	case strings.ToUpper(right):
		mapped = strings.ToUpper(rightD)
	case strings.ToLower(right):
		mapped = strings.ToLower(rightD)
	}
	if mapped == "" || mapped == rightD {
		return nil, target.NotApplicable("the scenario's %q is another case of %q; the broker's %s value %q has no such variant", s, right, si.Declared, rightD)
	}
	return mapped, nil
}

func kindOf(v any) string {
	if _, ok := v.(bool); ok {
		return "boolean"
	}
	return "number"
}
