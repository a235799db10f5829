package session

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/internal/verify"
)

// ExpOf is the exp of a minted token's claims.
func ExpOf(claims map[string]any) (time.Time, error) {
	var secs float64
	switch v := claims["exp"].(type) {
	case float64:
		secs = v
	case int64:
		secs = float64(v)
	case int:
		secs = float64(v)
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return time.Time{}, fmt.Errorf("the client's token has no numeric exp (%v)", v)
		}
		secs = f
	default:
		return time.Time{}, fmt.Errorf("the client's token has no numeric exp (%v)", v)
	}
	whole, frac := math.Modf(secs)
	return time.Unix(int64(whole), int64(frac*1e9)), nil
}

// MaxExpiryWait is the longest a scenario may wait for a token's expiry.
const MaxExpiryWait = 10 * time.Second

// CheckWaitable refuses a wait until t that is longer than a scenario
// should make (MaxExpiryWait).
func CheckWaitable(t time.Time) error {
	if d := time.Until(t); d > MaxExpiryWait {
		return fmt.Errorf("the token expires in %s: scenarios wait for exp of NOW+1 or NOW+2", d.Round(time.Second))
	}
	return nil
}

// PastExp is when the token's rules no longer apply under either reading
// of the boundary: 6.x still allows while exp >= now in whole seconds
// (A15), so it is early in the second after exp.
func PastExp(exp time.Time) time.Time {
	return time.Unix(exp.Unix()+1, 0).Add(100 * time.Millisecond)
}

// SleepUntil waits until t; the error is ctx's when it ends first.
func SleepUntil(ctx context.Context, t time.Time) error {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// expiryLead is how much earlier than exp a close still counts as at exp:
// the broker's clock may lead ours a little.
const expiryLead = 100 * time.Millisecond

// Closing is how the broker closed a connection and when the suite saw it.
type Closing struct {
	mqttwire.Closure
	At time.Time
}

// AwaitClose waits until ctx ends for the broker to close conn. The error
// is mqttwire.ErrTimeout when the connection was still open at the
// deadline (the Closing then holds what arrived meanwhile), another one
// when the wait itself failed.
func AwaitClose(ctx context.Context, conn *mqttwire.Conn) (Closing, error) {
	cl, err := conn.Closed(ctx)
	return Closing{Closure: cl, At: time.Now()}, err
}

// Early reports a close more than lead before t, lead being the allowance
// for a broker clock ahead of the suite's; with a zero t no close is early.
func (c Closing) Early(t time.Time, lead time.Duration) bool {
	return !t.IsZero() && c.At.Before(t.Add(-lead))
}

// StillOpen says that a connection was still open when the wait for its
// close ended (when: "at the deadline", "after 5s"), and what had arrived:
// before (what the caller saw earlier), then the packets not read and a
// DISCONNECT the close did not follow.
func StillOpen(cl mqttwire.Closure, when string, before ...string) string {
	for _, pk := range cl.Unread {
		before = append(before, mqttwire.Describe(pk))
	}
	if cl.Disconnect != nil {
		before = append(before, mqttwire.Describe(*cl.Disconnect))
	}
	got := "the connection still open " + when
	if len(before) > 0 {
		got += " (received: " + strings.Join(before, ", ") + ")"
	}
	return got
}

// AwaitClosure waits until ctx ends for the broker to close conn. With a
// non-zero exp it also checks that this happened once exp passed.
func AwaitClosure(ctx context.Context, conn *mqttwire.Conn, exp time.Time) (mqttwire.Closure, error) {
	c, err := AwaitClose(ctx, conn)
	if err != nil {
		return c.Closure, verify.New("the broker to close the connection", StillOpen(c.Closure, "at the deadline"))
	}
	if c.Early(exp, expiryLead) {
		return c.Closure, verify.New(fmt.Sprintf("the connection closed at the token's exp (%s)", exp.Format(time.TimeOnly)),
			fmt.Sprintf("closed %s before it", exp.Sub(c.At).Round(time.Millisecond)))
	}
	return c.Closure, nil
}

// ObservedClosure is the report cell of a closure: the DISCONNECT's code,
// or "closed".
func ObservedClosure(cl mqttwire.Closure) string {
	if code, ok := cl.ReasonCode(); ok {
		return fmt.Sprintf("DISCONNECT 0x%02X", code)
	}
	return "closed"
}

// CheckDisconnect checks that the broker sent DISCONNECT code before it
// closed the connection.
func CheckDisconnect(cl mqttwire.Closure, code byte) error {
	got, ok := cl.ReasonCode()
	switch {
	case !ok:
		return verify.New(fmt.Sprintf("DISCONNECT 0x%02X, then the connection closed", code), cl.String())
	case got != code:
		return verify.New(fmt.Sprintf("DISCONNECT 0x%02X", code), cl.String())
	}
	return nil
}

// StillConnected checks with a round trip (PINGREQ) that the broker still
// serves conn.
func StillConnected(ctx context.Context, conn *mqttwire.Conn) error {
	if err := conn.Ping(ctx); err != nil {
		return verify.New("the client still connected (PINGRESP)", err.Error())
	}
	return nil
}

// StillOpenAfter waits d, then checks with a round trip, bounded by
// timeout, that the broker still serves s. The error is ctx's when it ends
// during the wait.
func StillOpenAfter(ctx context.Context, s client.Session, d, timeout time.Duration) error {
	if err := SleepUntil(ctx, time.Now().Add(d)); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := s.Alive(ctx); err != nil {
		return verify.New(fmt.Sprintf("the connection still open after %s", d), err.Error())
	}
	return nil
}
