package placeholder

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// The EMQX syntax had two readers in the reference before this package:
// a byte scanner (authorization rule topics) and a regular expression,
// emqx_template's RE_PLACEHOLDER plus its ${$} escape (verify_claims).
// The engine keeps the scanner; this differential test holds it to the
// regular expression, so both callers read what they read before.
var emqxPlaceholder = regexp.MustCompile(`\$\{\$\}|\$\{[.]?([a-zA-Z0-9._]*)\}`)

// token is a literal run (name "", placeholder false) or a placeholder.
type token struct {
	text        string
	name        string
	placeholder bool
}

// byRegexp splits s as the regular expression does, literal runs merged.
func byRegexp(s string) []token {
	var out []token
	lit := func(text string) {
		if text == "" {
			return
		}
		if n := len(out); n > 0 && !out[n-1].placeholder {
			out[n-1].text += text
			return
		}
		out = append(out, token{text: text})
	}
	last := 0
	for _, m := range emqxPlaceholder.FindAllStringSubmatchIndex(s, -1) {
		lit(s[last:m[0]])
		if whole := s[m[0]:m[1]]; whole == "${$}" {
			lit("$")
		} else {
			out = append(out, token{text: whole, name: s[m[2]:m[3]], placeholder: true})
		}
		last = m[1]
	}
	lit(s[last:])
	return out
}

// byEngine is the engine's split, every placeholder known.
func byEngine(s string) []token {
	x := Context{Syntax: EMQX, known: func(string) bool { return true }}
	var out []token
	for _, p := range x.Parse(s).parts {
		out = append(out, token{text: p.text, name: p.name, placeholder: p.kind != literal})
	}
	return out
}

func sameTokens(a, b []token) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func checkEMQXSyntax(t *testing.T, s string) {
	t.Helper()
	if want, got := byRegexp(s), byEngine(s); !sameTokens(want, got) {
		t.Fatalf("%q: regexp %+v, engine %+v", s, want, got)
	}
}

// pieces are what placeholders are made of, and what breaks them.
var pieces = []string{"$", "{", "}", ".", "a", "Z", "9", "_", "-", " ", "/", "${", "${$}", "${.", "clientid", "é"}

func randomText(r *rand.Rand) string {
	var b strings.Builder
	for n := r.IntN(12); n > 0; n-- {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

func TestEMQXSyntaxMatchesRegexp(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 4))
	for range 20000 {
		checkEMQXSyntax(t, randomText(r))
	}
}

func FuzzEMQXSyntax(f *testing.F) {
	for _, s := range []string{"", "${clientid}", "${.a.b}", "$${$}{x}", "${", "${}", "${.}", "${ x }", "${a${b}}"} {
		f.Add(s)
	}
	f.Fuzz(checkEMQXSyntax)
}
