// Package api serves the subset of EMQX v5's management REST API that
// authspec needs, so that one provisioner ("EMQX API") configures the
// reference broker and a real EMQX alike: the authentication chain
// (/api/v5/authentication ...), the users of the built-in database
// authenticator, a client's attributes (/api/v5/clients/{clientid}), the
// authentication and authorization settings, the authorization sources
// (/api/v5/authorization/sources ...), and a health check (/api/v5/status).
//
// Paths, methods, status codes and JSON shapes follow EMQX's API modules
// (emqx_authn_api, emqx_mgmt_api_clients, emqx_authz_api_settings,
// emqx_authz_api_sources; steps/target/emqxapi/FIDELITY.md lists what was
// checked against which EMQX release). The
// package is only the HTTP layer: it authenticates the caller (HTTP basic
// auth with an API key and secret, as EMQX's API keys are used), decodes
// and bounds requests, and maps the Backend's answers and errors to EMQX's
// responses. Configuration travels as EMQX-shaped JSON; the Backend
// validates it and its error messages, which name the offending field, are
// returned as 400 BAD_REQUEST messages.
package api
