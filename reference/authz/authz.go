// Package authz decides whether a client may publish or subscribe, from the
// rules its authenticator granted (the JWT acl claim, the SCRAM backend's acl
// answer), the configured authorization settings and the client's identity.
// It has no broker I/O: the broker glue calls Authorize for every PUBLISH and
// SUBSCRIBE filter and turns the Decision into SUBACK/PUBACK codes.
package authz

// Rules are the authorization rules an authenticator granted a client. The
// zero value grants nothing; a nil *Rules means "no rules were carried".
type Rules struct {
	// filled in by acl.go
}

// Settings are the broker's authorization settings that the catalogue depends
// on (EMQX's `authorization` config block): owned by this package, parsed by
// ParseSettings (settings.go).
type Settings struct {
	// filled in by settings.go
}
