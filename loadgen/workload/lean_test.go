package workload

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/loadgen/stats"
)

// The lean CONNECT decodes, with mochi's decoder, to the login it was
// built from, including a password long enough for a two-byte remaining
// length.
func TestLeanConnectEncodes(t *testing.T) {
	for _, l := range []Login{
		{ClientID: "c1"},
		{ClientID: "c2", Username: "u2", Keepalive: 30},
		{ClientID: "c3", Username: "u3", Password: bytes.Repeat([]byte("x"), 300), HasPassword: true},
	} {
		b, err := appendConnect(nil, l)
		if err != nil {
			t.Fatal(err)
		}
		pk, err := mqttwire.Decode(b, 5)
		if err != nil {
			t.Fatalf("%+v: %v", l, err)
		}
		c := pk.Connect
		if pk.ProtocolVersion != 5 || !c.Clean || c.ClientIdentifier != l.ClientID || string(c.Username) != l.Username ||
			c.UsernameFlag != (l.Username != "") || c.PasswordFlag != l.HasPassword ||
			!bytes.Equal(c.Password, l.Password) || c.Keepalive != l.Keepalive {
			t.Errorf("%+v decoded as %+v", l, c)
		}
	}
	if _, err := appendConnect(nil, Login{ClientID: strings.Repeat("c", 70000)}); err == nil {
		t.Error("a 70,000-byte client ID was encoded")
	}
}

// scriptedServer answers every connection's first packet with reply, then
// waits for the client to close, or hangs up at once.
func scriptedServer(t *testing.T, reply []byte, hangUp bool) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 1024)
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				if _, err := c.Read(buf); err == nil {
					_, _ = c.Write(reply)
					if !hangUp {
						_, _ = c.Read(buf) // until the client closes
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func leanAttempt(t *testing.T, addr string) stats.Outcome {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, o := leanConnect(ctx, nc, Login{ClientID: "c", Username: "u"}, time.Second)
	return o
}

// A refusal is counted by its reason code, with the reason string the
// broker gave after other properties; a DISCONNECT or another packet in
// place of the CONNACK is a protocol failure.
func TestLeanConnackOutcomes(t *testing.T) {
	// CONNACK 0x87, properties: assigned client ID "ab", user property
	// ("k","v"), reason string "bad token".
	props := []byte{0x12, 0, 2, 'a', 'b', 0x26, 0, 1, 'k', 0, 1, 'v', 0x1F, 0, 9, 'b', 'a', 'd', ' ', 't', 'o', 'k', 'e', 'n'}
	refusal := append([]byte{0x20, byte(3 + len(props)), 0, 0x87, byte(len(props))}, props...)
	o := leanAttempt(t, scriptedServer(t, refusal, false))
	if !o.Connack || o.Code != 0x87 || !strings.Contains(o.Err.Error(), "bad token") {
		t.Errorf("refusal: %+v", o)
	}
	if o := leanAttempt(t, scriptedServer(t, []byte{0x20, 3, 0, 0, 0}, false)); !o.OK() {
		t.Errorf("accepted: %+v", o)
	}
	if o := leanAttempt(t, scriptedServer(t, []byte{0xE0, 1, 0x8E}, false)); o.Cause != stats.CauseProtocol {
		t.Errorf("DISCONNECT: %+v", o)
	}
	if o := leanAttempt(t, scriptedServer(t, []byte{0xD0, 0}, false)); o.Cause != stats.CauseProtocol {
		t.Errorf("PINGRESP: %+v", o)
	}
	if o := leanAttempt(t, scriptedServer(t, []byte{0x20, 0x80}, true)); o.Cause != stats.CauseReset {
		t.Errorf("cut short: %+v", o)
	}
}

// readPacket takes a packet whatever the reads deliver: in one piece, cut
// inside the remaining length, larger than the scratch buffer, or followed
// by the next packet (kept as rest).
func TestReadPacket(t *testing.T) {
	big := append([]byte{0x20, 0x80 | 44, 2}, bytes.Repeat([]byte{7}, 300)...) // remaining length 300
	for _, tc := range []struct {
		name   string
		chunks [][]byte
		body   int
		rest   string
	}{
		{"whole", [][]byte{{0x20, 3, 0, 0, 0}}, 3, ""},
		{"with the next packet", [][]byte{{0x20, 3, 0, 0, 0, 0xD0, 0}}, 3, "\xd0\x00"},
		{"one byte at a time", [][]byte{{0x20}, {3}, {0}, {0}, {0}}, 3, ""},
		{"length cut", [][]byte{big[:2], big[2:10], big[10:]}, 300, ""},
	} {
		first, body, rest, err := readPacket(&chunked{chunks: tc.chunks}, make([]byte, 64))
		if err != nil || first != 0x20 || len(body) != tc.body || fmt.Sprintf("%q", rest) != fmt.Sprintf("%q", []byte(tc.rest)) {
			t.Errorf("%s: first %x body %d rest %q err %v", tc.name, first, len(body), rest, err)
		}
	}
	if _, _, _, err := readPacket(&chunked{chunks: [][]byte{{0x20, 0xFF, 0xFF, 0xFF, 0xFF, 1}}}, make([]byte, 64)); !errors.Is(err, mqttwire.ErrMalformed) {
		t.Errorf("five length bytes: %v", err)
	}
}

// chunked delivers its chunks one per Read, then EOF.
type chunked struct{ chunks [][]byte }

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.chunks[0])
	if c.chunks[0] = c.chunks[0][n:]; len(c.chunks[0]) == 0 {
		c.chunks = c.chunks[1:]
	}
	return n, nil
}
