package loadgen

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/loadgen/schedule"
	"github.com/authspec/authspec/loadgen/workload"
)

// Phase kinds (the --workload names).
const (
	WorkloadJWT       = "jwt"
	WorkloadSCRAM     = "scram"
	WorkloadAnonymous = "anonymous"
	WorkloadHold      = "hold"
)

// How a connect storm ends its connections (Config.Disconnect).
const (
	DisconnectPacket = "packet"
	DisconnectClose  = "close"
)

// Workloads lists the workload names.
func Workloads() []string {
	return []string{WorkloadJWT, WorkloadSCRAM, WorkloadAnonymous, WorkloadHold}
}

// Config is one load run. Zero values take the defaults of DefaultConfig
// only through the CLI; Validate checks a Config as given.
type Config struct {
	// Workloads are run as phases, in order, on the same broker; jwt runs
	// one phase per entry of Algs, scram one per entry of SCRAMCache.
	Workloads []string
	Algs      []string
	// Tokens is workload.TokensPool or workload.TokensFresh.
	Tokens    string
	JWTSecret string
	// JWTKey signs public-key algorithms; nil generates one per algorithm
	// (the broker is then provisioned with its public half).
	JWTKey          *tokens.Key
	SCRAMAlg        string // sha256 | sha512
	SCRAMIterations int
	SCRAMCache      []bool
	// SCRAMBackendListen is where the SCRAM credential backend listens.
	SCRAMBackendListen string
	// HoldAuth is the credentials a hold phase connects with: jwt (the
	// first of Algs), scram or anonymous.
	HoldAuth string
	HoldFor  time.Duration

	// TokenSource is where jwt tokens come from: TokenSourceMint (""
	// too) or TokenSourceOIDC, an OpenID Connect provider the run serves
	// at OIDCListen ("" a free loopback port) issuing tokens for
	// OIDCAudience ("" mqtt-broker); see oidc.go.
	TokenSource, OIDCListen, OIDCAudience string

	// Rate (run-wide, every shard together) selects an open loop;
	// Concurrency > 0 a closed loop instead.
	Rate        float64
	Concurrency int
	RampUp      time.Duration
	Duration    time.Duration
	Count       int64
	// Clients is the run-wide number of distinct clients (usernames,
	// client IDs, credentials); a hold phase holds that many connections.
	Clients      int
	ClientPrefix string
	Timeout      time.Duration
	MaxInFlight  int
	Interval     time.Duration
	Rounds       int

	Shard   schedule.Shard
	StartAt time.Time

	Client  string // workload.DriverWire | workload.DriverPaho
	Sources []netip.Addr
	// Disconnect is how a storm's accepted connections end: DisconnectPacket
	// (DISCONNECT, then close; the default) or DisconnectClose (the socket
	// closed, as the floor program and a device losing power do).
	Disconnect string

	// Progress receives the live display (nil: none); TTY selects a
	// single rewritten line, otherwise one line every ProgressEvery.
	Progress      io.Writer
	TTY           bool
	ProgressEvery time.Duration

	Version string
}

// DefaultConfig is a short, modest run that stops by itself: 10 s at 100
// connections per second over 1,000 clients.
func DefaultConfig() Config {
	return Config{
		Workloads: []string{WorkloadJWT}, Algs: []string{"HS256"}, Tokens: workload.TokensPool,
		JWTSecret: "emqxsecret", SCRAMAlg: "sha256", SCRAMIterations: 4096, SCRAMCache: []bool{true},
		HoldAuth: WorkloadJWT, HoldFor: 5 * time.Second,
		Rate: 100, Duration: 10 * time.Second, Clients: 1000, ClientPrefix: "load-",
		Timeout: 5 * time.Second, MaxInFlight: 10000, Interval: time.Second, Rounds: 1,
		Shard: schedule.Whole, Client: workload.DriverWire, ProgressEvery: 5 * time.Second,
	}
}

// maxOpenFiles bounds MaxInFlight: each attempt holds a socket, and this
// machine allows 20,000 open files per process.
const maxOpenFiles = 20000

// Validate checks the configuration and says what is wrong with it.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if len(c.Workloads) == 0 {
		bad("no workload: name at least one of %s", strings.Join(Workloads(), ", "))
	}
	storms := false
	for _, w := range c.Workloads {
		if !slices.Contains(Workloads(), w) {
			bad("unknown workload %q (known: %s)", w, strings.Join(Workloads(), ", "))
		}
		storms = storms || w != WorkloadHold
	}
	if c.Disconnect != "" && c.Disconnect != DisconnectPacket && c.Disconnect != DisconnectClose {
		bad("unknown disconnect mode %q (known: packet, close)", c.Disconnect)
	}
	if c.needs(WorkloadJWT) {
		if len(c.Algs) == 0 {
			bad("jwt needs an algorithm (--alg)")
		}
		for _, a := range c.Algs {
			if !slices.Contains(tokens.AllAlgs, a) {
				bad("unknown JWT algorithm %q (known: %s)", a, strings.Join(tokens.AllAlgs, ", "))
			}
		}
		if c.Tokens != workload.TokensPool && c.Tokens != workload.TokensFresh {
			bad("unknown token mode %q (known: pool, fresh)", c.Tokens)
		}
		errs = append(errs, c.validateTokenSource()...)
	}
	if c.needs(WorkloadSCRAM) {
		if c.SCRAMAlg != "sha256" && c.SCRAMAlg != "sha512" {
			bad("unknown SCRAM algorithm %q (known: sha256, sha512)", c.SCRAMAlg)
		}
		if c.SCRAMIterations < 1 {
			bad("SCRAM iteration count %d: must be at least 1", c.SCRAMIterations)
		}
		if slices.Contains(c.Workloads, WorkloadSCRAM) && len(c.SCRAMCache) == 0 {
			bad("scram needs a salt cache setting (on, off, or both)")
		}
		if c.Shard.Split() {
			bad("scram cannot be sharded yet: the broker asks one credential backend, and each shard serves its own")
		}
	}
	if slices.Contains(c.Workloads, WorkloadHold) {
		if !slices.Contains([]string{WorkloadJWT, WorkloadSCRAM, WorkloadAnonymous}, c.HoldAuth) {
			bad("unknown hold credentials %q (known: jwt, scram, anonymous)", c.HoldAuth)
		}
		if c.HoldFor < 0 {
			bad("hold time %v: must not be negative", c.HoldFor)
		}
	}
	switch {
	case c.Concurrency < 0:
		bad("concurrency %d: must be positive", c.Concurrency)
	case c.Concurrency == 0:
		if err := (schedule.Arrivals{Rate: c.Rate, Ramp: c.RampUp}).Validate(); err != nil {
			errs = append(errs, err)
		}
	case c.RampUp < 0:
		bad("ramp-up %v: must not be negative", c.RampUp)
	}
	if c.Concurrency > 0 && c.Shard.Split() && c.Concurrency < c.Shard.Count {
		bad("concurrency %d cannot be split over %d shards", c.Concurrency, c.Shard.Count)
	}
	if c.Duration < 0 {
		bad("duration %v: must not be negative", c.Duration)
	}
	if c.Count < 0 {
		bad("count %d: must not be negative", c.Count)
	}
	if storms && c.Duration == 0 && c.Count == 0 {
		bad("no bound: give a duration, a count, or both, so the run stops by itself")
	}
	if err := c.Shard.Validate(); err != nil {
		errs = append(errs, err)
	}
	if c.Clients < 1 {
		bad("clients %d: must be at least 1", c.Clients)
	} else if c.Clients < c.Shard.Count {
		bad("%d clients cannot be split over %d shards", c.Clients, c.Shard.Count)
	}
	if c.Timeout <= 0 {
		bad("timeout %v: must be positive", c.Timeout)
	}
	if c.MaxInFlight < 1 || c.MaxInFlight > maxOpenFiles-1000 {
		bad("max in-flight %d: must be between 1 and %d (open files per process)", c.MaxInFlight, maxOpenFiles-1000)
	}
	if c.Interval < 100*time.Millisecond {
		bad("interval %v: must be at least 100ms", c.Interval)
	}
	if c.Rounds < 1 {
		bad("rounds %d: must be at least 1", c.Rounds)
	}
	if !slices.Contains(workload.Drivers(), c.Client) {
		bad("unknown MQTT client %q (known: %s)", c.Client, strings.Join(workload.Drivers(), ", "))
	}
	for _, s := range c.Sources {
		if !s.IsValid() {
			bad("invalid source address")
		}
	}
	return errors.Join(errs...)
}

// needs reports whether any phase presents credentials of kind.
func (c Config) needs(kind string) bool {
	return slices.Contains(c.Workloads, kind) || (slices.Contains(c.Workloads, WorkloadHold) && c.HoldAuth == kind)
}

// Mode is "open" or "closed".
func (c Config) Mode() string {
	if c.Concurrency > 0 {
		return "closed"
	}
	return "open"
}
