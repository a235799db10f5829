package reference

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/authspec/authspec/reference/authn"
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
}

func newConfigState(env authn.Env, o options) (*configState, error) {
	opts := []config.ManagerOption{
		config.WithJWKS(jwksFactory(o)),
		config.WithBuilder("scram:http", scramhttp.New),
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
	settings, err := authz.ParseSettings(mgr.Authorization())
	if err != nil {
		_ = mgr.Close()
		return nil, fmt.Errorf("configuration: %w", err)
	}
	return &configState{mgr: mgr, authz: settings}, nil
}

func (c *configState) close() { _ = c.mgr.Close() }

func (c *configState) authzSettings() authz.Settings {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.authz
}

// setAuthzSettings validates and applies an authorization block; the
// previous settings stay in force on error.
func (c *configState) setAuthzSettings(raw json.RawMessage) (authz.Settings, error) {
	s, err := authz.ParseSettings(raw)
	if err != nil {
		return authz.Settings{}, err
	}
	c.mu.Lock()
	c.authz = s
	c.mu.Unlock()
	return s, nil
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
