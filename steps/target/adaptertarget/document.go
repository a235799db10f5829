package adaptertarget

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/authspec/authspec/reference/config/security"
	"github.com/authspec/authspec/steps/target"
)

// Document is what `apply` reads on standard input (contract): EMQX's
// shapes, what the emqx-api mode would send, with the suite's fixtures and
// key files named.
type Document struct {
	// Authentication is the chain, in order, EMQX's authenticator objects
	// with key material resolved (PEM text, or paths under Files).
	Authentication []map[string]any `json:"authentication"`
	// Authorization is EMQX's authorization block (no_match, deny_action,
	// cache, sources); absent: the broker's default.
	Authorization map[string]any `json:"authorization,omitempty"`
	// AuthenticationSettings is {"ignore_backend_failures": bool}.
	AuthenticationSettings map[string]any `json:"authentication_settings"`
	// SecurityProfile is "legacy" or "hardened".
	SecurityProfile security.Profile `json:"security_profile"`
	// Fixtures are the URLs of what the suite serves for the broker to
	// call (empty strings when the scenario serves none).
	Fixtures Fixtures `json:"fixtures"`
	// Files are the key files the suite wrote, by name, absolute paths.
	Files map[string]string `json:"files"`
	// Users are the built-in database's users
	// (password_based:built_in_database), which EMQX's API adds one by
	// one; an addition to the contract's document.
	Users []target.User `json:"users"`
}

// Fixtures the broker may call.
type Fixtures struct {
	JWKSURL  string `json:"jwks_url"`
	SCRAMURL string `json:"scram_url"`
	// OIDCIssuer is the issuer of the OpenID Connect provider the scenario
	// serves (its jwks_uri is the JWKS endpoint of the chain); "" for none.
	OIDCIssuer string `json:"oidc_issuer,omitempty"`
}

// document builds the apply document of a resolved chain.
func document(s target.Setup, applied []target.Applied, dir string) ([]byte, error) {
	doc := Document{
		Authentication:         make([]map[string]any, len(applied)),
		Authorization:          s.Authorization,
		AuthenticationSettings: map[string]any{"ignore_backend_failures": s.IgnoreBackendFailures},
		SecurityProfile:        profileOf(s),
		Fixtures:               Fixtures{JWKSURL: s.JWKS.URL, SCRAMURL: s.ScramBackendURL, OIDCIssuer: s.OIDC.Issuer},
		Files:                  map[string]string{},
		Users:                  s.Users,
	}
	if doc.Users == nil {
		doc.Users = []target.User{}
	}
	for i, a := range applied {
		doc.Authentication[i] = a.Config
	}
	if dir != "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			doc.Files[e.Name()] = filepath.Join(dir, e.Name())
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

func profileOf(s target.Setup) security.Profile { return s.Profile.Effective() }

// Key is a scenario's configuration as canonical JSON (encoding/json sorts
// map keys), before key material is resolved: two scenarios with the same
// key can share one apply. A scenario whose configuration names a fixture
// it serves (its own JWKS endpoint or SCRAM backend, on ports of its own),
// or that changes the chain while it runs (Alone), gets a key of its own.
func Key(s target.Setup) string {
	k := struct {
		Authentication []map[string]any `json:"authentication"`
		Authorization  map[string]any   `json:"authorization,omitempty"`
		Ignore         bool             `json:"ignore_backend_failures"`
		Profile        security.Profile `json:"security_profile"`
		Users          []target.User    `json:"users,omitempty"`
		Alone          string           `json:"alone,omitempty"`
	}{Authentication: s.Authentication, Authorization: s.Authorization, Ignore: s.IgnoreBackendFailures,
		Profile: profileOf(s), Users: sortedUsers(s.Users)}
	if s.Alone || s.JWKS.URL != "" || s.ScramBackendURL != "" || s.OIDC.JWKSURI != "" || s.KeepJWKSRefreshFloor {
		k.Alone = s.Scenario
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "<rsa public key>" stays readable in --list
	if err := enc.Encode(k); err != nil {
		// Setups are JSON values: unreachable, but never share a group.
		return "unmarshalable:" + s.Scenario
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func sortedUsers(us []target.User) []target.User {
	out := append([]target.User(nil), us...)
	sort.Slice(out, func(i, j int) bool { return out[i].UserID < out[j].UserID })
	return out
}
