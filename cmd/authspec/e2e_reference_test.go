package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/container"
	"github.com/authspec/authspec/fixtures/testenv"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target/emqxapi"
)

// wantConformant checks a run of the reference: exit 0, nothing failing or
// in error, and most IDs passing (the rest are not applicable: scenarios
// needing the hardened profile or files the broker cannot read).
func wantConformant(t *testing.T, r run, s *reports.Summary) {
	t.Helper()
	logTable(t, s)
	if r.code != reports.ExitConformant {
		t.Errorf("exit %d, want %d (conformant)", r.code, reports.ExitConformant)
	}
	if s.Totals.Fail != 0 || s.Totals.Error != 0 || s.Totals.NonStrict != 0 {
		t.Errorf("totals %+v: the reference must pass with exact reason codes", s.Totals)
	}
	if s.Totals.Pass < len(s.IDs)*9/10 {
		t.Errorf("only %d of %d IDs passed", s.Totals.Pass, len(s.IDs))
	}
}

// TestConformReferenceThroughItsAPI judges `authspec serve`, started as a
// separate process, through its EMQX-compatible management API, with the
// shipped reference-api.yaml pointed at free ports.
func TestConformReferenceThroughItsAPI(t *testing.T) {
	t.Parallel()
	mqttPort, apiPort := freePort(t), freePort(t)
	serve := exec.Command(authspecBin, "serve",
		"--listen", fmt.Sprintf("127.0.0.1:%d", mqttPort), "--api-listen", fmt.Sprintf("127.0.0.1:%d", apiPort),
		"--jwks-min-refresh", "2s", "--log-level", "warn")
	var serveLog bytes.Buffer
	serve.Stdout, serve.Stderr = &serveLog, &serveLog
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = serve.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = serve.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = serve.Process.Kill()
			<-done
		}
	})
	apiURL := fmt.Sprintf("http://127.0.0.1:%d", apiPort)
	waitForAPI(t, apiURL, &serveLog)

	shipped, err := os.ReadFile(shippedProfile(t, "reference-api.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer(
		"tcp://127.0.0.1:1883", fmt.Sprintf("tcp://127.0.0.1:%d", mqttPort),
		"http://127.0.0.1:18083", apiURL,
	).Replace(string(shipped))
	if !strings.Contains(text, apiURL) {
		t.Fatal("reference-api.yaml no longer names http://127.0.0.1:18083: update this test")
	}
	dir := reportsDir(t)
	r := runAuthspec(t, e2eRunBound, "conform", "--target", writeProfile(t, "reference-api.yaml", text), "--reports", dir)
	wantConformant(t, r, summary(t, dir, "reference-api"))

	// The chain the broker started with is back (its secret as the API
	// showed it), and the stderr said why it is not exactly.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	api := &emqxapi.Client{Base: apiURL, Key: "authspec", Secret: "authspec-secret"}
	ids, err := api.AuthenticatorIDs(ctx)
	if err != nil || strings.Join(ids, ",") != "jwt" {
		t.Errorf("chain after the run: %v, %v; want the starting [jwt]", ids, err)
	}
	if !strings.Contains(r.stderr, emqxapi.Redacted) {
		t.Errorf("stderr does not warn that the redacted secret cannot be restored")
	}
}

func waitForAPI(t *testing.T, base string, log *bytes.Buffer) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	client := http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		resp, err := client.Get(base + "/api/v5/status")
		if err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("authspec serve did not answer at %s within 15s:\n%s", base, log.String())
}

// needEngine skips a test that needs Docker when no engine answers.
func needEngine(t *testing.T) {
	t.Helper()
	testenv.NeedDocker(t)
}

// noContainerLeft checks that a finished conform run removed its
// containers (they carry the run's process as their session label).
func noContainerLeft(t *testing.T, r run) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	host, _ := os.Hostname()
	left, err := container.Leftovers(ctx, fmt.Sprintf("%s/%d", host, r.pid))
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("the run left containers behind: %v", left)
	}
}

// TestConformReferenceInAContainer judges the reference image (FROM
// scratch, built from this tree) with the shipped profile.
func TestConformReferenceInAContainer(t *testing.T) {
	needEngine(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	// Built afresh, so the image runs this tree's reference; an unchanged
	// tree hits the engine's layer cache.
	if err := container.BuildReferenceImage(ctx, repoRoot(t)); err != nil {
		t.Fatal(err)
	}
	dir := reportsDir(t)
	r := runAuthspec(t, e2eRunBound, "conform", "--target", shippedProfile(t, "reference-container.yaml"), "--reports", dir)
	wantConformant(t, r, summary(t, dir, "reference-container"))
	noContainerLeft(t, r)
}
