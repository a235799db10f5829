package jwks

import (
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// Option changes how a Source works without changing what it fetches.
type Option func(*options) error

type options struct {
	log            *slog.Logger
	client         *http.Client
	minRefresh     time.Duration
	requestTimeout time.Duration
	maxBody        int64
	observer       func(FetchResult)
	// policy holds the deliberate defects switched on (self-test only).
	policy policy
}

func defaultOptions() options {
	return options{
		log:            slog.New(slog.DiscardHandler),
		minRefresh:     MinRefreshInterval,
		requestTimeout: RequestTimeout,
		maxBody:        DefaultMaxBodyBytes,
	}
}

// WithDefects switches deliberate defects on (self-test only; see
// defect_options.go).
func WithDefects(ds ...Defect) Option {
	return func(o *options) error {
		o.policy.apply(ds)
		return nil
	}
}

// WithLogger sets where fetch failures, skipped keys and drops are logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return errors.New("jwks: nil logger")
		}
		o.log = l
		return nil
	}
}

// WithHTTPClient replaces the HTTP client, for tests that need their own
// transport. The client is used as given: Config.SSL, the connect timeout
// and the no-compression setting are not applied to it (the request timeout
// still is, through the request's context).
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error {
		if c == nil {
			return errors.New("jwks: nil HTTP client")
		}
		o.client = c
		return nil
	}
}

// WithMinRefresh lowers (or raises) the 10 s floor of the refresh interval.
// Test-only: it lets a test or a scenario see several refreshes in well
// under a second (reference.WithJWKSMinRefresh).
func WithMinRefresh(d time.Duration) Option {
	return func(o *options) error {
		if d <= 0 {
			return errors.New("jwks: minimum refresh interval must be positive")
		}
		o.minRefresh = d
		return nil
	}
}

// WithRequestTimeout replaces the 5 s connect and request timeout. Test-only:
// it lets a test see a hanging endpoint fail quickly.
func WithRequestTimeout(d time.Duration) Option {
	return func(o *options) error {
		if d <= 0 {
			return errors.New("jwks: request timeout must be positive")
		}
		o.requestTimeout = d
		return nil
	}
}

// WithMaxBodyBytes replaces the 1 MiB cap on the body read from the endpoint.
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error {
		if n <= 0 {
			return errors.New("jwks: body cap must be positive")
		}
		o.maxBody = n
		return nil
	}
}

// WithObserver calls f after every fetch, on the fetching goroutine. f must
// return quickly and must not call FetchNow or Refresh (they wait for that
// goroutine); WaitFetch is the blocking way to follow fetches.
func WithObserver(f func(FetchResult)) Option {
	return func(o *options) error {
		if f == nil {
			return errors.New("jwks: nil observer")
		}
		o.observer = f
		return nil
	}
}
