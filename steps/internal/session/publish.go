package session

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

// AbsenceWait is how long a check that something is NOT delivered waits.
const AbsenceWait = 500 * time.Millisecond

// ParseQoS reads a QoS the step matched as one digit; "" is def.
func ParseQoS(s string, def byte) byte {
	if s == "" {
		return def
	}
	n, _ := strconv.Atoi(s)
	return byte(n)
}

// PublishResult is what one publish of the client got back.
type PublishResult struct {
	Topic   string
	QoS     byte
	Payload []byte
	Code    byte  // PUBACK/PUBREC reason code (0 in 3.1.1)
	Err     error // no acknowledgement: DISCONNECT, closed, timeout
}

func (p PublishResult) String() string {
	var de *mqttwire.DisconnectError
	switch {
	case errors.As(p.Err, &de):
		return fmt.Sprintf("DISCONNECT 0x%02X", de.ReasonCode())
	case errors.Is(p.Err, mqttwire.ErrConnectionClosed):
		return "the connection closed"
	case errors.Is(p.Err, mqttwire.ErrTimeout):
		return "no acknowledgement before the deadline"
	case p.Err != nil:
		return p.Err.Error()
	case p.QoS == 0:
		return "no acknowledgement (QoS 0)"
	case p.QoS == 2:
		return fmt.Sprintf("PUBREC 0x%02X", p.Code)
	}
	return fmt.Sprintf("PUBACK 0x%02X", p.Code)
}

// Publish publishes payload on conn and returns what came back; the
// broker not acknowledging is a result (Err), not an error.
func Publish(ctx context.Context, conn *mqttwire.Conn, topic string, payload []byte, qos byte, retain bool) PublishResult {
	r := PublishResult{Topic: topic, QoS: qos, Payload: payload}
	r.Code, r.Err = conn.Publish(ctx, topic, payload, qos, retain)
	return r
}

// ObservedByDelivery reports whether a publish's authorization shows only
// in its delivery: at QoS 0 nothing acknowledges it, and MQTT 3.1.1
// acknowledgements carry no code.
func ObservedByDelivery(qos byte, v target.Version) bool {
	return qos == 0 || v == target.MQTT311
}

// JudgePublish checks that a publish was denied (deny) or allowed. An MQTT
// 5 publish at QoS 1 or 2 tells by its acknowledgement (0x87 denied, below
// 0x80 allowed): probe is nil. Otherwise probe, a watcher subscribed to the
// topic before the publish, tells by the delivery: it waits AbsenceWait for
// a denied one, up to wait for an allowed one.
func JudgePublish(ctx context.Context, r PublishResult, deny bool, probe *Watcher, wait time.Duration) error {
	what := fmt.Sprintf("a QoS %d publish to %q", r.QoS, r.Topic)
	if probe == nil {
		return judgeAck(what, r, deny)
	}
	if r.Err != nil {
		return verify.New(what+" acknowledged as usual (QoS 0: none) and the connection kept", r.String())
	}
	same := func(m mqttwire.Message) bool { return bytes.Equal(m.Payload, r.Payload) }
	if deny {
		got, err := probe.Receive(ctx, AbsenceWait, same)
		if err == nil && got != nil {
			err = verify.New(what+" denied: not delivered", "a subscriber received it")
		}
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	return probe.Expect(ctx, same, what+" allowed: delivered to a subscriber")
}

// judgeAck judges an MQTT 5 publish at QoS 1 or 2 by its acknowledgement.
func judgeAck(what string, r PublishResult, deny bool) error {
	switch {
	case r.Err != nil && deny:
		return verify.New(what+" to be denied with 0x87", r.String())
	case r.Err != nil:
		return verify.New(what+" to be allowed", r.String())
	case deny && r.Code != 0x87:
		return verify.New(fmt.Sprintf("%s denied: %s 0x87", what, ackName(r.QoS)), r.String())
	case !deny && r.Code >= 0x80:
		return verify.New(what+" allowed: an acknowledgement below 0x80", r.String())
	}
	return nil
}

func ackName(qos byte) string {
	if qos == 2 {
		return "PUBREC"
	}
	return "PUBACK"
}

// CheckAnswer checks that the broker answered a publish with kind (PUBACK
// or PUBREC) and code.
func CheckAnswer(p PublishResult, kind string, code byte) error {
	if p.Err != nil || p.Code != code || (kind == "PUBREC") != (p.QoS == 2) {
		return verify.New(fmt.Sprintf("%s 0x%02X", kind, code), p.String())
	}
	return nil
}

// CheckAckedAsUsual checks that the broker acknowledged a publish as usual
// (a success code, the connection kept).
func CheckAckedAsUsual(p PublishResult) error {
	if p.Err != nil || p.Code >= 0x80 {
		return verify.New("the publish acknowledged as usual", p.String())
	}
	return nil
}
