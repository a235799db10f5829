package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
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
// shipped reference-api.yaml pointed at free ports: once started legacy
// (every scenario of that profile), once hardened (a second run, for the
// scenarios only that profile runs). Every request the suite makes goes
// through a recording proxy, and each must be a row of the fidelity table
// (steps/target/emqxapi/FIDELITY.md) answered as the row says: no other
// request, no 404 for a path not served, no 405.
func TestConformReferenceThroughItsAPI(t *testing.T) {
	t.Parallel()
	shipped, err := os.ReadFile(shippedProfile(t, "reference-api.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The two runs go side by side, each with its own broker.
	var legacy, hardened *apiRun
	t.Run("profiles", func(t *testing.T) {
		t.Run("legacy", func(t *testing.T) {
			t.Parallel()
			legacy = conformThroughAPI(t, string(shipped), "legacy", emqxLikeSources)
		})
		t.Run("hardened", func(t *testing.T) {
			t.Parallel()
			hardened = conformThroughAPI(t, string(shipped), "hardened", "[]")
		})
	})
	if legacy == nil || hardened == nil {
		t.FailNow()
	}
	wantConformant(t, legacy.run, legacy.summary)
	// Hardened: only its own scenarios run, and all of them pass.
	logTable(t, hardened.summary)
	if hardened.run.code != reports.ExitConformant || hardened.summary.Totals.Fail != 0 ||
		hardened.summary.Totals.Error != 0 || hardened.summary.Totals.NonStrict != 0 || hardened.summary.Totals.Pass == 0 {
		t.Errorf("hardened run: exit %d, totals %+v", hardened.run.code, hardened.summary.Totals)
	}
	// Every catalogue ID is reachable through a loopback API: each passes
	// in one run or the other.
	var unreached []string
	for id := range legacy.summary.IDs {
		if legacy.summary.IDs[id].Verdict != reports.VerdictPass && hardened.summary.IDs[id].Verdict != reports.VerdictPass {
			unreached = append(unreached, fmt.Sprintf("%s (%s / %s)", id, legacy.summary.IDs[id].Message, hardened.summary.IDs[id].Message))
		}
	}
	slices.Sort(unreached)
	if len(unreached) > 0 {
		t.Errorf("%d IDs passed in neither run:\n%s", len(unreached), strings.Join(unreached, "\n"))
	}

	// The stderr said why the starting chain is not back exactly (its
	// secret as the API showed it).
	if !strings.Contains(legacy.run.stderr, emqxapi.Redacted) {
		t.Errorf("stderr does not warn that the redacted secret cannot be restored")
	}

	// Fidelity: every request in the table, answered as the table says.
	var used []string
	for _, r := range []*apiRun{legacy, hardened} {
		for _, v := range r.recorder.violations() {
			t.Errorf("%s run: %s", r.profile, v)
		}
		used = append(used, r.recorder.rowsUsed()...)
	}
	// The table's authorization rows are the point of the check: the run
	// must have used them (adding and deleting a source, which the
	// broker's starting sources leave unused here, is covered by
	// steps/target/apitarget's tests).
	for _, row := range []string{"GET /api/v5/authorization/sources", "PUT /api/v5/authorization/sources/{type}",
		"PUT /api/v5/authorization/settings"} {
		if !slices.Contains(used, row) {
			t.Errorf("no request of %s was made: the check proves less than it claims", row)
		}
	}
	slices.Sort(used)
	t.Logf("fidelity rows used: %s", strings.Join(slices.Compact(used), "; "))
}

// apiRun is one conform run through the recording proxy.
type apiRun struct {
	profile  string
	run      run
	summary  *reports.Summary
	recorder *apiRecorder
}

// emqxLikeSources are authorization sources like a fresh EMQX's: a file
// source that lets everything through (EMQX ships acl.conf ending in
// {allow, all}) and an empty built-in database. Scenarios that configure
// authorization only work if the suite takes them out of the way (the
// legacy run), and the run must put them back exactly. The hardened run
// starts with none.
const emqxLikeSources = `[{"enable":true,"rules":"{allow, {ipaddr, \"127.0.0.1\"}, all, [\"#\"]}.\n{allow, all}.","type":"file"},{"enable":true,"type":"built_in_database"}]`

// conformThroughAPI starts `authspec serve` with the security profile,
// the default chain and the starting sources, puts a recording proxy
// in front of its API, and judges it with the shipped profile (text)
// pointed at both.
func conformThroughAPI(t *testing.T, shipped, profile, startingSources string) *apiRun {
	mqttPort, apiPort := freePort(t), freePort(t)
	config := `{"authentication": [{"mechanism": "jwt", "from": "password", "algorithm": "hmac-based", "secret": "emqxsecret"}],
	  "authorization": {"no_match": "allow", "deny_action": "ignore", "cache": {"enable": true}, "sources": ` + startingSources + `}}`
	serveLog := startServeProcess(t,
		"--listen", fmt.Sprintf("127.0.0.1:%d", mqttPort), "--api-listen", fmt.Sprintf("127.0.0.1:%d", apiPort),
		"--jwks-min-refresh", "2s", "--log-level", "warn", "--security-profile", profile,
		"--config", writeProfile(t, "serve.json", config))
	serveURL := fmt.Sprintf("http://127.0.0.1:%d", apiPort)
	waitForAPI(t, serveURL, serveLog)
	rec := newAPIRecorder(t, serveURL)

	text := strings.NewReplacer(
		"tcp://127.0.0.1:1883", fmt.Sprintf("tcp://127.0.0.1:%d", mqttPort),
		"http://127.0.0.1:18083", rec.url,
		"name: reference-api", "name: reference-api-"+profile,
	).Replace(shipped)
	if !strings.Contains(text, rec.url) {
		t.Fatal("reference-api.yaml no longer names http://127.0.0.1:18083: update this test")
	}
	text += "security_profile: " + profile + "\n"
	dir := reportsDir(t)
	r := runAuthspec(t, e2eRunBound, "conform", "--target", writeProfile(t, "reference-api.yaml", text), "--reports", dir)

	// The chain the broker started with is back (its secret as the API
	// showed it); its authorization sources and settings exactly. Asked
	// directly, not through the recorder: these are the test's requests.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	api := &emqxapi.Client{Base: serveURL, Key: "authspec", Secret: "authspec-secret"}
	ids, err := api.AuthenticatorIDs(ctx)
	if err != nil || strings.Join(ids, ",") != "jwt" {
		t.Errorf("chain after the run: %v, %v; want the starting [jwt]", ids, err)
	}
	sources, err := api.Sources(ctx)
	if got, _ := json.Marshal(sources); err != nil || string(got) != startingSources {
		t.Errorf("authorization sources after the run: %s, %v; want them as at the start:\n%s", got, err, startingSources)
	}
	settings, err := api.GetSettings(ctx, emqxapi.AuthorizationSettingsPath)
	if err != nil || settings["no_match"] != "allow" || settings["deny_action"] != "ignore" {
		t.Errorf("authorization settings after the run: %v, %v; want the starting ones", settings, err)
	}
	return &apiRun{profile: profile, run: r, summary: summary(t, dir, "reference-api-"+profile), recorder: rec}
}

func waitForAPI(t *testing.T, base string, log *servedBroker) {
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
