package security

import "testing"

func TestParse(t *testing.T) {
	for in, want := range map[string]Profile{"": Legacy, "legacy": Legacy, "hardened": Hardened} {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"Hardened", " legacy", "strict"} {
		if _, ok := Parse(in); ok {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
}

func TestUnsetIsLegacy(t *testing.T) {
	var unset Profile
	if unset.Effective() != Legacy || unset.String() != "legacy" || unset.IsHardened() {
		t.Errorf("unset profile: effective %q, string %q, hardened %v", unset.Effective(), unset, unset.IsHardened())
	}
	if Hardened.Effective() != Hardened || Hardened.String() != "hardened" || !Hardened.IsHardened() {
		t.Errorf("hardened profile: effective %q, string %q", Hardened.Effective(), Hardened)
	}
}
