package main

// End-to-end tests of `authspec conform --target PROFILE.yaml`: the binary
// is built once, and each test runs it against a real broker (the
// reference as a separate process and in a container, Mosquitto, ejabberd,
// a broker that never answers) or a broken profile, checking exit codes and
// reports. Every run is bounded (e2eRunBound); tests that need Docker skip
// when no engine answers, and the third-party tests fall back to the
// brokers' Debian packages run as processes.
//
// Reports go to a temporary directory, or under $AUTHSPEC_E2E_REPORTS when
// set (CI keeps them: one directory per target).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/reports"
)

// e2eRunBound bounds one conform run.
const e2eRunBound = 4 * time.Minute

var authspecBin string

func TestMain(m *testing.M) {
	code, err := buildAndRun(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

func buildAndRun(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "authspec-e2e-")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)
	authspecBin = filepath.Join(dir, "authspec")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, "go", "build", "-o", authspecBin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		return 1, fmt.Errorf("building authspec: %w\n%s", err, out)
	}
	return m.Run(), nil
}

// repoRoot is the module root (AUTHSPEC_SOURCE_ROOT overrides).
func repoRoot(t *testing.T) string {
	t.Helper()
	if root := os.Getenv("AUTHSPEC_SOURCE_ROOT"); root != "" {
		return root
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func shippedProfile(t *testing.T, name string) string {
	return filepath.Join(repoRoot(t), "fixtures", "profiles", name)
}

// reportsDir is where a test's runs write reports/<target>/.
func reportsDir(t *testing.T) string {
	if dir := os.Getenv("AUTHSPEC_E2E_REPORTS"); dir != "" {
		return dir
	}
	return t.TempDir()
}

// run is one finished authspec command.
type run struct {
	code           int
	stdout, stderr string
	pid            int
	took           time.Duration
}

// runAuthspec runs the binary from the repository root, bounded.
func runAuthspec(t *testing.T, bound time.Duration, args ...string) run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	cmd := exec.CommandContext(ctx, authspecBin, args...)
	cmd.Dir = repoRoot(t)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 10 * time.Second
	started := time.Now()
	err := cmd.Run()
	r := run{stdout: stdout.String(), stderr: stderr.String(), took: time.Since(started)}
	if cmd.Process != nil {
		r.pid = cmd.Process.Pid
	}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("authspec %s: no end within %s\nstderr:\n%s", strings.Join(args, " "), bound, r.stderr)
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("authspec %s: %v", strings.Join(args, " "), err)
	}
	t.Logf("authspec %s: exit %d after %s; stderr:\n%s", strings.Join(args, " "), r.code, r.took.Round(time.Millisecond), lastLines(r.stderr, 6))
	return r
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// summary reads reports/<name>/summary.json and checks that the other
// reports are there too.
func summary(t *testing.T, dir, name string) *reports.Summary {
	t.Helper()
	for _, f := range []string{"cucumber.json", "junit.xml", "index.html"} {
		if _, err := os.Stat(filepath.Join(dir, name, f)); err != nil {
			t.Errorf("report %s: %v", f, err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, name, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s reports.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// logTable writes a run's totals the way the README's tables show them.
func logTable(t *testing.T, s *reports.Summary) {
	t.Helper()
	tt := s.Totals
	t.Logf("| %s | %d | %d | %d | %d | %d | %.0fs |", s.Target, tt.Pass, tt.NonStrict, tt.Fail, tt.NotApplicable, tt.Error, s.DurationS)
	for _, id := range s.SortedIDs() {
		r := s.IDs[id]
		if r.Verdict == reports.VerdictFail || r.Verdict == reports.VerdictError {
			t.Logf("  %s %s: %s", id, r.Verdict, r.Message)
		}
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// writeProfile writes a profile into a test directory.
func writeProfile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// startServeProcess runs `authspec serve args...` as a child process until
// the test ends and returns its output as it comes. Unless args name a TLS
// listener, none is opened: the default one, 127.0.0.1:8883, would be raced
// for by parallel tests.
func startServeProcess(t *testing.T, args ...string) *servedBroker {
	t.Helper()
	if !slices.Contains(args, "--tls-listen") {
		args = append(args, "--tls-listen", "")
	}
	return runServe(t, args...)
}

// runServe runs `authspec serve args...` exactly as given until the test
// ends (interrupted at clean-up, killed 10 s later).
func runServe(t *testing.T, args ...string) *servedBroker {
	t.Helper()
	sb := &servedBroker{}
	cmd := exec.Command(authspecBin, append([]string{"serve"}, args...)...)
	cmd.Stdout, cmd.Stderr = sb, sb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	return sb
}
