package floor

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/loadgen/target"
)

func reference(t *testing.T) *target.Reference {
	t.Helper()
	ref, err := target.StartReference(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ref.Close() })
	return ref
}

// Against the reference with no authenticator every connection is
// accepted and the CPU it cost this process is counted.
func TestRunAgainstReference(t *testing.T) {
	ref := reference(t)
	for _, disconnect := range []bool{false, true} {
		r, err := Run(context.Background(), Config{Addr: ref.Addr(), Count: 40, Concurrency: 4, Timeout: 5 * time.Second, Disconnect: disconnect, PasswordBytes: 230})
		if err != nil || r.Connections != 40 || r.Failed != 0 || r.FirstError != "" {
			t.Fatalf("disconnect %v: %+v %v", disconnect, r, err)
		}
		if r.CPU <= 0 || r.PerConnectionUS() <= 0 || r.Rate() <= 0 {
			t.Errorf("no CPU or rate measured: %+v", r)
		}
	}
}

// A broker that refuses the CONNECT (a JWT chain, no password) makes every
// connection a failure with its reason code, not an accepted one.
func TestRefusalIsAFailure(t *testing.T) {
	ref := reference(t)
	chain := []json.RawMessage{json.RawMessage(`{"mechanism":"jwt","from":"password","algorithm":"hmac-based","secret":"s","on_missing_jwt":"deny","enable":true}`)}
	if err := ref.Provisioner().Apply(context.Background(), chain); err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), Config{Addr: ref.Addr(), Count: 5, Concurrency: 2})
	if err != nil || r.Connections != 0 || r.Failed != 5 || !strings.Contains(r.FirstError, "refused: reason code 0x8") {
		t.Fatalf("%+v %v", r, err)
	}
}

// Nothing listening: failures, each bounded, and bad settings refused.
func TestUnreachableAndBadConfig(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	r, err := Run(context.Background(), Config{Addr: closed, Count: 3, Concurrency: 3, Timeout: time.Second})
	if err != nil || r.Failed != 3 || !strings.Contains(r.FirstError, "refused") {
		t.Fatalf("%s: %+v %v", r.FirstError, r, err)
	}
	if _, err := Run(context.Background(), Config{Addr: "127.0.0.1:1", Count: 0, Concurrency: 1}); err == nil {
		t.Error("a count of 0 ran")
	}
}

// The CONNECT with a password decodes as one, its remaining length right
// on both sides of the one-byte boundary.
func TestConnectWithPassword(t *testing.T) {
	for _, n := range []int{1, 100, 200, 5000} {
		pk, err := mqttwire.Decode(ConnectWithPassword(n), 5)
		if err != nil {
			t.Fatalf("%d: %v", n, err)
		}
		if c := pk.Connect; string(c.Username) != "floor" || len(c.Password) != n || !c.Clean || c.ClientIdentifier != "" {
			t.Errorf("%d: %+v", n, c)
		}
	}
	if pk, err := mqttwire.Decode(Connect, 5); err != nil || pk.Connect.UsernameFlag {
		t.Errorf("the bare CONNECT: %+v %v", pk, err)
	}
}
