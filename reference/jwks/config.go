package jwks

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"time"
)

// Defaults and limits from EMQX 6.x (emqx_authn_jwks_client).
const (
	// DefaultRefreshInterval is refresh_interval's default (300 s).
	DefaultRefreshInterval = 300 * time.Second
	// MinRefreshInterval is the floor a shorter refresh_interval is raised
	// to (JWT-JWKS-10).
	MinRefreshInterval = 10 * time.Second
	// DefaultMaxFailCount is how many failed refreshes in a row drop the
	// keys (JWT-JWKS-05).
	DefaultMaxFailCount = 5
	// RequestTimeout bounds connecting and the whole request (JWT-JWKS-05).
	RequestTimeout = 5 * time.Second
	// DefaultMaxBodyBytes caps the body read from the endpoint. EMQX has no
	// cap; the reference has one so a hostile endpoint cannot exhaust memory
	// (a real key set is a few kilobytes).
	DefaultMaxBodyBytes = 1 << 20
)

// DefaultHeaders are the request headers when Config.Headers is nil: the
// `headers` default of EMQX's schema (JWT-JWKS-03).
func DefaultHeaders() map[string]string {
	return map[string]string{"Accept": "application/json"}
}

// Verify is ssl.verify: whether the endpoint's certificate is checked.
type Verify string

const (
	VerifyNone Verify = "verify_none"
	VerifyPeer Verify = "verify_peer"
)

// VerifyDefaultFor is ssl.verify's default under a security profile:
// verify_none under legacy, verify_peer under hardened (JWT-JWKS-13).
func VerifyDefaultFor(hardened bool) Verify {
	if hardened {
		return VerifyPeer
	}
	return VerifyNone
}

// SSL is the endpoint's `ssl` block.
type SSL struct {
	// Enable is ssl.enable (default false). It only matters for an https
	// endpoint: with Enable false the client verifies the server against the
	// system roots, as OTP 26+'s httpc does with no ssl options. An http
	// endpoint is fetched in clear whatever Enable says.
	Enable bool
	// Verify is ssl.verify; empty means Config.VerifyDefault.
	Verify Verify
	// CACertFile is a PEM file of CA certificates for verify_peer; empty
	// means the system roots.
	CACertFile string
	// CertFile and KeyFile are a client certificate, both or neither.
	CertFile string
	KeyFile  string
	// ServerNameIndication overrides the name sent in SNI and checked in
	// the certificate; empty or "disable" uses the endpoint's host.
	ServerNameIndication string
}

// Config is what the JWT authenticator's configuration gives the fetcher.
type Config struct {
	// Endpoint is the JWKS URL (http or https).
	Endpoint string
	// RefreshInterval is refresh_interval; zero means the 300 s default,
	// negative is an error. New raises it to the minimum refresh interval
	// (JWT-JWKS-10); refusing an explicit 0 is the configuration parser's job.
	RefreshInterval time.Duration
	// Headers are sent with every request; nil means DefaultHeaders, an empty
	// non-nil map sends none (JWT-JWKS-03).
	Headers map[string]string
	// MaxFailCount is max_fail_count; zero means 5, negative is an error.
	MaxFailCount int
	// SSL is the endpoint's ssl block.
	SSL SSL
	// VerifyDefault is ssl.verify when SSL.Verify is empty: use
	// VerifyDefaultFor(profile == hardened). Empty means verify_none.
	VerifyDefault Verify
}

// settings is a Config checked and completed with defaults and options.
type settings struct {
	endpoint       *url.URL
	interval       time.Duration
	headers        map[string]string
	maxFailCount   int
	requestTimeout time.Duration
	maxBody        int64
}

func (c Config) settle(o options, p policy) (settings, error) {
	var s settings
	if c.Endpoint == "" {
		return s, errors.New("jwks: endpoint is empty")
	}
	u, err := url.Parse(c.Endpoint)
	if err != nil {
		return s, fmt.Errorf("jwks: endpoint: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return s, fmt.Errorf("jwks: endpoint %q: scheme must be http or https", c.Endpoint)
	}
	if u.Host == "" {
		return s, fmt.Errorf("jwks: endpoint %q has no host", c.Endpoint)
	}
	s.endpoint = u

	switch {
	case c.RefreshInterval < 0:
		return s, fmt.Errorf("jwks: refresh interval %v is negative", c.RefreshInterval)
	case c.RefreshInterval == 0:
		s.interval = DefaultRefreshInterval
	default:
		s.interval = c.RefreshInterval
	}
	if s.interval < o.minRefresh && !p.noIntervalClamp {
		s.interval = o.minRefresh
	}

	switch {
	case c.MaxFailCount < 0:
		return s, fmt.Errorf("jwks: max fail count %d is negative", c.MaxFailCount)
	case c.MaxFailCount == 0:
		s.maxFailCount = DefaultMaxFailCount
	default:
		s.maxFailCount = c.MaxFailCount
	}

	// Cloned so that the caller's later edits do not race with fetches.
	s.headers = maps.Clone(c.Headers)
	if s.headers == nil {
		s.headers = DefaultHeaders()
	}

	// A fetch never outlives its interval: with EMQX's 10 s floor this is
	// always the 5 s timeout; with a test-only shorter interval it makes a
	// hanging endpoint count as a failure before the next tick.
	s.requestTimeout = min(o.requestTimeout, s.interval)
	s.maxBody = o.maxBody
	return s, nil
}
