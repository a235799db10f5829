package client

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/target"
)

// fakeBroker accepts one connection, reads the CONNECT and answers with
// answer(connect) (nil: close without answering; hang: say nothing).
type fakeBroker struct {
	ln      net.Listener
	connect chan mqttwire.Packet
}

func startFake(t *testing.T, answer func(c mqttwire.Packet) []byte, hang bool) *fakeBroker {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeBroker{ln: ln, connect: make(chan mqttwire.Packet, 1)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		br := bufio.NewReader(c)
		raw, err := readRaw(br)
		if err != nil {
			return
		}
		pk, err := mqttwire.Decode(raw, 5)
		if err != nil {
			return
		}
		f.connect <- pk
		if hang {
			_, _ = br.ReadByte() // until the client gives up
			return
		}
		if b := answer(pk); b != nil {
			_, _ = c.Write(b)
			_, _ = br.ReadByte() // keep it open until the client closes
		}
	}()
	return f
}

// readRaw reads one whole packet (fixed header, remaining length, body).
func readRaw(br *bufio.Reader) ([]byte, error) {
	first, err := br.ReadByte()
	if err != nil {
		return nil, err
	}
	out := []byte{first}
	n, mult := 0, 1
	for {
		b, err := br.ReadByte()
		if err != nil {
			return nil, err
		}
		out = append(out, b)
		n += int(b&0x7f) * mult
		mult *= 128
		if b&0x80 == 0 {
			break
		}
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(br, body); err != nil {
		return nil, err
	}
	return append(out, body...), nil
}

func connack(version, code byte, method string) []byte {
	pk := mqttwire.Packet{FixedHeader: mqttwire.FixedHeader{Type: mqttwire.TypeConnack}, ProtocolVersion: version, ReasonCode: code}
	pk.Properties.AuthenticationMethod = method
	b, err := mqttwire.Encode(&pk)
	if err != nil {
		panic(err)
	}
	return b
}

func dialer(addr string) Dialer {
	return func(ctx context.Context) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", addr)
	}
}

func TestConnectReportsWhatTheBrokerAnswered(t *testing.T) {
	cases := []struct {
		name    string
		req     Request
		answer  func(mqttwire.Packet) []byte
		hang    bool
		want    Answer
		session bool
	}{
		{"paho v5 refused", Request{Version: target.MQTT5, ClientID: "a", Password: []byte("t"), HasPassword: true},
			func(mqttwire.Packet) []byte { return connack(5, 0x87, "") }, false,
			Answer{Version: target.MQTT5, Connack: true, Code: 0x87}, false},
		{"paho v5 accepted", Request{Version: target.MQTT5, ClientID: "a"},
			func(mqttwire.Packet) []byte { return connack(5, 0, "") }, false,
			Answer{Version: target.MQTT5, Connack: true, Code: 0}, true},
		{"paho v5 closed", Request{Version: target.MQTT5, ClientID: "a"},
			func(mqttwire.Packet) []byte { return nil }, false,
			Answer{Version: target.MQTT5, Closed: true}, false},
		{"paho v5 timeout", Request{Version: target.MQTT5, ClientID: "a"}, nil, true,
			Answer{Version: target.MQTT5, TimedOut: true}, false},
		{"wire 3.1.1 refused", Request{Version: target.MQTT311, ClientID: "a"},
			func(mqttwire.Packet) []byte { return connack(4, 4, "") }, false,
			Answer{Version: target.MQTT311, Connack: true, Code: 4}, false},
		{"wire 3.1.1 closed", Request{Version: target.MQTT311, ClientID: "a"},
			func(mqttwire.Packet) []byte { return nil }, false,
			Answer{Version: target.MQTT311, Closed: true}, false},
		{"wire v5 auth method echoed", Request{Version: target.MQTT5, ClientID: "a", AuthMethod: "SCRAM-SHA-256"},
			func(mqttwire.Packet) []byte { return connack(5, 0, "SCRAM-SHA-256") }, false,
			Answer{Version: target.MQTT5, Connack: true, AuthMethod: "SCRAM-SHA-256"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := startFake(t, c.answer, c.hang)
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			trace := mqttwire.NewTrace()
			got, session, err := Connect(ctx, dialer(f.ln.Addr().String()), c.req, trace)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("expected %+v, got %+v", c.want, got)
			}
			if (session != nil) != c.session {
				t.Fatalf("expected a session: %v, got %v", c.session, session)
			}
			if session != nil {
				_ = session.Close()
			}
			pk := <-f.connect
			if pk.ProtocolVersion != map[target.Version]byte{target.MQTT5: 5, target.MQTT311: 4}[c.req.Version] {
				t.Errorf("expected protocol level for %s, got %d", c.req.Version, pk.ProtocolVersion)
			}
			if len(trace.Lines()) == 0 {
				t.Error("expected the connection in the trace")
			}
		})
	}
}

func TestConnectKeepsAbsentAndEmptyApart(t *testing.T) {
	for _, version := range []target.Version{target.MQTT5, target.MQTT311} {
		// The CONNACK of the CONNECT's own version: mqttwire refuses an MQTT 5
		// CONNACK (with its property length) sent to a 3.1.1 client.
		f := startFake(t, func(c mqttwire.Packet) []byte { return connack(c.ProtocolVersion, 0x87, "") }, false)
		req := Request{Version: version, ClientID: "a", HasPassword: true, Password: []byte{}}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, _, err := Connect(ctx, dialer(f.ln.Addr().String()), req, mqttwire.NewTrace())
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		pk := <-f.connect
		if !pk.Connect.PasswordFlag || len(pk.Connect.Password) != 0 || pk.Connect.UsernameFlag {
			t.Errorf("MQTT %s: expected an empty but present password and no username, got password flag %v %q, username flag %v",
				version, pk.Connect.PasswordFlag, pk.Connect.Password, pk.Connect.UsernameFlag)
		}
	}
}

func TestDialFailureIsADialError(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	_, _, err := Connect(context.Background(), dialer(addr), Request{Version: target.MQTT5}, mqttwire.NewTrace())
	var de *DialError
	if !errors.As(err, &de) {
		t.Fatalf("expected a DialError, got %v", err)
	}
}

func TestObserved(t *testing.T) {
	cases := map[string]Answer{
		"0x87":              {Version: target.MQTT5, Connack: true, Code: 0x87},
		"rc 4":              {Version: target.MQTT311, Connack: true, Code: 4},
		"closed":            {Closed: true},
		"timeout":           {TimedOut: true},
		"unexpected packet": {Unexpected: "AUTH"},
	}
	for want, a := range cases {
		if got := a.Observed(); got != want {
			t.Errorf("expected %q, got %q", want, got)
		}
	}
}

// A Will, user properties or Wire make an MQTT 5 CONNECT with the raw
// client, whose session hands out its connection.
func TestWireRequestsCarryWillAndUserProperties(t *testing.T) {
	f := startFake(t, func(mqttwire.Packet) []byte { return connack(5, 0, "") }, false)
	req := Request{Version: target.MQTT5, ClientID: "a",
		Will:           &mqttwire.Will{Topic: "w/t", Payload: []byte("gone"), QoS: 1},
		UserProperties: []mqttwire.UserProperty{{Key: "k", Val: "v"}}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	ans, session, err := Connect(ctx, dialer(f.ln.Addr().String()), req, mqttwire.NewTrace())
	if err != nil || !ans.Accepted() {
		t.Fatalf("expected an accepted CONNECT, got %+v %v", ans, err)
	}
	defer session.Close()
	ws, ok := session.(WireSession)
	if !ok || ws.Wire() == nil {
		t.Fatalf("expected a raw-client session, got %T", session)
	}
	pk := <-f.connect
	if !pk.Connect.WillFlag || pk.Connect.WillTopic != "w/t" || string(pk.Connect.WillPayload) != "gone" {
		t.Errorf("expected the Will in the CONNECT, got flag %v topic %q payload %q", pk.Connect.WillFlag, pk.Connect.WillTopic, pk.Connect.WillPayload)
	}
	if len(pk.Properties.User) != 1 || pk.Properties.User[0].Key != "k" {
		t.Errorf("expected the user property in the CONNECT, got %+v", pk.Properties.User)
	}
	if !(Request{Wire: true}).wire() || (Request{}).wire() {
		t.Error("wire() does not follow Request.Wire")
	}
}
