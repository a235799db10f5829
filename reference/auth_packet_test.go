package reference_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/reference"
	"github.com/authspec/authspec/reference/faults"
	"github.com/authspec/authspec/reference/scram"
)

// scramBroker starts a reference whose only authenticator is SCRAM over a
// real credential backend that knows user "u" with password "p".
func scramBroker(t *testing.T, opts ...reference.Option) *reference.Broker {
	t.Helper()
	backend, err := scrambackend.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = backend.Close() })
	if err := backend.AddUser(scrambackend.User{Name: "u", Password: "p"}); err != nil {
		t.Fatal(err)
	}
	cfg, _ := json.Marshal([]map[string]any{{
		"mechanism": "scram", "backend": "http", "method": "get",
		"url": backend.URL() + "/auth?username=${username}",
	}})
	return start(t, append(opts, reference.WithConfig(cfg))...)
}

// scramConnect runs the exchange over the raw client: CONNECT with the
// client-first message, then for the server-first AUTH the client-final
// message sent in the AUTH that answer builds (after pause).
func scramConnect(t *testing.T, b *reference.Broker, pause time.Duration, answer func(final []byte) mqttwire.Auth) (*mqttwire.Conn, mqttwire.Connack, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second+pause)
	defer cancel()
	conn, err := mqttwire.Dial(ctx, b.MQTTAddr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	conv, err := scram.NewClient(scram.SHA256, "u", "p")
	if err != nil {
		t.Fatal(err)
	}
	ack, err := conn.Connect(ctx, mqttwire.Connect{
		ClientID: "c", Clean: true, Keepalive: 60,
		AuthMethod: "SCRAM-SHA-256", AuthData: conv.First(),
		OnAuth: func(server mqttwire.Auth) (mqttwire.Auth, error) {
			final, err := conv.Final(server.Data)
			if err != nil {
				return mqttwire.Auth{}, err
			}
			time.Sleep(pause)
			return answer(final), nil
		},
	})
	return conn, ack, err
}

func continueWith(method string) func([]byte) mqttwire.Auth {
	return func(final []byte) mqttwire.Auth {
		return mqttwire.Auth{ReasonCode: mqttwire.AuthContinue, Method: method, Data: final}
	}
}

// SCRAM-24 and its fault: a pause longer than the connect idle timeout
// completes, unless auth-step-idle-timeout applies that timeout to the step.
func TestAuthStepOutlivesTheIdleTimeout(t *testing.T) {
	const idle = 300 * time.Millisecond
	for _, c := range []struct {
		fault  []string
		accept bool
	}{{nil, true}, {[]string{string(faults.AuthStepIdleTimeout)}, false}} {
		b := scramBroker(t, reference.WithConnectTimeout(idle), reference.WithFault(c.fault...))
		_, ack, err := scramConnect(t, b, idle+300*time.Millisecond, continueWith("SCRAM-SHA-256"))
		accepted := err == nil && ack.Accepted()
		if accepted != c.accept {
			t.Errorf("faults %v: expected accepted=%v, got CONNACK %v, error %v", c.fault, c.accept, ack, err)
		}
	}
}

// SCRAM-21 and its fault, while connecting and once connected.
func TestAuthWithoutMethod(t *testing.T) {
	for _, c := range []struct {
		fault      []string
		connecting byte // expected CONNACK code
	}{{nil, 0x82}, {[]string{string(faults.AcceptAuthWithoutMethod)}, 0x00}} {
		b := scramBroker(t, reference.WithFault(c.fault...))
		_, ack, err := scramConnect(t, b, 0, continueWith(""))
		if err != nil || ack.ReasonCode != c.connecting {
			t.Errorf("faults %v: expected CONNACK 0x%02X, got %v, error %v", c.fault, c.connecting, ack, err)
		}

		conn, ack, err := scramConnect(t, b, 0, continueWith("SCRAM-SHA-256"))
		if err != nil || !ack.Accepted() {
			t.Fatalf("faults %v: expected the exchange to succeed, got %v, error %v", c.fault, ack, err)
		}
		conv, _ := scram.NewClient(scram.SHA256, "u", "p")
		ctx := ctx5(t)
		if err := conn.SendAuth(ctx, mqttwire.AuthReauthenticate, "", conv.First()); err != nil {
			t.Fatal(err)
		}
		pk, err := conn.ReadPacket(ctx)
		switch {
		case len(c.fault) == 0 && (err != nil || pk.FixedHeader.Type != mqttwire.TypeDisconnect || pk.ReasonCode != 0x82):
			t.Errorf("expected DISCONNECT 0x82, got %s, error %v", mqttwire.Describe(pk), err)
		case len(c.fault) > 0 && (err != nil || pk.FixedHeader.Type != mqttwire.TypeAuth || pk.ReasonCode != mqttwire.AuthContinue):
			t.Errorf("fault: expected the re-authentication to continue with AUTH 0x18, got %s, error %v", mqttwire.Describe(pk), err)
		}
	}
}
