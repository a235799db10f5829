package adaptertarget

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// script writes an executable shell script and returns its path.
func script(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "adapter")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func call(t *testing.T, body string, timeout time.Duration) Outcome {
	t.Helper()
	a := &Adapter{Argv: []string{script(t, body), "--flag"}, Dir: t.TempDir(), Timeout: timeout}
	return a.Call(context.Background(), "apply", []byte(`{"authentication":[]}`))
}

func TestCallProtocol(t *testing.T) {
	out := call(t, `[ "$1 $2" = "--flag apply" ] || exit 9; grep -q authentication || exit 8; echo applied >&2`, 5*time.Second)
	if out.Err != nil || out.ExitCode != ExitApplied || !strings.Contains(out.Stderr, "applied") {
		t.Fatalf("expected exit 0 with argv... apply and the document on stdin, got %+v", out)
	}
	out = call(t, "echo 'no JWKS here' >&2; echo second line >&2; exit 3", 5*time.Second)
	if out.Err != nil || out.ExitCode != ExitCannotExpress || out.Reason() != "no JWKS here" {
		t.Fatalf("expected exit 3 with the first stderr line as the reason, got %+v (%q)", out, out.Reason())
	}
	out = call(t, "echo invalid >&2; exit 4", 5*time.Second)
	if out.Err != nil || out.ExitCode != ExitInvalid {
		t.Fatalf("expected exit 4, got %+v", out)
	}
}

func TestCallBadAdapters(t *testing.T) {
	started := time.Now()
	out := call(t, "echo waiting >&2; sleep 30", 300*time.Millisecond)
	if out.Err == nil || !strings.Contains(out.Err.Error(), "timed out after 300ms") || time.Since(started) > 10*time.Second {
		t.Fatalf("expected a timeout error within the bound, got %+v after %s", out, time.Since(started))
	}
	if err := out.WithStderr(out.Err); !strings.Contains(err.Error(), "waiting") {
		t.Errorf("expected the adapter's stderr attached, got %v", err)
	}
	out = call(t, "echo oops >&2; exit 7", 5*time.Second)
	if out.Err == nil || !strings.Contains(out.Err.Error(), "exited 7, which the protocol does not know") {
		t.Fatalf("expected an unknown exit code to be an error, got %+v", out)
	}
	out = call(t, `printf '\001\002\377garbage\033[31m' >&2; head -c 100000 /dev/zero; exit 3`, 5*time.Second)
	if out.Err != nil || strings.ContainsAny(out.Reason(), "\x01\x02\x1b") || !strings.Contains(out.Reason(), "garbage") {
		t.Fatalf("expected a printable reason from garbage, got %q (%+v)", out.Reason(), out.Err)
	}
	if len(out.Stdout) > maxStderr+100 {
		t.Errorf("expected stdout kept within %d bytes, got %d", maxStderr, len(out.Stdout))
	}
	out = call(t, "exit 3", 5*time.Second)
	if !strings.Contains(out.Reason(), "gave no reason") {
		t.Errorf("expected a missing reason said so, got %q", out.Reason())
	}
	// A broker started in the background that keeps the adapter's stderr
	// open does not hold the call past its exit for long.
	started = time.Now()
	out = call(t, "sleep 30 & echo started >&2; exit 0", 20*time.Second)
	if out.ExitCode != 0 || time.Since(started) > 10*time.Second {
		t.Fatalf("expected the call to end soon after the adapter, got %+v after %s", out, time.Since(started))
	}
}
