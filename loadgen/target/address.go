package target

import (
	"context"
	"fmt"
	"net"
	"time"
)

// Address is a broker at host:port, configured by hand unless it has an
// EMQX-compatible management API to provision through. A target profile
// maps onto it: mqtt.url gives the address, configure: emqx-api the API.
type Address struct {
	addr string
	api  *API
	proc *Process
}

// AddressOption configures an Address.
type AddressOption func(*Address)

// WithAPI provisions through an EMQX-compatible management API.
func WithAPI(base, key, secret string) AddressOption {
	return func(a *Address) { a.api = NewAPI(base, key, secret) }
}

// WithPID names the broker's local process (memory per connection, CPU).
func WithPID(pid int) AddressOption {
	return func(a *Address) { a.proc = &Process{PID: pid} }
}

// NewAddress returns a target at addr (host:port).
func NewAddress(addr string, opts ...AddressOption) (*Address, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("target address %q: want host:port: %w", addr, err)
	}
	a := &Address{addr: addr}
	for _, o := range opts {
		o(a)
	}
	if a.proc != nil {
		if _, err := a.proc.Sample(); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (a *Address) Kind() string { return KindAddress }
func (a *Address) Addr() string { return a.addr }

func (a *Address) Provisioner() Provisioner {
	if a.api == nil {
		return nil // a nil *API is not a nil Provisioner
	}
	return a.api
}

func (a *Address) Process() *Process { return a.proc }

func (a *Address) Close() error {
	if a.api == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return a.api.Restore(ctx)
}
