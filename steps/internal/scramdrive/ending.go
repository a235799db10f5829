package scramdrive

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/internal/session"
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
	end, err := awaitEnd(ctx, conn, r, want.Wait)
	var h *HarnessError
	switch {
	case errors.As(err, &h):
		return "", err
	case err != nil:
		return "open", verify.New(wantText, err.Error())
	case end.Disconnect == nil:
		return "closed", verify.New(wantText, "the connection closed without DISCONNECT")
	}
	observed := fmt.Sprintf("0x%02X", end.Disconnect.ReasonCode)
	if end.Disconnect.ReasonCode != want.Code {
		return observed, verify.New(wantText, mqttwire.Describe(*end.Disconnect))
	}
	if end.Early(want.ExpireAt, ExpirySlack) {
		return observed, verify.New(fmt.Sprintf("%s at expire_at %s", wantText, want.ExpireAt.Format(time.RFC3339)),
			fmt.Sprintf("it at %s", end.At.Format(time.RFC3339Nano)))
	}
	return observed, nil
}

// awaitEnd waits up to d for conn to end (session.AwaitClose), unless r
// already saw it end. A connection still open is a plain error saying
// what came.
func awaitEnd(ctx context.Context, conn *mqttwire.Conn, r *Reauth, d time.Duration) (session.Closing, error) {
	if r != nil && r.Ended() {
		return session.Closing{Closure: mqttwire.Closure{Disconnect: r.disconnect}, At: time.Now()}, nil
	}
	if conn == nil {
		return session.Closing{}, errors.New("the scenario waits for a disconnect without an accepted SCRAM client")
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	end, err := session.AwaitClose(ctx, conn)
	if errors.Is(err, mqttwire.ErrTimeout) {
		return end, stillOpen(end.Closure, r, d)
	}
	return end, harness(err)
}

// stillOpen says what arrived on a connection that did not end, the
// re-authentication's AUTHs first.
func stillOpen(cl mqttwire.Closure, r *Reauth, d time.Duration) error {
	var before []string
	if r != nil {
		before = append(before, describeAuths(r.serverAuths))
	}
	return errors.New(session.StillOpen(cl, fmt.Sprintf("after %s", d), before...))
}
