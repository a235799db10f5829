package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"sync"
)

// fakeBackend is an in-memory Backend: enough of the broker's behaviour to
// test the HTTP layer (the real one is tested with the broker).
type fakeBackend struct {
	mu      sync.Mutex
	chain   []Authenticator
	users   map[string]map[string]fakeUser // authenticator ID -> user ID -> user
	clients map[string]Client
	kicked  []string
	authn   json.RawMessage
	authz   json.RawMessage
	sources []json.RawMessage
	panicOn string // method name that panics, to test recovery
}

type fakeUser struct {
	User
	password string
}

func newFake() *fakeBackend {
	return &fakeBackend{
		users:   map[string]map[string]fakeUser{},
		clients: map[string]Client{},
		authn:   json.RawMessage(`{"node_cache":{"enable":false}}`),
		authz:   json.RawMessage(`{"no_match":"allow","deny_action":"ignore","cache":{"enable":true}}`),
	}
}

func (f *fakeBackend) maybePanic(method string) {
	if f.panicOn == method {
		panic("fake backend: " + method)
	}
}

// parse checks a configuration the way the broker would, on a few fields.
func parseFakeConfig(config json.RawMessage) (string, error) {
	var c struct {
		Mechanism string `json:"mechanism"`
		Backend   string `json:"backend"`
		Secret    string `json:"secret"`
		Base64    bool   `json:"secret_base64_encoded"`
	}
	if err := json.Unmarshal(config, &c); err != nil {
		return "", fmt.Errorf("authentication: %v", err)
	}
	switch c.Mechanism {
	case "jwt":
		if _, err := base64.StdEncoding.DecodeString(c.Secret); c.Base64 && err != nil {
			return "", fmt.Errorf("secret: invalid_secret: not valid base64")
		}
		return "jwt", nil
	case "password_based", "scram":
		if c.Backend == "" {
			return "", fmt.Errorf("backend: field required")
		}
		return c.Mechanism + ":" + c.Backend, nil
	}
	return "", fmt.Errorf("mechanism: unknown value %q", c.Mechanism)
}

func (f *fakeBackend) find(id string) int {
	return slices.IndexFunc(f.chain, func(a Authenticator) bool { return a.ID == id })
}

func (f *fakeBackend) ListAuthenticators(ctx context.Context) ([]Authenticator, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.maybePanic("ListAuthenticators")
	return slices.Clone(f.chain), nil
}

func (f *fakeBackend) GetAuthenticator(ctx context.Context, id string) (Authenticator, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.find(id)
	if i < 0 {
		return Authenticator{}, ErrNotFound
	}
	return f.chain[i], nil
}

func (f *fakeBackend) CreateAuthenticator(ctx context.Context, config json.RawMessage) (Authenticator, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id, err := parseFakeConfig(config)
	if err != nil {
		return Authenticator{}, err
	}
	if f.find(id) >= 0 {
		return Authenticator{}, AlreadyExists("Authenticator '%s' already exist", id)
	}
	a := Authenticator{ID: id, Config: config}
	f.chain = append(f.chain, a)
	return a, nil
}

func (f *fakeBackend) UpdateAuthenticator(ctx context.Context, id string, config json.RawMessage) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.find(id)
	if i < 0 {
		return ErrNotFound
	}
	newID, err := parseFakeConfig(config)
	if err != nil {
		return err
	}
	if newID != id {
		return fmt.Errorf("Change of authentication type is not allowed")
	}
	f.chain[i].Config = config
	return nil
}

func (f *fakeBackend) DeleteAuthenticator(ctx context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.find(id)
	if i < 0 {
		return ErrNotFound
	}
	f.chain = slices.Delete(f.chain, i, i+1)
	return nil
}

func (f *fakeBackend) MoveAuthenticator(ctx context.Context, id string, to Position) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.find(id)
	if i < 0 {
		return ErrNotFound
	}
	a := f.chain[i]
	rest := slices.Delete(slices.Clone(f.chain), i, i+1)
	at := 0
	switch to.Where {
	case Rear:
		at = len(rest)
	case Before, After:
		j := slices.IndexFunc(rest, func(b Authenticator) bool { return b.ID == to.Relative })
		if j < 0 {
			return NotFound("Authenticator '%s' does not exist", to.Relative)
		}
		at = j
		if to.Where == After {
			at++
		}
	}
	f.chain = slices.Insert(rest, at, a)
	return nil
}

func (f *fakeBackend) ReorderAuthenticators(ctx context.Context, ids []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(ids) != len(f.chain) {
		return fmt.Errorf("No positions are specified for some authenticators")
	}
	var out []Authenticator
	for _, id := range ids {
		i := f.find(id)
		if i < 0 {
			return fmt.Errorf("Authenticators: %s are not found", id)
		}
		out = append(out, f.chain[i])
	}
	f.chain = out
	return nil
}

func (f *fakeBackend) userDB(id string) (map[string]fakeUser, error) {
	if f.find(id) < 0 {
		return nil, NotFound("Authenticator '%s' does not exist", id)
	}
	if id != "password_based:built_in_database" {
		return nil, ErrUnsupported
	}
	if f.users[id] == nil {
		f.users[id] = map[string]fakeUser{}
	}
	return f.users[id], nil
}

func (f *fakeBackend) ListUsers(ctx context.Context, id string) ([]User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	db, err := f.userDB(id)
	if err != nil {
		return nil, err
	}
	var out []User
	for _, u := range db {
		out = append(out, u.User)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UserID < out[j].UserID })
	return out, nil
}

func (f *fakeBackend) AddUser(ctx context.Context, id string, u NewUser) (User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	db, err := f.userDB(id)
	if err != nil {
		return User{}, err
	}
	if _, ok := db[u.UserID]; ok {
		return User{}, AlreadyExists("User already exists")
	}
	db[u.UserID] = fakeUser{User{u.UserID, u.IsSuperuser}, u.Password}
	return db[u.UserID].User, nil
}

func (f *fakeBackend) GetUser(ctx context.Context, id, userID string) (User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	db, err := f.userDB(id)
	if err != nil {
		return User{}, err
	}
	u, ok := db[userID]
	if !ok {
		return User{}, ErrNotFound
	}
	return u.User, nil
}

func (f *fakeBackend) UpdateUser(ctx context.Context, id, userID string, up UserUpdate) (User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	db, err := f.userDB(id)
	if err != nil {
		return User{}, err
	}
	u, ok := db[userID]
	if !ok {
		return User{}, ErrNotFound
	}
	if up.Password != nil {
		u.password = *up.Password
	}
	if up.IsSuperuser != nil {
		u.IsSuperuser = *up.IsSuperuser
	}
	db[userID] = u
	return u.User, nil
}

func (f *fakeBackend) DeleteUser(ctx context.Context, id, userID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	db, err := f.userDB(id)
	if err != nil {
		return err
	}
	if _, ok := db[userID]; !ok {
		return ErrNotFound
	}
	delete(db, userID)
	return nil
}

func (f *fakeBackend) LookupClient(ctx context.Context, clientID string) (Client, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.clients[clientID]
	if !ok {
		return Client{}, ErrNotFound
	}
	return c, nil
}

func (f *fakeBackend) KickClient(ctx context.Context, clientID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.clients[clientID]; !ok {
		return ErrNotFound
	}
	delete(f.clients, clientID)
	f.kicked = append(f.kicked, clientID)
	return nil
}

func (f *fakeBackend) AuthenticationSettings(ctx context.Context) (json.RawMessage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.authn, nil
}

func (f *fakeBackend) SetAuthenticationSettings(ctx context.Context, s json.RawMessage) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	var v map[string]json.RawMessage
	if err := json.Unmarshal(s, &v); err != nil {
		return err
	}
	for k := range v {
		if k != "node_cache" && k != "ignore_backend_failures" {
			return fmt.Errorf("authentication_settings.%s: unknown field", k)
		}
	}
	f.authn = s
	return nil
}

func (f *fakeBackend) AuthorizationSettings(ctx context.Context) (json.RawMessage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.authz, nil
}

func (f *fakeBackend) SetAuthorizationSettings(ctx context.Context, s json.RawMessage) (json.RawMessage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var v struct {
		NoMatch string `json:"no_match"`
	}
	if err := json.Unmarshal(s, &v); err != nil {
		return nil, err
	}
	if v.NoMatch != "allow" && v.NoMatch != "deny" {
		return nil, fmt.Errorf("authorization.no_match: must be allow or deny, got %q", v.NoMatch)
	}
	f.authz = s
	return f.authz, nil
}

func (f *fakeBackend) AuthorizationSources(ctx context.Context) ([]json.RawMessage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sources), nil
}

// SetAuthorizationSources checks what the reference checks of a source:
// file sources need their rules inline, and only file and
// built_in_database run.
func (f *fakeBackend) SetAuthorizationSources(ctx context.Context, list []json.RawMessage) error {
	for i, raw := range list {
		var src struct {
			Type  string  `json:"type"`
			Rules *string `json:"rules"`
		}
		if err := json.Unmarshal(raw, &src); err != nil {
			return fmt.Errorf("sources[%d]: %v", i, err)
		}
		switch {
		case src.Type == "file" && src.Rules == nil:
			return fmt.Errorf("sources[%d]: missing field \"rules\"", i)
		case src.Type != "file" && src.Type != "built_in_database":
			return fmt.Errorf("sources[%d].type: %q is not supported by the reference", i, src.Type)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sources = slices.Clone(list)
	return nil
}
