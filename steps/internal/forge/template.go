package forge

import (
	"regexp"
	"strings"
)

// The suite's ${...} renderer. It is the oracle's own: it says what a
// claim must hold for the connecting client, and the suite judges a broker
// by comparing what the broker accepts with that. It shares no code with
// any broker's template engine, the bundled reference broker's
// (reference/authz, reference/authn) included: a renderer shared by the
// judge and the judged would make a rendering defect invisible on both
// sides. It renders only what EMQX renders in a JWT's verify_claims,
// ${clientid} and ${username}; everything else stays literal. Keep it the
// suite's only one (steps/ and loadgen/ call this package).

// RenderTemplate fills ${clientid} and ${username} as EMQX does before
// comparing a claim; any other placeholder stays literal (JWT-VC-06).
func RenderTemplate(tmpl, clientID, username string) string {
	return strings.NewReplacer("${clientid}", clientID, "${username}", username).Replace(tmpl)
}

// RenderClaim renders the strings of a token_claims value (recursively, so
// a list of strings is rendered too) for the connecting client.
func RenderClaim(v any, clientID, username string) any {
	switch x := v.(type) {
	case string:
		return RenderTemplate(x, clientID, username)
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = RenderClaim(item, clientID, username)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[k] = RenderClaim(item, clientID, username)
		}
		return out
	}
	return v
}

var placeholders = regexp.MustCompile(`\$\{(clientid|username)\}`)

// Unrender finds the client ID and username for which tmpl renders to s
// (ok false when no such pair, or tmpl has no placeholder). A placeholder
// tmpl does not hold keeps the connecting client's value.
func Unrender(tmpl, s, clientID, username string) (c, u string, ok bool) {
	locs := placeholders.FindAllStringSubmatchIndex(tmpl, -1)
	if len(locs) == 0 {
		return "", "", false
	}
	m := unrenderPattern(tmpl, locs).FindStringSubmatch(s)
	if m == nil {
		return "", "", false
	}
	c, u = clientID, username
	seen := map[string]string{}
	for i, l := range locs {
		name, value := tmpl[l[2]:l[3]], m[i+1]
		if prev, dup := seen[name]; dup && prev != value {
			return "", "", false
		}
		seen[name] = value
		if name == "clientid" {
			c = value
		} else {
			u = value
		}
	}
	return c, u, RenderTemplate(tmpl, c, u) == s
}

// unrenderPattern matches what tmpl renders to, a group per placeholder
// (locs: placeholders' submatch indexes in tmpl).
func unrenderPattern(tmpl string, locs [][]int) *regexp.Regexp {
	var pattern strings.Builder
	pattern.WriteString("^")
	last := 0
	for _, l := range locs {
		pattern.WriteString(regexp.QuoteMeta(tmpl[last:l[0]]))
		pattern.WriteString("(.*)")
		last = l[1]
	}
	pattern.WriteString(regexp.QuoteMeta(tmpl[last:]) + "$")
	return regexp.MustCompile(pattern.String())
}
