package loadgen

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/loadgen/stats"
	"github.com/authspec/authspec/loadgen/workload"
)

// ErrUnreachable: nothing accepted a TCP connection at the target address.
var ErrUnreachable = errors.New("target unreachable")

// ErrNoAnswer: the target accepted TCP but sent no CONNACK (nor closed) in
// time: not an MQTT broker, or a stuck one.
var ErrNoAnswer = errors.New("target does not answer MQTT")

// Probe checks, before any phase, that addr is an MQTT broker that
// answers: one CONNECT with no credentials, any answer (CONNACK accepting
// or refusing, AUTH, or a close) will do. A load run against a target that
// cannot answer would otherwise report thousands of identical timeouts.
func Probe(ctx context.Context, addr string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	nc, err := workload.NewDialer(nil, false).DialContext(ctx, addr)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrUnreachable, addr, err)
	}
	c := mqttwire.NewConn(nc, mqttwire.WithTimeout(timeout))
	defer c.Close()
	_, err = c.Connect(ctx, mqttwire.Connect{ProtocolVersion: 5, ClientID: "authspec-load-probe", Clean: true})
	var unexpected *mqttwire.UnexpectedPacketError
	switch {
	case err == nil, errors.As(err, &unexpected):
		return nil
	case workload.Classify(err) == stats.CauseTimeout:
		return fmt.Errorf("%w: %s accepted a TCP connection but sent no CONNACK within %v", ErrNoAnswer, addr, timeout)
	case workload.Classify(err) == stats.CauseReset:
		return nil // closed on us: a broker refusing the way 3.1.1 ones do
	}
	return fmt.Errorf("%w: %s: %v", ErrNoAnswer, addr, err)
}
