package reference

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/authspec/authspec/reference/config/security"
)

// Option configures a Broker at Start. Behaviour choices and fault switches
// are options, never booleans threaded through calls.
type Option func(*options) error

type options struct {
	mqttListen     string
	tlsListen      string      // "" = no TLS listener (tls.go)
	tlsConfig      *tls.Config // with tlsListen
	apiListen      string
	apiKey         string
	apiSecret      string
	config         []byte // EMQX-shaped configuration (see reference/config)
	profile        security.Profile
	faults         []string
	log            *slog.Logger
	now            func() time.Time
	jwksMinRefresh time.Duration
	// connectTimeout bounds the wait for the CONNECT after TCP accept
	// (EMQX's mqtt.idle_timeout, 15 s by default).
	connectTimeout time.Duration
	// authTimeout bounds one whole authentication (backend requests
	// included); authStepTimeout one step of an AUTH exchange.
	authTimeout     time.Duration
	authStepTimeout time.Duration
}

func defaultOptions() options {
	return options{
		mqttListen:      "127.0.0.1:0",
		apiListen:       "127.0.0.1:0",
		apiKey:          DefaultAPIKey,
		apiSecret:       DefaultAPISecret,
		profile:         security.Legacy,
		connectTimeout:  15 * time.Second,
		authTimeout:     2 * time.Minute,
		authStepTimeout: time.Minute,
	}
}

// CloudDefaultConfig is EMQX Cloud's documented default authentication: JWT
// from the password, HMAC secret "emqxsecret" (JWT-HMAC-05; ambiguity A13:
// EMQX 5/6 has no default secret, so the reference spells it out).
const CloudDefaultConfig = `[{"mechanism": "jwt", "from": "password", "use_jwks": false,
  "algorithm": "hmac-based", "secret": "emqxsecret", "secret_base64_encoded": false}]`

// Default management API credentials: EMQX's API keys are created by the
// operator; the reference runs on loopback and documents its defaults.
const (
	DefaultAPIKey    = "authspec"
	DefaultAPISecret = "authspec-secret"
)

// WithConnectTimeout bounds the wait for the CONNECT after a TCP accept
// (default 15 s, EMQX's mqtt.idle_timeout).
func WithConnectTimeout(d time.Duration) Option {
	return func(o *options) error {
		if d <= 0 {
			return errors.New("connect timeout must be positive")
		}
		o.connectTimeout = d
		return nil
	}
}

// WithAuthStepTimeout bounds the wait for each client step of an enhanced
// authentication exchange (default 1 minute, well above EMQX's 15 s idle
// timeout, which SCRAM-24 says an exchange may outlast).
func WithAuthStepTimeout(d time.Duration) Option {
	return func(o *options) error {
		if d <= 0 {
			return errors.New("auth step timeout must be positive")
		}
		o.authStepTimeout = d
		return nil
	}
}

// WithMQTTListen sets the MQTT TCP listen address (default 127.0.0.1:0, a free port).
func WithMQTTListen(addr string) Option {
	return func(o *options) error { o.mqttListen = addr; return nil }
}

// WithAPIListen sets the management API listen address (default 127.0.0.1:0).
func WithAPIListen(addr string) Option {
	return func(o *options) error { o.apiListen = addr; return nil }
}

// WithAPIKey sets the API key and secret that the management API accepts as
// HTTP basic auth, as EMQX's API keys are used.
func WithAPIKey(key, secret string) Option {
	return func(o *options) error { o.apiKey, o.apiSecret = key, secret; return nil }
}

// WithConfig sets the initial configuration: EMQX-shaped JSON, either an
// array of authenticators or an object with "authentication",
// "authorization" and "authentication_settings".
func WithConfig(cfg []byte) Option {
	return func(o *options) error { o.config = append([]byte(nil), cfg...); return nil }
}

// WithSecurityProfile selects legacy (default) or hardened behaviour.
func WithSecurityProfile(p security.Profile) Option {
	return func(o *options) error {
		if _, ok := security.Parse(string(p)); !ok {
			return fmt.Errorf("security profile %q: want legacy or hardened", string(p))
		}
		o.profile = p.Effective()
		return nil
	}
}

// WithFault switches on deliberate defects, for the suite's self-test and for
// users who want to see what a failing report looks like.
func WithFault(names ...string) Option {
	return func(o *options) error { o.faults = append(o.faults, names...); return nil }
}

// WithLogger sets where authentication decisions and broker events are logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error { o.log = l; return nil }
}

// WithClock replaces the clock used for exp/nbf checks and expiry timers.
func WithClock(now func() time.Time) Option {
	return func(o *options) error { o.now = now; return nil }
}

// WithJWKSMinRefresh lowers the 10 s minimum JWKS refresh interval
// (JWT-JWKS-10). Test-only: it lets scenarios observe a refresh in well under
// a second against the reference; a real broker keeps EMQX's minimum.
func WithJWKSMinRefresh(d time.Duration) Option {
	return func(o *options) error { o.jwksMinRefresh = d; return nil }
}
