package jwtauth

import (
	"regexp"
	"testing"
)

// restrictedStr is EMQX's emqx_utils:is_restricted_str as a regexp (PCRE's
// $ also matches before a final newline): the oracle validAttrKey must
// agree with (JWT-ATTR-02).
var restrictedStr = regexp.MustCompile(`^[A-Za-z0-9]+[A-Za-z0-9\-_]*\n?$`)

func TestValidAttrKeyMatchesEMQXPattern(t *testing.T) {
	for _, k := range []string{"", "a", "A9", "role", "a-b_c", "-a", "_a", "a b", "a.b", "é", "a\n", "a\n\n",
		"\n", "a-", "a_", "9", "a/b", "a\x00", "ab\r"} {
		if got, want := validAttrKey(k), restrictedStr.MatchString(k); got != want {
			t.Errorf("validAttrKey(%q) = %v, EMQX's pattern says %v", k, got, want)
		}
	}
}

func FuzzValidAttrKey(f *testing.F) {
	for _, s := range []string{"a", "a-b", "-", "a\n", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, k string) {
		if got, want := validAttrKey(k), restrictedStr.MatchString(k); got != want {
			t.Fatalf("validAttrKey(%q) = %v, EMQX's pattern says %v", k, got, want)
		}
	})
}
