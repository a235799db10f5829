// Package authz decides whether a client may publish or subscribe, from the
// rules its authenticator granted (the JWT acl claim, the SCRAM backend's acl
// answer), the configured authorization settings and the client's identity.
// It has no broker I/O: the broker glue calls Authorize for every PUBLISH and
// SUBSCRIBE filter and turns the Decision into SUBACK/PUBACK codes.
//
// The behaviour is EMQX 6.x's (apps emqx_auth, emqx_auth_jwt): superuser
// first, then the client's own rules, then the configured sources, then
// authorization.no_match (JWT-ACL-06).
package authz
