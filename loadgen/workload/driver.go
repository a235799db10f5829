package workload

import (
	"context"
	"fmt"
	"time"

	"github.com/authspec/authspec/loadgen/stats"
)

// Driver is the MQTT client that carries a Login to the broker.
type Driver interface {
	Name() string
	// Connect dials addr, sends the CONNECT (running the SCRAM exchange when
	// the login asks for it) and returns once the CONNACK arrived or the
	// attempt failed. The Session is nil unless the outcome is OK.
	Connect(ctx context.Context, addr string, l Login) (Session, stats.Outcome)
}

// Session is an accepted connection.
type Session interface {
	// Ping sends PINGREQ and waits for PINGRESP: is the broker still
	// holding the connection?
	Ping(ctx context.Context) error
	// Close sends DISCONNECT (normal disconnection) and closes.
	Close(ctx context.Context) error
}

// Dropper is a Session that can also end without DISCONNECT: the socket
// closed, as a device losing power would (a storm's --disconnect close).
type Dropper interface {
	Drop() error
}

// Driver names.
const (
	DriverWire = "wire"
	DriverPaho = "paho"
)

// Drivers lists the driver names.
func Drivers() []string { return []string{DriverWire, DriverPaho} }

// NewDriver returns the named driver; timeout bounds each network wait
// the caller's context leaves unbounded.
func NewDriver(name string, d *Dialer, timeout time.Duration) (Driver, error) {
	switch name {
	case DriverWire, "":
		return &wireDriver{dialer: d, timeout: timeout}, nil
	case DriverPaho:
		return &pahoDriver{dialer: d, timeout: timeout}, nil
	}
	return nil, fmt.Errorf("unknown MQTT client %q (known: wire, paho)", name)
}
