package target

import (
	"context"
	"net"
	"testing"
)

type fakeInstance struct{ peer string }

func (fakeInstance) Dial(context.Context) (net.Conn, error) { return nil, nil }
func (fakeInstance) Versions() []Version                    { return nil }
func (fakeInstance) Authenticators() []Applied              { return nil }
func (fakeInstance) Close() error                           { return nil }

type peered struct {
	fakeInstance
}

func (p peered) PeerHost() string { return p.peer }

func TestPeerHost(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if got := PeerHost(fakeInstance{}, nc); got != "127.0.0.1" {
		t.Errorf("without PeerHoster: %q, want the local address", got)
	}
	if !SeesLoopback(fakeInstance{}) {
		t.Error("without PeerHoster the broker sees loopback")
	}
	behindBridge := peered{fakeInstance{peer: "172.17.0.1"}}
	if got := PeerHost(behindBridge, nc); got != "172.17.0.1" || SeesLoopback(behindBridge) {
		t.Errorf("behind a bridge: %q, loopback %t", got, SeesLoopback(behindBridge))
	}
}
