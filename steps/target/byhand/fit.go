package byhand

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// declared is one authenticator of the profile's chain.
type declared struct {
	config map[string]any // normalized
	// key signs what the config's public_key verifies (private_key_file).
	key *tokens.Key
}

// fit compares a scenario's Setup with the declared configuration: the
// chain the broker has, adapted to the scenario where the suite can adapt,
// or a not-applicable error naming the first difference that matters.
func (t *Target) fit(s target.Setup) ([]target.Applied, error) {
	profile := s.Profile.Effective()
	if profile != t.profile {
		return nil, target.NotApplicable("needs the %s security profile; the broker runs %s (security_profile)", profile, t.profile)
	}
	if s.IgnoreBackendFailures != t.ignoreBackendFailures {
		return nil, target.NotApplicable("needs authentication_settings.ignore_backend_failures %t; the broker declares %t",
			s.IgnoreBackendFailures, t.ignoreBackendFailures)
	}
	if err := t.fitAuthorization(s.Authorization); err != nil {
		return nil, err
	}
	if len(s.Users) > 0 {
		return nil, target.NotApplicable("adds users to the built-in database; a by-hand broker's users are its own")
	}
	if want, have := chainIDs(s.Authentication), t.chainIDs(); want != have {
		if want == "[]" {
			return nil, target.NotApplicable("needs no authenticator; the broker declares %s", have)
		}
		return nil, target.NotApplicable("needs the chain %s; the broker declares %s", want, have)
	}
	out := make([]target.Applied, len(s.Authentication))
	for i, want := range s.Authentication {
		a, err := t.fitAuthenticator(s, want, t.chain[i])
		if err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

func chainIDs(chain []map[string]any) string {
	ids := make([]string, len(chain))
	for i, a := range chain {
		ids[i] = target.Mechanism(a)
	}
	return "[" + strings.Join(ids, ", ") + "]"
}

func (t *Target) chainIDs() string {
	cfgs := make([]map[string]any, len(t.chain))
	for i, d := range t.chain {
		cfgs[i] = d.config
	}
	return chainIDs(cfgs)
}

// fitAuthenticator compares one authenticator field by field. Fields the
// suite adapts to have their own rule (adapt); any other field must have
// the same effective value, unless the scenario leaves it at its default
// without observing it (fields.go).
func (t *Target) fitAuthenticator(s target.Setup, raw map[string]any, have declared) (target.Applied, error) {
	want, err := normalize(raw)
	if err != nil {
		return target.Applied{}, fmt.Errorf("the scenario's authenticator: %w", err)
	}
	mech := target.Mechanism(want)
	applied := target.Applied{Config: have.config, PrivateKey: have.key}
	defs := defaults[mech]
	for _, field := range fieldOrder(want, have.config, defs) {
		if field == "mechanism" || field == "backend" || field == "id" || ignored(mech, field, want, have.config) {
			continue
		}
		w, wSet := want[field]
		h, hSet := have.config[field]
		if adapted, err := t.adapt(s, mech, field, w, h, have, &applied); adapted || err != nil {
			if err != nil {
				return target.Applied{}, err
			}
			continue
		}
		def, hasDef := defs[field]
		if field == "on_missing_jwt" {
			def, hasDef = onMissingDefault(t.profile), true
		}
		if !wSet {
			w = def
		}
		if !hSet {
			h = def
		}
		if same(w, h) || (!wSet && !observes(mech, field, s.IDs, s.Readings)) {
			continue
		}
		return target.Applied{}, target.NotApplicable("needs %s; the broker declares %s",
			setting(field, w, wSet, hasDef), setting(field, h, hSet, hasDef))
	}
	return applied, nil
}

// kindFields decide an authenticator's kind: they are compared first, so
// a message names the difference that matters most ("needs algorithm:
// public-key", not a consequence of it).
var kindFields = []string{"enable", "from", "use_jwks", "algorithm", "secret_base64_encoded", "method"}

func fieldOrder(maps ...map[string]any) []string {
	out := append([]string(nil), kindFields...)
	for _, k := range sortedKeys(maps...) {
		if !slices.Contains(kindFields, k) {
			out = append(out, k)
		}
	}
	return out
}

// ignored: fields EMQX does not read in the authenticator's mode (a JWKS
// authenticator has no algorithm or secret, the others no endpoint).
func ignored(mech, field string, want, have map[string]any) bool {
	if mech != "jwt" {
		return false
	}
	jwks := want["use_jwks"] == true && have["use_jwks"] == true
	noJWKS := want["use_jwks"] != true && have["use_jwks"] != true
	switch field {
	case "algorithm", "secret", "secret_base64_encoded", "public_key":
		return jwks
	case "endpoint", "refresh_interval", "pool_size", "max_fail_count", "headers", "ssl":
		return noJWKS
	}
	return false
}

var keyPlaceholder = regexp.MustCompile(`^<([a-z0-9-]+) public key( file)?>$`)

// adapt handles the fields whose values the suite adapts to. It reports
// whether field was one of them (decided), with a not-applicable error when
// the declared value cannot stand in for the scenario's.
func (t *Target) adapt(s target.Setup, mech, field string, w, h any, have declared, applied *target.Applied) (bool, error) {
	switch {
	case mech == "jwt" && field == "secret":
		if s.ExactConfig && !same(w, h) {
			return true, target.NotApplicable("needs the secret %q exactly (a published test vector); the broker declares another", show(w))
		}
		return true, nil
	case mech == "jwt" && field == "public_key":
		return true, fitPublicKey(s, w, h, have.key)
	case mech == "jwt" && field == "endpoint":
		if decided, err := t.fitEndpointOIDC(w, h); decided {
			return true, err
		}
		return true, fitEndpoint(w, h)
	case mech == "jwt" && field == "verify_claims":
		return true, fitClaims(s, t.resolveOIDCClaims(w), h, applied)
	case mech == "scram:http" && field == "url":
		return true, fitScramURL(w, h)
	}
	return false, nil
}

// fitPublicKey: the scenario's key placeholder names a kind of key, and as
// PEM text or as a file; the declared key must be of that kind, and a file
// when the scenario's is (it observes reading the file).
func fitPublicKey(s target.Setup, w, h any, key *tokens.Key) error {
	ws, _ := w.(string)
	hs, _ := h.(string)
	m := keyPlaceholder.FindStringSubmatch(ws)
	if m == nil || s.ExactConfig {
		if ws != hs {
			return target.NotApplicable("needs the public_key the scenario gives; the broker declares another")
		}
		return nil
	}
	if key == nil {
		return target.NotApplicable("needs a public key and its private key (private_key_file); the broker declares none")
	}
	if m[1] != target.AnyKeyPlaceholderKind && tokens.Kind(m[1]) != key.Kind {
		return target.NotApplicable("needs an %s public key; the broker declares an %s key", m[1], key.Kind)
	}
	if m[2] != "" && strings.HasPrefix(strings.TrimSpace(hs), "-----BEGIN") {
		return target.NotApplicable("needs public_key as a file path; the broker declares the PEM text")
	}
	return nil
}

const (
	jwksPlaceholder      = "<jwks endpoint>"
	jwksHTTPSPlaceholder = "<jwks https endpoint>"
)

// fitEndpoint: New made sure a declared endpoint is where the suite
// serves its plain JWKS endpoint; the HTTPS one takes a free port a broker
// configured by hand cannot know.
func fitEndpoint(w, h any) error {
	ws, _ := w.(string)
	switch ws {
	case jwksPlaceholder:
		return nil
	case jwksHTTPSPlaceholder:
		return target.NotApplicable("needs an HTTPS JWKS endpoint (the suite's, on a free port); the broker declares endpoint %s", show(h))
	}
	if !same(w, h) {
		return target.NotApplicable("needs endpoint %s; the broker declares %s", show(w), show(h))
	}
	return nil
}

// fitClaims: a claim the scenario configures runs against the declared
// claim of that name and template; where the broker checks other claims,
// one of them stands in for it (its values carried over by the token's
// minting: see target.ClaimStandIn and steps/internal/forge/standins.go), so a
// scenario about verify_claims shows its behaviour with the claims the
// broker has. aud stands in only for aud, and only aud for it: its rules
// (a string or a list holding it) are its own, so the scenario's audience
// follows the declared one. Declared claims no scenario claim maps to are
// kept: every token carries them as rendered.
//
// A stand-in must leave the scenario able to fail for what it observes:
// the declared template must have every placeholder the scenario's has
// (a scenario binding a claim to ${clientid} shows nothing against a claim
// bound to ${username}), and a scenario whose template holds any other
// placeholder (${foo}: it observes that it stays literal) runs only against
// that very template. The values' side of that rule is the minting's.
func fitClaims(s target.Setup, w, h any, applied *target.Applied) error {
	want, err := claimsOf(w)
	if err != nil {
		return fmt.Errorf("the scenario's %w", err)
	}
	have, err := claimsOf(h)
	if err != nil {
		return fmt.Errorf("the profile's %w", err)
	}
	var pool []string // declared claims that may stand in
	for _, name := range sortedNames(have) {
		if _, named := want[name]; !named && name != "aud" {
			pool = append(pool, name)
		}
	}
	used := map[string]bool{}
	for _, name := range sortedNames(want) {
		tmpl := want[name]
		if got, ok := have[name]; ok && got == tmpl {
			used[name] = true
			continue
		}
		if s.ExactConfig {
			return target.NotApplicable("needs verify_claims %s exactly; the broker declares %s", showClaims(want), showClaims(have))
		}
		candidates := pool
		switch {
		case name == "aud":
			candidates = nil
			if _, ok := have["aud"]; ok {
				candidates = []string{"aud"}
			}
		case have[name] != "":
			candidates = []string{name}
		}
		standIn, why := "", ""
		for _, c := range candidates {
			if why = standsFor(tmpl, have[c]); why == "" {
				standIn = c
				break
			}
		}
		if standIn == "" {
			if why == "" {
				return target.NotApplicable("needs verify_claims %s; the broker declares %s", showClaims(want), showClaims(have))
			}
			return target.NotApplicable("needs verify_claims %s; the broker declares %s, and %s", showClaims(want), showClaims(have), why)
		}
		if applied.ClaimStandIns == nil {
			applied.ClaimStandIns = map[string]target.ClaimStandIn{}
		}
		applied.ClaimStandIns[name] = target.ClaimStandIn{Declared: standIn, Template: tmpl, DeclaredTemplate: have[standIn]}
		used[standIn] = true
	}
	for _, name := range sortedNames(have) {
		if !used[name] {
			applied.KeptClaims = append(applied.KeptClaims, name)
		}
	}
	if s.ExactConfig && len(applied.KeptClaims) > 0 {
		return target.NotApplicable("needs verify_claims %s exactly; the broker declares %s", showClaims(want), showClaims(have))
	}
	return nil
}

var placeholder = regexp.MustCompile(`\$\{[^}]*\}`)

// standsFor says why a declared template cannot stand in for a scenario's
// ("" when it can).
func standsFor(scenario, declared string) string {
	if scenario == declared {
		return ""
	}
	for _, p := range placeholder.FindAllString(scenario, -1) {
		if p != "${clientid}" && p != "${username}" {
			return fmt.Sprintf("the scenario observes the placeholder %s itself, which no other template shows", p)
		}
		if !strings.Contains(declared, p) {
			return fmt.Sprintf("the scenario binds its claim to %s, which %q does not hold", p, declared)
		}
	}
	return ""
}

func sortedNames(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// fitScramURL: "<scram backend url>/path?query" stands for the suite's
// backend, which listens at serve.scram_backend_listen; the declared URL
// must be that address with the same path and query (they decide what the
// broker sends, which the scenarios observe).
func fitScramURL(w, h any) error {
	ws, _ := w.(string)
	hs, _ := h.(string)
	rest, ok := strings.CutPrefix(ws, target.ScramBackendPlaceholder)
	if !ok {
		if ws != hs {
			return target.NotApplicable("needs url %s; the broker declares %s", ws, hs)
		}
		return nil
	}
	u, err := url.Parse(hs)
	if err != nil {
		return target.NotApplicable("needs url %s; the broker declares %s", ws, hs)
	}
	if got := strings.TrimPrefix(hs, u.Scheme+"://"+u.Host); got != rest {
		return target.NotApplicable("needs url %s; the broker declares %s", ws, hs)
	}
	return nil
}

// fitAuthorization compares the scenario's authorization block with the
// declared one, field by field with EMQX's defaults.
func (t *Target) fitAuthorization(want map[string]any) error {
	if want == nil {
		return nil
	}
	if t.authorization == nil {
		return target.NotApplicable("configures authorization %s; the profile declares none (authorization)", canonical(want))
	}
	w, err := normalize(want)
	if err != nil {
		return fmt.Errorf("the scenario's authorization: %w", err)
	}
	defs := map[string]any{"no_match": "allow", "deny_action": "ignore"}
	for _, field := range sortedKeys(w, t.authorization, defs) {
		wv, wSet := w[field]
		hv, hSet := t.authorization[field]
		if field == "cache" {
			wv, hv, wSet, hSet = cacheEnabled(wv), cacheEnabled(hv), true, true
		}
		if !wSet {
			wv = defs[field]
		}
		if !hSet {
			hv = defs[field]
		}
		if !same(wv, hv) {
			_, hasDef := defs[field]
			return target.NotApplicable("needs authorization %s; the broker declares %s",
				setting(field, wv, wSet, hasDef), setting(field, hv, hSet, hasDef))
		}
	}
	return nil
}

// cacheEnabled reduces EMQX's authorization cache block to what decides
// outcomes: whether it is on (the default).
func cacheEnabled(v any) any {
	m, _ := v.(map[string]any)
	if e, ok := m["enable"].(bool); ok {
		return map[string]any{"enable": e}
	}
	return map[string]any{"enable": true}
}
