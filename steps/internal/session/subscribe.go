package session

import (
	"context"
	"errors"
	"fmt"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

// Subscribe sends one SUBSCRIBE with filters on conn and returns the
// SUBACK's codes; no SUBACK (a DISCONNECT, the connection closed) is a
// Mismatch.
func Subscribe(ctx context.Context, conn *mqttwire.Conn, filters ...mqttwire.Filter) ([]byte, error) {
	codes, err := conn.Subscribe(ctx, filters...)
	if err == nil {
		return codes, nil
	}
	var de *mqttwire.DisconnectError
	if errors.As(err, &de) {
		return nil, verify.New("a SUBACK", fmt.Sprintf("DISCONNECT 0x%02X", de.ReasonCode()))
	}
	return nil, verify.New("a SUBACK", err.Error())
}

// DeniedSubscriptionCode is the SUBACK code of a denied filter: 0x87, or
// 0x80 for an MQTT 3.1.1 client (JWT-ACL-18).
func DeniedSubscriptionCode(v target.Version) byte {
	if v == target.MQTT311 {
		return 0x80
	}
	return 0x87
}

// JudgeSubscription checks the SUBACK code of filter f for a client of
// version v: denied (deny) or granted.
func JudgeSubscription(f mqttwire.Filter, code byte, deny bool, v target.Version) error {
	what := fmt.Sprintf("a QoS %d subscription to %q", f.QoS, f.Topic)
	got := fmt.Sprintf("SUBACK 0x%02X", code)
	switch denied := DeniedSubscriptionCode(v); {
	case deny && code != denied:
		return verify.New(fmt.Sprintf("%s denied: SUBACK 0x%02X", what, denied), got)
	case !deny && code >= 0x80:
		return verify.New(what+" granted", got)
	}
	return nil
}
