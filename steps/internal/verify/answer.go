package verify

import (
	"fmt"

	"github.com/authspec/authspec/steps/client"
)

// Accepted checks that a CONNECT was accepted (CONNACK 0x00), which the
// steps that drive the client's session rely on.
func Accepted(ans client.Answer) error {
	if ans.Accepted() {
		return nil
	}
	return New("a connected client", ans.String())
}

// AuthMethod checks the Authentication-Method of a CONNACK.
func AuthMethod(ans client.Answer, method string) error {
	if ans.AuthMethod == method {
		return nil
	}
	return New(fmt.Sprintf("a CONNACK with Authentication-Method %q", method),
		fmt.Sprintf("Authentication-Method %q", ans.AuthMethod))
}

// RefusedAsTooLarge checks that a CONNECT over the maximum packet size was
// refused before authentication: the connection closed, for MQTT 5
// possibly after CONNACK 0x95 (SEC-04).
func RefusedAsTooLarge(ans client.Answer) error {
	if ans.Closed || (ans.Connack && ans.Code == 0x95) {
		return nil
	}
	return New("the connection closed (or CONNACK 0x95) before authentication", ans.String())
}
