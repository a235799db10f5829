package jwtauth

import (
	"crypto"
	"encoding/json"
	"strings"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/config/schema"
	"github.com/authspec/authspec/reference/config/security"
)

// Mode is how the authenticator gets its verification keys.
type Mode int

const (
	// ModeHMAC: `algorithm: hmac-based`, a shared secret.
	ModeHMAC Mode = iota
	// ModePublicKey: `algorithm: public-key`, one PEM public key.
	ModePublicKey
	// ModeJWKS: `use_jwks: true`, keys fetched from a JWKS endpoint.
	ModeJWKS
)

func (m Mode) String() string {
	switch m {
	case ModePublicKey:
		return "public-key"
	case ModeJWKS:
		return "jwks"
	}
	return "hmac-based"
}

// Config is a validated EMQX `mechanism: jwt` configuration.
type Config struct {
	Enable bool
	// From is the CONNECT field the token is read from: "password"
	// (default) or "username".
	From string
	Mode Mode
	// Secret is the HMAC key (base64-decoded when secret_base64_encoded).
	Secret []byte
	// PublicKeyPEM is the PEM text of public_key (the file's content when it
	// names a file); PublicKey its parsed key, nil when the authenticator
	// is disabled.
	PublicKeyPEM []byte
	PublicKey    crypto.PublicKey
	JWKS         *JWKSConfig
	VerifyClaims []ClaimCheck
	// ACLClaimName is acl_claim_name (default "acl").
	ACLClaimName string
	// DisconnectAfterExpire is disconnect_after_expire (default true).
	DisconnectAfterExpire bool
	// OnMissingJWT is "ignore" or "deny"; the default depends on the
	// security profile (JWT-SRC-03).
	OnMissingJWT string
}

// ParseConfig validates raw, EMQX's JSON shape of a JWT authenticator.
// Errors are *schema.FieldError naming the field.
func ParseConfig(raw json.RawMessage, env authn.Env) (Config, error) {
	return parseConfig(raw, parseEnv{Env: env})
}

// parseEnv is what parsing a configuration reads: the broker's env and the
// deliberate defects of parsing (self-test only).
type parseEnv struct {
	authn.Env
	defects
}

func parseConfig(raw json.RawMessage, env parseEnv) (Config, error) {
	var c Config
	o, err := schema.Decode(raw, "")
	if err != nil {
		return c, err
	}
	mech, err := o.RequiredString("mechanism")
	if err != nil {
		return c, err
	}
	if mech != "jwt" {
		return c, schema.Errorf("mechanism", "must be jwt, got %q", mech)
	}
	// The chain evaluates the precondition (reference/config).
	o.Skip("precondition")
	if c.Enable, err = o.Bool("enable", true); err != nil {
		return c, err
	}
	if c.From, err = o.Enum("from", "password", "password", "username"); err != nil {
		return c, err
	}
	defMissing := "ignore"
	if env.Profile == security.Hardened {
		defMissing = "deny"
	}
	if c.OnMissingJWT, err = o.Enum("on_missing_jwt", defMissing, "ignore", "deny"); err != nil {
		return c, err
	}
	if c.ACLClaimName, err = o.String("acl_claim_name", "acl"); err != nil {
		return c, err
	}
	if c.DisconnectAfterExpire, err = o.Bool("disconnect_after_expire", true); err != nil {
		return c, err
	}
	if c.VerifyClaims, err = parseVerifyClaims(o, env); err != nil {
		return c, err
	}

	useJWKS, err := o.Bool("use_jwks", false)
	if err != nil {
		return c, err
	}
	if useJWKS {
		// EMQX's jwt_jwks schema has no algorithm field.
		c.Mode = ModeJWKS
		if c.JWKS, err = parseJWKSConfig(o, env); err != nil {
			return c, err
		}
		return c, o.Done()
	}
	algorithm, err := o.RequiredString("algorithm")
	if err != nil {
		return c, err
	}
	switch algorithm {
	case "hmac-based":
		c.Mode = ModeHMAC
		if c.Secret, err = parseSecret(o, env); err != nil {
			return c, err
		}
	case "public-key":
		c.Mode = ModePublicKey
		if c.PublicKeyPEM, c.PublicKey, err = parsePublicKeyField(o, c.Enable, env); err != nil {
			return c, err
		}
	default:
		return c, schema.Errorf("algorithm", "must be hmac-based or public-key (or set use_jwks: true), got %q", algorithm)
	}
	return c, o.Done()
}

func jsonUnmarshal(raw json.RawMessage, v any) error { return json.Unmarshal(raw, v) }

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
