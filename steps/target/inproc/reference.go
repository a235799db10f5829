// Package inproc is the in-process reference target: every scenario gets a
// fresh reference broker on free loopback ports, so scenarios are isolated
// from each other and run concurrently.
package inproc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/authspec/authspec/reference"
	"github.com/authspec/authspec/reference/config/security"
	"github.com/authspec/authspec/steps/target"
	"github.com/authspec/authspec/steps/target/emqxapi"
)

// Reference is the bundled reference broker as a target.
type Reference struct {
	// Faults are switched on in every broker started (the self-test, or a
	// user who wants to see a failing report).
	Faults []string
	// Options are added to every Start (a logger, a clock).
	Options []reference.Option
	// Readings declares readings of the catalogue's ambiguities, as a
	// profile's variants do (target.Varianted): with the fault that makes
	// the reference follow that reading, the scenarios expecting it pass
	// (steps' variant tests).
	Readings map[string]string
	// IdleTimeout is the brokers' connect idle timeout (EMQX's
	// mqtt.idle_timeout; DefaultIdleTimeout when zero).
	IdleTimeout time.Duration
}

// DefaultIdleTimeout is the in-process reference's connect idle timeout,
// far below EMQX's 15 s (the reference's own default), so that the SCRAM-24
// scenario, whose client pauses in the middle of an AUTH exchange for
// longer than the idle timeout (target.IdleTimeout), takes about two seconds
// instead of fifteen. The timeout only bounds the wait for the CONNECT
// after a TCP accept (the reference's AUTH steps have their own, far longer
// bound, reference.WithAuthStepTimeout); scenario clients send their
// CONNECT as soon as the connection opens.
const DefaultIdleTimeout = 2 * time.Second

func (r Reference) idleTimeout() time.Duration {
	if r.IdleTimeout > 0 {
		return r.IdleTimeout
	}
	return DefaultIdleTimeout
}

// Name is "reference", or "reference+FAULT..." with faults on, so a faulty
// run's reports never overwrite a clean one's.
func (r Reference) Name() string {
	name := "reference"
	for _, f := range r.Faults {
		name += "+" + f
	}
	return name
}

// Variants is target.Varianted.
func (r Reference) Variants() map[string]string { return r.Readings }

// AllVersions: the reference runs each protocol-independent scenario on
// MQTT 5 and on 3.1.1, so its run proves both (target.AllVersions).
func (r Reference) AllVersions() bool { return true }

// builtinDatabase is the ID of EMQX's password authenticator with users in
// its own database.
const builtinDatabase = "password_based:built_in_database"

// Provision starts a reference broker configured as s describes.
func (r Reference) Provision(ctx context.Context, s target.Setup) (target.Instance, error) {
	profile, ok := security.Parse(string(s.Profile))
	if !ok {
		return nil, fmt.Errorf("unknown security profile %q", s.Profile)
	}
	dir, err := os.MkdirTemp("", "authspec-keys-")
	if err != nil {
		return nil, err
	}
	inst := &instance{dir: dir, idle: r.idleTimeout(),
		resolver: target.Resolver{Keys: s.Keys, Dir: dir, ScramBackendURL: s.ScramBackendURL, JWKS: s.JWKS, OIDC: s.OIDC}}
	applied, err := inst.resolver.Resolve(s.Authentication)
	if err != nil {
		inst.Close()
		return nil, err
	}
	inst.applied = applied
	cfg, err := configObject(applied, s)
	if err != nil {
		inst.Close()
		return nil, err
	}
	opts := append([]reference.Option{
		reference.WithMQTTListen("127.0.0.1:0"),
		reference.WithAPIListen("127.0.0.1:0"),
		reference.WithConfig(cfg),
		reference.WithSecurityProfile(profile),
		reference.WithFault(r.Faults...),
		reference.WithConnectTimeout(inst.idle),
	}, r.Options...)
	if !s.KeepJWKSRefreshFloor {
		opts = append(opts, reference.WithJWKSMinRefresh(JWKSMinRefresh))
	}
	b, err := reference.Start(ctx, opts...)
	if err != nil {
		inst.Close()
		return nil, fmt.Errorf("start the reference: %w (configuration %s)", err, cfg)
	}
	inst.broker = b
	key, secret := b.APIKey()
	inst.api = &emqxapi.Client{Base: b.APIURL(), Key: key, Secret: secret}
	for _, u := range s.Users {
		if err := inst.api.AddUser(ctx, builtinDatabase, u); err != nil {
			inst.Close()
			return nil, err
		}
	}
	return inst, nil
}

// configObject renders the object form of the configuration the reference
// takes (reference.WithConfig).
func configObject(applied []target.Applied, s target.Setup) ([]byte, error) {
	chain := make([]map[string]any, len(applied))
	for i, a := range applied {
		chain[i] = a.Config
	}
	obj := map[string]any{
		"authentication":          chain,
		"authentication_settings": map[string]any{"ignore_backend_failures": s.IgnoreBackendFailures},
	}
	if s.Authorization != nil {
		obj["authorization"] = s.Authorization
	}
	return json.Marshal(obj)
}

type instance struct {
	resolver target.Resolver
	broker   *reference.Broker
	api      *emqxapi.Client
	applied  []target.Applied
	dir      string
	idle     time.Duration
}

func (i *instance) Dial(ctx context.Context) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", i.broker.MQTTAddr())
}

func (i *instance) Versions() []target.Version {
	return []target.Version{target.MQTT5, target.MQTT311}
}

func (i *instance) Authenticators() []target.Applied { return i.applied }

// IdleTimeout is the broker's connect idle timeout (target.IdleTimeouter).
func (i *instance) IdleTimeout() time.Duration { return i.idle }

// Client reads the broker's own view of the client, which is what the
// clients REST API would return.
func (i *instance) Client(_ context.Context, clientID string) (target.ClientInfo, bool, error) {
	info, ok := i.broker.Client(clientID)
	if !ok {
		return target.ClientInfo{}, false, nil
	}
	return target.ClientInfo{
		ClientID: info.ClientID, Username: info.Username, Connected: info.Connected,
		IsSuperuser: info.Grant.Superuser, ClientAttrs: info.ClientAttrs,
	}, true, nil
}

// CreateAuthenticator resolves the configuration's key placeholders (files
// land in the instance's directory) and posts it to the management API.
func (i *instance) CreateAuthenticator(ctx context.Context, config map[string]any) error {
	applied, err := i.resolver.Resolve([]map[string]any{config})
	if err != nil {
		return err
	}
	body, err := json.Marshal(applied[0].Config)
	if err != nil {
		return err
	}
	if err := i.api.CreateAuthenticator(ctx, body); err != nil {
		return err
	}
	// The broker appends it to its chain; so does what the suite signs for.
	i.applied = append(i.applied, applied[0])
	return nil
}

func (i *instance) AuthenticatorIDs(ctx context.Context) ([]string, error) {
	return i.api.AuthenticatorIDs(ctx)
}

func (i *instance) Close() error {
	var errs []error
	if i.broker != nil {
		errs = append(errs, i.broker.Close())
	}
	if i.dir != "" {
		errs = append(errs, os.RemoveAll(i.dir))
	}
	return errors.Join(errs...)
}
