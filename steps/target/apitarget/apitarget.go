// Package apitarget is the target for a broker the suite configures through
// EMQX's management API (a profile's configure: emqx-api): a real EMQX, or
// the reference started on its own (`authspec serve`) or in a container.
//
// The broker is shared by the whole run, so scenarios run one at a time.
// For each, the suite reads the chain and the settings the broker has,
// replaces them with the scenario's (authenticators, built-in database
// users, authorization settings and sources, authentication settings), and
// puts the previous ones back when the scenario ends, using only the
// requests of emqxapi's fidelity table (FIDELITY.md). EMQX's API shows secrets as "******"
// and never shows built-in database passwords, so what it redacts cannot be
// restored: use a broker dedicated to the run (the first scenario that
// meets such a value says so once, on the log writer).
//
// The security profile is fixed when the broker boots (EMQX reads
// EMQX_SECURITY_PROFILE at start), so scenarios needing the other one are
// not applicable; the profile's security_profile says which one it runs.
package apitarget

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"sync"

	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/reference/config/security"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target"
	"github.com/authspec/authspec/steps/target/emqxapi"
	"github.com/authspec/authspec/steps/target/remote"
)

// Target is a broker configured through EMQX's management API.
type Target struct {
	name    string
	ep      remote.Endpoint
	api     *emqxapi.Client
	claims  remote.Claims
	policy  target.ReasonCodePolicy
	profile security.Profile
	o       options

	reach remote.Reachability
	// variants are the profile's readings of the catalogue's ambiguities.
	variants map[string]string
	// tokenClaims is the profile's token_claims (target.TokenClaimer).
	tokenClaims map[string]any
	// down is the API's first transport failure: once the API stopped
	// answering, later scenarios fail at once instead of each waiting.
	mu   sync.Mutex
	down error

	// warned are the values already said to be unrestorable (each is
	// said once, on the log writer).
	warnMu sync.Mutex
	warned map[string]bool

	// rel is the broker's release, asked once (relKnown) at the first
	// scenario that needs it.
	relMu    sync.Mutex
	rel      emqxapi.Release
	relKnown bool
}

// Option configures New.
type Option func(*options)

type options struct {
	log io.Writer
	// fixtureHost is the address the broker reaches the suite's fixtures
	// (JWKS endpoint, SCRAM backend) at; "" for loopback.
	fixtureHost string
	// sharedFiles: the broker reads files the suite writes (key files).
	sharedFiles *bool
	// peerHost is where the broker sees the suite's connections come from
	// ("": their local address).
	peerHost string
}

// WithPeerHost says where the broker sees the suite's connections come
// from, when that is not their local address (a container behind Docker's
// port mapping sees the bridge's gateway): see target.PeerHoster.
func WithPeerHost(host string) Option { return func(o *options) { o.peerHost = host } }

// WithLog receives one-off warnings (values the API redacts); default
// os.Stderr.
func WithLog(w io.Writer) Option { return func(o *options) { o.log = w } }

// WithFixtureHost makes the suite's JWKS endpoint and SCRAM backend listen
// on host (free ports), the address a broker in a container reaches the
// host at, instead of loopback.
func WithFixtureHost(host string) Option { return func(o *options) { o.fixtureHost = host } }

// WithSharedFiles says whether the broker can read files the suite writes
// on this host (public keys given as file paths, the JWKS CA file). By
// default it can when the API is on a loopback address.
func WithSharedFiles(shared bool) Option { return func(o *options) { o.sharedFiles = &shared } }

// Versions are the declared versions, less MQTT 5 once the broker turned
// it down (target.Versioned).
func (t *Target) Versions() []target.Version {
	v, _ := t.reach.Spoken(t.ep)
	return v
}

// Variants are the profile's readings of the catalogue's ambiguities
// (target.Varianted).
func (t *Target) Variants() map[string]string { return t.variants }

// New reads an emqx-api profile. The profile must name its API's URL (a
// container profile gets it from containertarget).
func New(p *profile.Profile, opts ...Option) (*Target, error) {
	if p.Configure != profile.EMQXAPI {
		return nil, fmt.Errorf("profile %s: configure is %s, not emqx-api", p.Name, p.Configure)
	}
	ep, err := remote.EndpointOf(p)
	if err != nil {
		return nil, err
	}
	if p.API.URL == "" {
		return nil, fmt.Errorf("profile %s: no api.url", p.Name)
	}
	o := options{log: os.Stderr}
	for _, opt := range opts {
		opt(&o)
	}
	if o.sharedFiles == nil {
		local := loopbackURL(p.API.URL)
		o.sharedFiles = &local
	}
	t := &Target{
		name:    p.Name,
		ep:      ep,
		api:     &emqxapi.Client{Base: p.API.URL, Key: p.API.Key, Secret: p.API.Secret},
		claims:  remote.NewClaims(p.ClaimList),
		policy:  target.ReasonCodePolicy(p.ReasonCodes),
		profile: p.SecurityProfile.Effective(),

		tokenClaims: p.TokenClaims,
		o:           o,
	}
	t.variants = p.Variants
	return t, nil
}

func loopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())
}

// Name names the report directory.
func (t *Target) Name() string { return t.name }

// TokenClaims is the profile's token_claims (target.TokenClaimer).
func (t *Target) TokenClaims() map[string]any { return t.tokenClaims }

// ReasonCodes is the profile's reason_codes (target.Policied).
func (t *Target) ReasonCodes() target.ReasonCodePolicy { return t.policy }

// Serial: every scenario replaces the one broker's chain
// (target.Serializer).
func (t *Target) Serial() bool { return true }

// JWKSListen is where the suite's JWKS endpoint listens: a free port the
// broker can reach (target.JWKSHost).
func (t *Target) JWKSListen() string { return t.fixtureListen() }

// ScramBackendListen is where the suite's SCRAM backend listens
// (target.ScramBackendHost).
func (t *Target) ScramBackendListen() string { return t.fixtureListen() }

func (t *Target) fixtureListen() string {
	if t.o.fixtureHost == "" {
		return ""
	}
	return net.JoinHostPort(t.o.fixtureHost, "0")
}

// Provision replaces the broker's chain and settings with the scenario's.
func (t *Target) Provision(ctx context.Context, s target.Setup) (target.Instance, error) {
	if err := t.claims.Check(s.IDs); err != nil {
		return nil, err
	}
	profile := s.Profile.Effective()
	if profile != t.profile {
		return nil, target.NotApplicable("needs the %s security profile; the broker runs %s (security_profile in the profile; EMQX fixes it at boot)", profile, t.profile)
	}
	if err := t.apiDown(); err != nil {
		return nil, err
	}
	if err := t.reach.Check(ctx, t.ep); err != nil {
		return nil, err
	}
	inst := &instance{t: t}
	if err := inst.provision(ctx, s); err != nil {
		// Put back what was changed before the failure; the scenario's
		// own error is the one to report.
		_ = inst.Close()
		return nil, t.noteDown(err)
	}
	return inst, nil
}

func (t *Target) apiDown() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.down
}

// noteDown marks the API down when err is a transport failure (nothing
// answered), so the rest of the run fails fast; such errors are "target
// unreachable".
func (t *Target) noteDown(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	err = reports.Unreachable(fmt.Errorf("management API %s: %w", t.api.Base, err))
	t.mu.Lock()
	if t.down == nil {
		t.down = err
	}
	t.mu.Unlock()
	return err
}

// release is the broker's EMQX release (emqxapi.Client.Release), asked
// once: the API differs where FIDELITY.md says.
func (t *Target) release(ctx context.Context) (emqxapi.Release, error) {
	t.relMu.Lock()
	defer t.relMu.Unlock()
	if t.relKnown {
		return t.rel, nil
	}
	rel, err := t.api.Release(ctx)
	if err != nil {
		return emqxapi.Release{}, err
	}
	t.rel, t.relKnown = rel, true
	return rel, nil
}

// warnRedacted says, once for each, that redacted values (of an
// authenticator or an authorization source) cannot be restored.
func (t *Target) warnRedacted(ids []string) {
	t.warnMu.Lock()
	defer t.warnMu.Unlock()
	if t.warned == nil {
		t.warned = map[string]bool{}
	}
	var fresh []string
	for _, id := range ids {
		if !t.warned[id] {
			t.warned[id] = true
			fresh = append(fresh, id)
		}
	}
	if len(fresh) == 0 {
		return
	}
	fmt.Fprintf(t.o.log, "authspec: %s: the broker's configuration holds values its API shows as %q (secrets of %v); "+
		"they cannot be read back, so after each scenario they are restored as that text: set them again after the run, "+
		"or judge a broker dedicated to the suite\n", t.name, emqxapi.Redacted, fresh)
}

var _ target.TokenClaimer = (*Target)(nil)
