package config

import (
	"encoding/json"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/authn/builtin"
	"github.com/authspec/authspec/reference/authn/jwtauth"
)

// Builder builds one authenticator from its raw EMQX-shaped JSON. Errors
// should be *FieldError naming the field (relative to the authenticator).
type Builder func(raw json.RawMessage, env authn.Env) (authn.Authenticator, error)

// defaultBuilders maps "mechanism[:backend]" to its builder. The built-in
// database is absent: the Manager builds it itself, to hand it the user
// store that outlives updates.
//
// SCRAM over HTTP ("scram:http") is added by its package's helper: register
// it with WithBuilder("scram:http", scramhttp.New) until it is listed here.
func defaultBuilders(jwks jwtauth.JWKSFactory) map[string]Builder {
	var jwtOpts []jwtauth.Option
	if jwks != nil {
		jwtOpts = append(jwtOpts, jwtauth.WithJWKS(jwks))
	}
	return map[string]Builder{
		jwtauth.ID: func(raw json.RawMessage, env authn.Env) (authn.Authenticator, error) {
			return jwtauth.New(raw, env, jwtOpts...)
		},
	}
}

// builtinID is the built-in database's ID, built by the Manager.
const builtinID = builtin.ID
