// Package builtin is EMQX's simplest password authenticator
// (`mechanism: password_based`, `backend: built_in_database`): users with a
// hashed password and a superuser flag, managed through the management API.
// The reference has it so that chain scenarios have a second authenticator
// to fall through to.
package builtin

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/config/schema"
)

// ID is the EMQX authenticator ID.
const ID = "password_based:built_in_database"

// Config is a validated built-in database configuration.
type Config struct {
	Enable bool
	// UserIDType is "username" (default) or "clientid": which CONNECT field
	// names the user.
	UserIDType    string
	HashAlgorithm HashAlgorithm
}

// ParseConfig validates raw, EMQX's JSON shape.
func ParseConfig(raw json.RawMessage) (Config, error) {
	var c Config
	o, err := schema.Decode(raw, "")
	if err != nil {
		return c, err
	}
	mech, err := o.RequiredString("mechanism")
	if err != nil {
		return c, err
	}
	backend, err := o.RequiredString("backend")
	if err != nil {
		return c, err
	}
	if mech != "password_based" || backend != "built_in_database" {
		return c, schema.Errorf("mechanism", "must be password_based with backend built_in_database, got %s:%s", mech, backend)
	}
	o.Skip("precondition")
	if c.Enable, err = o.Bool("enable", true); err != nil {
		return c, err
	}
	if c.UserIDType, err = o.Enum("user_id_type", "username", "username", "clientid"); err != nil {
		return c, err
	}
	if c.HashAlgorithm, err = parseHashAlgorithm(o); err != nil {
		return c, err
	}
	if _, err := o.Enum("bootstrap_type", "plain", "plain", "hash"); err != nil {
		return c, err
	}
	if file, err := o.String("bootstrap_file", ""); err != nil {
		return c, err
	} else if file != "" {
		return c, schema.Errorf(o.Field("bootstrap_file"), "bootstrap files are not supported by the reference: add users through the API")
	}
	return c, o.Done()
}

// Option configures New.
type Option func(*options)

type options struct{ store *Store }

// WithStore makes the authenticator use an existing store, so that its
// users survive a configuration update. The store's hash algorithm for new
// passwords is then left to the caller (Store.SetHashAlgorithm), who knows
// when the new configuration is in force.
func WithStore(s *Store) Option { return func(o *options) { o.store = s } }

// Authenticator checks CONNECT passwords against its Store.
type Authenticator struct {
	cfg   Config
	store *Store
}

var _ authn.Authenticator = (*Authenticator)(nil)

// New builds an authenticator from EMQX's JSON shape; the result is an
// *Authenticator.
func New(raw json.RawMessage, env authn.Env, opts ...Option) (authn.Authenticator, error) {
	cfg, err := ParseConfig(raw)
	if err != nil {
		return nil, err
	}
	return NewFromConfig(cfg, opts...), nil
}

// NewFromConfig builds an authenticator from a parsed Config.
func NewFromConfig(cfg Config, opts ...Option) *Authenticator {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.store == nil {
		o.store = NewStore()
		o.store.SetHashAlgorithm(cfg.HashAlgorithm)
	}
	return &Authenticator{cfg: cfg, store: o.store}
}

// ID is "password_based:built_in_database".
func (a *Authenticator) ID() string { return ID }

// Config returns the configuration the authenticator was built from.
func (a *Authenticator) Config() Config { return a.cfg }

// Store returns the authenticator's users.
func (a *Authenticator) Store() *Store { return a.store }

// Close does nothing: the users outlive the authenticator object.
func (a *Authenticator) Close() error { return nil }

// Authenticate is emqx_authn_mnesia:authenticate: an enhanced-auth CONNECT,
// a CONNECT without password or an unknown user is ignored; a wrong
// password is refused with 0x86.
func (a *Authenticator) Authenticate(_ context.Context, c *clientinfo.Client) authn.Result {
	res := authn.Result{Authenticator: ID}
	if c.AuthMethod != "" {
		res.Check, res.Detail = "auth-method-present", "the CONNECT carries an Authentication-Method (CHAIN-06)"
		return res
	}
	if !c.HasPassword {
		res.Check, res.Detail = "missing-password", "the CONNECT has no Password"
		return res
	}
	userID, has := c.Username, c.HasUsername
	if a.cfg.UserIDType == "clientid" {
		userID, has = c.ClientID, true
	}
	if !has {
		res.Check, res.Detail = "user", "the CONNECT has no Username"
		return res
	}
	found, ok, superuser := a.store.check(a.cfg.HashAlgorithm, userID, string(c.Password))
	switch {
	case !found:
		res.Check, res.Detail = "user", fmt.Sprintf("no user %q (%s)", userID, a.cfg.UserIDType)
	case !ok:
		res.Outcome, res.Code = authn.Deny, authn.CodeBadUserNameOrPass
		res.Check, res.Detail = "password", fmt.Sprintf("wrong password for user %q", userID)
	default:
		res.Outcome = authn.Accept
		res.Check, res.Detail = "password", fmt.Sprintf("user %q authenticated", userID)
		res.Identity.Superuser = superuser
	}
	return res
}
