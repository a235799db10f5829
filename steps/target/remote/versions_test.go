package remote

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/reference"
	"github.com/authspec/authspec/steps/target"
)

// mqtt311Only puts a filter in front of a real broker that hangs up on
// every MQTT 5 CONNECT (protocol level 5) and passes 3.1.1 connections
// through untouched: what a broker that speaks only 3.1.1 does.
func mqtt311Only(t *testing.T, upstream string) string {
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
				_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
				// Fixed header (1 byte + a short remaining length), protocol
				// name "MQTT" (2+4 bytes), then the level.
				head := make([]byte, 9)
				if _, err := io.ReadFull(c, head); err != nil || head[8] == 5 {
					return
				}
				_ = c.SetReadDeadline(time.Time{})
				up, err := net.Dial("tcp", upstream)
				if err != nil {
					return
				}
				defer up.Close()
				if _, err := up.Write(head); err != nil {
					return
				}
				go func() { _, _ = io.Copy(up, c) }()
				_, _ = io.Copy(c, up)
			}()
		}
	}()
	return ln.Addr().String()
}

func TestReachabilityOfABrokerThatDoesNotSpeakMQTT5(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := reference.Start(ctx, reference.WithMQTTListen("127.0.0.1:0"), reference.WithAPIListen(""))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	addr := mqtt311Only(t, b.MQTTAddr())

	for _, tc := range []struct {
		declared []target.Version
		want     []target.Version
		hint     bool
	}{
		{[]target.Version{target.MQTT5, target.MQTT311}, []target.Version{target.MQTT311}, false},
		{[]target.Version{target.MQTT5}, nil, true},
	} {
		var r Reachability
		ep := Endpoint{Addr: addr, Versions: tc.declared}
		if err := r.Check(ctx, ep); err != nil {
			t.Fatalf("declared %v: %v, want reachable (it answers 3.1.1)", tc.declared, err)
		}
		got, note := r.Spoken(ep)
		if len(got) != len(tc.want) || (len(got) == 1 && got[0] != tc.want[0]) {
			t.Errorf("declared %v: spoken %v, want %v", tc.declared, got, tc.want)
		}
		if !strings.HasPrefix(note, "the target does not speak MQTT 5: it did not answer an MQTT 5 CONNECT") ||
			!strings.Contains(note, "answers MQTT 3.1.1") || strings.Contains(note, "mqtt.versions") != tc.hint {
			t.Errorf("declared %v: note %q", tc.declared, note)
		}
	}

	// The broker itself speaks both: nothing is noted.
	var r Reachability
	ep := Endpoint{Addr: b.MQTTAddr(), Versions: []target.Version{target.MQTT5, target.MQTT311}}
	if err := r.Check(ctx, ep); err != nil {
		t.Fatal(err)
	}
	if got, note := r.Spoken(ep); len(got) != 2 || note != "" {
		t.Errorf("a broker speaking both: %v %q", got, note)
	}
}
