package reference

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/authspec/authspec/reference/api"
	"github.com/authspec/authspec/reference/authn/builtin"
	"github.com/authspec/authspec/reference/config"
)

// startAPI serves the management API (reference/api) over this broker.
func (b *Broker) startAPI(ctx context.Context) error {
	h, err := api.New(apiBackend{b}, api.WithAPIKey(b.o.apiKey, b.o.apiSecret), api.WithLogger(b.log))
	if err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", b.o.apiListen)
	if err != nil {
		return fmt.Errorf("api listener: %w", err)
	}
	b.apiLn = ln
	b.apiSrv = &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second}
	go func() { _ = b.apiSrv.Serve(ln) }()
	return nil
}

// apiBackend adapts the broker's configuration manager and client registry
// to the API's Backend interface, translating error kinds into the API's.
type apiBackend struct{ b *Broker }

func (a apiBackend) mgr() *config.Manager { return a.b.cfg.mgr }

func apiErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, config.ErrNotFound), errors.Is(err, builtin.ErrUserNotFound):
		return api.NotFound("%s", err.Error())
	case errors.Is(err, config.ErrAlreadyExists), errors.Is(err, builtin.ErrUserExists):
		return api.AlreadyExists("%s", err.Error())
	case errors.Is(err, config.ErrNoUsers):
		return api.Unsupported("%s", err.Error())
	}
	return err
}

func toAPI(c config.Authenticator) api.Authenticator {
	return api.Authenticator{ID: c.ID, Config: c.Raw}
}

func (a apiBackend) ListAuthenticators(context.Context) ([]api.Authenticator, error) {
	var out []api.Authenticator
	for _, c := range a.mgr().List() {
		out = append(out, toAPI(c))
	}
	return out, nil
}

func (a apiBackend) GetAuthenticator(_ context.Context, id string) (api.Authenticator, error) {
	c, err := a.mgr().Get(id)
	return toAPI(c), apiErr(err)
}

func (a apiBackend) CreateAuthenticator(_ context.Context, raw json.RawMessage) (api.Authenticator, error) {
	c, err := a.mgr().Create(raw)
	return toAPI(c), apiErr(err)
}

func (a apiBackend) UpdateAuthenticator(_ context.Context, id string, raw json.RawMessage) error {
	_, err := a.mgr().Update(id, raw)
	return apiErr(err)
}

func (a apiBackend) DeleteAuthenticator(_ context.Context, id string) error {
	return apiErr(a.mgr().Delete(id))
}

func (a apiBackend) MoveAuthenticator(_ context.Context, id string, to api.Position) error {
	return apiErr(a.mgr().Move(id, to.String()))
}

// ReorderAuthenticators checks that ids names the chain exactly, then moves
// each to the rear in turn. The refusal says what EMQX's says
// (emqx_authn_api:serialize_error/1): the IDs not configured, then the
// configured ones left without a position.
func (a apiBackend) ReorderAuthenticators(_ context.Context, ids []string) error {
	var remaining []string
	for _, c := range a.mgr().List() {
		remaining = append(remaining, c.ID)
	}
	var notFound []string
	for _, id := range ids {
		i := slices.Index(remaining, id)
		if i < 0 {
			notFound = append(notFound, id)
			continue
		}
		remaining = slices.Delete(remaining, i, i+1)
	}
	var msgs []string
	if len(notFound) > 0 {
		msgs = append(msgs, "Authenticators: "+strings.Join(notFound, ", ")+" are not found")
	}
	if len(remaining) > 0 {
		msgs = append(msgs, "No positions are specified for authenticators: "+strings.Join(remaining, ", "))
	}
	if len(msgs) > 0 {
		return errors.New(strings.Join(msgs, ", "))
	}
	for _, id := range ids {
		if err := a.mgr().Move(id, "rear"); err != nil {
			return apiErr(err)
		}
	}
	return nil
}

func (a apiBackend) store(id string) (*builtin.Store, error) {
	s, err := a.mgr().Users(id)
	return s, apiErr(err)
}

func userToAPI(u builtin.User) api.User {
	return api.User{UserID: u.UserID, IsSuperuser: u.IsSuperuser}
}

func (a apiBackend) ListUsers(_ context.Context, id string) ([]api.User, error) {
	s, err := a.store(id)
	if err != nil {
		return nil, err
	}
	var out []api.User
	for _, u := range s.List() {
		out = append(out, userToAPI(u))
	}
	return out, nil
}

func (a apiBackend) AddUser(_ context.Context, id string, nu api.NewUser) (api.User, error) {
	s, err := a.store(id)
	if err != nil {
		return api.User{}, err
	}
	u, err := s.Add(builtin.NewUser{UserID: nu.UserID, Password: nu.Password, IsSuperuser: nu.IsSuperuser})
	return userToAPI(u), apiErr(err)
}

func (a apiBackend) GetUser(_ context.Context, id, userID string) (api.User, error) {
	s, err := a.store(id)
	if err != nil {
		return api.User{}, err
	}
	u, ok := s.Get(userID)
	if !ok {
		return api.User{}, api.NotFound("user %q does not exist", userID)
	}
	return userToAPI(u), nil
}

func (a apiBackend) UpdateUser(_ context.Context, id, userID string, up api.UserUpdate) (api.User, error) {
	s, err := a.store(id)
	if err != nil {
		return api.User{}, err
	}
	u, err := s.Update(userID, builtin.UserUpdate{Password: up.Password, IsSuperuser: up.IsSuperuser})
	return userToAPI(u), apiErr(err)
}

func (a apiBackend) DeleteUser(_ context.Context, id, userID string) error {
	s, err := a.store(id)
	if err != nil {
		return err
	}
	return apiErr(s.Delete(userID))
}

func (a apiBackend) LookupClient(_ context.Context, clientID string) (api.Client, error) {
	cl, ok := a.b.server.Clients.Get(clientID)
	if !ok {
		return api.Client{}, api.NotFound("client %q not found", clientID)
	}
	info, ok := a.b.Client(clientID)
	if !ok { // gone since
		return api.Client{}, api.NotFound("client %q not found", clientID)
	}
	c := api.Client{
		Client:      info.Client,
		Connected:   info.Connected,
		ProtoName:   "MQTT",
		CleanStart:  cl.Properties.Clean,
		Keepalive:   int(cl.State.Keepalive),
		Node:        "authspec@127.0.0.1",
		IsSuperuser: info.Grant.Superuser,
	}
	if _, port, err := net.SplitHostPort(cl.Net.Remote); err == nil {
		c.Port, _ = strconv.Atoi(port)
	}
	return c, nil
}

func (a apiBackend) KickClient(_ context.Context, clientID string) error {
	cl, ok := a.b.server.Clients.Get(clientID)
	if !ok {
		return api.NotFound("client %q not found", clientID)
	}
	_ = a.b.server.DisconnectClient(cl, packets.ErrAdministrativeAction)
	return nil
}

func (a apiBackend) AuthenticationSettings(context.Context) (json.RawMessage, error) {
	return json.Marshal(a.mgr().Settings())
}

func (a apiBackend) SetAuthenticationSettings(_ context.Context, raw json.RawMessage) error {
	var s config.Settings
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("authentication_settings: %v", err)
	}
	a.mgr().SetSettings(s)
	return nil
}

func (a apiBackend) AuthorizationSettings(context.Context) (json.RawMessage, error) {
	return json.Marshal(a.b.cfg.authzSettings())
}

func (a apiBackend) AuthorizationSources(context.Context) ([]json.RawMessage, error) {
	return a.b.cfg.authzSources(), nil
}

func (a apiBackend) SetAuthorizationSources(_ context.Context, list []json.RawMessage) error {
	return a.b.cfg.setAuthzSources(list, "")
}

func (a apiBackend) SetAuthorizationSettings(_ context.Context, raw json.RawMessage) (json.RawMessage, error) {
	s, err := a.b.cfg.setAuthzSettings(raw)
	if err != nil {
		return nil, err
	}
	return json.Marshal(s)
}
