// Package clientinfo is the reference's one model of who a client is: what
// the broker knows of it from its CONNECT and its connection (Client ID,
// Username, Password, the MQTT 5 authentication fields, peer address,
// listener, zone, TLS certificate) and the attributes set for it.
//
// Every part of the reference reads this one model: the broker glue builds
// it from a CONNECT, the authentication chain and its authenticators judge
// it (reference/authn/...), authorization matches rules against it
// (reference/authz) and templates render from it (reference/placeholder).
// What authentication grants beyond identity (superuser, rules, and when
// they expire) is not identity: it is authz.Grant.
//
// The package imports nothing of the project, so any package of the
// reference may use it.
package clientinfo

// EMQX's names for the listener and zone of a client the broker did not
// place elsewhere.
const (
	DefaultListener = "tcp:default"
	DefaultZone     = "default"
)

// Client is what the broker knows of a client. Fields mirror the CONNECT
// packet; Has* tell an absent field from an empty one (JWT-SRC-06: a
// zero-length Password is present). EMQX treats an empty Username as none
// in several places (${username} undefined, username_re false): those
// readers look at Username, not HasUsername.
type Client struct {
	Protocol    byte // 3 (3.1), 4 (3.1.1) or 5
	ClientID    string
	Username    string
	HasUsername bool
	Password    []byte
	HasPassword bool
	AuthMethod  string // MQTT 5 Authentication-Method; "" when absent
	AuthData    []byte // MQTT 5 Authentication-Data

	PeerHost string // IP address, no port
	// Listener and Zone are EMQX's names, e.g. "tcp:default" and "default";
	// "" when the broker left them unset (see ListenerOrDefault).
	Listener       string
	Zone           string
	CertCommonName string // "": no TLS client certificate with a CN
	CertSubject    string // "": no TLS client certificate

	// ClientAttrs are the attributes set for the client: by earlier steps
	// while the chain runs, by its authenticator once it is accepted.
	ClientAttrs map[string]string
}

// ZoneOrDefault is the client's zone, EMQX's "default" when unset.
func (c *Client) ZoneOrDefault() string {
	if c.Zone == "" {
		return DefaultZone
	}
	return c.Zone
}

// ListenerOrDefault is the client's listener, EMQX's "tcp:default" when
// unset.
func (c *Client) ListenerOrDefault() string {
	if c.Listener == "" {
		return DefaultListener
	}
	return c.Listener
}
