// Package security names EMQX's security profiles: legacy (the default) and
// hardened, the one configuration choice that changes what the catalogue
// expects where EMQX's two behaviours differ.
//
// It is vocabulary, not behaviour: the reference broker (what it does under
// each profile), the conformance suite (which profile a scenario asks for,
// steps/target) and the target profiles (fixtures/profile) all say which
// profile they mean with this one type. It imports nothing of the project,
// so either side may import it without sharing any of the other's code.
package security

// Profile is a security profile as EMQX's configuration writes it. The zero
// value, "", means the default, Legacy.
type Profile string

const (
	Legacy   Profile = "legacy"
	Hardened Profile = "hardened"
)

// Parse reads "legacy", "hardened" or "" (the default, Legacy); ok is
// false for anything else.
func Parse(s string) (p Profile, ok bool) {
	switch Profile(s) {
	case "", Legacy:
		return Legacy, true
	case Hardened:
		return Hardened, true
	}
	return Legacy, false
}

// Effective is the profile a broker runs when p is asked for: Legacy when
// p is unset.
func (p Profile) Effective() Profile {
	if p == "" {
		return Legacy
	}
	return p
}

// IsHardened reports whether p is the hardened profile.
func (p Profile) IsHardened() bool { return p == Hardened }

// String is the configuration's spelling; the unset profile is "legacy".
func (p Profile) String() string { return string(p.Effective()) }
