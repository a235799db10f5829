package reference_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/reference"
)

// A subscription is authorized when it is made (EMQX): a message that
// matches a granted wildcard subscription is delivered, also after later
// SUBSCRIBE packets whose filters were denied.
func TestDeliveryThroughGrantedSubscriptions(t *testing.T) {
	b := start(t, reference.WithConfig([]byte(`{"authentication":[{"mechanism":"jwt","algorithm":"hmac-based","secret":"k"}],
		"authorization":{"no_match":"deny"}}`)))
	tok := hs256(t, "k", jwt.MapClaims{"acl": map[string]any{"all": []any{"ok/#"}}})
	connect := func(id string) *mqttwire.Conn {
		conn, ack := dial(t, b, mqttwire.Connect{ProtocolVersion: 5, ClientID: id, Clean: true,
			Password: []byte(tok), HasPassword: true})
		if !ack.Accepted() {
			t.Fatalf("%s: CONNACK 0x%02X", id, ack.ReasonCode)
		}
		return conn
	}
	sub := connect("sub")
	if codes, err := sub.Subscribe(ctx5(t), mqttwire.Filter{Topic: "ok/#", QoS: 1}); err != nil || codes[0] >= 0x80 {
		t.Fatalf("subscribe ok/#: %v %v", codes, err)
	}
	// A later, denied filter spelled like a topic the first one covers.
	if codes, err := sub.Subscribe(ctx5(t), mqttwire.Filter{Topic: "no/1", QoS: 1}); err != nil || codes[0] != 0x87 {
		t.Fatalf("subscribe no/1: want 0x87, got %v %v", codes, err)
	}
	pub := connect("pub")
	if rc, err := pub.Publish(ctx5(t), "ok/a/b", []byte("hello"), 1, false); err != nil || rc >= 0x80 {
		t.Fatalf("publish: 0x%02X %v", rc, err)
	}
	msg, err := sub.Receive(ctx5(t))
	if err != nil || msg.Topic != "ok/a/b" || string(msg.Payload) != "hello" {
		t.Fatalf("want the message through the wildcard subscription, got %+v %v", msg, err)
	}
}

// On an expiry disconnect the Will is judged as of the expiry instant
// (JWT-EXP-03): a Will topic the token's rules allow is delivered, one they
// deny reaches nobody, not even a wildcard subscriber.
func TestWillOnExpiryIsAuthorized(t *testing.T) {
	for _, c := range []struct {
		name, will string
		fault      string
		delivered  bool
	}{
		{"allowed", "will/dev", "", true},
		{"denied", "gone/dev", "", false},
		{"allowed, judged after the rules expired (fault)", "will/dev", "will-authorized-after-expiry", false},
		{"denied, delivered anyway (fault)", "gone/dev", "denied-will-delivered", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := []reference.Option{reference.WithConfig([]byte(`{"authentication":[{"mechanism":"jwt","algorithm":"hmac-based","secret":"k"}],
				"authorization":{"no_match":"deny"}}`))}
			if c.fault != "" {
				opts = append(opts, reference.WithFault(c.fault))
			}
			b := start(t, opts...)
			watcher, ack := dial(t, b, mqttwire.Connect{ProtocolVersion: 5, ClientID: "watcher", Clean: true,
				Password: []byte(hs256(t, "k", jwt.MapClaims{"is_superuser": true})), HasPassword: true})
			if !ack.Accepted() {
				t.Fatalf("watcher: CONNACK 0x%02X", ack.ReasonCode)
			}
			if codes, err := watcher.Subscribe(ctx5(t), mqttwire.Filter{Topic: "#", QoS: 0}); err != nil || codes[0] >= 0x80 {
				t.Fatalf("watcher subscribe: %v %v", codes, err)
			}
			exp := time.Now().Add(time.Second).Unix()
			tok := hs256(t, "k", jwt.MapClaims{"exp": exp, "acl": []any{map[string]any{"permission": "allow", "action": "publish", "topic": "will/#"}}})
			client, ack := dial(t, b, mqttwire.Connect{ProtocolVersion: 5, ClientID: "dev", Clean: true,
				Password: []byte(tok), HasPassword: true, Will: &mqttwire.Will{Topic: c.will, Payload: []byte("gone")}})
			if !ack.Accepted() {
				t.Fatalf("client: CONNACK 0x%02X", ack.ReasonCode)
			}
			if cl, err := client.Closed(ctx5(t)); err != nil || cl.Disconnect == nil {
				t.Fatalf("want the expiry DISCONNECT, got %+v %v", cl, err)
			}
			short, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			msg, err := watcher.Receive(short)
			if got := err == nil && string(msg.Payload) == "gone"; got != c.delivered {
				t.Fatalf("Will delivered: want %v, got %+v %v", c.delivered, msg, err)
			}
		})
	}
}

// The SUBACK codes of refused filters (JWT-ACL-18), and the two faults that
// break them.
func TestSubackCodes(t *testing.T) {
	for _, c := range []struct {
		fault string
		proto byte
		want  string
	}{
		{"", 5, "[1 135 0]"}, {"", 4, "[1 128 0]"},
		{"v311-suback-keeps-v5-code", 4, "[1 135 0]"},
		{"suback-denies-all", 5, "[135 135 135]"}, {"suback-denies-all", 4, "[128 128 128]"},
	} {
		opts := []reference.Option{reference.WithConfig([]byte(`{"authentication":[{"mechanism":"jwt","algorithm":"hmac-based","secret":"k"}],
			"authorization":{"no_match":"deny"}}`))}
		if c.fault != "" {
			opts = append(opts, reference.WithFault(c.fault))
		}
		b := start(t, opts...)
		tok := hs256(t, "k", jwt.MapClaims{"acl": map[string]any{"sub": []any{"ok/#"}}})
		conn, ack := dial(t, b, mqttwire.Connect{ProtocolVersion: c.proto, ClientID: "s", Clean: true, Password: []byte(tok), HasPassword: true})
		if !ack.Accepted() {
			t.Fatalf("CONNACK 0x%02X", ack.ReasonCode)
		}
		codes, err := conn.Subscribe(ctx5(t), mqttwire.Filter{Topic: "ok/1", QoS: 1}, mqttwire.Filter{Topic: "no/1", QoS: 1}, mqttwire.Filter{Topic: "ok/2"})
		if err != nil || fmt.Sprint(codes) != c.want {
			t.Errorf("fault %q, MQTT %d: want %s, got %v %v", c.fault, c.proto, c.want, codes, err)
		}
	}
}

// The on-wire forms of a denied publish (JWT-ACL-19) and the faults that
// break them: the publisher's acknowledgement, and whether a watcher gets
// the message.
func TestDeniedPublishFaults(t *testing.T) {
	for _, c := range []struct {
		fault      string
		proto, qos byte
		wantCode   byte
		wantClosed bool
		delivered  bool
	}{
		{"", 5, 1, 0x87, false, false},
		{"deny-acked-as-success", 5, 1, 0x00, false, false},
		{"", 5, 0, 0, false, false},
		{"qos0-deny-delivered", 5, 0, 0, false, true},
		{"", 4, 1, 0, false, false},
		{"v311-deny-disconnects", 4, 1, 0, true, false},
	} {
		opts := []reference.Option{reference.WithConfig([]byte(`{"authentication":[{"mechanism":"jwt","algorithm":"hmac-based","secret":"k"}],
			"authorization":{"no_match":"deny"}}`))}
		if c.fault != "" {
			opts = append(opts, reference.WithFault(c.fault))
		}
		b := start(t, opts...)
		watcher, _ := dial(t, b, mqttwire.Connect{ProtocolVersion: 5, ClientID: "w", Clean: true,
			Password: []byte(hs256(t, "k", jwt.MapClaims{"is_superuser": true})), HasPassword: true})
		if codes, err := watcher.Subscribe(ctx5(t), mqttwire.Filter{Topic: "no/#", QoS: 1}); err != nil || codes[0] >= 0x80 {
			t.Fatalf("watcher: %v %v", codes, err)
		}
		pub, _ := dial(t, b, mqttwire.Connect{ProtocolVersion: c.proto, ClientID: "p", Clean: true,
			Password: []byte(hs256(t, "k", jwt.MapClaims{})), HasPassword: true})
		code, err := pub.Publish(ctx5(t), "no/x", []byte("denied"), c.qos, false)
		switch {
		case c.wantClosed && err == nil:
			t.Errorf("fault %q: want the connection closed, got code 0x%02X", c.fault, code)
		case !c.wantClosed && (err != nil || code != c.wantCode):
			t.Errorf("fault %q MQTT %d QoS %d: want 0x%02X, got 0x%02X %v", c.fault, c.proto, c.qos, c.wantCode, code, err)
		}
		short, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		_, err = watcher.Receive(short)
		cancel()
		if (err == nil) != c.delivered {
			t.Errorf("fault %q MQTT %d QoS %d: delivered want %v, got err %v", c.fault, c.proto, c.qos, c.delivered, err)
		}
	}
}

// With deliveries-reauthorized, a message through a wildcard subscription
// is not delivered.
func TestDeliveriesReauthorizedFault(t *testing.T) {
	b := start(t, reference.WithConfig([]byte(`{"authentication":[{"mechanism":"jwt","algorithm":"hmac-based","secret":"k"}]}`)),
		reference.WithFault("deliveries-reauthorized"))
	tok := []byte(hs256(t, "k", jwt.MapClaims{}))
	sub, _ := dial(t, b, mqttwire.Connect{ProtocolVersion: 5, ClientID: "s", Clean: true, Password: tok, HasPassword: true})
	if codes, err := sub.Subscribe(ctx5(t), mqttwire.Filter{Topic: "ok/#", QoS: 1}); err != nil || codes[0] >= 0x80 {
		t.Fatalf("subscribe: %v %v", codes, err)
	}
	pub, _ := dial(t, b, mqttwire.Connect{ProtocolVersion: 5, ClientID: "p", Clean: true, Password: tok, HasPassword: true})
	if _, err := pub.Publish(ctx5(t), "ok/x", []byte("m"), 0, false); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if msg, err := sub.Receive(short); err == nil {
		t.Fatalf("delivered with the fault: %+v", msg)
	}
}
