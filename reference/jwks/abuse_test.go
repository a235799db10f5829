package jwks

import (
	"context"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/jwksserver"
	"github.com/authspec/authspec/reference/faults"
)

// SEC-11: an endpoint that hangs, trickles or sends an oversized set
// neither blocks the readers of the keys nor replaces them.
func TestHostileEndpoint(t *testing.T) {
	t.Run("hang: readers do not wait", func(t *testing.T) {
		src, srv := cleanSource(t)
		srv.Hang()
		go func() { _, _ = src.FetchNow(context.Background()) }()
		waitRequests(t, srv, 2)
		start := time.Now()
		if len(src.PublicKeys()) != 1 || time.Since(start) > 100*time.Millisecond {
			t.Fatalf("PublicKeys took %v during a hanging fetch", time.Since(start))
		}
	})
	t.Run("oversized set: refused, last good set kept", func(t *testing.T) {
		src, srv := cleanSource(t)
		srv.AddKeys(mustKey(t, "ES256", "new"))
		srv.ServeOversizedSet(8 << 20)
		if r := fetchNow(t, src); r.Err == nil {
			t.Fatalf("an 8 MB set was adopted: %+v", r)
		}
		if n := len(src.PublicKeys()); n != 1 {
			t.Fatalf("want the last good key, got %d keys", n)
		}
	})
	t.Run("trickle: bounded by the request timeout", func(t *testing.T) {
		srv := startServer(t)
		srv.SetKeys(mustKey(t, "ES256", "k"))
		src := manualSource(t, srv, Config{}, WithRequestTimeout(300*time.Millisecond))
		srv.AddKeys(mustKey(t, "ES256", "new"))
		srv.Trickle(1500 * time.Millisecond)
		if r := fetchNow(t, src); r.Err == nil {
			t.Fatalf("a trickled set past the timeout was adopted: %+v", r)
		}
	})
}

// cleanSource is a manual Source holding one key, no fault on.
func cleanSource(t *testing.T) (*Source, *jwksserver.Server) {
	t.Helper()
	srv := startServer(t)
	srv.SetKeys(mustKey(t, "ES256", "k"))
	return manualSource(t, srv, Config{}), srv
}

func waitRequests(t *testing.T, srv *jwksserver.Server, n int) {
	t.Helper()
	if _, err := srv.WaitRequests(testCtx(t), n); err != nil {
		t.Fatal(err)
	}
}

func init() {
	faultChecks[faults.JWKSConnectWaitsOnFetch] = func(t *testing.T) {
		src, srv := keyedManualSource(t, faults.JWKSConnectWaitsOnFetch)
		srv.Hang()
		go func() { _, _ = src.FetchNow(context.Background()) }()
		time.Sleep(100 * time.Millisecond)
		done := make(chan struct{})
		go func() { src.PublicKeys(); close(done) }()
		select {
		case <-done:
			t.Fatal("PublicKeys did not wait for the hanging fetch")
		case <-time.After(300 * time.Millisecond):
		}
		srv.ServeKeys()
		<-done
	}
	faultChecks[faults.JWKSUnboundedBody] = func(t *testing.T) {
		src, srv := keyedManualSource(t, faults.JWKSUnboundedBody)
		srv.AddKeys(mustKey(t, "ES256", "new"))
		srv.ServeOversizedSet(8 << 20)
		if r := fetchNow(t, src); r.Err != nil || len(src.PublicKeys()) != 2 {
			t.Fatalf("the oversized set was not adopted: %+v", r)
		}
	}
	faultChecks[faults.JWKSNoRequestDeadline] = func(t *testing.T) {
		srv := startServer(t)
		srv.SetKeys(mustKey(t, "ES256", "k"))
		src := manualSource(t, srv, Config{}, WithRequestTimeout(300*time.Millisecond), WithDefects(defectsNamed(faults.JWKSNoRequestDeadline)...))
		srv.AddKeys(mustKey(t, "ES256", "new"))
		srv.Trickle(1500 * time.Millisecond)
		if r := fetchNow(t, src); r.Err != nil || len(src.PublicKeys()) != 2 {
			t.Fatalf("the trickled set was not adopted: %+v", r)
		}
	}
}
