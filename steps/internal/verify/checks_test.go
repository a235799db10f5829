package verify

import (
	"errors"
	"testing"

	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/target"
)

// expectMismatch fails unless err is a Mismatch reading exactly want.
func expectMismatch(t *testing.T, err error, want string) {
	t.Helper()
	if _, ok := As(err); !ok || err.Error() != want {
		t.Errorf("expected the Mismatch %q, got %v", want, err)
	}
}

func TestAccepted(t *testing.T) {
	if err := Accepted(client.Answer{Version: target.MQTT5, Connack: true}); err != nil {
		t.Error(err)
	}
	expectMismatch(t, Accepted(client.Answer{Version: target.MQTT5, Connack: true, Code: 0x86}),
		"expected a connected client, got CONNACK 0x86")
	expectMismatch(t, Accepted(client.Answer{Version: target.MQTT5, Closed: true}),
		"expected a connected client, got the connection closed without a CONNACK")
}

func TestAuthMethod(t *testing.T) {
	ans := client.Answer{Version: target.MQTT5, Connack: true, AuthMethod: "SCRAM-SHA-256"}
	if err := AuthMethod(ans, "SCRAM-SHA-256"); err != nil {
		t.Error(err)
	}
	expectMismatch(t, AuthMethod(ans, "SCRAM-SHA-512"),
		`expected a CONNACK with Authentication-Method "SCRAM-SHA-512", got Authentication-Method "SCRAM-SHA-256"`)
}

func TestRefusedAsTooLarge(t *testing.T) {
	for _, a := range []client.Answer{
		{Version: target.MQTT5, Closed: true},
		{Version: target.MQTT5, Connack: true, Code: 0x95},
	} {
		if err := RefusedAsTooLarge(a); err != nil {
			t.Errorf("%s: %v", a.String(), err)
		}
	}
	for _, a := range []client.Answer{
		{Version: target.MQTT5, Connack: true, Code: 0x86}, // authenticated, then refused
		{Version: target.MQTT5, Connack: true},
		{Version: target.MQTT5, TimedOut: true},
	} {
		if _, ok := As(RefusedAsTooLarge(a)); !ok {
			t.Errorf("%s: expected a Mismatch", a.String())
		}
	}
}

func TestParseCodes(t *testing.T) {
	if c, err := ParseCode("0x87"); err != nil || c != 0x87 {
		t.Errorf("got %v %v", c, err)
	}
	if _, err := ParseCode("0x187"); err == nil {
		t.Error("expected a code over a byte refused")
	}
	codes, err := ParseCodes("SUBACK code", "0x00, 0x87,0x80")
	if err != nil || HexList(codes) != "0x00, 0x87, 0x80" {
		t.Errorf("got %v %v", codes, err)
	}
	if _, err := ParseCodes("SUBACK code", "0x00, zz"); err == nil || err.Error()[:18] != `SUBACK code " zz":` {
		t.Errorf("expected the bad code named, got %v", err)
	}
}

func TestCreation(t *testing.T) {
	refusal := errors.New("HTTP 400: bad config")
	if Created(nil) != nil || CreationRefused(refusal) != nil {
		t.Error("expected the outcomes as checked to pass")
	}
	expectMismatch(t, Created(refusal), "expected the authenticator to be created, got HTTP 400: bad config")
	expectMismatch(t, CreationRefused(nil), "expected the broker to refuse the authenticator (HTTP 400), got it was created")
}

func TestChain(t *testing.T) {
	ids := []string{"jwt", "password_based:built_in_database"}
	if Chain(ids, "jwt", true) != nil || Chain(ids, "scram:http", false) != nil {
		t.Error("expected the chain as checked to pass")
	}
	expectMismatch(t, Chain(ids, "jwt", false), `expected no "jwt" authenticator in the chain, got the chain [jwt password_based:built_in_database]`)
	expectMismatch(t, Chain(ids, "scram:http", true), `expected a "scram:http" authenticator in the chain, got the chain [jwt password_based:built_in_database]`)
}
