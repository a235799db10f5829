// Package keycheck finds the keys of an EMQX-shaped configuration object
// (an authenticator, the authorization block) that the reference's own
// parsers do not know, at any depth. It is how a target profile, which
// declares a third-party broker's configuration in EMQX's JSON shape, gets
// the same strictness as `authspec serve --config` without a second list of
// known fields: the parsers of reference/authn/jwtauth, authn/builtin,
// authn/scramhttp and authz stay the single source.
//
// Why probing rather than one parse: a parser stops at its first error, and
// a declared value the reference refuses may be right for the broker being
// described (a public_key that is a path on the broker's host, a hash
// algorithm the reference does not implement). So each declared key is tried
// on its own, on a minimal configuration the reference accepts in the same
// mode (mechanism, backend, use_jwks, algorithm), and only "unknown field"
// answers count. A key whose value the reference refuses is taken as known,
// and typos nested under it are not seen: the parser cannot look past the
// value.
package keycheck

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/authn/builtin"
	"github.com/authspec/authspec/reference/authn/jwtauth"
	"github.com/authspec/authspec/reference/authn/scramhttp"
	"github.com/authspec/authspec/reference/authz"
	"github.com/authspec/authspec/reference/config/schema"
	"github.com/authspec/authspec/reference/config/security"
)

// Unknown is a key no parser knows, with its path from the object checked:
// ["ssl", "verfy"], ["verify_claims", "[0]", "extra"].
type Unknown struct {
	Path []string
}

// Key is the unknown key itself (the last element of Path).
func (u Unknown) Key() string { return u.Path[len(u.Path)-1] }

// In is where the key sits, relative to the object ("" for the object).
func (u Unknown) In() string { return joinPath(u.Path[:len(u.Path)-1]) }

func (u Unknown) String() string { return joinPath(u.Path) }

// Mode errors: the keys cannot be checked at all.
var (
	// ErrUnknownAuthenticator: no parser for this mechanism and backend.
	ErrUnknownAuthenticator = errors.New("no such authenticator in the reference's schema")
)

// Kinds lists the authenticators whose keys can be checked.
func Kinds() []string { return []string{"jwt", "password_based:built_in_database", "scram:http"} }

type parseFunc func(json.RawMessage) error

// kind is one authenticator the reference parses: its parser, and the
// minimal configuration it accepts in each mode.
type kind struct {
	parse parseFunc
	// base returns the smallest configuration the parser accepts in the
	// mode the declared object selects.
	base func(declared map[string]any) (map[string]any, error)
	// modeKeys are always copied from the declared object: they decide
	// which fields the parser reads.
	modeKeys []string
}

var env = authn.Env{Profile: security.Legacy}

var kinds = map[string]kind{
	"jwt": {
		parse: func(raw json.RawMessage) error { _, err := jwtauth.ParseConfig(raw, env); return err },
		base: func(d map[string]any) (map[string]any, error) {
			m := map[string]any{"mechanism": "jwt"}
			if d["use_jwks"] == true {
				m["use_jwks"] = true
				m["endpoint"] = "http://127.0.0.1:1/jwks"
				return m, nil
			}
			switch d["algorithm"] {
			case "public-key":
				pub, err := publicKeyPEM()
				m["algorithm"], m["public_key"] = "public-key", pub
				return m, err
			default:
				// Valid base64 too, so secret_base64_encoded: true fits.
				m["algorithm"], m["secret"] = "hmac-based", "c2VjcmV0c2VjcmV0"
			}
			return m, nil
		},
		modeKeys: []string{"use_jwks", "algorithm"},
	},
	"password_based:built_in_database": {
		parse: func(raw json.RawMessage) error { _, err := builtin.ParseConfig(raw); return err },
		base: func(map[string]any) (map[string]any, error) {
			return map[string]any{"mechanism": "password_based", "backend": "built_in_database"}, nil
		},
	},
	"scram:http": {
		parse: func(raw json.RawMessage) error { _, err := scramhttp.ParseConfig(raw); return err },
		base: func(map[string]any) (map[string]any, error) {
			return map[string]any{"mechanism": "scram", "backend": "http", "method": "post", "url": "http://127.0.0.1:1/auth"}, nil
		},
	},
}

// Authenticator returns the keys of one authenticator (EMQX's JSON shape,
// as generic JSON values) that the reference's parser for its mechanism
// and backend does not know, in path order. The error says why its keys
// cannot be checked: an unknown mechanism and backend, or a mode key
// (use_jwks, algorithm) the parser refuses.
func Authenticator(declared map[string]any) ([]Unknown, error) {
	mech, _ := declared["mechanism"].(string)
	backend, _ := declared["backend"].(string)
	id := mech
	if backend != "" {
		id += ":" + backend
	}
	k, ok := kinds[id]
	if !ok {
		return nil, fmt.Errorf("%s: %w (keys can be checked for %s)", id, ErrUnknownAuthenticator, strings.Join(Kinds(), ", "))
	}
	base, err := k.base(declared)
	if err != nil {
		return nil, err
	}
	for _, key := range k.modeKeys {
		if v, ok := declared[key]; ok {
			base[key] = v
		}
	}
	// A mode key the parser does not know (algorithm beside use_jwks:
	// true) is reported like any other, and left out of the base.
	var out []Unknown
	for range k.modeKeys {
		path := unknownOf(k.parse(mustJSON(base)))
		if len(path) != 1 || !remove(base, path) {
			break
		}
		out = append(out, Unknown{Path: path})
	}
	if err := k.parse(mustJSON(base)); err != nil {
		return nil, fmt.Errorf("its keys cannot be checked: %w", err)
	}
	skip := append([]string{"mechanism", "backend"}, k.modeKeys...)
	return sorted(append(out, probe(declared, base, skip, k.parse, unknownOf)...)), nil
}

// Authorization returns the keys of an authorization block that the
// reference's authz parser does not know.
func Authorization(declared map[string]any) []Unknown {
	parse := func(raw json.RawMessage) error { _, err := authz.ParseSettings(raw); return err }
	return sorted(probe(declared, map[string]any{}, nil, parse, authzUnknownOf))
}

// probe tries each declared key alone on base and collects the unknown
// paths, every one under a key: after each unknown the probe drops it and
// asks again, so a key with several typos inside reports them all.
func probe(declared, base map[string]any, skip []string, parse parseFunc, unknown func(error) []string) []Unknown {
	var out []Unknown
	for _, key := range sortedKeys(declared) {
		if slices.Contains(skip, key) {
			continue // parsed with the base
		}
		cfg := clone(base)
		cfg[key] = deepCopy(declared[key])
		for range 1000 { // bounded: each round removes one key
			path := unknown(parse(mustJSON(cfg)))
			if path == nil || !remove(cfg, path) {
				break
			}
			out = append(out, Unknown{Path: path})
		}
	}
	return out
}

func sorted(us []Unknown) []Unknown {
	sort.SliceStable(us, func(i, j int) bool { return us[i].String() < us[j].String() })
	return us
}

// unknownOf recognises the parsers' "unknown field" errors: schema's
// FieldError (jwtauth, builtin) and scramhttp's `unknown field "ssl.x"`.
func unknownOf(err error) []string {
	if err == nil {
		return nil
	}
	var fe *schema.FieldError
	if errors.As(err, &fe) && fe.Msg == "unknown field" {
		return splitPath(fe.Path)
	}
	if m := scramUnknown.FindStringSubmatch(err.Error()); m != nil {
		return splitPath(m[1])
	}
	return nil
}

var scramUnknown = regexp.MustCompile(`unknown field "([^"]+)"`)

// authzUnknownOf recognises authz's `authorization.cache: unknown field "x"
// (known: ...)`; the path is returned without "authorization".
var authzUnknown = regexp.MustCompile(`^authorization(\S*): unknown field "([^"]+)"`)

func authzUnknownOf(err error) []string {
	if err == nil {
		return nil
	}
	m := authzUnknown.FindStringSubmatch(err.Error())
	if m == nil {
		return nil
	}
	return append(splitPath(strings.TrimPrefix(m[1], ".")), m[2])
}

// splitPath turns "verify_claims[0].extra" into [verify_claims [0] extra].
func splitPath(p string) []string {
	var out []string
	for _, part := range strings.Split(p, ".") {
		for part != "" {
			i := strings.Index(part, "[")
			switch {
			case i < 0:
				out = append(out, part)
				part = ""
			case i > 0:
				out = append(out, part[:i])
				part = part[i:]
			default:
				j := strings.Index(part, "]")
				if j < 0 {
					out = append(out, part)
					part = ""
					continue
				}
				out = append(out, part[:j+1])
				part = part[j+1:]
			}
		}
	}
	return out
}

func joinPath(path []string) string {
	var b strings.Builder
	for _, p := range path {
		if b.Len() > 0 && !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// remove deletes path from cfg; false when it is not there (the parser
// named something the probe did not put in: stop rather than loop).
func remove(cfg map[string]any, path []string) bool {
	var cur any = cfg
	for i, p := range path {
		last := i == len(path)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				if _, ok := c[p]; !ok {
					return false
				}
				delete(c, p)
				return true
			}
			cur = c[p]
		case []any:
			n, err := strconv.Atoi(strings.Trim(p, "[]"))
			if err != nil || n < 0 || n >= len(c) || last {
				return false
			}
			cur = c[n]
		default:
			return false
		}
	}
	return false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = deepCopy(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = deepCopy(x)
		}
		return out
	}
	return v
}

func mustJSON(v any) json.RawMessage {
	data, err := json.Marshal(v)
	if err != nil {
		// Only generic JSON values reach here.
		panic(fmt.Sprintf("keycheck: %v", err))
	}
	return data
}

var (
	pubOnce sync.Once
	pubPEM  string
	pubErr  error
)

// publicKeyPEM is a throw-away P-256 public key, so a public-key
// authenticator's base configuration parses.
func publicKeyPEM() (string, error) {
	pubOnce.Do(func() {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			pubErr = err
			return
		}
		der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
		if err != nil {
			pubErr = err
			return
		}
		pubPEM = string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	})
	return pubPEM, pubErr
}
