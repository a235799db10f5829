package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/runner"
	"github.com/authspec/authspec/steps/target/byhand"
)

// The gates of issue 9: a run that judged nothing is not conformant, and a
// profile typo is a configuration error, never a quiet run. Both against a
// real broker: the reference started by `authspec serve` (JWT from the
// password, HMAC secret emqxsecret), judged as a by-hand target.

// startServe starts `authspec serve` on free loopback ports and returns its
// MQTT address once it accepts connections.
func startServe(t *testing.T) string {
	t.Helper()
	mqtt := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	log := startServeProcess(t, "--listen", mqtt,
		"--api-listen", fmt.Sprintf("127.0.0.1:%d", freePort(t)), "--log-level", "warn")
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", mqtt, time.Second); err == nil {
			c.Close()
			return mqtt
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("authspec serve did not listen on %s within 15s:\n%s", mqtt, log.String())
	return ""
}

// hmacByHand is a by-hand profile of `authspec serve`'s default chain.
func hmacByHand(name, addr, extra string) string {
	return fmt.Sprintf(`name: %s
mqtt: {url: "tcp://%s"}
configure: by-hand
authentication:
  - mechanism: jwt
    from: password
    algorithm: hmac-based
    secret: emqxsecret
%sreason_codes: exact
`, name, addr, extra)
}

// TestNothingJudgedExitsNonZero: a profile whose configuration cannot show
// what it claims (JWKS and SCRAM claimed of an HMAC broker) ends with every
// claimed ID not applicable: exit 1, "nothing judged" with the dominant
// reason, and summary.json says so.
func TestNothingJudgedExitsNonZero(t *testing.T) {
	t.Parallel()
	addr := startServe(t)
	path := writeProfile(t, "claims-jwks-scram.yaml", hmacByHand("claims-jwks-scram", addr, "")+"claims: [JWT-JWKS, SCRAM]\n")
	dir := reportsDir(t)
	r := runAuthspec(t, e2eRunBound, "conform", "--target", path, "--reports", dir)
	s := summary(t, dir, "claims-jwks-scram")
	logTable(t, s)
	if r.code != reports.ExitFailures {
		t.Errorf("exit %d, want %d", r.code, reports.ExitFailures)
	}
	if !strings.Contains(r.stderr, "nothing judged: none of the") || !strings.Contains(r.stderr, "most often not applicable because: ") {
		t.Errorf("stderr does not say nothing was judged, and why:\n%s", r.stderr)
	}
	if !s.NothingJudged || s.Judged != 0 || s.DominantNA == nil || s.DominantNA.Reason == reports.NotClaimedReason {
		t.Fatalf("summary: nothing_judged %v judged %d dominant %+v", s.NothingJudged, s.Judged, s.DominantNA)
	}
	// The claimed IDs' reasons come first: JWKS and SCRAM need what the
	// broker does not declare, the unclaimed are counted apart.
	if !strings.Contains(s.DominantNA.Reason, "needs") || s.NotClaimed == 0 || s.NotClaimed+s.DominantNA.IDs > s.Totals.NotApplicable {
		t.Errorf("dominant reason %+v, not claimed %d, n/a %d", s.DominantNA, s.NotClaimed, s.Totals.NotApplicable)
	}
}

// TestTypoInsideAnAuthenticator: the typo is a configuration error
// naming file, line and key; and were a typo to slip past the parser, the
// run could still not go green: the broker's declared configuration then
// differs from every scenario's, nothing is judged, exit 1.
func TestTypoInsideAnAuthenticator(t *testing.T) {
	t.Parallel()
	addr := startServe(t)
	typo := hmacByHand("typo", addr, "    extra_claims: {tenant: acme}\n")
	path := writeProfile(t, "typo.yaml", typo)
	r := runAuthspec(t, 30*time.Second, "conform", "--target", path, "--reports", t.TempDir())
	want := path + `:9: unknown key "extra_claims" in authentication[0] (not a field of a jwt authenticator)`
	if r.code != reports.ExitUsage || !strings.Contains(r.stderr, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", r.code, r.stderr, reports.ExitUsage, want)
	}

	// The same typo, put in after parsing (as a parser bug would let it).
	p, err := profile.Parse([]byte(hmacByHand("typo-slipped", addr, "")), "typo-slipped.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p.Authentication[0].Config["extra_claims"] = map[string]any{"tenant": "acme"}
	tg, err := byhand.New(p)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), e2eRunBound)
	defer cancel()
	res, err := runner.Run(ctx, runner.Options{Target: tg, IDs: []string{"JWT-HMAC", "JWT-SRC"}, Version: "e2e"})
	if err != nil {
		t.Fatal(err)
	}
	logTable(t, res.Summary)
	if res.ExitCode != reports.ExitFailures || !res.Summary.NothingJudged {
		t.Fatalf("exit %d, nothing_judged %v, reasons %q: a typo must not let the run go green", res.ExitCode, res.Summary.NothingJudged, res.Reasons)
	}
	if d := res.Summary.DominantNA; d == nil || !strings.Contains(d.Reason, "extra_claims") {
		t.Errorf("dominant reason %+v: want it to name extra_claims", d)
	}
}

// TestReportCompare runs `authspec report compare` on run directories: the
// HTML page and the Markdown table are written and the table printed; bad
// input is a usage error (exit 2) that says what is wrong.
func TestReportCompare(t *testing.T) {
	t.Parallel()
	runs := filepath.Join(repoRoot(t), "reports", "testdata", "compare", "runs")
	out := t.TempDir()
	r := runAuthspec(t, 30*time.Second, "report", "compare", filepath.Join(runs, "alpha"), filepath.Join(runs, "beta"), "--out", out)
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	if !strings.HasPrefix(r.stdout, "| verdict | alpha | beta |") || !strings.Contains(r.stdout, "| JWT-HMAC-02 | pass `0x87` | fail `0x00` [") {
		t.Errorf("stdout is not the comparison table:\n%s", r.stdout)
	}
	for _, name := range []string{"compare.html", "compare.md"} {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "compare.md" && string(data) != r.stdout {
			t.Errorf("compare.md differs from what was printed")
		}
		if name == "compare.html" && (!bytes.Contains(data, []byte("<table class=\"matrix\">")) || bytes.Contains(data, []byte("<script"))) {
			t.Errorf("compare.html is not the self-contained page")
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{filepath.Join(runs, "nope")}, "nope: no such file or directory"},
		{[]string{filepath.Join(runs, "alpha"), filepath.Join(runs, "alpha", "summary.json")}, `are both runs of target "alpha"`},
		{nil, "requires at least 1 arg"},
	} {
		r := runAuthspec(t, 30*time.Second, append([]string{"report", "compare", "--out", t.TempDir()}, c.args...)...)
		if r.code != reports.ExitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
}
