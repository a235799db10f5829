package apitarget

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
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
	// The authorization sources before, and what was done to them.
	prevSources   []map[string]any
	sourceChanges []sourceChange
	sourcesMoved  bool
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
	i.resolver = target.Resolver{Keys: s.Keys, Dir: i.dir, ScramBackendURL: s.ScramBackendURL, JWKS: s.JWKS, OIDC: s.OIDC}
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
// when the broker's differs from the scenario's. EMQX 5.x has no such
// setting (nor the endpoint): false is how it behaves, and true is not
// applicable there; the same on a 6.x that does not show the field.
func (i *instance) setAuthentication(ctx context.Context, s target.Setup) error {
	rel, err := i.t.release(ctx)
	if err != nil {
		return err
	}
	if rel.Before6() {
		if s.IgnoreBackendFailures {
			return target.NotApplicable("needs authentication_settings.ignore_backend_failures; EMQX %s has no such setting", rel.Version)
		}
		return nil
	}
	cur, err := i.t.api.GetSettings(ctx, emqxapi.AuthenticationSettingsPath)
	if err != nil {
		return err
	}
	have, shown := cur["ignore_backend_failures"].(bool)
	switch {
	case !shown && s.IgnoreBackendFailures:
		return target.NotApplicable("needs authentication_settings.ignore_backend_failures; the broker's settings have no such field (EMQX before 6.1)")
	case !shown || have == s.IgnoreBackendFailures:
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

// setAuthorization gives the broker the scenario's authorization: its
// settings through /authorization/settings (the fields the broker shows,
// the scenario's over them), its sources through /authorization/sources.
// A scenario's authorization replaces the sources: those it does not name
// are disabled (not deleted, so their secrets survive), those it names are
// replaced in place or added, and put in the scenario's order.
func (i *instance) setAuthorization(ctx context.Context, s target.Setup) error {
	if s.Authorization == nil {
		return nil
	}
	settings, sources, err := splitAuthorization(s.Authorization)
	if err != nil {
		return err
	}
	api := i.t.api
	cur, err := api.GetSettings(ctx, emqxapi.AuthorizationSettingsPath)
	if err != nil {
		return err
	}
	// Only the settings' own fields go back: EMQX's GET shows no sources,
	// and a PUT would drop them silently (FIDELITY.md).
	delete(cur, "sources")
	next := copyMap(cur)
	for k, v := range settings {
		if _, ok := cur[k]; !ok {
			return target.NotApplicable("configures authorization.%s; the broker's authorization settings have no such field", k)
		}
		next[k] = v
	}
	if !sameJSON(next, cur) {
		if err := api.PutSettings(ctx, emqxapi.AuthorizationSettingsPath, next); err != nil {
			return err
		}
		i.prevAuthz = cur
	}
	return i.setSources(ctx, sources)
}

// splitAuthorization separates a scenario's authorization object into its
// settings and its sources (none when it gives none, as a broker
// configured with that object would have).
func splitAuthorization(authz map[string]any) (map[string]any, []map[string]any, error) {
	settings := map[string]any{}
	var sources []map[string]any
	for k, v := range authz {
		if k != "sources" {
			settings[k] = v
			continue
		}
		list, ok := v.([]any)
		if !ok {
			return nil, nil, fmt.Errorf("the scenario's authorization.sources is not a list")
		}
		seen := map[string]bool{}
		for n, item := range list {
			src, ok := item.(map[string]any)
			typ, _ := src["type"].(string)
			if !ok || typ == "" {
				return nil, nil, fmt.Errorf("the scenario's authorization.sources[%d] has no type", n)
			}
			if seen[typ] {
				return nil, nil, fmt.Errorf("the scenario's authorization.sources has two of type %q", typ)
			}
			seen[typ] = true
			sources = append(sources, src)
		}
	}
	return settings, sources, nil
}

// sourceChange is what was done to one source, to undo it.
type sourceChange struct {
	typ string
	// prev is the source as the broker showed it before, nil when the
	// scenario added it.
	prev map[string]any
	// replaced: the scenario's configuration took its place, so what the
	// broker redacted in prev is lost.
	replaced bool
}

func (i *instance) setSources(ctx context.Context, want []map[string]any) error {
	api := i.t.api
	prev, err := api.Sources(ctx)
	if err != nil {
		return err
	}
	i.prevSources = prev
	wanted := map[string]map[string]any{}
	for _, w := range want {
		wanted[w["type"].(string)] = w
	}
	var order []string // the broker's order as it will be
	for _, p := range prev {
		typ, _ := p["type"].(string)
		order = append(order, typ)
		if w, ok := wanted[typ]; ok {
			if err := api.UpdateSource(ctx, typ, w); err != nil {
				return fmt.Errorf("the broker refused the scenario's %s source: %w", typ, err)
			}
			i.sourceChanges = append(i.sourceChanges, sourceChange{typ: typ, prev: p, replaced: true})
			continue
		}
		if enabled, _ := p["enable"].(bool); !enabled {
			continue
		}
		off := copyMap(p)
		off["enable"] = false
		if err := api.UpdateSource(ctx, typ, off); err != nil {
			return err
		}
		i.sourceChanges = append(i.sourceChanges, sourceChange{typ: typ, prev: p})
	}
	// New sources are posted last first, since EMQX puts each first.
	var added []string
	for n := len(want) - 1; n >= 0; n-- {
		typ := want[n]["type"].(string)
		if slices.Contains(order, typ) {
			continue
		}
		if err := api.CreateSource(ctx, want[n]); err != nil {
			return fmt.Errorf("the broker refused the scenario's %s source: %w", typ, err)
		}
		i.sourceChanges = append(i.sourceChanges, sourceChange{typ: typ})
		added = append([]string{typ}, added...)
	}
	order = append(added, order...)
	// The scenario's sources must be consulted in its order; the disabled
	// ones between them do not matter.
	var wantOrder, haveOrder []string
	for _, w := range want {
		wantOrder = append(wantOrder, w["type"].(string))
	}
	for _, typ := range order {
		if _, ok := wanted[typ]; ok {
			haveOrder = append(haveOrder, typ)
		}
	}
	if slices.Equal(wantOrder, haveOrder) {
		return nil
	}
	i.sourcesMoved = true
	for _, typ := range wantOrder {
		if err := api.MoveSource(ctx, typ, "rear"); err != nil {
			return err
		}
	}
	return nil
}

// restoreSources undoes setSources: added sources deleted, the others put
// back as they were shown, in their previous order.
func (i *instance) restoreSources(ctx context.Context) error {
	api := i.t.api
	var redacted []string
	for n := len(i.sourceChanges) - 1; n >= 0; n-- {
		c := i.sourceChanges[n]
		if c.prev == nil {
			if err := api.DeleteSource(ctx, c.typ); err != nil {
				return fmt.Errorf("delete the scenario's %s source: %w", c.typ, err)
			}
			continue
		}
		if c.replaced && emqxapi.HasRedacted(c.prev) {
			redacted = append(redacted, "authorization source "+c.typ)
		}
		if err := api.UpdateSource(ctx, c.typ, c.prev); err != nil {
			return fmt.Errorf("put back the %s source: %w", c.typ, err)
		}
	}
	if i.sourcesMoved {
		for _, p := range i.prevSources {
			typ, _ := p["type"].(string)
			if err := api.MoveSource(ctx, typ, "rear"); err != nil {
				return fmt.Errorf("put back the sources' order: %w", err)
			}
		}
	}
	if len(redacted) > 0 {
		i.t.warnRedacted(redacted)
	}
	return nil
}

func sameJSON(a, b map[string]any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// Close puts the previous chain and settings back.
func (i *instance) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), restoreTimeout)
	defer cancel()
	var errs []error
	if i.chainTouched {
		errs = append(errs, i.restoreChain(ctx))
	}
	errs = append(errs, i.restoreSources(ctx))
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
