package scramdrive

import (
	"context"
	"fmt"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

// What the accepted SCRAM client may do, and what the broker shows of it
// (SCRAM-15..17: the answer's is_superuser, acl and client_attrs).

// Subscription subscribes conn to topic at QoS 1 and checks the SUBACK:
// granted, or refused with 0x87. It returns the SUBACK's code for the
// report ("" when none came).
func Subscription(ctx context.Context, conn *mqttwire.Conn, topic string, granted bool) (string, error) {
	codes, err := conn.Subscribe(ctx, mqttwire.Filter{Topic: topic, QoS: 1})
	if err != nil {
		return "", verify.New("a SUBACK", err.Error())
	}
	code := codes[0]
	observed := fmt.Sprintf("0x%02X", code)
	switch {
	case granted && code >= 0x80:
		return observed, verify.New(fmt.Sprintf("SUBACK granting %q", topic), fmt.Sprintf("reason code 0x%02X", code))
	case !granted && code != 0x87:
		return observed, verify.New(fmt.Sprintf("SUBACK 0x87 for %q", topic), fmt.Sprintf("reason code 0x%02X", code))
	}
	return observed, nil
}

// attrsPoll is how often ClientAttrs asks again.
const attrsPoll = 50 * time.Millisecond

// ClientAttrs reads the connected client's attributes from the broker
// (EMQX: GET /api/v5/clients/{clientid}). Registration may trail the
// CONNACK by a moment, so it asks again until ctx ends: a client never
// shown connected is a Mismatch, an inspector error a *HarnessError.
func ClientAttrs(ctx context.Context, inspector target.ClientInspector, clientID string) (map[string]string, error) {
	for {
		info, found, err := inspector.Client(ctx, clientID)
		switch {
		case err != nil:
			return nil, harness(err)
		case found && info.Connected:
			return info.ClientAttrs, nil
		}
		select {
		case <-ctx.Done():
			return nil, verify.New(fmt.Sprintf("a connected client %q", clientID), "none")
		case <-time.After(attrsPoll):
		}
	}
}

// Attribute checks that attrs has name = value.
func Attribute(attrs map[string]string, name, value string) error {
	if got, ok := attrs[name]; !ok || got != value {
		return verify.New(fmt.Sprintf("attribute %s = %q", name, value), fmt.Sprintf("the attributes %v", attrs))
	}
	return nil
}

// NoAttribute checks that attrs has no name.
func NoAttribute(attrs map[string]string, name string) error {
	if _, ok := attrs[name]; ok {
		return verify.New(fmt.Sprintf("no attribute %s", name), fmt.Sprintf("the attributes %v", attrs))
	}
	return nil
}
