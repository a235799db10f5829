package reference

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/authn/jwtauth"
	"github.com/authspec/authspec/reference/authn/scramhttp"
	"github.com/authspec/authspec/reference/authz"
	"github.com/authspec/authspec/reference/config"
)

// configState is the broker's configuration in force: the authentication
// chain (held by config.Manager, which the management API changes) and the
// authorization settings (parsed here, also changeable through the API).
type configState struct {
	mgr *config.Manager

	mu    sync.RWMutex
	authz authz.Settings
	// sources are the authorization sources as the API shows them, in
	// order: the file sources the engine runs (also in authz.Sources) and
	// built_in_database sources, whose rule tables the reference does not
	// serve, so they stay empty and match nothing (as an empty one does
	// in EMQX) and are not handed to the engine.
	sources []json.RawMessage
}

func newConfigState(env authn.Env, o options, d defectOptions) (*configState, error) {
	opts := []config.ManagerOption{
		config.WithJWKS(jwksFactory(o, d)),
		config.WithChainOptions(authn.WithDefects(d.chain...)),
		config.WithBuilder(scramhttp.ID, func(raw json.RawMessage, env authn.Env) (authn.Authenticator, error) {
			return scramhttp.New(raw, env, scramhttp.WithDefects(d.scram...), scramhttp.WithACLDefects(authz.NewDefects(d.acl...)))
		}),
		config.WithBuilder(jwtauth.ID, func(raw json.RawMessage, env authn.Env) (authn.Authenticator, error) {
			return jwtauth.New(raw, env, jwtauth.WithJWKS(jwksFactory(o, d)), jwtauth.WithDefects(d.jwt...),
				jwtauth.WithACLDefects(authz.NewDefects(d.acl...)))
		}),
	}
	var (
		mgr *config.Manager
		err error
	)
	if len(o.config) == 0 {
		mgr = config.NewManager(env, opts...)
	} else if mgr, err = config.Load(o.config, env, opts...); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	// The sources go in through setAuthzSources, which knows the ones the
	// engine does not run; the rest of the block is parsed as it is.
	block, sources, err := config.SplitAuthorization(mgr.Authorization())
	if err != nil {
		_ = mgr.Close()
		return nil, fmt.Errorf("configuration: %w", err)
	}
	settings, err := authz.ParseSettings(block)
	if err != nil {
		_ = mgr.Close()
		return nil, fmt.Errorf("configuration: %w", err)
	}
	c := &configState{mgr: mgr, authz: settings}
	if err := c.setAuthzSources(sources, "authorization."); err != nil {
		_ = mgr.Close()
		return nil, fmt.Errorf("configuration: %w", err)
	}
	return c, nil
}

func (c *configState) close() { _ = c.mgr.Close() }

func (c *configState) authzSettings() authz.Settings {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.authz
}

// setAuthzSettings applies the fields of fields (an object: the settings
// the management API owns) over the authorization block in force, its
// sources included; the previous settings stay in force on error.
func (c *configState) setAuthzSettings(fields json.RawMessage) (authz.Settings, error) {
	var update map[string]json.RawMessage
	if err := json.Unmarshal(fields, &update); err != nil {
		return authz.Settings{}, fmt.Errorf("authorization: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	block, err := blockOf(c.authz)
	if err != nil {
		return authz.Settings{}, err
	}
	for k, v := range update {
		block[k] = v
	}
	s, err := parseBlock(block)
	if err != nil {
		return authz.Settings{}, err
	}
	c.authz = s
	return s, nil
}

// authzSources returns the authorization sources as the API shows them.
func (c *configState) authzSources() []json.RawMessage {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Clone(c.sources)
}

// setAuthzSources validates a whole list of sources and puts it in force;
// the previous sources stay in force on error. Errors name the source as
// prefix+"sources[i]".
func (c *configState) setAuthzSources(list []json.RawMessage, prefix string) error {
	engine, shown, err := config.SplitSources(list, prefix)
	if err != nil {
		return err
	}
	engineList, err := json.Marshal(engine)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	block, err := blockOf(c.authz)
	if err != nil {
		return err
	}
	block["sources"] = engineList
	s, err := parseBlock(block)
	if err != nil {
		return err
	}
	c.authz = s
	c.sources = shown
	return nil
}

// blockOf is an authorization block as EMQX-shaped JSON fields.
func blockOf(s authz.Settings) (map[string]json.RawMessage, error) {
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var block map[string]json.RawMessage
	if err := json.Unmarshal(raw, &block); err != nil {
		return nil, err
	}
	return block, nil
}

func parseBlock(block map[string]json.RawMessage) (authz.Settings, error) {
	raw, err := json.Marshal(block)
	if err != nil {
		return authz.Settings{}, err
	}
	return authz.ParseSettings(raw)
}

// chain returns the authentication chain in force.
func (b *Broker) chain() *authn.Chain { return b.cfg.mgr.Chain() }

// authenticatorByID finds the authenticator that completed an enhanced
// authentication, for re-authentication.
func (b *Broker) authenticatorByID(id string) authn.Authenticator {
	if a, ok := b.chain().Authenticator(id); ok {
		return a
	}
	return nil
}
