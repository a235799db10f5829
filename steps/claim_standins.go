package steps

import "github.com/authspec/authspec/steps/target"

// standInFor applies a scenario's value for a verify_claims claim that a
// declared claim stands in for (target.Applied.ClaimStandIns): a value the
// scenario's template accepts for this client keeps the declared claim as
// rendered, so the token stays valid; any other value (another string, a
// number, a list) is what the scenario breaks, and goes to the declared
// claim. handled is false for a claim without a stand-in.
func (m *mint) standInFor(name string, v any, claims map[string]any) (handled bool, err error) {
	si, ok := m.auth.ClaimStandIns[name]
	if !ok {
		return false, nil
	}
	if s, isString := v.(string); isString {
		if s == renderTemplate(si.Template, m.clientID, m.username) {
			return true, nil
		}
		if s == claims[si.Declared] {
			return true, target.NotApplicable("the value %q the scenario means to be wrong for %q is right for the broker's %q claim", s, name, si.Declared)
		}
	}
	claims[si.Declared] = v
	return true, nil
}
