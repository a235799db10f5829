package workload

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
)

// Dialer opens the clients' TCP connections, spreading them over several
// source addresses: each source address has its own ~28,000 ephemeral
// ports, which a connect storm leaving TIME_WAIT sockets behind can
// exhaust. With explicit sources it rotates over them; with none it lets
// the kernel choose and, for a loopback target, adds 127.0.0.2, 127.0.0.3,
// ... when the kernel reports no free port (EADDRNOTAVAIL), retrying the
// connection once from the new address. Loopback addresses need no setup on
// Linux (127.0.0.0/8 is routed to lo).
type Dialer struct {
	mu      sync.Mutex
	sources []netip.Addr // the zero Addr: the kernel's choice
	grow    bool
	next    atomic.Uint64
	notes   []string
}

// NewDialer returns a dialer over sources (none: the kernel's choice);
// growLoopback lets it add loopback source addresses on port exhaustion.
func NewDialer(sources []netip.Addr, growLoopback bool) *Dialer {
	d := &Dialer{grow: growLoopback && len(sources) == 0}
	d.sources = append(d.sources, sources...)
	if len(d.sources) == 0 {
		d.sources = []netip.Addr{{}}
	}
	return d
}

// Sources lists the source addresses in use ("kernel" for the kernel's
// choice).
func (d *Dialer) Sources() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]string, len(d.sources))
	for i, a := range d.sources {
		out[i] = "kernel"
		if a.IsValid() {
			out[i] = a.String()
		}
	}
	return out
}

// Notes are remarks for the results (source addresses added).
func (d *Dialer) Notes() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.notes...)
}

func (d *Dialer) pick() (netip.Addr, int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := len(d.sources)
	return d.sources[int(d.next.Add(1)-1)%n], n
}

// addLoopback adds the next loopback source after one ran out of ports;
// seen is the number of sources the failed dial saw, so concurrent
// failures add one address, not one each.
func (d *Dialer) addLoopback(seen int) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.grow {
		return false
	}
	if len(d.sources) != seen {
		return true // another dial already added one
	}
	last := netip.AddrFrom4([4]byte{127, 0, 0, 1})
	if a := d.sources[len(d.sources)-1]; a.IsValid() {
		last = a
	}
	next := last.Next()
	if !next.IsValid() || next.As4()[3] == 255 || next.As4()[2] != 0 {
		return false
	}
	d.sources = append(d.sources, next)
	d.notes = append(d.notes, fmt.Sprintf("ran out of local ports; added source address %s", next))
	return true
}

// DialContext connects to addr over TCP.
func (d *Dialer) DialContext(ctx context.Context, addr string) (net.Conn, error) {
	for try := 0; ; try++ {
		src, seen := d.pick()
		// No TCP keepalive: MQTT has its own, and the four setsockopt calls
		// that configure it were ~5 % of a storm's CPU per connection.
		nd := net.Dialer{KeepAlive: -1}
		if src.IsValid() {
			nd.LocalAddr = &net.TCPAddr{IP: src.AsSlice()}
			nd.Control = bindAddressNoPort
		}
		c, err := nd.DialContext(ctx, "tcp", addr)
		if err == nil || try > 0 || !errors.Is(err, syscall.EADDRNOTAVAIL) || !d.addLoopback(seen) {
			return c, err
		}
	}
}

// IsLoopback reports whether host:port names a loopback address.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}
