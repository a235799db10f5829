package remote

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"

	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/steps/target"
)

// Endpoint is a broker's MQTT listener as a profile describes it.
type Endpoint struct {
	// Addr is host:port.
	Addr string
	// TLS is the client configuration of an mqtts:// listener (nil:
	// plain TCP).
	TLS *tls.Config
	// Versions are the MQTT versions the broker speaks.
	Versions []target.Version
}

// EndpointOf reads a profile's mqtt section. A profile without a URL (a
// container profile before its container runs) is an error.
func EndpointOf(p *profile.Profile) (Endpoint, error) {
	addr := p.Addr()
	if addr == "" {
		return Endpoint{}, fmt.Errorf("profile %s: no mqtt.url to connect to", p.Name)
	}
	cfg, err := p.TLSConfig()
	if err != nil {
		return Endpoint{}, fmt.Errorf("profile %s: %w", p.Name, err)
	}
	ep := Endpoint{Addr: addr, TLS: cfg}
	for _, v := range p.MQTT.Versions {
		ep.Versions = append(ep.Versions, target.Version(v))
	}
	return ep, nil
}

// Dial opens a connection to the listener, completing the TLS handshake of
// a TLS listener within ctx.
func (e Endpoint) Dial(ctx context.Context) (net.Conn, error) {
	if e.TLS == nil {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", e.Addr)
	}
	d := tls.Dialer{Config: e.TLS}
	return d.DialContext(ctx, "tcp", e.Addr)
}
