package target

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/authspec/authspec/fixtures/tokens"
)

// Placeholders stand for key material in a scenario's configuration, so the
// feature files hold no keys and every run signs with fresh ones. They are
// whole JSON string values:
//
//	"<rsa public key>"         PEM text of the scenario's RSA key
//	"<ec-p256 public key>"     (also ec-p384, ec-p521, ed25519)
//	"<rsa public key file>"    path of a file holding that PEM
//	"<any public key>"         a key of any kind: the scenario only needs some
//	                           public key, so a broker configured by hand is
//	                           judged with the kind it declares (AnyKeyKind
//	                           where the suite configures the broker)
//	"<missing file>"           path of a file that does not exist
//	"<file without a key>"     path of a file holding text that is not a key
//
// The key behind "<KIND public key>" is the scenario keyring's key named
// ConfiguredKeyName(KIND); its private half signs the scenario's tokens.
//
// One placeholder is a prefix rather than a whole value, because a SCRAM
// authenticator's url goes on with a path and a query that the scenario
// writes out ("<scram backend url>/auth?username=${username}"):
//
//	"<scram backend url>..."   the scenario's SCRAM credential backend
//	                           (Resolver.ScramBackendURL)
//
// The JWKS endpoint the scenario serves has its own: see JWKSEndpoint.
var placeholderPattern = regexp.MustCompile(`^<([a-z0-9-]+) public key( file)?>$|^<missing file>$|^<file without a key>$`)

// AnyKeyKind is the kind "<any public key>" stands for where the suite
// chooses.
const AnyKeyKind = tokens.ECP256

// AnyKeyPlaceholderKind is the KIND of "<KIND public key>" that takes any.
const AnyKeyPlaceholderKind = "any"

// ConfiguredKeyName is the keyring name of the key a configuration names.
func ConfiguredKeyName(kind tokens.Kind) string { return "configured " + string(kind) }

// ScramBackendPlaceholder starts a string value that names the scenario's
// SCRAM credential backend.
const ScramBackendPlaceholder = "<scram backend url>"

// IsPlaceholder reports whether s is a key placeholder or starts with the
// SCRAM backend's.
func IsPlaceholder(s string) bool {
	return placeholderPattern.MatchString(s) || strings.HasPrefix(s, ScramBackendPlaceholder) || isJWKSPlaceholder(s) ||
		isOIDCPlaceholder(s)
}

// Resolver turns placeholders into values for one instance.
type Resolver struct {
	Keys *tokens.Keyring
	// Dir is where key files are written; "" when the broker cannot read
	// files the suite writes (a remote broker): file placeholders are then
	// not applicable.
	Dir string
	// ScramBackendURL replaces "<scram backend url>" ("" when the scenario
	// runs no SCRAM backend: the placeholder is then an error).
	ScramBackendURL string
	// JWKS is what the JWKS placeholders stand for (see JWKSEndpoint).
	JWKS JWKSEndpoint
	// OIDC is what the OpenID Connect placeholders stand for (see
	// OIDCProvider).
	OIDC OIDCProvider
}

// Resolve returns the chain with placeholders replaced, each authenticator
// with the private key matching its public_key placeholder (if any).
func (r Resolver) Resolve(chain []map[string]any) ([]Applied, error) {
	out := make([]Applied, 0, len(chain))
	for i, auth := range chain {
		applied := Applied{}
		cfg, err := r.value(auth, &applied)
		if err != nil {
			return nil, fmt.Errorf("authenticator %d: %w", i+1, err)
		}
		applied.Config = cfg.(map[string]any)
		out = append(out, applied)
	}
	return out, nil
}

// value resolves v recursively, recording the key a placeholder named.
func (r Resolver) value(v any, applied *Applied) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, item := range x {
			res, err := r.value(item, applied)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			m[k] = res
		}
		return m, nil
	case []any:
		l := make([]any, len(x))
		for i, item := range x {
			res, err := r.value(item, applied)
			if err != nil {
				return nil, err
			}
			l[i] = res
		}
		return l, nil
	case string:
		if !IsPlaceholder(x) {
			return x, nil
		}
		return r.placeholder(x, applied)
	}
	return v, nil
}

func (r Resolver) placeholder(p string, applied *Applied) (string, error) {
	if v, ok, err := r.jwksValue(p); ok {
		return v, err
	}
	if v, ok, err := r.oidcValue(p); ok {
		return v, err
	}
	if rest, ok := strings.CutPrefix(p, ScramBackendPlaceholder); ok {
		if r.ScramBackendURL == "" {
			return "", fmt.Errorf("placeholder %s: the scenario runs no SCRAM backend", ScramBackendPlaceholder)
		}
		return r.ScramBackendURL + rest, nil
	}
	switch p {
	case "<missing file>":
		if r.Dir == "" {
			return "", NotApplicable("the scenario needs a file path on the broker's host")
		}
		return filepath.Join(r.Dir, "no-such-key.pem"), nil
	case "<file without a key>":
		return r.writeFile("not-a-key.pem", "this file holds no key\n")
	}
	m := placeholderPattern.FindStringSubmatch(p)
	kind, err := tokens.ParseKind(m[1])
	if m[1] == AnyKeyPlaceholderKind {
		kind, err = AnyKeyKind, nil
	}
	if err != nil {
		return "", fmt.Errorf("placeholder %s: %w", p, err)
	}
	if r.Keys == nil {
		return "", fmt.Errorf("placeholder %s: no keyring", p)
	}
	key, err := r.Keys.Key(kind, ConfiguredKeyName(kind))
	if err != nil {
		return "", err
	}
	applied.PrivateKey = key
	if m[2] == "" {
		return key.PublicPEM(), nil
	}
	return r.writeFile(string(kind)+"-public.pem", key.PublicPEM())
}

func (r Resolver) writeFile(name, content string) (string, error) {
	if r.Dir == "" {
		return "", NotApplicable("the scenario needs a key file the broker can read")
	}
	path := filepath.Join(r.Dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
}

// Mechanism returns an authenticator's EMQX ID: "jwt",
// "password_based:built_in_database", "scram:http".
func Mechanism(cfg map[string]any) string {
	mech, _ := cfg["mechanism"].(string)
	if backend, ok := cfg["backend"].(string); ok && backend != "" {
		return mech + ":" + backend
	}
	return mech
}

// Enabled reports whether an authenticator is enabled ("enable" defaults
// to true).
func Enabled(cfg map[string]any) bool {
	e, ok := cfg["enable"].(bool)
	return !ok || e
}
