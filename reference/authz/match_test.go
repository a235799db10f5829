package authz

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMatchLevels(t *testing.T) {
	cases := []struct {
		id, name, filter string
		want             bool
	}{
		{"JWT-ACL-02", "a/b", "a/+", true},
		{"JWT-ACL-02", "a/b/c", "a/+", false},
		{"JWT-ACL-02", "a", "a/+", false},
		{"JWT-ACL-02", "a/b/c", "a/#", true},
		{"JWT-ACL-02", "a", "a/#", true},
		{"JWT-ACL-02", "ab", "a/#", false},
		{"JWT-ACL-02", "a/", "a/+", true},
		{"JWT-ACL-02", "x/a/b", "+/a/+", true},
		{"JWT-ACL-02", "a/b", "a/b", true},
		{"JWT-ACL-02", "a/b", "a/c", false},
		{"JWT-ACL-13", "a/+/b", "a/#", true},
		{"JWT-ACL-13", "a/#", "a/#", true},
		{"JWT-ACL-13", "a/+", "a/b", false},
		{"JWT-ACL-13", "a/#", "a/+", true},
		{"JWT-ACL-13", "#", "+", true},
		{"JWT-ACL-13", "+/+", "#", true},
		{"JWT-ACL-13", "a/#", "a/b/#", false},
		{"JWT-ACL-14", "$SYS/x", "#", false},
		{"JWT-ACL-14", "$SYS/x", "+/x", false},
		{"JWT-ACL-14", "$SYS/x", "$SYS/#", true},
		{"JWT-ACL-14", "$SYS/x", "$SYS/+", true},
		{"JWT-ACL-14", "a/$x", "a/+", true},
		{"JWT-ACL-14", "$", "#", false},
	}
	for _, c := range cases {
		t.Run(c.id+"/"+c.name+"~"+c.filter, func(t *testing.T) {
			if got := matchLevels(levels(c.name), levels(c.filter), matchFaults{}); got != c.want {
				t.Fatalf("match(%q, %q) = %v, want %v", c.name, c.filter, got, c.want)
			}
		})
	}
}

func TestShareRealTopic(t *testing.T) {
	cases := map[string]string{ // JWT-ACL-17
		"$share/g/t/#":  "t/#",
		"$share/g/t":    "t",
		"$share/g/$S/x": "$S/x",
		"$share//t":     "$share//t",
		"$share/g":      "$share/g",
		"$shared/g/t":   "$shared/g/t",
		"t/$share/g/x":  "t/$share/g/x",
	}
	for in, want := range cases {
		if got := shareRealTopic(in); got != want {
			t.Errorf("JWT-ACL-17: shareRealTopic(%q) = %q, want %q", in, got, want)
		}
	}
}

// oracleMatch is an independent statement of EMQX's authorization matching:
// the rule filter becomes a regular expression over the name.
func oracleMatch(name, filter string) bool {
	if strings.HasPrefix(name, "$") && (strings.HasPrefix(filter, "+") && (len(filter) == 1 || filter[1] == '/') ||
		strings.HasPrefix(filter, "#") && (len(filter) == 1 || filter[1] == '/')) {
		return false
	}
	lv := strings.Split(filter, "/")
	var b strings.Builder
	b.WriteString("(?s)^")
	for i, l := range lv {
		last := i == len(lv)-1
		switch {
		case l == "#" && last && i == 0:
			b.WriteString(".*")
		case l == "#" && last:
			// "a/#" covers "a" as well as "a/anything".
			return regexp.MustCompile(b.String() + "(/.*)?$").MatchString(name)
		case l == "+":
			if i > 0 {
				b.WriteString("/")
			}
			b.WriteString("[^/]*")
		default:
			if i > 0 {
				b.WriteString("/")
			}
			b.WriteString(regexp.QuoteMeta(l))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String()).MatchString(name)
}

func FuzzMatch(f *testing.F) {
	for _, s := range [][2]string{
		{"a/b", "a/+"}, {"a/b/c", "a/+"}, {"a", "a/#"}, {"a/#", "a/+"}, {"$SYS/x", "#"},
		{"", "#"}, {"/", "+/+"}, {"a/#/b", "a/#/b"}, {"#", "+"}, {"$a/b", "$a/+"}, {"a//b", "a/+/b"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, name, filter string) {
		if !utf8.ValidString(name) || !utf8.ValidString(filter) {
			t.Skip("MQTT topics are UTF-8")
		}
		got := matchLevels(levels(name), levels(filter), matchFaults{})
		if want := oracleMatch(name, filter); got != want {
			t.Fatalf("match(%q, %q) = %v, oracle says %v", name, filter, got, want)
		}
		if !strings.ContainsAny(filter, "+#") && got != (name == filter) {
			t.Fatalf("literal filter %q: match(%q) = %v", filter, name, got)
		}
		// A name always covers itself, wildcards and all.
		if !matchLevels(levels(name), levels(name), matchFaults{}) {
			t.Fatalf("%q does not match itself", name)
		}
		// The injected defects never panic either.
		matchLevels(levels(name), levels(filter), matchFaults{plusMultiLevel: true, plusSkipsWildcard: true, dollarUnguarded: true})
	})
}
