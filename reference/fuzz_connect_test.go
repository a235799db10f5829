package reference_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/reference"
)

// FuzzConnectAndAuth sends arbitrary bytes as the start of a connection
// to a reference whose chain holds a JWT and a SCRAM authenticator, so the
// bytes reach the CONNECT and AUTH handling (SEC-10). The broker must not
// crash, must let nobody in without a valid credential (the only one the
// fuzzer can carry is the seed token of its corpus; an HMAC cannot be
// forged), and must still accept a valid client afterwards.
func FuzzConnectAndAuth(f *testing.F) {
	encode := func(pk mqttwire.Packet) []byte {
		b, err := mqttwire.Encode(&pk)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	connect := func(v byte, user, pass string, method string, data []byte) []byte {
		pk := mqttwire.Packet{FixedHeader: mqttwire.FixedHeader{Type: mqttwire.TypeConnect}, ProtocolVersion: v,
			Connect: mqttwire.ConnectParams{ProtocolName: []byte("MQTT"), Clean: true, Keepalive: 30, ClientIdentifier: "fuzz",
				UsernameFlag: user != "", Username: []byte(user), PasswordFlag: pass != "", Password: []byte(pass)},
			Properties: mqttwire.Properties{AuthenticationMethod: method, AuthenticationData: data}}
		if v == 4 {
			pk.Connect.ProtocolName = []byte("MQTT")
		}
		return encode(pk)
	}
	auth := encode(mqttwire.Packet{FixedHeader: mqttwire.FixedHeader{Type: mqttwire.TypeAuth}, ProtocolVersion: 5, ReasonCode: 0x18,
		Properties: mqttwire.Properties{AuthenticationMethod: "SCRAM-SHA-256", AuthenticationData: []byte("c=biws,r=x,p=AAAA")}})
	for _, seed := range [][]byte{
		connect(5, "u", seedToken, "", nil),
		connect(4, "u", seedToken, "", nil),
		connect(5, "u", "a.b.c", "", nil),
		connect(5, "", "", "SCRAM-SHA-256", []byte("n,,n=u,r=abcdef")),
		append(connect(5, "", "", "SCRAM-SHA-256", []byte("n,,n=u,r=abcdef")), auth...),
		append(connect(5, "u", seedToken, "", nil), connect(5, "u", seedToken, "", nil)...),
		auth,
		{0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F},
		{0x10, 0x00},
		{},
	} {
		f.Add(seed)
	}

	backend, err := scrambackend.Start()
	if err != nil {
		f.Fatal(err)
	}
	defer backend.Close()
	if err := backend.AddUser(scrambackend.User{Name: "u", Password: "p"}); err != nil {
		f.Fatal(err)
	}
	cfg, _ := json.Marshal([]map[string]any{
		{"mechanism": "jwt", "from": "password", "algorithm": "hmac-based", "secret": "emqxsecret"},
		{"mechanism": "scram", "backend": "http", "method": "get", "url": backend.URL() + "/auth?username=${username}"},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	b, err := reference.Start(ctx, reference.WithConfig(cfg), reference.WithConnectTimeout(time.Second))
	cancel()
	if err != nil {
		f.Fatal(err)
	}
	defer b.Close()

	f.Fuzz(func(t *testing.T, input []byte) {
		nc, err := net.DialTimeout("tcp", b.MQTTAddr(), 2*time.Second)
		if err != nil {
			t.Fatalf("the broker stopped accepting connections: %v", err)
		}
		c := mqttwire.NewConn(nc)
		wctx, wcancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		_ = c.WriteRaw(wctx, input)
		wcancel()
		for {
			rctx, rcancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			pk, err := c.ReadPacket(rctx)
			rcancel()
			if err != nil {
				break
			}
			if pk.FixedHeader.Type == mqttwire.TypeConnack && pk.ReasonCode == 0 && !bytes.Contains(input, []byte(seedToken)) {
				t.Fatalf("accepted without a valid credential: %q", input)
			}
		}
		_ = c.Close()

		vctx, vcancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer vcancel()
		probe, err := mqttwire.Dial(vctx, b.MQTTAddr())
		if err != nil {
			t.Fatalf("after %q the broker does not accept connections: %v", input, err)
		}
		defer probe.Close()
		ack, err := probe.Connect(vctx, mqttwire.Connect{ClientID: "probe", Username: "u", HasUsername: true,
			Password: []byte(seedToken), HasPassword: true, Clean: true})
		if err != nil && !errors.Is(err, context.Canceled) || err == nil && !ack.Accepted() {
			t.Fatalf("after %q a valid client is not accepted: %v %v", input, ack, err)
		}
	})
}
