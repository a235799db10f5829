// Package reference is authspec's bundled broker: an MQTT 5 (and 3.1.1)
// broker built on mochi-mqtt with EMQX-compatible JWT and SCRAM-over-HTTP
// authentication. The authentication and authorization logic lives in
// reference/authn, reference/authz and their sub-packages; this package is
// the thin glue between them and mochi's hooks, plus the management API.
package reference

import (
	"context"
	"errors"
)

// ClientInfo is what the broker shows of a connected client, as EMQX's
// /api/v5/clients/{clientid} does.
type ClientInfo struct {
	ClientID    string            `json:"clientid"`
	Username    string            `json:"username"`
	Connected   bool              `json:"connected"`
	ProtoVer    int               `json:"proto_ver"`
	IsSuperuser bool              `json:"is_superuser"`
	ClientAttrs map[string]string `json:"client_attrs"`
}

// Broker is a running reference broker.
type Broker struct {
	o options
}

// Start starts a broker and returns once its listeners accept connections.
func Start(ctx context.Context, opts ...Option) (*Broker, error) {
	return nil, errors.New("not implemented yet")
}

// MQTTAddr is the host:port of the MQTT TCP listener.
func (b *Broker) MQTTAddr() string { return "" }

// APIURL is the base URL of the management API, e.g. http://127.0.0.1:18083.
func (b *Broker) APIURL() string { return "" }

// APIKey returns the key and secret the management API accepts.
func (b *Broker) APIKey() (key, secret string) { return b.o.apiKey, b.o.apiSecret }

// Client returns what the broker shows of a connected client.
func (b *Broker) Client(clientID string) (ClientInfo, bool) { return ClientInfo{}, false }

// Close stops the broker and every background task.
func (b *Broker) Close() error { return nil }
