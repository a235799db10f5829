// Package floor is the physical floor a connect storm is measured against:
// the least a Go program can do per MQTT connection, namely dial TCP, write
// one fixed CONNECT, read the CONNACK and close. What it costs in CPU is
// almost all the kernel's TCP work on loopback plus Go's netpoller; the
// load generator's CPU per connection over this figure is the generator's
// own work. It is a benchmark tool (`authspec load floor`, and
// BenchmarkFloor in loadgen), not a client: no credentials, no properties,
// one client ID assigned by the broker.
package floor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authspec/authspec/loadgen/target"
)

// Connect is an MQTT 5 CONNECT with Clean Start, no keepalive, no
// properties and an empty client ID (the broker assigns one, so clients
// running at once never take each other's session over).
var Connect = []byte{
	0x10, 13, // CONNECT, remaining length
	0, 4, 'M', 'Q', 'T', 'T', 5, // protocol name, version 5
	0x02,    // flags: Clean Start
	0, 0, 0, // keepalive 0, no properties
	0, 0, // empty client ID
}

// Config bounds a floor run.
type Config struct {
	Addr        string
	Count       int           // connections in all
	Concurrency int           // connections under way at once
	Timeout     time.Duration // per connection, dial to CONNACK
	// Disconnect sends DISCONNECT before closing, for a like-for-like
	// comparison with a storm that does (load --disconnect packet).
	Disconnect bool
	// PasswordBytes > 0 sends a username and a password of this many bytes
	// (still one fixed CONNECT), so the floor writes as much as a JWT
	// storm's CONNECT does.
	PasswordBytes int
}

// ConnectWithPassword is the floor's CONNECT with a username and an n-byte
// password (n < 16 KiB), an empty client ID as in Connect.
func ConnectWithPassword(n int) []byte {
	rest := 11 + 2 + (2 + 5) + (2 + n) // variable header with properties length, client ID, username, password
	b := []byte{0x10}
	for v := rest; ; {
		c := byte(v & 0x7F)
		if v >>= 7; v > 0 {
			c |= 0x80
		}
		b = append(b, c)
		if v == 0 {
			break
		}
	}
	b = append(b, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02|0x80|0x40, 0, 0, 0, 0, 0, 0, 5, 'f', 'l', 'o', 'o', 'r', byte(n>>8), byte(n))
	for range n {
		b = append(b, 'x')
	}
	return b
}

// Result is what a floor run measured.
type Result struct {
	Connections int64         `json:"connections"`
	Failed      int64         `json:"failed"`
	Elapsed     time.Duration `json:"elapsed_ns"`
	// CPU is this process's user + system time over the run (getrusage).
	CPU time.Duration `json:"cpu_ns"`
	// FirstError is an example of what failed.
	FirstError string `json:"first_error,omitempty"`
}

// PerConnectionUS is the CPU per attempted connection in microseconds.
func (r Result) PerConnectionUS() float64 {
	n := r.Connections + r.Failed
	if n == 0 {
		return 0
	}
	return float64(r.CPU.Microseconds()) / float64(n)
}

// Rate is the connections accepted per second.
func (r Result) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Connections) / r.Elapsed.Seconds()
}

func (r Result) String() string {
	return fmt.Sprintf("%d connections (%d failed) in %.2fs: %.1f/s, %.1f µs CPU/connection (%.0f%% of a core)",
		r.Connections, r.Failed, r.Elapsed.Seconds(), r.Rate(), r.PerConnectionUS(),
		100*r.CPU.Seconds()/max(r.Elapsed.Seconds(), 1e-9))
}

// Run makes cfg.Count connections, cfg.Concurrency at once.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Count <= 0 || cfg.Concurrency <= 0 {
		return Result{}, errors.New("floor: count and concurrency must be positive")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.PasswordBytes < 0 || cfg.PasswordBytes >= 16<<10 {
		return Result{}, errors.New("floor: the password is 0 to 16383 bytes")
	}
	packet := Connect
	if cfg.PasswordBytes > 0 {
		packet = ConnectWithPassword(cfg.PasswordBytes)
	}
	var (
		next, ok, failed atomic.Int64
		firstErr         atomic.Pointer[string]
		wg               sync.WaitGroup
	)
	cpu0, t0 := target.SelfCPU(), time.Now()
	for range min(cfg.Concurrency, cfg.Count) {
		wg.Go(func() {
			buf := make([]byte, 64)
			for ctx.Err() == nil && next.Add(1) <= int64(cfg.Count) {
				if err := Once(cfg.Addr, cfg.Timeout, packet, cfg.Disconnect, buf); err != nil {
					failed.Add(1)
					msg := err.Error()
					firstErr.CompareAndSwap(nil, &msg)
					continue
				}
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	r := Result{Connections: ok.Load(), Failed: failed.Load(), Elapsed: time.Since(t0), CPU: target.SelfCPU() - cpu0}
	if e := firstErr.Load(); e != nil {
		r.FirstError = *e
	}
	return r, ctx.Err()
}

// disconnectPacket is an MQTT DISCONNECT, normal disconnection.
var disconnectPacket = []byte{0xE0, 0}

// Once makes one connection: dial, write connect (Connect, or
// ConnectWithPassword), read the CONNACK, (DISCONNECT,) close. buf is
// scratch space of at least 4 bytes. No TCP keepalive is set up: a floor
// does nothing it need not.
func Once(addr string, timeout time.Duration, connect []byte, disconnect bool, buf []byte) error {
	d := net.Dialer{Timeout: timeout, KeepAlive: -1}
	nc, err := d.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer nc.Close()
	if err := nc.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	if _, err := nc.Write(connect); err != nil {
		return err
	}
	// The CONNACK: type, remaining length (< 128 here), flags, reason code.
	if _, err := io.ReadAtLeast(nc, buf, 4); err != nil {
		return fmt.Errorf("reading the CONNACK: %w", err)
	}
	if buf[0] != 0x20 {
		return fmt.Errorf("not a CONNACK: first byte 0x%02X", buf[0])
	}
	if buf[3] != 0 {
		return fmt.Errorf("CONNACK refused: reason code 0x%02X", buf[3])
	}
	if disconnect {
		if _, err := nc.Write(disconnectPacket); err != nil {
			return err
		}
	}
	return nil
}
