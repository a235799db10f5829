package scramdrive

import (
	"context"
	"fmt"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/internal/session"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

// What the accepted SCRAM client may do, and what the broker shows of it
// (SCRAM-15..17: the answer's is_superuser, acl and client_attrs). The
// broker's view of the client is session.AwaitClient's.

// Subscription subscribes conn to topic at QoS 1 and checks the SUBACK:
// granted, or refused with 0x87 (session.JudgeSubscription; SCRAM is MQTT
// 5 only). It returns the SUBACK's code for the report ("" when none
// came).
func Subscription(ctx context.Context, conn *mqttwire.Conn, topic string, granted bool) (string, error) {
	f := mqttwire.Filter{Topic: topic, QoS: 1}
	codes, err := session.Subscribe(ctx, conn, f)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("0x%02X", codes[0]), session.JudgeSubscription(f, codes[0], !granted, target.MQTT5)
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
