package target

import (
	"context"
	"encoding/json"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/reference"
)

// Apply enables exactly the chain asked for (creating, updating or
// disabling authenticators through the management API) and Restore puts
// back what was there.
func TestAPIApplyAndRestore(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ref, err := StartReference(ctx, reference.WithConfig([]byte(`[{"mechanism":"password_based","backend":"built_in_database"}]`)))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	api := ref.Provisioner().(*API)
	jwtCfg := json.RawMessage(`{"mechanism":"jwt","from":"password","use_jwks":false,"algorithm":"hmac-based","secret":"s3cret"}`)

	state := func() map[string]bool {
		t.Helper()
		list, err := api.chain(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, c := range list {
			out[ID(c)] = Enabled(c)
		}
		return out
	}
	if err := api.Apply(ctx, []json.RawMessage{jwtCfg}); err != nil {
		t.Fatal(err)
	}
	if s := state(); !s["jwt"] || s["password_based:built_in_database"] || len(s) != 2 {
		t.Fatalf("after Apply(jwt): %v", s)
	}
	if err := api.Apply(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if s := state(); s["jwt"] || s["password_based:built_in_database"] {
		t.Fatalf("after Apply(nothing): %v", s)
	}
	if err := api.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	if s := state(); len(s) != 1 || !s["password_based:built_in_database"] {
		t.Fatalf("after Restore: %v", s)
	}
}

func TestAPIErrorsNameTheRequest(t *testing.T) {
	api := NewAPI("http://127.0.0.1:1", "k", "s")
	err := api.Apply(context.Background(), nil)
	if err == nil {
		t.Fatal("no error from an API nobody serves")
	}
	if got := err.Error(); !strings.Contains(got, "GET /authentication") {
		t.Errorf("error %q does not name the request", got)
	}
}

func TestProcessSampleReadsProc(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	// Burn a little CPU so the tick-based figure is not zero.
	deadline := time.Now().Add(50 * time.Millisecond)
	for x := 0; time.Now().Before(deadline); x++ {
		_ = x * x
	}
	s, err := (&Process{PID: os.Getpid()}).Sample()
	if err != nil {
		t.Fatal(err)
	}
	if s.RSSBytes < 1<<20 || s.CPU <= 0 {
		t.Errorf("sample %+v", s)
	}
	if _, err := (&Process{PID: 1 << 30}).Sample(); err == nil {
		t.Error("no error for a process that does not exist")
	}
}

func TestNewAddress(t *testing.T) {
	if _, err := NewAddress("no-port"); err == nil {
		t.Error("address without a port accepted")
	}
	a, err := NewAddress("127.0.0.1:1883")
	if err != nil {
		t.Fatal(err)
	}
	if a.Provisioner() != nil || a.Process() != nil {
		t.Error("a by-hand address has a provisioner or process")
	}
	if _, err := NewAddress("127.0.0.1:1883", WithPID(1<<30)); err == nil {
		t.Error("a PID that does not exist accepted")
	}
}
