package remote

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/authspec/authspec/fixtures/container/mqttprobe"
	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target"
)

// Reachability asks the broker once, at the first scenario that needs it,
// whether an MQTT server answers: any CONNACK will do, refusals included.
// A broker that is down, or that accepts TCP and never answers, fails the
// check within the caller's deadline (the step timeout), and every later
// scenario gets the same "target unreachable" error at once, so a dead
// broker costs one step timeout per run, not one per scenario, and the run
// still ends with its reports (exit code 3).
//
// A broker declared to speak MQTT 5 that hangs up on the MQTT 5 probe (or
// answers it with "unsupported protocol version") is asked again in MQTT
// 3.1.1: one that answers then is reachable but does not speak MQTT 5, and
// Spoken says so, so its scenarios run on 3.1.1 where they can and are not
// applicable, not unreachable, where they cannot.
type Reachability struct {
	once sync.Once
	err  error
	// noMQTT5 says why the broker does not speak MQTT 5 ("" when it does or
	// was not asked).
	noMQTT5 string
}

// fallbackTimeout bounds the probe when the caller's context has no
// deadline.
const fallbackTimeout = 5 * time.Second

// Check probes ep once and returns the outcome of that probe (nil, or an
// error marked reports.Unreachable).
func (r *Reachability) Check(ctx context.Context, ep Endpoint) error {
	r.once.Do(func() { r.err = r.probe(ctx, ep) })
	return r.err
}

// Spoken is what the broker speaks of the declared versions, once Check
// found it reachable, and why MQTT 5 is missing when the broker turned
// down an MQTT 5 CONNECT ("" otherwise).
func (r *Reachability) Spoken(ep Endpoint) (versions []target.Version, noMQTT5 string) {
	if r.noMQTT5 == "" {
		return ep.Versions, ""
	}
	for _, v := range ep.Versions {
		if v != target.MQTT5 {
			versions = append(versions, v)
		}
	}
	return versions, r.noMQTT5
}

func (r *Reachability) probe(ctx context.Context, ep Endpoint) error {
	timeout := fallbackTimeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = time.Until(dl)
	}
	opts := []mqttprobe.Option{mqttprobe.WithAttemptTimeout(timeout)}
	if ep.TLS != nil {
		opts = append(opts, mqttprobe.WithTLS(ep.TLS))
	}
	v5 := speaks(ep, "5")
	if !v5 {
		opts = append(opts, mqttprobe.WithVersion(4))
	}
	started := time.Now()
	ack, err := mqttprobe.Probe(ctx, ep.Addr, opts...)
	if v5 && turnedDownMQTT5(ack, err) {
		// Ask in 3.1.1 within what is left of the deadline.
		opts311 := append(opts, mqttprobe.WithVersion(4))
		if _, err311 := mqttprobe.Probe(ctx, ep.Addr, opts311...); err311 == nil {
			how := fmt.Sprintf("did not answer an MQTT 5 CONNECT with a CONNACK (%v)", err)
			if err == nil {
				how = fmt.Sprintf("refused an MQTT 5 CONNECT with 0x%02X (unsupported protocol version)", ack.ReasonCode)
			}
			r.noMQTT5 = fmt.Sprintf("the target does not speak MQTT 5: it %s, and answers MQTT 3.1.1", how)
			if !speaks(ep, "3.1.1") {
				r.noMQTT5 += ` (add "3.1.1" to mqtt.versions to judge it there)`
			}
			return nil
		}
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || isTimeout(err) {
			err = fmt.Errorf("no CONNACK from %s within %s: %w", ep.Addr, time.Since(started).Round(time.Millisecond), err)
		} else {
			err = fmt.Errorf("MQTT CONNECT to %s: %w", ep.Addr, err)
		}
		return reports.Unreachable(err)
	}
	return nil
}

// turnedDownMQTT5: the broker answered an MQTT 5 CONNECT with something
// other than an MQTT 5 CONNACK (it hung up, or sent what does not decode as
// one), or refused it with "unsupported protocol version" (0x84; a 3.1.1
// broker's return code 1 reads as 0x01). No answer at all (a timeout) is
// not that: such a broker is unreachable either way.
func turnedDownMQTT5(ack mqttwire.Connack, err error) bool {
	if err != nil {
		return !errors.Is(err, mqttwire.ErrTimeout) && !errors.Is(err, context.DeadlineExceeded) && !isTimeout(err)
	}
	return ack.ReasonCode == 0x84 || ack.ReasonCode == 0x01
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
