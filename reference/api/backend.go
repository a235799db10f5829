package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/authspec/authspec/reference/clientinfo"
)

// Backend is what the API manages; the broker implements it (directly or
// through an adapter over its configuration manager). Every method may be
// called concurrently. Errors: wrap ErrNotFound, ErrAlreadyExists or
// ErrUnsupported (see NotFound, AlreadyExists, Unsupported) to choose the
// status; any other error is a configuration error, answered 400 with the
// error's text as message, so it should name the field it is about.
type Backend interface {
	Authenticators
	Users
	Clients
	Settings
	Sources
}

// Authenticators manages the global authentication chain.
type Authenticators interface {
	// ListAuthenticators returns the chain in order.
	ListAuthenticators(ctx context.Context) ([]Authenticator, error)
	GetAuthenticator(ctx context.Context, id string) (Authenticator, error)
	// CreateAuthenticator validates config (a JSON object) and appends it
	// to the chain. AlreadyExists when an authenticator with the same ID
	// (mechanism and backend) is configured.
	CreateAuthenticator(ctx context.Context, config json.RawMessage) (Authenticator, error)
	// UpdateAuthenticator replaces the configuration of id, keeping its
	// position. The mechanism and backend may not change.
	UpdateAuthenticator(ctx context.Context, id string, config json.RawMessage) error
	DeleteAuthenticator(ctx context.Context, id string) error
	MoveAuthenticator(ctx context.Context, id string, to Position) error
	// ReorderAuthenticators puts the chain in the order of ids, which must
	// name every configured authenticator once.
	ReorderAuthenticators(ctx context.Context, ids []string) error
}

// Authenticator is one configured authenticator.
type Authenticator struct {
	// ID is EMQX's authenticator ID: "jwt", "password_based:built_in_database",
	// "scram:http".
	ID string
	// Config is the configuration as stored (EMQX-shaped JSON object).
	// Secrets in it are redacted by the API when read back.
	Config json.RawMessage
}

// Position is where MoveAuthenticator puts an authenticator.
type Position struct {
	Where    Where
	Relative string // the other authenticator's ID for Before and After
}

// Where is the kind of Position.
type Where int

const (
	Front Where = iota
	Rear
	Before
	After
)

func (p Position) String() string {
	switch p.Where {
	case Front:
		return "front"
	case Rear:
		return "rear"
	case Before:
		return "before:" + p.Relative
	}
	return "after:" + p.Relative
}

// ParsePosition reads EMQX's position path parameter: front, rear,
// before:ID or after:ID (with a non-empty ID).
func ParsePosition(s string) (Position, bool) {
	switch {
	case s == "front":
		return Position{Where: Front}, true
	case s == "rear":
		return Position{Where: Rear}, true
	}
	if id, ok := strings.CutPrefix(s, "before:"); ok && id != "" {
		return Position{Where: Before, Relative: id}, true
	}
	if id, ok := strings.CutPrefix(s, "after:"); ok && id != "" {
		return Position{Where: After, Relative: id}, true
	}
	return Position{}, false
}

// Users manages the users of an authenticator with a user database
// (password_based:built_in_database). Other authenticators answer
// Unsupported.
type Users interface {
	// ListUsers returns every user of the authenticator, ordered by user
	// ID; the API filters and pages.
	ListUsers(ctx context.Context, authenticatorID string) ([]User, error)
	// AddUser: AlreadyExists when the user ID is taken.
	AddUser(ctx context.Context, authenticatorID string, u NewUser) (User, error)
	GetUser(ctx context.Context, authenticatorID, userID string) (User, error)
	UpdateUser(ctx context.Context, authenticatorID, userID string, u UserUpdate) (User, error)
	DeleteUser(ctx context.Context, authenticatorID, userID string) error
}

// User is a user as the API shows it (never its password).
type User struct {
	UserID      string `json:"user_id"`
	IsSuperuser bool   `json:"is_superuser"`
}

// NewUser is a user to add.
type NewUser struct {
	UserID      string
	Password    string
	IsSuperuser bool
}

// UserUpdate changes a user; nil fields stay as they are.
type UserUpdate struct {
	Password    *string
	IsSuperuser *bool
}

// Clients looks up connected (or session-holding) clients.
type Clients interface {
	LookupClient(ctx context.Context, clientID string) (Client, error)
	// KickClient disconnects the client (EMQX: DELETE /clients/{clientid}).
	KickClient(ctx context.Context, clientID string) error
}

// Client is what the API shows of a client: who it is, in the reference's
// one identity model (Client ID; Username, "username": null when
// HasUsername is false; Protocol, the proto_ver; PeerHost, the ip_address;
// Listener; ClientAttrs), and the state of its connection and session.
type Client struct {
	clientinfo.Client
	Connected  bool
	ProtoName  string // "MQTT"
	CleanStart bool
	Keepalive  int
	Port       int // the peer's port
	Node       string
	// ExpiryInterval is the session expiry interval in seconds.
	ExpiryInterval int
	ConnectedAt    time.Time
	CreatedAt      time.Time
	// IsSuperuser is shown although EMQX's API leaves it out, so a reader of
	// the reference can see what authentication granted; steps must not rely
	// on it against other brokers.
	IsSuperuser bool
}

// Settings are the authentication and authorization settings, as EMQX-shaped
// JSON objects (authentication_settings and the authorization block without
// its sources).
type Settings interface {
	AuthenticationSettings(ctx context.Context) (json.RawMessage, error)
	// SetAuthenticationSettings validates and applies settings.
	SetAuthenticationSettings(ctx context.Context, settings json.RawMessage) error
	// AuthorizationSettings returns the authorization block without its
	// sources; the API shows only the settings' own fields of it.
	AuthorizationSettings(ctx context.Context) (json.RawMessage, error)
	// SetAuthorizationSettings validates and applies the settings' own
	// fields (the API sends every one: no_match, deny_action, cache,
	// ignore_backend_failures), leaving the sources and anything else in
	// force, and returns the resulting block.
	SetAuthorizationSettings(ctx context.Context, settings json.RawMessage) (json.RawMessage, error)
}

// Sources holds the authorization sources (EMQX's authorization.sources),
// which the API edits one at a time (/authorization/sources...). The API
// keeps EMQX's rules about the list itself (one source per type, positions,
// order); the Backend checks each source's contents.
type Sources interface {
	// AuthorizationSources returns the sources in order, each an
	// EMQX-shaped JSON object with its "type", as stored (the API redacts).
	AuthorizationSources(ctx context.Context) ([]json.RawMessage, error)
	// SetAuthorizationSources validates the whole list and puts it in
	// force at once; on error the previous sources stay in force. The
	// error's text is the 400's message, so it should name the field.
	SetAuthorizationSources(ctx context.Context, sources []json.RawMessage) error
}

// Error kinds a Backend reports by wrapping them.
var (
	ErrNotFound      = errors.New("not found")
	ErrAlreadyExists = errors.New("already exists")
	ErrUnsupported   = errors.New("operation not supported by this authenticator")
)

// kindError carries a message shown as it is, and a kind for errors.Is.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// NotFound builds an ErrNotFound whose message is shown to the caller, e.g.
// NotFound("Authenticator '%s' does not exist", id).
func NotFound(format string, args ...any) error {
	return &kindError{kind: ErrNotFound, msg: fmt.Sprintf(format, args...)}
}

// AlreadyExists builds an ErrAlreadyExists with a message for the caller.
func AlreadyExists(format string, args ...any) error {
	return &kindError{kind: ErrAlreadyExists, msg: fmt.Sprintf(format, args...)}
}

// Unsupported builds an ErrUnsupported with a message for the caller.
func Unsupported(format string, args ...any) error {
	return &kindError{kind: ErrUnsupported, msg: fmt.Sprintf(format, args...)}
}
