package reference_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/reference"
)

// TestCloseWhileClientsComeAndGo: closing the broker while clients connect,
// take over each other's Client ID and leave must end. mochi's own
// shutdown took its client map's read lock twice, and a client arriving or
// leaving in between deadlocked it for good; Close now lists each
// listener's clients under one lock. The race is timing's, so the test
// repeats it; a hang fails at the bound instead of hanging the run.
func TestCloseWhileClientsComeAndGo(t *testing.T) {
	for i := 0; i < 20; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		b, err := reference.Start(ctx, reference.WithAPIListen(""))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				churn(b.MQTTAddr(), stop)
			}()
		}
		time.Sleep(30 * time.Millisecond)
		closed := make(chan error, 1)
		go func() { closed <- b.Close() }()
		select {
		case <-closed:
		case <-time.After(15 * time.Second):
			t.Fatalf("round %d: Close did not return within 15 s while clients came and went", i)
		}
		close(stop)
		wg.Wait()
	}
}

// churn connects with one shared Client ID (each CONNECT takes the last
// one's session over) and hangs up, until stop or the broker is gone.
func churn(addr string, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn, err := mqttwire.Dial(ctx, addr)
		if err == nil {
			_, _ = conn.Connect(ctx, mqttwire.Connect{ProtocolVersion: 5, ClientID: "churn", Clean: true,
				Password: []byte(seedToken), HasPassword: true})
			_ = conn.Close()
		}
		cancel()
		if err != nil {
			time.Sleep(5 * time.Millisecond)
		}
	}
}
