// Package containertarget is the target for a profile with a container
// section: the suite starts the broker itself with testcontainers-go
// (fixtures/container: images built locally, Ryuk off, ready on a real MQTT
// CONNECT), judges it as the profile's configure says (by hand, or through
// EMQX's API on the mapped API port), and removes it at Close.
//
// The container starts at the first scenario that needs it and serves the
// whole run. A broker that cannot start makes every claimed scenario a
// "target unreachable" error (the run still writes its reports and exits
// with 3); the start is tried once.
package containertarget

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/authspec/authspec/fixtures/container"
	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target"
	"github.com/authspec/authspec/steps/target/apitarget"
	"github.com/authspec/authspec/steps/target/byhand"
	"github.com/authspec/authspec/steps/target/remote"
)

// StartBound bounds making the image (a Debian root filesystem takes a
// minute or two the first time) and starting the broker.
const StartBound = 15 * time.Minute

// Target is a profile's broker in a container.
type Target struct {
	prof   *profile.Profile
	claims remote.Claims
	o      options

	once     sync.Once
	startErr error
	broker   *container.Broker
	inner    target.Target
	mu       sync.Mutex // guards broker against Close during the start
}

// Option configures New.
type Option func(*options)

type options struct {
	repoRoot string
	log      io.Writer
	extra    []container.Option
}

// WithSourceRoot is the authspec module, needed to build the reference
// image (container.build.recipe reference) when it is missing.
func WithSourceRoot(dir string) Option { return func(o *options) { o.repoRoot = dir } }

// WithLog receives the targets' one-off warnings (default os.Stderr).
func WithLog(w io.Writer) Option { return func(o *options) { o.log = w } }

// WithContainerOptions are passed to container.RunProfile last (tests: a
// logger).
func WithContainerOptions(opts ...container.Option) Option {
	return func(o *options) { o.extra = append(o.extra, opts...) }
}

// New checks the profile; nothing starts until the first scenario.
func New(p *profile.Profile, opts ...Option) (*Target, error) {
	if p.Container == nil {
		return nil, fmt.Errorf("profile %s has no container section", p.Name)
	}
	o := options{log: os.Stderr}
	for _, opt := range opts {
		opt(&o)
	}
	return &Target{prof: p, claims: remote.NewClaims(p.ClaimList), o: o}, nil
}

// Name names the report directory.
func (t *Target) Name() string { return t.prof.Name }

// TokenClaims is the profile's token_claims (target.TokenClaimer).
func (t *Target) TokenClaims() map[string]any { return t.prof.TokenClaims }

// ReasonCodes is the profile's reason_codes (target.Policied).
func (t *Target) ReasonCodes() target.ReasonCodePolicy {
	return target.ReasonCodePolicy(t.prof.ReasonCodes)
}

// Serial: the run shares one container (target.Serializer).
func (t *Target) Serial() bool { return true }

// JWKSListen starts the broker if needed: where the fixture must listen
// depends on the container's network (target.JWKSHost).
func (t *Target) JWKSListen() string {
	if inner, ok := t.ready().(target.JWKSHost); ok {
		return inner.JWKSListen()
	}
	return ""
}

// ScramBackendListen is JWKSListen's twin (target.ScramBackendHost).
func (t *Target) ScramBackendListen() string {
	if inner, ok := t.ready().(target.ScramBackendHost); ok {
		return inner.ScramBackendListen()
	}
	return ""
}

// Provision starts the container on first use, then lets the profile's
// kind of target provision the scenario.
func (t *Target) Provision(ctx context.Context, s target.Setup) (target.Instance, error) {
	if err := t.claims.Check(s.IDs); err != nil {
		return nil, err
	}
	// The first scenario waits for the start (a minute, when the image is
	// built); its Provision then gets the step's whole bound again, rather
	// than what the start left of it.
	budget := time.Duration(0)
	if dl, ok := ctx.Deadline(); ok {
		budget = time.Until(dl)
	}
	started := time.Now()
	inner := t.ready()
	if t.startErr != nil {
		return nil, t.startErr
	}
	if budget > 0 && time.Since(started) > budget/2 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), budget)
		defer cancel()
	}
	return inner.Provision(ctx, s)
}

// ready starts the broker once and returns the inner target (nil when the
// start failed; startErr says why).
func (t *Target) ready() target.Target {
	t.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), StartBound)
		defer cancel()
		if err := t.start(ctx); err != nil {
			t.startErr = reports.Unreachable(fmt.Errorf("starting %s in a container: %w", t.prof.Name, err))
		}
	})
	return t.inner
}

func (t *Target) start(ctx context.Context) error {
	// A run that was killed leaves its containers behind (Ryuk is off).
	if _, err := container.RemoveLeftovers(ctx); err != nil {
		fmt.Fprintf(t.o.log, "authspec: removing containers of dead runs: %v\n", err)
	}
	b, err := container.RunProfile(ctx, t.prof, t.o.repoRoot, t.o.extra...)
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.broker = b
	t.mu.Unlock()
	inner, err := t.innerTarget(ctx, b)
	if err != nil {
		return err
	}
	t.inner = inner
	return nil
}

// innerTarget is the profile pointed at the container's mapped ports.
func (t *Target) innerTarget(ctx context.Context, b *container.Broker) (target.Target, error) {
	p := *t.prof
	scheme := "tcp"
	if p.UsesTLS() {
		u, _ := url.Parse(p.MQTT.URL)
		scheme = u.Scheme
	}
	p.MQTT.URL = scheme + "://" + b.MQTTAddr()
	p.Container = nil
	// The broker reaches this host, and sees the suite's connections come
	// from it, through the bridge's gateway.
	gateway, err := b.HostGateway(ctx)
	if err != nil {
		return nil, err
	}
	switch p.Configure {
	case profile.ByHand:
		return byhand.New(&p, byhand.WithPeerHost(gateway))
	case profile.EMQXAPI:
		apiAddr, err := b.PortAddr(ctx, t.prof.Container.APIPort)
		if err != nil {
			return nil, err
		}
		if p.API.URL == "" {
			p.API.URL = "http://" + apiAddr
		}
		// The broker reads no file of this host.
		return apitarget.New(&p, apitarget.WithLog(t.o.log), apitarget.WithFixtureHost(gateway),
			apitarget.WithSharedFiles(false), apitarget.WithPeerHost(gateway))
	}
	return nil, fmt.Errorf("profile %s: configure %q", p.Name, p.Configure)
}

// Broker is the running container (nil before the first scenario or after
// a failed start).
func (t *Target) Broker() *container.Broker {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.broker
}

// Close removes the container.
func (t *Target) Close() error {
	t.mu.Lock()
	b := t.broker
	t.broker = nil
	t.mu.Unlock()
	if b == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return b.Terminate(ctx)
}

var _ target.TokenClaimer = (*Target)(nil)
