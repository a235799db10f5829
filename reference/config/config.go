// Package config reads the reference broker's configuration: EMQX's JSON
// shape of an authentication chain (and the authorization and
// authentication_settings blocks), and keeps the chain built from it current
// as the management API changes it (Manager).
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/authz"
	"github.com/authspec/authspec/reference/config/schema"
)

// FieldError is a configuration error naming its field, e.g.
// `authentication[0].secret: not valid base64`. The management API answers
// it with HTTP 400.
type FieldError = schema.FieldError

// File is a parsed configuration file.
type File struct {
	// Authentication is the chain, in order.
	Authentication []Authenticator
	// Authorization is the raw `authorization` block (nil when absent);
	// AuthzSettings is what authz.ParseSettings made of it.
	Authorization json.RawMessage
	AuthzSettings authz.Settings
	Settings      Settings
}

// Settings are EMQX's authentication_settings.
type Settings struct {
	IgnoreBackendFailures bool `json:"ignore_backend_failures"`
}

// Authenticator is one entry of the chain as configured: its EMQX ID, the
// fields the chain itself uses, and its raw JSON for the builder.
type Authenticator struct {
	// ID is EMQX's: "mechanism" or "mechanism:backend" ("jwt",
	// "password_based:built_in_database", "scram:http").
	ID           string
	Mechanism    string
	Backend      string
	Enable       bool
	Precondition string
	Raw          json.RawMessage
}

// Parse reads a configuration: either a JSON array of authenticators, or an
// object {"authentication": [...], "authorization": {...},
// "authentication_settings": {...}}. It checks the shape and what the chain
// needs (mechanism, backend, enable, precondition, duplicate IDs); each
// authenticator's own fields are checked when it is built (Manager.Load).
func Parse(data []byte) (*File, error) {
	data = bytes.TrimSpace(data)
	f := &File{}
	switch schema.Kind(data) {
	case "a list":
		list, err := parseChain(data, "authentication")
		if err != nil {
			return nil, err
		}
		f.Authentication = list
		return f, nil
	case "an object":
	default:
		return nil, schema.Errorf("", "the configuration must be a JSON array of authenticators or an object with \"authentication\", got %s", schema.Kind(data))
	}
	o, err := schema.Decode(data, "")
	if err != nil {
		return nil, err
	}
	if raw, ok := o.Raw("authentication"); ok {
		// EMQX's ensure_array: a single authenticator object is a chain of one.
		if schema.Kind(raw) == "an object" {
			raw = append(append([]byte{'['}, raw...), ']')
		}
		if f.Authentication, err = parseChain(raw, "authentication"); err != nil {
			return nil, err
		}
	}
	if raw, ok := o.Raw("authorization"); ok {
		if schema.Kind(raw) != "an object" {
			return nil, schema.Errorf("authorization", "must be an object, got %s", schema.Kind(raw))
		}
		f.Authorization = append(json.RawMessage(nil), raw...)
	}
	// The sources are checked as the management API checks them: the
	// engine gets the ones it runs.
	block, sources, err := SplitAuthorization(f.Authorization)
	if err != nil {
		return nil, authzError(err)
	}
	if sources != nil {
		engine, _, err := SplitSources(sources, "authorization.")
		if err != nil {
			return nil, authzError(err)
		}
		if block, err = withSources(block, engine); err != nil {
			return nil, authzError(err)
		}
	}
	if f.AuthzSettings, err = authz.ParseSettings(block); err != nil {
		return nil, authzError(err)
	}
	if f.Settings, err = parseSettings(o); err != nil {
		return nil, err
	}
	return f, o.Done()
}

// authzError turns authz's "authorization.no_match: ..." errors into a
// FieldError with that path.
func authzError(err error) error {
	msg := err.Error()
	if path, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(path, "authorization") && !strings.Contains(path, " ") {
		return &FieldError{Path: path, Msg: rest}
	}
	return &FieldError{Path: "authorization", Msg: msg}
}

func parseSettings(o *schema.Object) (Settings, error) {
	var s Settings
	sub, err := o.Object("authentication_settings")
	if err != nil || sub == nil {
		return s, err
	}
	if s.IgnoreBackendFailures, err = sub.Bool("ignore_backend_failures", false); err != nil {
		return s, err
	}
	if cache, err := sub.Object("node_cache"); err != nil {
		return s, err
	} else if cache != nil {
		// The reference has no authentication cache; accept only a
		// configuration that says so.
		on, err := cache.Bool("enable", false)
		if err != nil {
			return s, err
		}
		if on {
			return s, schema.Errorf(cache.Field("enable"), "the reference has no authentication cache")
		}
		cache.Skip("cache_ttl", "max_count", "max_memory", "stat_update_interval")
		if err := cache.Done(); err != nil {
			return s, err
		}
	}
	return s, sub.Done()
}

func parseChain(raw json.RawMessage, path string) ([]Authenticator, error) {
	if schema.Kind(raw) != "a list" {
		return nil, schema.Errorf(path, "must be a list of authenticators, got %s", schema.Kind(raw))
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, schema.Errorf(path, "not valid JSON: %v", err)
	}
	out := make([]Authenticator, 0, len(items))
	seen := map[string]int{}
	for i, item := range items {
		at := path + "[" + strconv.Itoa(i) + "]"
		a, err := ParseAuthenticator(item)
		if err != nil {
			return nil, schema.Prefix(err, at)
		}
		if j, dup := seen[a.ID]; dup {
			return nil, schema.Errorf(at, "a second %s authenticator (the first is %s[%d]): EMQX allows one per mechanism and backend", a.ID, path, j)
		}
		seen[a.ID] = i
		out = append(out, a)
	}
	return out, nil
}

// ParseAuthenticator reads the chain-level fields of one authenticator.
func ParseAuthenticator(raw json.RawMessage) (Authenticator, error) {
	a := Authenticator{Raw: append(json.RawMessage(nil), bytes.TrimSpace(raw)...)}
	o, err := schema.Decode(raw, "")
	if err != nil {
		return a, err
	}
	if a.Mechanism, err = o.RequiredString("mechanism"); err != nil {
		return a, err
	}
	if a.Backend, err = o.String("backend", ""); err != nil {
		return a, err
	}
	a.ID = AuthenticatorID(a.Mechanism, a.Backend)
	if a.Enable, err = o.Bool("enable", true); err != nil {
		return a, err
	}
	if a.Precondition, err = o.String("precondition", ""); err != nil {
		return a, err
	}
	if _, err := authn.ParsePrecondition(a.Precondition); err != nil {
		return a, schema.Errorf("precondition", "%v", err)
	}
	return a, nil
}

// AuthenticatorID is EMQX's authenticator ID: "mechanism:backend", or the
// mechanism alone when it has no backend (jwt).
func AuthenticatorID(mechanism, backend string) string {
	if backend == "" {
		return mechanism
	}
	return mechanism + ":" + backend
}

// Errors the management API maps to HTTP status codes (FieldError: 400).
var (
	ErrNotFound      = errors.New("authenticator not found")      // 404
	ErrAlreadyExists = errors.New("authenticator already exists") // 409
	ErrNoUsers       = errors.New("authenticator has no users")   // 400: not a built-in database
)
