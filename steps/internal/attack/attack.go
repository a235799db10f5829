// Package attack drives the attacks on availability around authentication
// and judges what other clients saw meanwhile: attackers on raw
// connections sending what the MQTT 5.0 specification forbids (sections 3.1
// and 4.13; SEC-10), and the CONNECT latency of clients measured before and
// during an attack, on the broker (SEC-10) or on its JWKS endpoint (SEC-11).
// It knows nothing of godog: the step layer turns a SetupError into a
// harness error and a verify.Mismatch into a failed step.
package attack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
)

// The abuses of SEC-10, as its scenario names them.
const (
	PasswordFlagNoPassword  = "a CONNECT with the Password flag but no Password"
	MalformedRemainingLen   = "a CONNECT with a malformed Remaining Length"
	AuthBeforeConnect       = "an AUTH packet before CONNECT"
	SecondConnect           = "a second CONNECT after authenticating"
	LongUsername            = "a CONNECT with a 65535-byte Username"
	SlowConnect             = "a CONNECT one byte per second"
	MaxAttackers            = 64
	pauseBetweenRepetitions = 20 * time.Millisecond
	maxRepetitions          = 1000
	// SlowLorisLimit is the "within 30 seconds" of the slow attacker: twice
	// EMQX's default idle_timeout.
	SlowLorisLimit = 30 * time.Second
)

var kinds = []string{PasswordFlagNoPassword, MalformedRemainingLen, AuthBeforeConnect, SecondConnect, LongUsername, SlowConnect}

// Check refuses an abuse the package does not know, or a number of
// attackers outside 1..MaxAttackers.
func Check(kind string, n int) error {
	if !slices.Contains(kinds, kind) {
		known := make([]string, len(kinds))
		for i, k := range kinds {
			known[i] = fmt.Sprintf("%q", k)
		}
		slices.Sort(known)
		return fmt.Errorf("unknown abuse %q (known: %s)", kind, strings.Join(known, ", "))
	}
	if n < 1 || n > MaxAttackers {
		return fmt.Errorf("between 1 and %d attackers, not %d", MaxAttackers, n)
	}
	return nil
}

// SetupError is a problem of the harness or the target (a dial that failed,
// an attacker's valid CONNECT refused), not a verdict on the abuse.
type SetupError struct{ Err error }

func (e *SetupError) Error() string { return e.Err.Error() }
func (e *SetupError) Unwrap() error { return e.Err }

func setupError(format string, args ...any) error {
	return &SetupError{fmt.Errorf(format, args...)}
}

// Attacker is one attacker's abuse and how it reaches the broker.
type Attacker struct {
	Kind string
	Dial func(context.Context) (net.Conn, error)
	// Timeout bounds each dial, write and read (the slow attacker's wait
	// for its close is SlowLorisLimit).
	Timeout time.Duration
	// Trace, when set, records the attacker's packets.
	Trace *mqttwire.Trace
	// SlowLimit is how long after its connection opened the slow attacker
	// may still see it open: SlowLorisLimit plus the observation allowance
	// (Run sets it from the baseline; zero means SlowLorisLimit).
	SlowLimit time.Duration
}

// Repeat runs the abuse until stop for the quick ones, once for the slow
// one, calling started (once) when the first abuse is on its way. It
// returns the first outcome that is not a refusal or a close: an error
// describing it, or a SetupError.
func (a Attacker) Repeat(valid []byte, stop <-chan struct{}, started func()) error {
	once := sync.OnceFunc(started)
	defer once()
	for i := 0; ; i++ {
		err := a.Once(valid, once)
		if err != nil || a.Kind == SlowConnect {
			return err
		}
		// A short pause between repetitions: the point is abuse of the
		// protocol, not a CPU flood that a 2-core CI machine would turn
		// into everyone's latency.
		select {
		case <-stop:
			return nil
		case <-time.After(pauseBetweenRepetitions):
		}
		if i > maxRepetitions {
			return nil
		}
	}
}

// Once runs the abuse on one connection, valid being a CONNECT with a
// valid token (the second CONNECT and the slow one send it), and waits
// for the broker to refuse or close; started is called as the abuse goes
// out. nil means refused or closed.
func (a Attacker) Once(valid []byte, started func()) error {
	c, err := a.dial()
	if err != nil {
		return err
	}
	opened := time.Now()
	defer c.Close()
	switch a.Kind {
	case SlowConnect:
		started()
		return a.slowConnect(c, valid, opened)
	case SecondConnect:
		if ended, err := a.authenticate(c, valid); ended {
			return err
		}
	}
	payload, err := a.payload(valid)
	if err != nil {
		return err
	}
	started()
	if err := a.write(c, payload); err != nil {
		return closedOrErr(err, "writing")
	}
	return a.awaitRefusal(c)
}

func (a Attacker) awaitRefusal(c *mqttwire.Conn) error {
	ctx, cancel := context.WithTimeout(context.Background(), a.Timeout)
	defer cancel()
	return refusedOrClosed(ctx, c, a.Kind)
}

func (a Attacker) dial() (*mqttwire.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), a.Timeout)
	nc, err := a.Dial(ctx)
	cancel()
	if err != nil {
		return nil, setupError("attacker dial: %w", err)
	}
	return mqttwire.NewConn(nc, mqttwire.WithTrace(a.Trace, "attacker")), nil
}

func (a Attacker) write(c *mqttwire.Conn, b []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), a.Timeout)
	defer cancel()
	return c.WriteRaw(ctx, b)
}

// payload is the abuse's bytes.
func (a Attacker) payload(valid []byte) ([]byte, error) {
	switch a.Kind {
	case PasswordFlagNoPassword:
		return passwordFlagNoPassword()
	case MalformedRemainingLen:
		return []byte{0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, nil
	case AuthBeforeConnect:
		return authBeforeConnect()
	case SecondConnect:
		return valid, nil
	case LongUsername:
		return longUsername()
	}
	return nil, fmt.Errorf("unknown abuse %q", a.Kind)
}

// authenticate sends the second CONNECT's first, valid one and wants it
// accepted. ended: the attack is over, closed by the broker (err nil) or
// failed (a SetupError).
func (a Attacker) authenticate(c *mqttwire.Conn, valid []byte) (ended bool, err error) {
	if err := a.write(c, valid); err != nil {
		return true, closedOrErr(err, "writing the first CONNECT")
	}
	ctx, cancel := context.WithTimeout(context.Background(), a.Timeout)
	pk, err := c.ReadPacket(ctx)
	cancel()
	if err != nil || pk.FixedHeader.Type != mqttwire.TypeConnack || pk.ReasonCode != 0 {
		return true, setupError("the attacker's first CONNECT (valid token) was not accepted: %v %v", mqttwire.Describe(pk), err)
	}
	return false, nil
}

// slowConnect sends a valid CONNECT one byte per second, and wants the
// broker to close the connection (its CONNECT wait, EMQX's idle_timeout of
// 15 s) before the CONNECT is complete or SlowLorisLimit is over. The limit
// counts from the connection's opening, as a broker's CONNECT wait does,
// and the close may reach this side up to the observation allowance later
// (SlowLimit); the time the close took is noted in the trace.
func (a Attacker) slowConnect(c *mqttwire.Conn, valid []byte, opened time.Time) error {
	closed := make(chan error, 1)
	go func() { closed <- a.awaitSlowClose(c, opened) }()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for i := 0; i < len(valid); i++ {
		wctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.WriteRaw(wctx, valid[i:i+1])
		cancel()
		if err != nil {
			return <-closed
		}
		select {
		case err := <-closed:
			return err
		case <-t.C:
		}
	}
	return <-closed
}

// awaitSlowClose waits for the broker to refuse or close the slow
// attacker's connection until SlowLimit after it opened.
func (a Attacker) awaitSlowClose(c *mqttwire.Conn, opened time.Time) error {
	limit := a.SlowLimit
	if limit < SlowLorisLimit {
		limit = SlowLorisLimit
	}
	ctx, cancel := context.WithDeadline(context.Background(), opened.Add(limit))
	defer cancel()
	err := refusedOrClosed(ctx, c, SlowConnect)
	took := time.Since(opened).Round(time.Millisecond)
	switch {
	case err == nil && a.Trace != nil:
		a.Trace.Note("SEC-10 %s: cut off %s after the connection opened (at most %s)", SlowConnect, took, limit.Round(time.Millisecond))
	case err != nil && ctx.Err() != nil:
		err = fmt.Errorf("%w %s after it opened (%s + %s allowed for the close to arrive)", err, took, SlowLorisLimit, (limit - SlowLorisLimit).Round(time.Millisecond))
	}
	return err
}

// closedOrErr reads a failed write: the broker closed first (a refusal),
// or a SetupError.
func closedOrErr(err error, doing string) error {
	if errors.Is(err, mqttwire.ErrConnectionClosed) || errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "reset") || strings.Contains(err.Error(), "broken pipe") {
		return nil
	}
	return setupError("%s: %w", doing, err)
}

// refusedOrClosed reads until the broker refuses (CONNACK or DISCONNECT
// >= 0x80) or closes; a CONNACK 0x00 or a still-open connection at the
// deadline is the failure SEC-10 looks for.
func refusedOrClosed(ctx context.Context, c *mqttwire.Conn, kind string) error {
	for {
		pk, err := c.ReadPacket(ctx)
		switch {
		case err == nil:
		case errors.Is(err, mqttwire.ErrConnectionClosed), errors.Is(err, mqttwire.ErrMalformed):
			return nil
		case errors.Is(err, mqttwire.ErrTimeout) || ctx.Err() != nil:
			return fmt.Errorf("after %s the connection was still open (no refusal, no close)", kind)
		default:
			return nil // reset and the like: closed
		}
		switch pk.FixedHeader.Type {
		case mqttwire.TypeConnack, mqttwire.TypeDisconnect:
			if pk.ReasonCode >= 0x80 {
				return nil
			}
			return fmt.Errorf("after %s the broker answered %s", kind, mqttwire.Describe(pk))
		}
	}
}
