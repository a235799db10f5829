package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/authn/builtin"
	"github.com/authspec/authspec/reference/authn/jwtauth"
	"github.com/authspec/authspec/reference/config/schema"
)

// ManagerOption configures a Manager.
type ManagerOption func(*Manager)

// WithJWKS gives the JWT authenticator its JWKS key source factory; without
// it `use_jwks: true` is refused.
func WithJWKS(f jwtauth.JWKSFactory) ManagerOption {
	return func(m *Manager) { m.jwks = f }
}

// WithBuilder registers (or replaces) the builder for an authenticator ID
// such as "scram:http".
func WithBuilder(id string, b Builder) ManagerOption {
	return func(m *Manager) { m.extra[id] = b }
}

// WithChainOptions adds options to every chain the Manager builds, e.g. the
// chain's deliberate defects (self-test only).
func WithChainOptions(opts ...authn.ChainOption) ManagerOption {
	return func(m *Manager) { m.chainOpts = append(m.chainOpts, opts...) }
}

// Manager holds the configured authentication chain and changes it as
// EMQX's /api/v5/authentication API does. It is safe for concurrent use: a
// change builds what it needs first and swaps it in only when everything
// succeeded, so a failed operation leaves the previous configuration in
// force; replaced authenticators are closed.
type Manager struct {
	env      authn.Env
	jwks     jwtauth.JWKSFactory
	extra    map[string]Builder
	builders map[string]Builder
	// chainOpts are added to every chain built (WithChainOptions).
	chainOpts []authn.ChainOption

	mu       sync.Mutex // serialises changes; readers use chain
	entries  []*entry
	settings Settings
	authz    json.RawMessage
	stores   map[string]*builtin.Store // built-in database users, by ID
	chain    atomic.Pointer[authn.Chain]
}

type entry struct {
	cfg  Authenticator
	auth authn.Authenticator
	pre  *authn.Precondition
}

// NewManager returns a Manager with an empty chain.
func NewManager(env authn.Env, opts ...ManagerOption) *Manager {
	m := &Manager{env: env, extra: map[string]Builder{}, stores: map[string]*builtin.Store{}}
	for _, o := range opts {
		o(m)
	}
	m.builders = defaultBuilders(m.jwks)
	for id, b := range m.extra {
		m.builders[id] = b
	}
	m.publish()
	return m
}

// Load parses data (see Parse) and returns a Manager running it.
func Load(data []byte, env authn.Env, opts ...ManagerOption) (*Manager, error) {
	f, err := Parse(data)
	if err != nil {
		return nil, err
	}
	m := NewManager(env, opts...)
	if err := m.Apply(f); err != nil {
		return nil, err
	}
	return m, nil
}

// Apply replaces the whole configuration with f. Errors name the field:
// `authentication[1].public_key: ...`.
func (m *Manager) Apply(f *File) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	built := make([]*entry, 0, len(f.Authentication))
	newStores := map[string]*builtin.Store{}
	fail := func(err error) error {
		closeAll(built)
		return err
	}
	for i, a := range f.Authentication {
		e, store, err := m.build(a)
		if err != nil {
			return fail(schema.Prefix(err, "authentication["+strconv.Itoa(i)+"]"))
		}
		built = append(built, e)
		if store != nil {
			newStores[a.ID] = store
		}
	}
	old := m.entries
	m.entries, m.settings, m.stores = built, f.Settings, newStores
	m.authz = f.Authorization
	m.activateStores()
	m.publish()
	closeAll(old)
	return nil
}

// Chain returns the chain currently in force.
func (m *Manager) Chain() *authn.Chain { return m.chain.Load() }

// Settings returns the authentication_settings in force.
func (m *Manager) Settings() Settings {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.settings
}

// SetSettings changes authentication_settings.
func (m *Manager) SetSettings(s Settings) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settings = s
	m.publish()
}

// Authorization returns the raw authorization block of the loaded file.
func (m *Manager) Authorization() json.RawMessage {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.authz
}

// List returns the configured authenticators in chain order.
func (m *Manager) List() []Authenticator {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Authenticator, len(m.entries))
	for i, e := range m.entries {
		out[i] = e.cfg
	}
	return out
}

// Get returns one authenticator's configuration.
func (m *Manager) Get(id string) (Authenticator, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, err := m.find(id)
	if err != nil {
		return Authenticator{}, err
	}
	return m.entries[i].cfg, nil
}

// Create appends an authenticator to the chain. Its ID comes from its
// mechanism and backend; a second one with the same ID is ErrAlreadyExists.
func (m *Manager) Create(raw json.RawMessage) (Authenticator, error) {
	a, err := ParseAuthenticator(raw)
	if err != nil {
		return Authenticator{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.find(a.ID); err == nil {
		return Authenticator{}, fmt.Errorf("%w: %s", ErrAlreadyExists, a.ID)
	}
	e, store, err := m.build(a)
	if err != nil {
		return Authenticator{}, err
	}
	m.entries = append(slices.Clip(m.entries), e)
	if store != nil {
		m.stores[a.ID] = store
	}
	m.activateStores()
	m.publish()
	return a, nil
}

// Update replaces the configuration of authenticator id; raw must have the
// same mechanism and backend. The built-in database keeps its users.
func (m *Manager) Update(id string, raw json.RawMessage) (Authenticator, error) {
	a, err := ParseAuthenticator(raw)
	if err != nil {
		return Authenticator{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	i, err := m.find(id)
	if err != nil {
		return Authenticator{}, err
	}
	if a.ID != id {
		return Authenticator{}, schema.Errorf("mechanism", "the configuration is for %s, not %s", a.ID, id)
	}
	e, _, err := m.build(a)
	if err != nil {
		return Authenticator{}, err
	}
	old := m.entries[i]
	entries := slices.Clone(m.entries)
	entries[i] = e
	m.entries = entries
	m.activateStores()
	m.publish()
	closeAll([]*entry{old})
	return a, nil
}

// Delete removes authenticator id (and, for the built-in database, its
// users, as EMQX destroys the user group).
func (m *Manager) Delete(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, err := m.find(id)
	if err != nil {
		return err
	}
	old := m.entries[i]
	m.entries = slices.Delete(slices.Clone(m.entries), i, i+1)
	delete(m.stores, id)
	m.publish()
	closeAll([]*entry{old})
	return nil
}

// Move changes the position of authenticator id: "front", "rear",
// "before:ID" or "after:ID" (EMQX's /authentication/{id}/position/{pos}).
func (m *Manager) Move(id, position string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, err := m.find(id)
	if err != nil {
		return err
	}
	e := m.entries[i]
	rest := slices.Delete(slices.Clone(m.entries), i, i+1)
	var at int
	switch {
	case position == "front":
		at = 0
	case position == "rear":
		at = len(rest)
	case strings.HasPrefix(position, "before:"), strings.HasPrefix(position, "after:"):
		where, other, _ := strings.Cut(position, ":")
		if other == id {
			return schema.Errorf("position", "cannot move %s relative to itself", id)
		}
		j := slices.IndexFunc(rest, func(x *entry) bool { return x.cfg.ID == other })
		if j < 0 {
			return fmt.Errorf("%w: %s (in position %q)", ErrNotFound, other, position)
		}
		at = j
		if where == "after" {
			at = j + 1
		}
	default:
		return schema.Errorf("position", "must be front, rear, before:ID or after:ID, got %q", position)
	}
	m.entries = slices.Insert(rest, at, e)
	m.publish()
	return nil
}

// Users returns the user store of a built-in database authenticator.
func (m *Manager) Users(id string) (*builtin.Store, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.find(id); err != nil {
		return nil, err
	}
	s, ok := m.stores[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s is not a built-in database", ErrNoUsers, id)
	}
	return s, nil
}

// Close closes every authenticator; the chain becomes empty.
func (m *Manager) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := m.entries
	m.entries = nil
	m.publish()
	return closeAll(old)
}

// build makes one authenticator and its precondition. For the built-in
// database it also returns the store it uses: the current one for its ID,
// or a new one.
func (m *Manager) build(a Authenticator) (*entry, *builtin.Store, error) {
	pre, err := authn.ParsePrecondition(a.Precondition)
	if err != nil {
		return nil, nil, schema.Errorf("precondition", "%v", err)
	}
	var (
		auth  authn.Authenticator
		store *builtin.Store
	)
	if a.ID == builtinID {
		store = m.stores[a.ID]
		if store == nil {
			store = builtin.NewStore()
		}
		auth, err = builtin.New(a.Raw, m.env, builtin.WithStore(store))
	} else {
		b, ok := m.builders[a.ID]
		if !ok {
			return nil, nil, schema.Errorf("mechanism", "unknown authenticator %s (the reference has %s)", a.ID, strings.Join(m.known(), ", "))
		}
		auth, err = b(a.Raw, m.env)
	}
	if err != nil {
		return nil, nil, err
	}
	if auth == nil {
		return nil, nil, schema.Errorf("mechanism", "the %s builder returned no authenticator", a.ID)
	}
	return &entry{cfg: a, auth: auth, pre: pre}, store, nil
}

func (m *Manager) known() []string {
	ids := []string{builtinID}
	for id := range m.builders {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func (m *Manager) find(id string) (int, error) {
	for i, e := range m.entries {
		if e.cfg.ID == id {
			return i, nil
		}
	}
	return -1, fmt.Errorf("%w: %s", ErrNotFound, id)
}

// activateStores gives each built-in database store the hash algorithm of
// the authenticator now in force, for passwords added from now on.
func (m *Manager) activateStores() {
	for _, e := range m.entries {
		if b, ok := e.auth.(*builtin.Authenticator); ok {
			if s, ok := m.stores[e.cfg.ID]; ok {
				s.SetHashAlgorithm(b.Config().HashAlgorithm)
			}
		}
	}
}

// publish builds the chain from the entries and swaps it in. Called with
// m.mu held.
func (m *Manager) publish() {
	entries := make([]authn.Entry, len(m.entries))
	for i, e := range m.entries {
		entries[i] = authn.Entry{Authenticator: e.auth, Enable: e.cfg.Enable, Precondition: e.pre}
	}
	opts := append([]authn.ChainOption{authn.WithIgnoreBackendFailures(m.settings.IgnoreBackendFailures)}, m.chainOpts...)
	m.chain.Store(authn.NewChain(m.env, entries, opts...))
}

func closeAll(entries []*entry) error {
	var errs []error
	for _, e := range entries {
		if err := e.auth.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close %s: %w", e.cfg.ID, err))
		}
	}
	return errors.Join(errs...)
}
