package steps

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/internal/jwksdrive"
	"github.com/authspec/authspec/steps/target"
)

// tokenSpec describes a scenario's token relative to the configured JWT
// authenticator. It is minted when the client connects, once the broker
// (and so the key material it verifies with) is known.
type tokenSpec struct {
	// alg is the signing algorithm; "" means the authenticator's default
	// (HS256, or the one that fits the configured key).
	alg string
	// claims overrides claim values (JSON text, NOW expressions allowed);
	// dropped removes claims.
	claims  map[string]string
	dropped map[string]bool
	// header adds or removes (nil) header fields; headerAlg, when set, is
	// written as "alg" instead of the signing algorithm.
	header    map[string]any
	headerAlg string
	// signer replaces the configured key (another secret, another key).
	signer func(m *mint, alg string) (method string, key any, err error)
	// rawHeader and rawPayload replace a segment's bytes (not JSON);
	// with rawRender their NOW expressions are rendered. rawEncode
	// re-encodes a segment's text before signing (sec_fold_steps.go).
	rawHeader, rawPayload []byte
	rawRender             bool
	rawEncode             []rawEncoding
	// reshape transforms the signed token (strip the signature, pad, ...).
	reshape []func(tok string) (string, error)
	// replace builds the whole token instead (seed token, alg none, key
	// confusion); it may use m.claims.
	replace func(m *mint) (string, error)
	// published: the token is a fixed, published vector (the seed token),
	// which cannot carry the target's token_claims.
	published bool
}

func newTokenSpec() *tokenSpec {
	return &tokenSpec{claims: map[string]string{}, dropped: map[string]bool{}, header: map[string]any{}}
}

// usesClock reports whether a claim is written relative to NOW.
func (t *tokenSpec) usesClock() bool {
	if t.rawRender && (usesNow(string(t.rawHeader)) || usesNow(string(t.rawPayload))) {
		return true
	}
	for _, v := range t.claims {
		if usesNow(v) {
			return true
		}
	}
	return false
}

// mint is what minting needs to know: the authenticator as the broker has
// it, the scenario's keys, the clock and the connecting client.
type mint struct {
	auth     target.Applied
	keys     *tokens.Keyring
	now      time.Time
	clientID string
	username string // "" when the client sends none
	spec     *tokenSpec
	claims   map[string]any // filled by build before replace runs
	// jwks is the JWKS endpoint the suite serves: in JWKS mode a valid
	// token is signed with a key of its set (jwks_mint.go).
	jwks *jwksdrive.Endpoint
	// signedBy is the JWKS key the token was signed with, if any: its kid
	// goes into the header.
	signedBy *jwksdrive.Key
	// tokenClaims are the target profile's token_claims: every token
	// carries them, rendered for the client, under the configuration's
	// verify_claims and the scenario's own claims.
	tokenClaims map[string]any
}

// mode is the authenticator's verification mode.
func (m *mint) mode() string {
	if b, _ := m.auth.Config["use_jwks"].(bool); b {
		return "jwks"
	}
	if a, _ := m.auth.Config["algorithm"].(string); a != "" {
		return a
	}
	return "hmac-based"
}

// secret is the configured HMAC secret as the broker uses it.
func (m *mint) secret() ([]byte, error) {
	s, ok := m.auth.Config["secret"].(string)
	if !ok {
		return nil, fmt.Errorf("the JWT authenticator has no secret")
	}
	if b, _ := m.auth.Config["secret_base64_encoded"].(bool); b {
		dec, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("the configured secret is not valid base64: %w", err)
		}
		return dec, nil
	}
	return []byte(s), nil
}

// configuredKey is the private key matching the configured public key.
func (m *mint) configuredKey() (*tokens.Key, error) {
	if m.auth.PrivateKey == nil {
		return nil, target.NotApplicable("the target gives no private key for its configured public key")
	}
	return m.auth.PrivateKey, nil
}

// defaultAlg is the algorithm a "valid token" uses.
func (m *mint) defaultAlg() (string, error) {
	switch m.mode() {
	case "hmac-based":
		return "HS256", nil
	case "public-key":
		k, err := m.configuredKey()
		if err != nil {
			return "", err
		}
		return tokens.DefaultAlgFor(k.Kind), nil
	case "jwks":
		return m.jwksDefaultAlg()
	}
	return "", fmt.Errorf("no default algorithm for JWT mode %q", m.mode())
}

// configuredSigner signs with the configured secret or key, which alg must
// fit.
func (m *mint) configuredSigner(alg string) (string, any, error) {
	switch m.mode() {
	case "hmac-based":
		if !tokens.IsHMAC(alg) {
			return "", nil, target.NotApplicable("an %s token does not fit an hmac-based authenticator", alg)
		}
		s, err := m.secret()
		return alg, s, err
	case "public-key":
		k, err := m.configuredKey()
		if err != nil {
			return "", nil, err
		}
		kind, err := tokens.KindForAlg(alg)
		if err != nil || kind != k.Kind {
			return "", nil, target.NotApplicable("an %s token does not fit the configured %s key", alg, k.Kind)
		}
		return alg, k, nil
	case "jwks":
		return m.jwksSigner(alg)
	}
	return "", nil, fmt.Errorf("cannot sign for JWT mode %q", m.mode())
}

// buildClaims is the default payload: a subject, issued now, expiring in
// an hour, with every verify_claims claim rendered for the client; then the
// scenario's overrides.
func (m *mint) buildClaims() (map[string]any, error) {
	now := m.now.Unix()
	claims := map[string]any{"sub": "authspec", "iat": now, "exp": now + 3600}
	for name, value := range m.tokenClaims {
		claims[name] = renderClaim(value, m.clientID, m.username)
	}
	expected, err := verifyClaims(m.auth.Config)
	if err != nil {
		return nil, err
	}
	for name, value := range expected {
		claims[name] = renderTemplate(value, m.clientID, m.username)
	}
	for name, expr := range m.spec.claims {
		text, err := renderNow(expr, m.now)
		if err != nil {
			return nil, err
		}
		// Numbers stay as written (json.Number): 1.0 must reach the broker
		// as 1.0, not 1 (JWT-CLAIM-07).
		var v any
		if err := decodeJSON([]byte(text), &v); err != nil {
			return nil, fmt.Errorf("claim %q: %s is not a JSON value: %w", name, expr, err)
		}
		if handled, err := m.standInFor(name, v, claims); handled || err != nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		claims[name] = v
	}
	for name := range m.spec.dropped {
		if si, ok := m.auth.ClaimStandIns[name]; ok {
			name = si.Declared
		}
		delete(claims, name)
	}
	if err := m.keepsClaims(); err != nil {
		return nil, err
	}
	return claims, nil
}

// keepsClaims: a claim the target's broker checks beyond the scenario's
// configuration (target.Applied.KeptClaims) must reach it as rendered; a
// scenario that changes it would break the token in a second respect.
func (m *mint) keepsClaims() error {
	for _, name := range m.auth.KeptClaims {
		_, changed := m.spec.claims[name]
		if changed || m.spec.dropped[name] {
			return target.NotApplicable("the scenario changes the token's %q claim, which the broker's verify_claims checks", name)
		}
	}
	return nil
}

// verifyClaims reads verify_claims in either configured shape: a map
// {claim: value} or a list of {name, value}. Values are rendered as strings,
// as EMQX compares them.
func verifyClaims(cfg map[string]any) (map[string]string, error) {
	out := map[string]string{}
	switch vc := cfg["verify_claims"].(type) {
	case nil:
	case map[string]any:
		for k, v := range vc {
			out[k] = fmt.Sprint(v)
		}
	case []any:
		for i, item := range vc {
			entry, ok := item.(map[string]any)
			name, okName := entry["name"].(string)
			if !ok || !okName {
				return nil, fmt.Errorf("verify_claims[%d]: want {name, value}", i)
			}
			out[name] = fmt.Sprint(entry["value"])
		}
	default:
		return nil, fmt.Errorf("verify_claims: want an object or a list, got %T", vc)
	}
	return out, nil
}

// renderTemplate fills ${clientid} and ${username} as EMQX does before
// comparing a claim; any other placeholder stays literal (JWT-VC-06).
func renderTemplate(tmpl, clientID, username string) string {
	return strings.NewReplacer("${clientid}", clientID, "${username}", username).Replace(tmpl)
}

func sortedNames(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// renderClaim renders the strings of a token_claims value (recursively, so
// a list of strings is rendered too) for the connecting client.
func renderClaim(v any, clientID, username string) any {
	switch x := v.(type) {
	case string:
		return renderTemplate(x, clientID, username)
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = renderClaim(item, clientID, username)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[k] = renderClaim(item, clientID, username)
		}
		return out
	}
	return v
}

// build mints the token.
func (m *mint) build() (string, error) {
	claims, err := m.buildClaims()
	if err != nil {
		return "", err
	}
	m.claims = claims
	if m.spec.published && len(m.tokenClaims) > 0 {
		return "", target.NotApplicable("the scenario's token is a published test vector, which cannot carry the profile's token_claims (%s)", strings.Join(sortedNames(m.tokenClaims), ", "))
	}
	if m.spec.replace != nil {
		return m.spec.replace(m)
	}
	method, key, err := m.signer()
	if err != nil {
		return "", err
	}
	header := m.spec.rawHeader
	if header == nil {
		headerAlg := method
		if m.spec.headerAlg != "" {
			headerAlg = m.spec.headerAlg
		}
		if header, err = tokens.Header(headerAlg, m.withKid(m.spec.header)); err != nil {
			return "", err
		}
	}
	payload := m.spec.rawPayload
	if payload == nil {
		if payload, err = tokens.Payload(claims); err != nil {
			return "", err
		}
	}
	if header, payload, err = m.rawShaped(header, payload); err != nil {
		return "", err
	}
	tok, err := tokens.Sign(method, key, header, payload)
	if err != nil {
		return "", err
	}
	return m.reshaped(tok)
}

// rawEncoding changes the bytes of one segment before signing.
type rawEncoding struct {
	segment string // "header" or "payload"
	change  func([]byte) []byte
}

// rawShaped renders NOW in raw segments and applies the re-encodings.
func (m *mint) rawShaped(header, payload []byte) ([]byte, []byte, error) {
	if m.spec.rawRender {
		for _, seg := range []*[]byte{&header, &payload} {
			text, err := renderNow(string(*seg), m.now)
			if err != nil {
				return nil, nil, err
			}
			*seg = []byte(text)
		}
	}
	for _, e := range m.spec.rawEncode {
		if e.segment == "header" {
			header = e.change(header)
		} else {
			payload = e.change(payload)
		}
	}
	return header, payload, nil
}

// reshaped applies the scenario's reshapes to a signed token, in order.
func (m *mint) reshaped(tok string) (string, error) {
	var err error
	for _, f := range m.spec.reshape {
		if tok, err = f(tok); err != nil {
			return "", err
		}
	}
	return tok, nil
}
