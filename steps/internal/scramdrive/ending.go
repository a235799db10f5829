package scramdrive

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/internal/verify"
)

// Ending is how a scenario expects the accepted connection to end: a
// DISCONNECT with Code within Wait, and, when ExpireAt is set, not before
// the backend answer's expire_at (SCRAM-07).
type Ending struct {
	Code     byte
	Wait     time.Duration
	ExpireAt time.Time
}

// ExpirySlack allows for a broker clock a little ahead of the suite's
// when a DISCONNECT must not come before expire_at.
const ExpirySlack = 500 * time.Millisecond

// AtExpiry is the ending at expireAt: the wait runs past it by half the
// step's timeout.
func AtExpiry(code byte, expireAt time.Time, timeout time.Duration) Ending {
	return Ending{Code: code, Wait: time.Until(expireAt) + timeout/2, ExpireAt: expireAt}
}

// Disconnected waits for conn to end, unless the re-authentication r (nil:
// none) already saw it end, and checks the ending. It returns the observed
// cell for the report ("open", "closed", "0x87"; "" on a harness error)
// and a verify.Mismatch or a *HarnessError.
func Disconnected(ctx context.Context, conn *mqttwire.Conn, r *Reauth, want Ending) (string, error) {
	wantText := fmt.Sprintf("DISCONNECT 0x%02X", want.Code)
	disconnect, at, err := awaitEnd(ctx, conn, r, want.Wait)
	var h *HarnessError
	switch {
	case errors.As(err, &h):
		return "", err
	case err != nil:
		return "open", verify.New(wantText, err.Error())
	case disconnect == nil:
		return "closed", verify.New(wantText, "the connection closed without DISCONNECT")
	}
	observed := fmt.Sprintf("0x%02X", disconnect.ReasonCode)
	if disconnect.ReasonCode != want.Code {
		return observed, verify.New(wantText, mqttwire.Describe(*disconnect))
	}
	if !want.ExpireAt.IsZero() && at.Before(want.ExpireAt.Add(-ExpirySlack)) {
		return observed, verify.New(fmt.Sprintf("%s at expire_at %s", wantText, want.ExpireAt.Format(time.RFC3339)),
			fmt.Sprintf("it at %s", at.Format(time.RFC3339Nano)))
	}
	return observed, nil
}

// awaitEnd waits up to d for conn to end, unless r already saw it end. It
// returns the DISCONNECT (nil when the broker closed without one) and when
// it arrived; a connection still open is a plain error saying what came.
func awaitEnd(ctx context.Context, conn *mqttwire.Conn, r *Reauth, d time.Duration) (*mqttwire.Packet, time.Time, error) {
	if r != nil && r.Ended() {
		return r.disconnect, time.Now(), nil
	}
	if conn == nil {
		return nil, time.Time{}, errors.New("the scenario waits for a disconnect without an accepted SCRAM client")
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	cl, err := conn.Closed(ctx)
	at := time.Now()
	if errors.Is(err, mqttwire.ErrTimeout) {
		return nil, at, stillOpen(cl, r, d)
	}
	if err != nil {
		return nil, at, harness(err)
	}
	return cl.Disconnect, at, nil
}

// stillOpen says what arrived on a connection that did not end.
func stillOpen(cl mqttwire.Closure, r *Reauth, d time.Duration) error {
	got := fmt.Sprintf("the connection still open after %s", d)
	var before []string
	if r != nil {
		before = append(before, describeAuths(r.serverAuths))
	}
	for _, pk := range cl.Unread {
		before = append(before, mqttwire.Describe(pk))
	}
	if cl.Disconnect != nil {
		before = append(before, mqttwire.Describe(*cl.Disconnect))
	}
	if len(before) > 0 {
		got += " (received: " + strings.Join(before, ", ") + ")"
	}
	return errors.New(got)
}
