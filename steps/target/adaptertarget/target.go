package adaptertarget

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/authspec/authspec/fixtures/container/mqttprobe"
	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target"
	"github.com/authspec/authspec/steps/target/remote"
)

// Target is a broker reconfigured through an adapter.
type Target struct {
	name        string
	ep          remote.Endpoint
	claims      remote.Claims
	policy      target.ReasonCodePolicy
	tokenClaims map[string]any
	adapter     *Adapter
	// readyTimeout bounds the wait for a CONNACK after an apply (the step
	// timeout).
	readyTimeout time.Duration
	log          io.Writer

	mu       sync.Mutex
	turn     *sync.Cond // signalled when the current group changes
	groups   []*group
	memberOf map[string]*group
	current  int
	done     map[string]bool
	sem      chan struct{}
	// shared is held read-locked by scenarios that may share the broker
	// with others, and locked by an exclusive one (target.Setup.Exclusive).
	shared sync.RWMutex
	stats  target.ApplyStats
	// lastReady is the outcome of the last readiness wait (nil: answered).
	lastReady error
	resetOnce sync.Once
	resetErr  error
}

// Option configures New.
type Option func(*Target)

// WithReadyTimeout bounds the wait for the broker to answer a CONNECT after
// each apply (default: 5 s, the default step timeout).
func WithReadyTimeout(d time.Duration) Option { return func(t *Target) { t.readyTimeout = d } }

// WithLog receives what the run should know beyond the reports (default
// os.Stderr): a failed reset.
func WithLog(w io.Writer) Option { return func(t *Target) { t.log = w } }

// New reads a configure: command profile.
func New(p *profile.Profile, opts ...Option) (*Target, error) {
	if p.Configure != profile.CommandMode || p.Command == nil {
		return nil, fmt.Errorf("profile %s: configure is %s, not command", p.Name, p.Configure)
	}
	ep, err := remote.EndpointOf(p)
	if err != nil {
		return nil, err
	}
	t := &Target{
		name:         p.Name,
		ep:           ep,
		claims:       remote.NewClaims(p.ClaimList),
		policy:       target.ReasonCodePolicy(p.ReasonCodes),
		tokenClaims:  p.TokenClaims,
		adapter:      &Adapter{Argv: p.Command.Argv, Dir: p.Command.Dir, Timeout: p.Command.Timeout},
		readyTimeout: 5 * time.Second,
		log:          os.Stderr,
		memberOf:     map[string]*group{},
		done:         map[string]bool{},
		sem:          make(chan struct{}, 16),
	}
	t.turn = sync.NewCond(&t.mu)
	t.stats.Adapter = strings.Join(p.Command.Argv, " ")
	for _, opt := range opts {
		opt(t)
	}
	return t, nil
}

var (
	_ target.Scheduled        = (*Target)(nil)
	_ target.ScenarioObserver = (*Target)(nil)
	_ target.SelfTimed        = (*Target)(nil)
	_ target.Applier          = (*Target)(nil)
	_ target.Downer           = (*Target)(nil)
	_ target.TokenClaimer     = (*Target)(nil)
	_ target.Policied         = (*Target)(nil)
)

// UseStepTimeout bounds the readiness wait after each apply
// (target.StepTimed).
func (t *Target) UseStepTimeout(d time.Duration) {
	if d > 0 {
		t.readyTimeout = d
	}
}

// Name names the report directory.
func (t *Target) Name() string { return t.name }

// ReasonCodes is the profile's reason_codes (target.Policied).
func (t *Target) ReasonCodes() target.ReasonCodePolicy { return t.policy }

// TokenClaims is the profile's token_claims (target.TokenClaimer).
func (t *Target) TokenClaims() map[string]any { return t.tokenClaims }

// ProvisionBoundsItself: Provision waits for its group's turn and for an
// apply, each bounded here (target.SelfTimed).
func (t *Target) ProvisionBoundsItself() bool { return true }

// group is one configuration of the run and the scenarios sharing it.
type group struct {
	key       string
	alone     bool
	remaining map[string]bool // scenarios not yet done
	members   []string        // every scenario planned in it, in run order

	once    sync.Once
	keys    *tokens.Keyring
	dir     string
	setup   target.Setup
	applied []target.Applied
	err     error
}

// Planner records setups in a dry run (target.Scheduled).
func (t *Target) Planner() target.Planner {
	return &planner{t: t, setups: map[string]target.Setup{}}
}

type planner struct {
	t      *Target
	mu     sync.Mutex
	setups map[string]target.Setup
}

func (p *planner) Name() string { return p.t.name }

func (p *planner) Provision(_ context.Context, s target.Setup) (target.Instance, error) {
	if err := p.t.claims.Check(s.IDs); err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.setups[s.Scenario] = s
	p.mu.Unlock()
	return nil, target.ErrPlanned
}

func (p *planner) Planned() map[string]target.Setup {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]target.Setup, len(p.setups))
	for k, v := range p.setups {
		out[k] = v
	}
	return out
}

// Schedule groups the planned setups, in the order their first scenario
// comes in the run (target.Scheduled). Call it once, after the dry run
// through Planner and before the scenarios start.
func (t *Target) Schedule(order []string, planned map[string]target.Setup, concurrency int) target.Plan {
	t.mu.Lock()
	defer t.mu.Unlock()
	if concurrency > 0 {
		t.sem = make(chan struct{}, concurrency)
	}
	byKey := map[string]*group{}
	for _, id := range order {
		s, ok := planned[id]
		if !ok {
			continue // not applicable, or ended before it needed the broker
		}
		key := Key(s)
		g := byKey[key]
		if g == nil {
			g = &group{key: key, alone: strings.Contains(key, `"alone":`), remaining: map[string]bool{}}
			byKey[key] = g
			t.groups = append(t.groups, g)
		}
		g.remaining[id] = true
		g.members = append(g.members, id)
		t.memberOf[id] = g
	}
	t.stats.Groups = len(t.groups)
	return t.planLocked()
}

func (t *Target) planLocked() target.Plan {
	var plan target.Plan
	for _, g := range t.groups {
		pg := target.Group{Key: g.key, Alone: g.alone, Scenarios: append([]string(nil), g.members...)}
		plan.Groups = append(plan.Groups, pg)
	}
	return plan
}

// ScenarioDone counts a scenario out of its group; the next group's turn
// comes when the current one has no scenario left (target.ScenarioObserver).
func (t *Target) ScenarioDone(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.done[id] = true
	if g := t.memberOf[id]; g != nil {
		delete(g.remaining, id)
	}
	t.advanceLocked()
}

func (t *Target) advanceLocked() {
	moved := false
	for t.current < len(t.groups) && len(t.groups[t.current].remaining) == 0 {
		t.current++
		moved = true
	}
	if moved {
		t.turn.Broadcast()
	}
}

// Provision waits for the scenario's configuration to be applied, then
// holds one of the group's concurrent slots until the instance closes.
func (t *Target) Provision(ctx context.Context, s target.Setup) (target.Instance, error) {
	if err := t.claims.Check(s.IDs); err != nil {
		return nil, err
	}
	g, err := t.await(ctx, s)
	if err != nil {
		return nil, err
	}
	g.once.Do(func() { t.apply(ctx, g, s) })
	if g.err != nil {
		return nil, g.err
	}
	if s.Exclusive {
		t.shared.Lock()
	} else {
		t.shared.RLock()
		select {
		case t.sem <- struct{}{}:
		case <-ctx.Done():
			t.shared.RUnlock()
			return nil, ctx.Err()
		}
	}
	inst := &instance{t: t, g: g, exclusive: s.Exclusive, applied: append([]target.Applied(nil), g.applied...)}
	return inst, nil
}

// await returns the scenario's group once it is the current one. A
// scenario the plan did not foresee (its Setup differs from the dry run's)
// gets a group of its own at the end of the run.
func (t *Target) await(ctx context.Context, s target.Setup) (*group, error) {
	key := Key(s)
	t.mu.Lock()
	defer t.mu.Unlock()
	g := t.memberOf[s.Scenario]
	if g == nil || g.key != key {
		if g != nil {
			delete(g.remaining, s.Scenario)
			t.advanceLocked()
		}
		g = &group{key: key, alone: true, remaining: map[string]bool{s.Scenario: !t.done[s.Scenario]}}
		t.groups = append(t.groups, g)
		t.memberOf[s.Scenario] = g
		t.stats.Groups++
		t.advanceLocked()
	}
	stop := context.AfterFunc(ctx, func() {
		t.mu.Lock()
		t.turn.Broadcast()
		t.mu.Unlock()
	})
	defer stop()
	for t.current < len(t.groups) && t.groups[t.current] != g {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		t.turn.Wait()
	}
	if t.current >= len(t.groups) {
		return nil, reports.HarnessError(fmt.Errorf("scenario %s: its configuration's turn has passed", s.Scenario))
	}
	return g, nil
}

// apply resolves the group's key material, runs the adapter and waits for
// the broker to answer. Its outcome is the group's: every scenario of the
// group gets the same error, or the same configuration.
func (t *Target) apply(ctx context.Context, g *group, s target.Setup) {
	g.setup = s
	g.keys = tokens.NewSharedKeyring()
	dir, err := os.MkdirTemp("", "authspec-adapter-")
	if err == nil {
		// The broker may run as another user: the files are public keys
		// and certificates, nothing secret.
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		g.err = reports.HarnessError(err)
		return
	}
	g.dir = dir
	r := target.Resolver{Keys: g.keys, Dir: dir, ScramBackendURL: s.ScramBackendURL, JWKS: s.JWKS, OIDC: s.OIDC}
	applied, err := r.Resolve(s.Authentication)
	if err != nil {
		g.err = err
		return
	}
	applied, err = t.applyChain(ctx, s, applied, dir)
	if err != nil {
		g.err = err
		return
	}
	g.applied = applied
}

// applyChain sends one document to the adapter and waits for readiness.
func (t *Target) applyChain(ctx context.Context, s target.Setup, applied []target.Applied, dir string) ([]target.Applied, error) {
	doc, err := document(s, applied, dir)
	if err != nil {
		return nil, reports.HarnessError(err)
	}
	out := t.adapter.Call(context.WithoutCancel(ctx), "apply", doc)
	t.mu.Lock()
	t.stats.Applies++
	t.stats.Time += out.Elapsed
	t.stats.Seconds = t.stats.Time.Seconds()
	switch {
	case out.Err != nil:
		t.stats.Failed++
	case out.ExitCode == ExitCannotExpress:
		t.stats.CannotExpress++
	case out.ExitCode == ExitInvalid:
		t.stats.Refused++
	}
	t.mu.Unlock()
	switch {
	case out.Err != nil:
		return nil, out.WithStderr(out.Err)
	case out.ExitCode == ExitCannotExpress:
		return nil, target.NotApplicable("adapter: %s", out.Reason())
	case out.ExitCode == ExitInvalid:
		return nil, &target.ConfigRefusedError{Body: "adapter apply exited 4 (invalid configuration): " + strings.TrimSpace(out.Stderr)}
	}
	if err := t.ready(ctx); err != nil {
		t.mu.Lock()
		t.stats.Failed++
		t.mu.Unlock()
		return nil, out.WithStderr(fmt.Errorf("the adapter applied the configuration (exit 0) but the broker does not answer: %w", err))
	}
	return applied, nil
}

// ready waits until the broker answers a real CONNECT (any CONNACK).
func (t *Target) ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.readyTimeout)
	defer cancel()
	opts := []mqttprobe.Option{mqttprobe.WithInterval(20 * time.Millisecond), mqttprobe.WithAttemptTimeout(t.readyTimeout)}
	if t.ep.TLS != nil {
		opts = append(opts, mqttprobe.WithTLS(t.ep.TLS))
	}
	if !speaks(t.ep, target.MQTT5) {
		opts = append(opts, mqttprobe.WithVersion(4))
	}
	_, err := mqttprobe.Await(ctx, t.ep.Addr, opts...)
	t.mu.Lock()
	t.lastReady = err
	t.mu.Unlock()
	return err
}

func speaks(ep remote.Endpoint, v target.Version) bool {
	for _, have := range ep.Versions {
		if have == v {
			return true
		}
	}
	return false
}

// ApplyStats counts the run's applies (target.Applier).
func (t *Target) ApplyStats() target.ApplyStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stats
}

// Down is the broker's state at the end of the run (target.Downer): when
// the last apply left it not answering, it is probed once more, and only a
// broker that still does not answer is down (exit 3).
func (t *Target) Down() error {
	t.mu.Lock()
	last := t.lastReady
	t.mu.Unlock()
	if last == nil {
		return nil
	}
	if err := t.ready(context.Background()); err != nil {
		return reports.Unreachable(fmt.Errorf("%s: the broker stopped answering after an apply and never came back: %w", t.ep.Addr, err))
	}
	return nil
}

// Close runs `reset` once (best effort: its failure is returned to be
// reported, not judged).
func (t *Target) Close() error {
	t.resetOnce.Do(func() {
		out := t.adapter.Call(context.Background(), "reset", nil)
		switch {
		case out.Err != nil:
			t.resetErr = out.WithStderr(out.Err)
		case out.ExitCode != ExitApplied:
			t.resetErr = out.WithStderr(fmt.Errorf("adapter reset exited %d", out.ExitCode))
		}
		t.mu.Lock()
		for _, g := range t.groups {
			if g.dir != "" {
				_ = os.RemoveAll(g.dir)
			}
		}
		if t.resetErr != nil {
			t.stats.Reset = t.resetErr.Error()
		} else {
			t.stats.Reset = "ok"
		}
		t.mu.Unlock()
	})
	return t.resetErr
}

// instance is the broker during one scenario of a group.
type instance struct {
	t         *Target
	g         *group
	applied   []target.Applied
	exclusive bool
	closeOnce sync.Once
}

func (i *instance) Dial(ctx context.Context) (net.Conn, error) { return i.t.ep.Dial(ctx) }
func (i *instance) Versions() []target.Version                 { return i.t.ep.Versions }
func (i *instance) Authenticators() []target.Applied           { return i.applied }

// Close frees the group's slot; the configuration stays for the group's
// other scenarios.
func (i *instance) Close() error {
	i.closeOnce.Do(func() {
		if i.exclusive {
			i.t.shared.Unlock()
			return
		}
		<-i.t.sem
		i.t.shared.RUnlock()
	})
	return nil
}

// CreateAuthenticator applies the chain with one more authenticator
// (target.AuthenticatorAdmin): the scenario runs alone, so the broker is
// its own. Exit 4 is the broker's refusal; exit 3 makes the scenario not
// applicable.
func (i *instance) CreateAuthenticator(ctx context.Context, config map[string]any) error {
	r := target.Resolver{Keys: i.g.keys, Dir: i.g.dir, ScramBackendURL: i.g.setup.ScramBackendURL, JWKS: i.g.setup.JWKS, OIDC: i.g.setup.OIDC}
	added, err := r.Resolve([]map[string]any{config})
	if err != nil {
		return err
	}
	chain := append(append([]target.Applied(nil), i.applied...), added[0])
	s := i.g.setup
	s.Authentication = nil
	for _, a := range chain {
		s.Authentication = append(s.Authentication, a.Config)
	}
	if _, err := i.t.applyChain(ctx, s, chain, i.g.dir); err != nil {
		var refused *target.ConfigRefusedError
		if errors.As(err, &refused) {
			return refused
		}
		return err
	}
	i.applied = chain
	return nil
}

// ReconfiguresByRestart: the adapter applies a whole configuration
// (target.Restarter).
func (i *instance) ReconfiguresByRestart() bool { return true }

// AuthenticatorIDs lists the chain as last applied (target.AuthenticatorAdmin).
func (i *instance) AuthenticatorIDs(context.Context) ([]string, error) {
	ids := make([]string, len(i.applied))
	for n, a := range i.applied {
		ids[n] = target.Mechanism(a.Config)
	}
	return ids, nil
}
