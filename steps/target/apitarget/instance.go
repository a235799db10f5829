package apitarget

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/authspec/authspec/steps/target"
	"github.com/authspec/authspec/steps/target/emqxapi"
)

// builtinDatabase is the ID of EMQX's password authenticator with users in
// its own database, where a scenario's users go.
const builtinDatabase = "password_based:built_in_database"

// restoreTimeout bounds putting the previous chain back (Close has no
// context of its own).
const restoreTimeout = 30 * time.Second

// instance is the broker during one scenario: what it had before, to put
// back at Close, and what the scenario gave it.
type instance struct {
	t        *Target
	resolver target.Resolver
	dir      string
	applied  []target.Applied

	// What was there before; each is put back only when it was changed.
	prevChain    []map[string]any
	chainTouched bool
	prevAuthz    map[string]any
	prevAuthn    map[string]any
}

func (i *instance) provision(ctx context.Context, s target.Setup) error {
	if *i.t.o.sharedFiles {
		dir, err := os.MkdirTemp("", "authspec-keys-")
		if err != nil {
			return err
		}
		// The broker runs as another user, perhaps: the files are public
		// keys and certificates, nothing secret.
		if err := os.Chmod(dir, 0o755); err != nil {
			return err
		}
		i.dir = dir
	}
	i.resolver = target.Resolver{Keys: s.Keys, Dir: i.dir, ScramBackendURL: s.ScramBackendURL, JWKS: s.JWKS}
	applied, err := i.resolver.Resolve(s.Authentication)
	if err != nil {
		return err
	}
	api := i.t.api
	if i.prevChain, err = api.Authenticators(ctx); err != nil {
		return err
	}
	i.chainTouched = true
	for _, a := range i.prevChain {
		id, _ := a["id"].(string)
		if err := api.DeleteAuthenticator(ctx, id); err != nil {
			return err
		}
	}
	for _, a := range applied {
		if err := i.create(ctx, a.Config); err != nil {
			return fmt.Errorf("the broker refused the scenario's %s authenticator: %w", target.Mechanism(a.Config), err)
		}
	}
	i.applied = applied
	for _, u := range s.Users {
		if err := api.AddUser(ctx, builtinDatabase, u); err != nil {
			return err
		}
	}
	if err := i.setAuthentication(ctx, s); err != nil {
		return err
	}
	return i.setAuthorization(ctx, s)
}

func (i *instance) create(ctx context.Context, cfg map[string]any) error {
	body, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	return i.t.api.CreateAuthenticator(ctx, body)
}

// setAuthentication sets authentication_settings.ignore_backend_failures
// when the broker's differs from the scenario's.
func (i *instance) setAuthentication(ctx context.Context, s target.Setup) error {
	cur, err := i.t.api.GetSettings(ctx, emqxapi.AuthenticationSettingsPath)
	var se *emqxapi.StatusError
	if errors.As(err, &se) && se.Status == http.StatusNotFound && !s.IgnoreBackendFailures {
		return nil // an EMQX without the settings endpoint behaves as false
	}
	if err != nil {
		return err
	}
	if have, _ := cur["ignore_backend_failures"].(bool); have == s.IgnoreBackendFailures {
		return nil
	}
	next := copyMap(cur)
	next["ignore_backend_failures"] = s.IgnoreBackendFailures
	if err := i.t.api.PutSettings(ctx, emqxapi.AuthenticationSettingsPath, next); err != nil {
		return err
	}
	i.prevAuthn = cur
	return nil
}

// setAuthorization replaces the authorization settings (no_match,
// deny_action, cache, sources) when the scenario gives them.
func (i *instance) setAuthorization(ctx context.Context, s target.Setup) error {
	if s.Authorization == nil {
		return nil
	}
	cur, err := i.t.api.GetSettings(ctx, emqxapi.AuthorizationSettingsPath)
	if err != nil {
		return err
	}
	if err := i.t.api.PutSettings(ctx, emqxapi.AuthorizationSettingsPath, s.Authorization); err != nil {
		return err
	}
	i.prevAuthz = cur
	return nil
}

// Close puts the previous chain and settings back.
func (i *instance) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), restoreTimeout)
	defer cancel()
	var errs []error
	if i.chainTouched {
		errs = append(errs, i.restoreChain(ctx))
	}
	if i.prevAuthz != nil {
		errs = append(errs, i.t.api.PutSettings(ctx, emqxapi.AuthorizationSettingsPath, i.prevAuthz))
	}
	if i.prevAuthn != nil {
		errs = append(errs, i.t.api.PutSettings(ctx, emqxapi.AuthenticationSettingsPath, i.prevAuthn))
	}
	if i.dir != "" {
		errs = append(errs, os.RemoveAll(i.dir))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("restoring %s's previous configuration: %w", i.t.name, err)
	}
	return nil
}

func (i *instance) restoreChain(ctx context.Context) error {
	api := i.t.api
	ids, err := api.AuthenticatorIDs(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := api.DeleteAuthenticator(ctx, id); err != nil {
			return err
		}
	}
	var redacted []string
	for _, a := range i.prevChain {
		cfg := copyMap(a)
		delete(cfg, "id")
		if emqxapi.HasRedacted(cfg) {
			redacted = append(redacted, target.Mechanism(cfg))
		}
		if err := i.create(ctx, cfg); err != nil {
			return fmt.Errorf("re-create %s: %w", target.Mechanism(cfg), err)
		}
	}
	if len(redacted) > 0 {
		i.t.warnRedacted(redacted)
	}
	return nil
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (i *instance) Dial(ctx context.Context) (net.Conn, error) { return i.t.ep.Dial(ctx) }
func (i *instance) Versions() []target.Version {
	v, _ := i.t.reach.Spoken(i.t.ep)
	return v
}

// VersionNote is target.VersionNoter.
func (i *instance) VersionNote(v target.Version) string {
	if _, note := i.t.reach.Spoken(i.t.ep); v == target.MQTT5 {
		return note
	}
	return ""
}
func (i *instance) Authenticators() []target.Applied { return i.applied }

// PeerHost is target.PeerHoster.
func (i *instance) PeerHost() string { return i.t.o.peerHost }

// Client asks the clients API (target.ClientInspector).
func (i *instance) Client(ctx context.Context, clientID string) (target.ClientInfo, bool, error) {
	return i.t.api.Client(ctx, clientID)
}

// CreateAuthenticator resolves a configuration's placeholders and posts it
// (target.AuthenticatorAdmin).
func (i *instance) CreateAuthenticator(ctx context.Context, config map[string]any) error {
	applied, err := i.resolver.Resolve([]map[string]any{config})
	if err != nil {
		return err
	}
	if err := i.create(ctx, applied[0].Config); err != nil {
		return err
	}
	i.applied = append(i.applied, applied[0])
	return nil
}

// AuthenticatorIDs lists the chain (target.AuthenticatorAdmin).
func (i *instance) AuthenticatorIDs(ctx context.Context) ([]string, error) {
	return i.t.api.AuthenticatorIDs(ctx)
}
