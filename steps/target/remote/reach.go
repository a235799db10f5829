package remote

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/authspec/authspec/fixtures/container/mqttprobe"
	"github.com/authspec/authspec/reports"
)

// Reachability asks the broker once, at the first scenario that needs it,
// whether an MQTT server answers: any CONNACK will do, refusals included.
// A broker that is down, or that accepts TCP and never answers, fails the
// check within the caller's deadline (the step timeout), and every later
// scenario gets the same "target unreachable" error at once, so a dead
// broker costs one step timeout per run, not one per scenario, and the run
// still ends with its reports (exit code 3).
type Reachability struct {
	once sync.Once
	err  error
}

// fallbackTimeout bounds the probe when the caller's context has no
// deadline.
const fallbackTimeout = 5 * time.Second

// Check probes ep once and returns the outcome of that probe (nil, or an
// error marked reports.Unreachable).
func (r *Reachability) Check(ctx context.Context, ep Endpoint) error {
	r.once.Do(func() { r.err = probe(ctx, ep) })
	return r.err
}

func probe(ctx context.Context, ep Endpoint) error {
	timeout := fallbackTimeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = time.Until(dl)
	}
	opts := []mqttprobe.Option{mqttprobe.WithAttemptTimeout(timeout)}
	if ep.TLS != nil {
		opts = append(opts, mqttprobe.WithTLS(ep.TLS))
	}
	if !speaks(ep, "5") {
		opts = append(opts, mqttprobe.WithVersion(4))
	}
	started := time.Now()
	if _, err := mqttprobe.Probe(ctx, ep.Addr, opts...); err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || isTimeout(err) {
			err = fmt.Errorf("no CONNACK from %s within %s: %w", ep.Addr, time.Since(started).Round(time.Millisecond), err)
		} else {
			err = fmt.Errorf("MQTT CONNECT to %s: %w", ep.Addr, err)
		}
		return reports.Unreachable(err)
	}
	return nil
}

func speaks(ep Endpoint, v string) bool {
	for _, have := range ep.Versions {
		if string(have) == v {
			return true
		}
	}
	return false
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
