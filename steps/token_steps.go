package steps

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

func registerTokenSteps(sc *registry) {
	// The token every scenario starts from.
	sc.Given(`^a valid token$`, aValidToken)
	sc.Given(`^a valid (\S+) token$`, aValidAlgToken)
	sc.Given(`^the seed token from the catalogue$`, theSeedToken)
	sc.Given(`^the token is the text "([^"]*)"$`, theTokenText, quotedAsDefect)

	// Claims and header.
	sc.Given(`^the token has no "([^"]+)" claim$`, theTokenHasNoClaim, quotedAsDefect)
	sc.Given(`^the token's "([^"]+)" claim is (.*)$`, theTokenClaimIs, quotedAsDefect)
	sc.Given(`^the token's header "([^"]+)" is (.+)$`, theTokenHeaderIs, quotedAsDefect)

	// Signing with the wrong key or algorithm.
	sc.Given(`^the token is signed with another secret$`, signedWithAnotherSecret, quotedAsDefect)
	sc.Given(`^the token is signed with the secret's text as configured$`, signedWithSecretText, quotedAsDefect)
	sc.Given(`^the token is signed with the secret's text base64-decoded$`, signedWithSecretDecoded, quotedAsDefect)
	sc.Given(`^the token is signed by another key$`, signedByAnotherKey, quotedAsDefect)
	sc.Given(`^the token is signed with (\S+) instead$`, signedWithAlgInstead, quotedAsDefect)

	// Malformed and malicious shapes.
	sc.Given(`^the token is unsigned with alg "([^"]*)"$`, unsignedWithAlg, quotedAsDefect)
	sc.Given(`^the token's signature is (stripped|empty)$`, signatureRemoved, quotedAsDefect)
	sc.Given(`^the token is altered after signing in its (header|payload)$`, alteredAfterSigning, quotedAsDefect)
	sc.Given(`^the token is a five-part JWE$`, fivePartJWE, quotedAsDefect)
	sc.Given(`^the token carries a "Bearer " prefix$`, bearerPrefix, quotedAsDefect)
	sc.Given(`^the token's segments carry "=" padding$`, paddedSegments, quotedAsDefect)
	sc.Given(`^the token's payload is not valid base64url$`, badBase64, quotedAsDefect)
	sc.Given(`^the token's (header|payload) is not JSON$`, segmentNotJSON, quotedAsDefect)
	sc.Given(`^the token is an HS256 token keyed with the configured public key's PEM text$`, hmacWithConfiguredPEM, quotedAsDefect)
	sc.Given(`^the token claims RS256 but carries an HMAC keyed with (an RSA public key's PEM text|the configured secret)$`, rs256OverHMAC, quotedAsDefect)
}

// theToken returns the token the scenario described, for a step that
// breaks one aspect of it.
func theToken(ctx context.Context) (*tokenSpec, error) {
	st, err := state(ctx)
	if err != nil {
		return nil, err
	}
	if st.token == nil {
		return nil, fmt.Errorf(`the scenario changes a token it never described: start with "a valid token"`)
	}
	return st.token, nil
}

func setToken(ctx context.Context, t *tokenSpec) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	st.token = t
	return nil
}

func aValidToken(ctx context.Context) error { return setToken(ctx, newTokenSpec()) }

func aValidAlgToken(ctx context.Context, alg string) error {
	if !isKnownAlg(alg) {
		return fmt.Errorf("unknown algorithm %q (known: %s)", alg, strings.Join(tokens.AllAlgs, ", "))
	}
	t := newTokenSpec()
	t.alg = alg
	return setToken(ctx, t)
}

func isKnownAlg(alg string) bool {
	for _, a := range tokens.AllAlgs {
		if a == alg {
			return true
		}
	}
	return false
}

func theSeedToken(ctx context.Context) error {
	t := newTokenSpec()
	t.replace = func(*mint) (string, error) { return tokens.SeedToken, nil }
	t.published = true
	return setToken(ctx, t)
}

func theTokenText(ctx context.Context, text string) error {
	t := newTokenSpec()
	t.replace = func(*mint) (string, error) { return text, nil }
	return setToken(ctx, t)
}

func theTokenHasNoClaim(ctx context.Context, name string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	delete(t.claims, name)
	t.dropped[name] = true
	return nil
}

// theTokenClaimIs sets a claim to a JSON value; NOW, NOW+N and NOW-N stand
// for the clock in Unix seconds.
func theTokenClaimIs(ctx context.Context, name, value string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.claims[name] = strings.TrimSpace(value)
	delete(t.dropped, name)
	return nil
}

// theTokenHeaderIs sets a header field to a JSON value, or removes it with
// the word absent. "alg" changes only what the header says: the signature
// is still made with the algorithm the token would use (SEC-06).
func theTokenHeaderIs(ctx context.Context, name, value string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	value = strings.TrimSpace(value)
	if value == "absent" {
		if name == "alg" {
			return fmt.Errorf(`a header without "alg" is not a case this step makes`)
		}
		t.header[name] = nil
		return nil
	}
	var v any
	if err := decodeJSON([]byte(value), &v); err != nil {
		return fmt.Errorf("header %q: %s: %w", name, value, err)
	}
	if name == "alg" {
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf(`header "alg" must be a string here, got %s`, value)
		}
		t.headerAlg = s
		return nil
	}
	t.header[name] = v
	return nil
}

// otherSecret is a secret that differs from the configured one.
const otherSecret = "authspec-not-the-configured-secret"

func signedWithAnotherSecret(ctx context.Context) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.signer = func(m *mint, alg string) (string, any, error) {
		if m.mode() != "hmac-based" {
			return "", nil, fmt.Errorf(`"another secret" needs an hmac-based authenticator; use "another key"`)
		}
		if !tokens.IsHMAC(alg) {
			return "", nil, fmt.Errorf("an %s token has no secret", alg)
		}
		secret, err := m.secret()
		if err != nil {
			return "", nil, err
		}
		other := otherSecret
		if string(secret) == other {
			other += "-2"
		}
		return alg, []byte(other), nil
	}
	return nil
}

// signedWithSecretText signs with the secret's configured text, ignoring
// secret_base64_encoded (JWT-HMAC-03).
func signedWithSecretText(ctx context.Context) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.signer = func(m *mint, alg string) (string, any, error) {
		s, ok := m.auth.Config["secret"].(string)
		if !ok {
			return "", nil, fmt.Errorf("the JWT authenticator has no secret")
		}
		return alg, []byte(s), nil
	}
	return nil
}

// signedWithSecretDecoded signs with the base64 decoding of the secret's
// text, whatever secret_base64_encoded says (JWT-HMAC-03).
func signedWithSecretDecoded(ctx context.Context) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.signer = func(m *mint, alg string) (string, any, error) {
		s, _ := m.auth.Config["secret"].(string)
		dec, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			// Only a target that fixes its own secret (a by-hand broker)
			// gets here: the scenarios configure base64 text.
			return "", nil, target.NotApplicable("the scenario needs a secret that is valid base64; the broker's is not")
		}
		return alg, dec, nil
	}
	return nil
}

// signedByAnotherKey signs with a key of the configured key's kind that is
// not the configured key (JWT-PK-02).
func signedByAnotherKey(ctx context.Context) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.signer = func(m *mint, alg string) (string, any, error) {
		k, err := m.configuredKey()
		if err != nil {
			return "", nil, err
		}
		other, err := m.keys.Key(k.Kind, "other "+string(k.Kind))
		return alg, other, err
	}
	return nil
}

// signedWithAlgInstead signs a correct signature with alg: with the
// configured key when alg fits it, otherwise with a key of alg's own kind
// (or a secret for HS*). The token is well signed; only the algorithm is
// outside what the authenticator may accept (JWT-HMAC-06, JWT-PK-02/03).
func signedWithAlgInstead(ctx context.Context, alg string) error {
	if !isKnownAlg(alg) {
		return fmt.Errorf("unknown algorithm %q", alg)
	}
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.alg = alg
	t.signer = func(m *mint, alg string) (string, any, error) {
		if method, key, err := m.configuredSigner(alg); err == nil {
			return method, key, nil
		}
		if tokens.IsHMAC(alg) {
			return alg, []byte(otherSecret), nil
		}
		kind, err := tokens.KindForAlg(alg)
		if err != nil {
			return "", nil, err
		}
		k, err := m.keys.Key(kind, "own "+string(kind))
		return alg, k, err
	}
	return nil
}

func unsignedWithAlg(ctx context.Context, alg string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.replace = func(m *mint) (string, error) { return tokens.Unsigned(alg, m.claims) }
	return nil
}

func signatureRemoved(ctx context.Context, how string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	if how == "stripped" {
		t.reshape = append(t.reshape, tokens.StripSignature)
	} else {
		t.reshape = append(t.reshape, tokens.EmptySignature)
	}
	return nil
}

func alteredAfterSigning(ctx context.Context, segment string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	field, value := "sub", "altered-after-signing"
	if segment == "header" {
		field = "kid"
	}
	t.reshape = append(t.reshape, func(tok string) (string, error) {
		return tokens.Tamper(tok, segment, tokens.SetJSONField(field, value))
	})
	return nil
}

func fivePartJWE(ctx context.Context) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.replace = func(*mint) (string, error) { return tokens.FivePartJWE(), nil }
	return nil
}

func bearerPrefix(ctx context.Context) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.reshape = append(t.reshape, func(tok string) (string, error) { return tokens.WithBearer(tok), nil })
	return nil
}

func paddedSegments(ctx context.Context) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.reshape = append(t.reshape, tokens.Padded)
	return nil
}

func badBase64(ctx context.Context) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.reshape = append(t.reshape, tokens.BadBase64)
	return nil
}

// notJSON is a segment that decodes from base64url to text that is not
// JSON; the token is otherwise correctly signed over it.
var notJSON = []byte("this segment is not JSON")

func segmentNotJSON(ctx context.Context, segment string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	if segment == "header" {
		t.rawHeader = notJSON
	} else {
		t.rawPayload = notJSON
	}
	return nil
}

// hmacWithConfiguredPEM is the key-confusion token of JWT-PK-03: HS256
// keyed with the PEM text of the configured public key, byte for byte as
// configured when the configuration holds the PEM itself.
func hmacWithConfiguredPEM(ctx context.Context) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.replace = func(m *mint) (string, error) {
		pemText, _ := m.auth.Config["public_key"].(string)
		if !strings.HasPrefix(pemText, "-----BEGIN") {
			k, err := m.configuredKey()
			if err != nil {
				return "", err
			}
			pemText = k.PublicPEM()
		}
		return tokens.HMACWithPEM(pemText, m.claims)
	}
	return nil
}

// rs256OverHMAC is the key confusion of JWT-HMAC-06: the header says RS256,
// the signature is HMAC-SHA256 keyed with an RSA public key's PEM text, or
// with the configured secret (what a verifier that picks the algorithm by
// the key's type would check).
func rs256OverHMAC(ctx context.Context, keyedWith string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.replace = func(m *mint) (string, error) {
		if keyedWith == "the configured secret" {
			secret, err := m.secret()
			if err != nil {
				return "", err
			}
			return tokens.RS256HeaderWithHMAC(secret, m.claims)
		}
		k, err := m.keys.Key(tokens.RSA, "attacker rsa")
		if err != nil {
			return "", err
		}
		return tokens.RS256HeaderWithHMAC([]byte(k.PublicPEM()), m.claims)
	}
	return nil
}
