package jwtauth

import (
	"crypto"
	"fmt"
	"net/url"
	"regexp"
	"time"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/config/schema"
	"github.com/authspec/authspec/reference/config/security"
)

// JWKSConfig is the validated JWKS part of a `use_jwks: true` configuration.
// The fetcher (reference/jwks) is built from it by the factory given with
// WithJWKS.
type JWKSConfig struct {
	// Endpoint is the http(s) URL the JWK Set is fetched from.
	Endpoint string
	// RefreshInterval is refresh_interval as configured (default 300 s).
	// EMQX raises values below MinRefreshInterval (JWT-JWKS-10); the fetcher
	// applies that floor with EffectiveRefreshInterval.
	RefreshInterval time.Duration
	// Headers are sent with every request; default Accept: application/json
	// (JWT-JWKS-03). Names match [-0-9a-zA-Z_ ]+ (JWT-JWKS-12).
	Headers map[string]string
	// PoolSize is EMQX's pool_size (default 8): how many workers fetch.
	PoolSize int
	// MaxFailCount: the keys are dropped at this many consecutive failed
	// refreshes (default 5, JWT-JWKS-05).
	MaxFailCount int
	SSL          SSLConfig
}

// SSLConfig is the `ssl` block of a JWKS configuration.
type SSLConfig struct {
	Enable bool
	// Verify is "verify_peer" or "verify_none"; when not configured it is
	// verify_none under legacy and verify_peer under hardened (JWT-JWKS-13).
	Verify               string
	CACertFile           string
	CertFile             string
	KeyFile              string
	ServerNameIndication string // "" (use the host), a name, or "disable"
	Versions             []string
	Ciphers              []string
	Depth                int
}

// MinRefreshInterval is EMQX's floor for refresh_interval (JWT-JWKS-10).
const MinRefreshInterval = 10 * time.Second

// EffectiveRefreshInterval is the interval the fetcher uses: the configured
// one raised to floor (MinRefreshInterval unless a test lowers it).
func (c JWKSConfig) EffectiveRefreshInterval(floor time.Duration) time.Duration {
	if c.RefreshInterval < floor {
		return floor
	}
	return c.RefreshInterval
}

// KeySource gives the keys of the last good JWK Set. PublicKeys never
// blocks on the network (JWT-JWKS-05, -11): it answers what the background
// fetcher last stored, nil when it has nothing.
type KeySource interface {
	PublicKeys() []crypto.PublicKey
	Close() error
}

// KeyIDSource is a KeySource that also tells each key's kid. The reference
// never picks keys by kid (ambiguity A8); only the fault jwks-use-kid does.
type KeyIDSource interface {
	KeySource
	KeysWithIDs() []IdentifiedKey
}

// IdentifiedKey is a key of the set with its kid ("" when it has none).
type IdentifiedKey struct {
	KID string
	Key crypto.PublicKey
}

// JWKSFactory builds the KeySource of a JWKS authenticator.
type JWKSFactory func(JWKSConfig, authn.Env) (KeySource, error)

var headerName = regexp.MustCompile(`^[-0-9a-zA-Z_ ]+$`)

// parseJWKSConfig reads the JWKS fields of o (jwt_jwks in EMQX's schema).
func parseJWKSConfig(o *schema.Object, env parseEnv) (*JWKSConfig, error) {
	c := &JWKSConfig{}
	endpoint, err := o.RequiredString("endpoint")
	if err != nil {
		return nil, err
	}
	u, perr := url.Parse(endpoint)
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, schema.Errorf(o.Field("endpoint"), "must be an http:// or https:// URL, got %q", endpoint)
	}
	c.Endpoint = endpoint

	secs, err := refreshInterval(o, env)
	if err != nil {
		return nil, err
	}
	c.RefreshInterval = time.Duration(secs) * time.Second

	pool, err := o.PositiveInt("pool_size", 8)
	if err != nil {
		return nil, err
	}
	c.PoolSize = int(pool)

	fails, err := o.PositiveInt("max_fail_count", 5)
	if err != nil {
		return nil, err
	}
	c.MaxFailCount = int(fails)

	if o.Has("headers") {
		h, err := o.StringMap("headers")
		if err != nil {
			return nil, err
		}
		for name := range h {
			if !headerName.MatchString(name) && !env.jwksHeaderNamesUnchecked {
				return nil, schema.Errorf(o.Field("headers"), "header names must match [-0-9a-zA-Z_ ]+; bad header: %q", name)
			}
		}
		c.Headers = h
	}
	if c.Headers == nil {
		c.Headers = map[string]string{"Accept": "application/json"}
	}

	c.SSL, err = parseSSL(o, env)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// refreshInterval reads refresh_interval in seconds: positive, default 300
// (JWT-JWKS-10: 0 and negative values are refused; values under 10 are
// raised by the fetcher).
func refreshInterval(o *schema.Object, env parseEnv) (int64, error) {
	if !env.jwksZeroIntervalDefault {
		return o.PositiveInt("refresh_interval", 300)
	}
	secs, err := o.Int("refresh_interval", 300)
	if err == nil && secs <= 0 {
		secs = 300 // the fault: 0 or below taken as "unset"
	}
	return secs, err
}

func parseSSL(o *schema.Object, env parseEnv) (SSLConfig, error) {
	s := SSLConfig{Verify: "verify_none"}
	if env.Profile == security.Hardened {
		s.Verify = "verify_peer"
	}
	sub, err := o.Object("ssl")
	if err != nil || sub == nil {
		return s, err
	}
	if s.Enable, err = sub.Bool("enable", false); err != nil {
		return s, err
	}
	if s.Verify, err = sub.Enum("verify", s.Verify, "verify_peer", "verify_none"); err != nil {
		return s, err
	}
	for name, dst := range map[string]*string{
		"cacertfile":             &s.CACertFile,
		"certfile":               &s.CertFile,
		"keyfile":                &s.KeyFile,
		"server_name_indication": &s.ServerNameIndication,
	} {
		if *dst, err = sub.String(name, ""); err != nil {
			return s, err
		}
	}
	depth, err := sub.Int("depth", 10)
	if err != nil {
		return s, err
	}
	if depth < 0 {
		return s, schema.Errorf(sub.Field("depth"), "must not be negative")
	}
	s.Depth = int(depth)
	if s.Versions, err = stringList(sub, "versions"); err != nil {
		return s, err
	}
	if s.Ciphers, err = stringList(sub, "ciphers"); err != nil {
		return s, err
	}
	// Accepted for compatibility with EMQX's client_ssl_opts; they change
	// nothing in the reference's Go TLS client.
	sub.Skip("reuse_sessions", "secure_renegotiate", "hibernate_after", "log_level", "middlebox_comp_mode", "password", "partial_chain", "verify_peer_ext_key_usage", "enable_crl_check")
	if err := sub.Done(); err != nil {
		return s, err
	}
	return s, nil
}

// stringList reads a list of strings, or one comma-separated string (HOCON
// accepts both for versions and ciphers).
func stringList(o *schema.Object, name string) ([]string, error) {
	raw, ok := o.Raw(name)
	if !ok {
		return nil, nil
	}
	var list []string
	if err := jsonUnmarshal(raw, &list); err == nil {
		return list, nil
	}
	var one string
	if err := jsonUnmarshal(raw, &one); err == nil {
		return splitComma(one), nil
	}
	return nil, schema.Errorf(o.Field(name), "must be a list of strings, got %s", schema.Kind(raw))
}

func (c JWKSConfig) String() string {
	return fmt.Sprintf("jwks %s every %s", c.Endpoint, c.RefreshInterval)
}
