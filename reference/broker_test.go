package reference_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/testenv"
	"github.com/authspec/authspec/reference"
)

// seedToken is the EMQX Cloud docs' test token: HS256 with "emqxsecret", no
// exp (catalogue, Vectors).
const seedToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJFTVFYIENsb3VkIiwiaWF0IjoxNTE2MjM5MDIyfQ.-k9Ggc6L_Jxq4uUf9xwdJpwRrS3PquL-JZKtAJoOvBo"

func start(t *testing.T, opts ...reference.Option) *reference.Broker {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := reference.Start(ctx, opts...)
	if err != nil {
		t.Fatalf("start reference: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func hs256(t *testing.T, secret string, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func dial(t *testing.T, b *reference.Broker, c mqttwire.Connect) (*mqttwire.Conn, mqttwire.Connack) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := mqttwire.Dial(ctx, b.MQTTAddr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	ack, err := conn.Connect(ctx, c)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	return conn, ack
}

func ctx5(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestMosquittoPubSeedToken is issue 2's independent-client check: Debian's
// mosquitto_pub, not a client of ours, against `authspec serve`'s default.
func TestMosquittoPubSeedToken(t *testing.T) {
	testenv.Need(t, "mosquitto_pub", "mosquitto-clients")
	b := start(t, reference.WithConfig([]byte(reference.CloudDefaultConfig)))
	host, port, _ := strings.Cut(b.MQTTAddr(), ":")
	// One character of the signature changed, still valid base64url, so
	// the refusal is the signature check's, not the format's.
	tampered := seedToken[:strings.LastIndex(seedToken, ".")+1] + "A" + seedToken[strings.LastIndex(seedToken, ".")+2:]
	cases := []struct {
		version, token string
		want           string
	}{
		{"mqttv5", seedToken, "received CONNACK (0)"},
		{"mqttv5", tampered, "received CONNACK (135)"},
		{"mqttv311", seedToken, "received CONNACK (0)"},
		{"mqttv311", tampered, "received CONNACK (5)"},
	}
	for _, c := range cases {
		name := c.version + map[bool]string{true: "/seed", false: "/tampered"}[c.token == seedToken]
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			out, _ := exec.CommandContext(ctx, "mosquitto_pub", "-h", host, "-p", port, "-V", c.version,
				"-u", "anyone", "-P", c.token, "-t", "t", "-m", "m", "-d").CombinedOutput()
			if !bytes.Contains(out, []byte(c.want)) {
				t.Fatalf("want %q in mosquitto_pub output, got:\n%s", c.want, out)
			}
		})
	}
}

func TestConnackCodesV5AndV311(t *testing.T) {
	b := start(t, reference.WithConfig([]byte(`[{"mechanism":"jwt","from":"password","algorithm":"hmac-based","secret":"s3cret"}]`)))
	good := hs256(t, "s3cret", jwt.MapClaims{"exp": time.Now().Add(time.Minute).Unix()})
	expired := hs256(t, "s3cret", jwt.MapClaims{"exp": time.Now().Add(-time.Minute).Unix()})
	bad := hs256(t, "other", jwt.MapClaims{})
	for _, c := range []struct {
		name  string
		proto byte
		token string
		want  byte
	}{
		{"v5 good", 5, good, 0}, {"v5 expired", 5, expired, 0x86}, {"v5 bad signature", 5, bad, 0x87},
		{"v311 good", 4, good, 0}, {"v311 expired", 4, expired, 4}, {"v311 bad signature", 4, bad, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, ack := dial(t, b, mqttwire.Connect{ProtocolVersion: c.proto, ClientID: "c", Clean: true,
				Username: "u", HasUsername: true, Password: []byte(c.token), HasPassword: true})
			if ack.ReasonCode != c.want {
				t.Fatalf("CONNACK: want 0x%02X, got 0x%02X", c.want, ack.ReasonCode)
			}
		})
	}
}

// TestAuthorizationOnTheWire checks the glue's translation of authz
// decisions: SUBACK 0x87 / 0x80, PUBACK 0x87, PUBREC 0x87, 3.1.1 ack-and-drop.
func TestAuthorizationOnTheWire(t *testing.T) {
	b := start(t, reference.WithConfig([]byte(`{"authentication":[{"mechanism":"jwt","algorithm":"hmac-based","secret":"k"}],
		"authorization":{"no_match":"deny"}}`)))
	tok := hs256(t, "k", jwt.MapClaims{"acl": map[string]any{"pub": []any{"ok/#"}, "sub": []any{"ok/#"}}})
	connect := func(proto byte, id string) *mqttwire.Conn {
		conn, ack := dial(t, b, mqttwire.Connect{ProtocolVersion: proto, ClientID: id, Clean: true,
			Password: []byte(tok), HasPassword: true})
		if !ack.Accepted() {
			t.Fatalf("%s: CONNACK 0x%02X", id, ack.ReasonCode)
		}
		return conn
	}
	sub := connect(5, "sub5")
	codes, err := sub.Subscribe(ctx5(t), mqttwire.Filter{Topic: "ok/1", QoS: 1}, mqttwire.Filter{Topic: "no/1", QoS: 1}, mqttwire.Filter{Topic: "#", QoS: 0})
	// "#" is matched as a topic against the rule filter "ok/#", which
	// does not cover it (JWT-ACL-13), so it is denied with the others' own
	// results beside it (JWT-ACL-18).
	if err != nil || fmt.Sprint(codes) != "[1 135 135]" {
		t.Fatalf("v5 SUBACK codes: want [1 135 135], got %v %v", codes, err)
	}
	sub3 := connect(4, "sub3")
	codes, err = sub3.Subscribe(ctx5(t), mqttwire.Filter{Topic: "ok/2", QoS: 0}, mqttwire.Filter{Topic: "no/2", QoS: 0})
	if err != nil || fmt.Sprint(codes) != "[0 128]" {
		t.Fatalf("v311 SUBACK codes: want [0 128], got %v %v", codes, err)
	}
	pub := connect(5, "pub5")
	if rc, err := pub.Publish(ctx5(t), "no/x", []byte("m"), 1, false); err != nil || rc != 0x87 {
		t.Fatalf("v5 QoS1 denied publish: want PUBACK 0x87, got 0x%02X %v", rc, err)
	}
	if rc, err := pub.Publish(ctx5(t), "no/x", []byte("m"), 2, false); err != nil || rc != 0x87 {
		t.Fatalf("v5 QoS2 denied publish: want PUBREC 0x87, got 0x%02X %v", rc, err)
	}
	pub3 := connect(4, "pub3")
	if rc, err := pub3.Publish(ctx5(t), "ok/2", []byte("allowed"), 1, false); err != nil || rc != 0 {
		t.Fatalf("v311 allowed publish: %v %v", rc, err)
	}
	if rc, err := pub3.Publish(ctx5(t), "no/2", []byte("denied"), 1, false); err != nil || rc != 0 {
		t.Fatalf("v311 denied publish must be acknowledged as usual, got 0x%02X %v", rc, err)
	}
	msg, err := sub3.Receive(ctx5(t))
	if err != nil || string(msg.Payload) != "allowed" {
		t.Fatalf("v311 subscriber: want the allowed message, got %q %v", msg.Payload, err)
	}
	short, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if msg, err := sub3.Receive(short); err == nil {
		t.Fatalf("denied 3.1.1 publish was delivered: %q", msg.Payload)
	}
}

func TestExpiryDisconnectAndClientIDOverride(t *testing.T) {
	b := start(t, reference.WithConfig([]byte(`[{"mechanism":"jwt","algorithm":"hmac-based","secret":"k"}]`)))
	exp := time.Now().Add(1500 * time.Millisecond).Unix()
	tok := hs256(t, "k", jwt.MapClaims{"exp": exp, "clientid_override": "renamed", "client_attrs": map[string]any{"role": "x"}})
	conn, ack := dial(t, b, mqttwire.Connect{ProtocolVersion: 5, ClientID: "orig", Clean: true, Password: []byte(tok), HasPassword: true})
	if !ack.Accepted() {
		t.Fatalf("CONNACK 0x%02X", ack.ReasonCode)
	}
	info, ok := b.Client("renamed")
	if !ok || info.ClientAttrs["role"] != "x" {
		t.Fatalf("client registered under override with attrs: %+v %v", info, ok)
	}
	if _, ok := b.Client("orig"); ok {
		t.Fatal("client still registered under its CONNECT ID")
	}
	// Through the management API too.
	req, _ := http.NewRequest("GET", b.APIURL()+"/api/v5/clients/renamed", nil)
	k, s := b.APIKey()
	req.SetBasicAuth(k, s)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 200 || body["clientid"] != "renamed" {
		t.Fatalf("API: %d %v", resp.StatusCode, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl, err := conn.Closed(ctx)
	if err != nil {
		t.Fatalf("waiting for expiry disconnect: %v", err)
	}
	if code, ok := cl.ReasonCode(); !ok || code != 0x87 {
		t.Fatalf("want DISCONNECT 0x87 at exp, got %+v", cl)
	}
}

// TestConfigErrorsKeepPreviousConfiguration: a refused API change leaves the
// chain in force (issue 2, item 3).
func TestConfigErrorsKeepPreviousConfiguration(t *testing.T) {
	b := start(t, reference.WithConfig([]byte(reference.CloudDefaultConfig)))
	k, s := b.APIKey()
	do := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, b.APIURL()+path, strings.NewReader(body))
		req.SetBasicAuth(k, s)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		return resp.StatusCode, buf.String()
	}
	for _, c := range []struct{ body, field string }{
		{`{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","secret_base64_encoded":true}`, "secret"},
		{`{"mechanism":"jwt","algorithm":"public-key","public_key":"not a pem"}`, "public_key"},
		{`{"mechanism":"jwt","algorithm":"hmac-based","secret":"x","verify_claims":{"":"x"}}`, "verify_claims"},
		{`{"mechanism":"jwt","algorithm":"hmac-based","secret":"x","bogus":1}`, "bogus"},
		{`{"mechanism":"jwt","algorithm":"hmac-based","secret":12}`, "secret"},
	} {
		code, msg := do("PUT", "/api/v5/authentication/jwt", c.body)
		if code != 400 || !strings.Contains(msg, c.field) {
			t.Errorf("PUT %s: want 400 naming %q, got %d %s", c.body, c.field, code, msg)
		}
	}
	_, ack := dial(t, b, mqttwire.Connect{ProtocolVersion: 5, ClientID: "still", Clean: true, Password: []byte(seedToken), HasPassword: true})
	if !ack.Accepted() {
		t.Fatalf("previous configuration lost: CONNACK 0x%02X", ack.ReasonCode)
	}
}

func TestUnknownFaultRefused(t *testing.T) {
	ctx := ctx5(t)
	if _, err := reference.Start(ctx, reference.WithFault("no-such-fault")); err == nil || !strings.Contains(err.Error(), "no-such-fault") {
		t.Fatalf("want an error naming the fault, got %v", err)
	}
}

// TestSilentPeerIsDropped: a TCP peer that never sends CONNECT must not hold
// the broker forever (every wait bounded).
func TestSilentPeerIsDropped(t *testing.T) {
	b := start(t, reference.WithConnectTimeout(200*time.Millisecond))
	c, err := net.Dial("tcp", b.MQTTAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("want the broker to close a silent connection, got %v", err)
	}
}

func TestBadConfigRefusedAtStart(t *testing.T) {
	ctx := ctx5(t)
	_, err := reference.Start(ctx, reference.WithConfig([]byte(`[{"mechanism":"jwt","algorithm":"hmac-based"}]`)))
	if err == nil || !strings.Contains(err.Error(), "secret") {
		t.Fatalf("want an error naming secret, got %v", err)
	}
}
