package loadgen

import (
	"context"
	"time"
)

// Clock is the time source of the schedulers; tests drive a fake one.
type Clock interface {
	Now() time.Time
	// SleepUntil returns at t, or early with ctx's error.
	SleepUntil(ctx context.Context, t time.Time) error
}

// realClock sleeps precisely: Go's timers wake up to a millisecond late
// when the process is idle (the runtime's poller waits in whole
// milliseconds), which would add that much of the generator's own lateness
// to every latency of a modest-rate run. The last stretch of each wait is
// a nanosleep system call instead (see preciseSleep), which on this kind
// of machine wakes about a tenth of a millisecond late.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

const (
	// timerAbove: waits longer than this start on a Go timer, which a
	// cancelled context interrupts at once.
	timerAbove = 20 * time.Millisecond
	// sleepChunk bounds one nanosleep, so a cancellation is seen within it.
	sleepChunk = 10 * time.Millisecond
)

func (realClock) SleepUntil(ctx context.Context, t time.Time) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := time.Until(t)
		if d <= 0 {
			return nil
		}
		if d > timerAbove {
			tm := time.NewTimer(d - timerAbove/2)
			select {
			case <-tm.C:
			case <-ctx.Done():
				tm.Stop()
				return ctx.Err()
			}
			continue
		}
		preciseSleep(min(d, sleepChunk))
	}
}
