package attack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/reference"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/target"
)

const secret = "emqxsecret"

// startReference starts the in-process reference broker with an HMAC JWT
// authenticator on loopback.
func startReference(t *testing.T) *reference.Broker {
	t.Helper()
	cfg, _ := json.Marshal([]map[string]any{{"mechanism": "jwt", "from": "password", "use_jwks": false,
		"algorithm": "hmac-based", "secret": secret}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := reference.Start(ctx, reference.WithMQTTListen("127.0.0.1:0"), reference.WithAPIListen(""), reference.WithConfig(cfg))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func dialer(addr string) func(context.Context) (net.Conn, error) {
	return func(ctx context.Context) (net.Conn, error) { return (&net.Dialer{}).DialContext(ctx, "tcp", addr) }
}

var clientSeq atomic.Int64

// validRequest is a CONNECT request with a valid token and a Client ID of
// its own.
func validRequest(t *testing.T) client.Request {
	t.Helper()
	tok, err := tokens.Mint("HS256", []byte(secret), map[string]any{"sub": "a", "exp": time.Now().Add(time.Hour).Unix()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprintf("attack-test-%d", clientSeq.Add(1))
	return client.Request{Version: target.MQTT5, ClientID: id, Username: "u", HasUsername: true, Password: []byte(tok), HasPassword: true, Label: id}
}

func validConnect(t *testing.T) []byte {
	t.Helper()
	b, err := EncodeConnect(validRequest(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCheck(t *testing.T) {
	for _, k := range kinds {
		if err := Check(k, 8); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
	if err := Check("a CONNECT in Morse", 8); err == nil || !strings.Contains(err.Error(), `"an AUTH packet before CONNECT"`) {
		t.Errorf("an unknown abuse: expected an error listing the known ones, got %v", err)
	}
	if Check(SlowConnect, 0) == nil || Check(SlowConnect, MaxAttackers+1) == nil {
		t.Error("attacker counts outside 1..MaxAttackers: expected errors")
	}
}

// The abuses are what their names say, read back with mqttwire's decoder.
func TestAbusePackets(t *testing.T) {
	b, err := passwordFlagNoPassword()
	if err != nil {
		t.Fatal(err)
	}
	if b[connectFlagsOffset(b)]&0xC0 != 0xC0 {
		t.Errorf("expected the Username and Password flags set, got flags %08b", b[connectFlagsOffset(b)])
	}
	if _, err := mqttwire.Decode(b, 5); err == nil {
		t.Error("a CONNECT with a Password flag and no Password decoded without error")
	}
	auth, err := authBeforeConnect()
	if err != nil {
		t.Fatal(err)
	}
	if pk, err := mqttwire.Decode(auth, 5); err != nil || pk.FixedHeader.Type != mqttwire.TypeAuth {
		t.Errorf("expected an AUTH, got %v %v", mqttwire.Describe(pk), err)
	}
	long, err := longUsername()
	if err != nil {
		t.Fatal(err)
	}
	if pk, err := mqttwire.Decode(long, 5); err != nil || len(pk.Connect.Username) != 65535 {
		t.Errorf("expected a CONNECT with a 65535-byte Username, got %v", err)
	}
	valid := validConnect(t)
	if pk, err := mqttwire.Decode(valid, 5); err != nil || pk.Connect.ClientIdentifier == "" || !pk.Connect.PasswordFlag {
		t.Errorf("the valid CONNECT: %v %v", mqttwire.Describe(pk), err)
	}
}

// Against the reference, every quick abuse ends refused or closed.
func TestQuickAbusesAreRefusedByTheReference(t *testing.T) {
	b := startReference(t)
	for _, kind := range []string{PasswordFlagNoPassword, MalformedRemainingLen, AuthBeforeConnect, SecondConnect, LongUsername} {
		a := Attacker{Kind: kind, Dial: dialer(b.MQTTAddr()), Timeout: 5 * time.Second}
		started := false
		if err := a.Once(validConnect(t), func() { started = true }); err != nil {
			t.Errorf("%s: expected refused or closed, got %v", kind, err)
		}
		if !started {
			t.Errorf("%s: started was not called", kind)
		}
	}
}

// fakeBroker accepts connections on loopback and hands each to serve.
func fakeBroker(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c)
			}()
		}
	}()
	return ln.Addr().String()
}

// connack answers every packet the client sends with CONNACK code.
func connack(code byte) func(net.Conn) {
	return func(c net.Conn) {
		ack, _ := mqttwire.Encode(&mqttwire.Packet{FixedHeader: mqttwire.FixedHeader{Type: mqttwire.TypeConnack}, ProtocolVersion: 5, ReasonCode: code})
		buf := make([]byte, 70000)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
			if _, err := c.Write(ack); err != nil {
				return
			}
		}
	}
}

// silent reads whatever comes and never answers nor closes.
func silent(c net.Conn) { _, _ = io.Copy(io.Discard, c) }

// A broker that lets an attacker in, or neither answers nor closes, fails
// the abuse; a broker that refuses the attacker's valid CONNECT is a setup
// problem.
func TestAbusesFailOnABrokerThatDoesNotRefuse(t *testing.T) {
	cases := []struct {
		kind    string
		serve   func(net.Conn)
		timeout time.Duration // the silent broker is waited for to the end
		want    string
	}{
		{AuthBeforeConnect, connack(0x00), 5 * time.Second, "the broker answered CONNACK"},
		{MalformedRemainingLen, silent, 300 * time.Millisecond, "the connection was still open"},
		{LongUsername, connack(0x00), 5 * time.Second, "the broker answered CONNACK"},
		{SecondConnect, connack(0x00), 5 * time.Second, "the broker answered CONNACK"},
	}
	for _, c := range cases {
		a := Attacker{Kind: c.kind, Dial: dialer(fakeBroker(t, c.serve)), Timeout: c.timeout}
		err := a.Once(validConnect(t), func() {})
		var setup *SetupError
		if err == nil || errors.As(err, &setup) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: expected a failure %q, got %v", c.kind, c.want, err)
		}
	}
	a := Attacker{Kind: SecondConnect, Dial: dialer(fakeBroker(t, connack(0x87))), Timeout: 5 * time.Second}
	var setup *SetupError
	if err := a.Once(validConnect(t), func() {}); !errors.As(err, &setup) || !strings.Contains(err.Error(), "first CONNECT (valid token) was not accepted") {
		t.Errorf("a refused first CONNECT: expected a SetupError, got %v", err)
	}
}

func TestDialFailureIsASetupError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	a := Attacker{Kind: AuthBeforeConnect, Dial: dialer(addr), Timeout: time.Second}
	var setup *SetupError
	if err := a.Once(nil, func() {}); !errors.As(err, &setup) || !strings.Contains(err.Error(), "attacker dial") {
		t.Errorf("expected a SetupError, got %v", err)
	}
}

// The slow attacker is done once the broker closes the connection.
func TestSlowConnectEndsWhenTheBrokerCloses(t *testing.T) {
	addr := fakeBroker(t, func(c net.Conn) {
		_, _ = c.Read(make([]byte, 1))
	})
	a := Attacker{Kind: SlowConnect, Dial: dialer(addr), Timeout: time.Second}
	if err := a.Once(validConnect(t), func() {}); err != nil {
		t.Errorf("expected closed, got %v", err)
	}
}

// Repeat stops at stop, and returns the first failure at once.
func TestRepeat(t *testing.T) {
	b := startReference(t)
	stop := make(chan struct{})
	done := make(chan error, 1)
	started := make(chan struct{})
	a := Attacker{Kind: MalformedRemainingLen, Dial: dialer(b.MQTTAddr()), Timeout: 5 * time.Second}
	go func() { done <- a.Repeat(nil, stop, func() { close(started) }) }()
	<-started
	close(stop)
	if err := <-done; err != nil {
		t.Errorf("expected nil after stop, got %v", err)
	}
	a = Attacker{Kind: AuthBeforeConnect, Dial: dialer(fakeBroker(t, connack(0))), Timeout: 5 * time.Second}
	if err := a.Repeat(nil, make(chan struct{}), func() {}); err == nil {
		t.Error("a broker that accepts the abuse: expected Repeat to return the failure")
	}
}
