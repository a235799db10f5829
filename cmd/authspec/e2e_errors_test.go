package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/silentpeer"
	"github.com/authspec/authspec/reports"
)

// TestConformBrokerThatNeverAnswers: a broker that accepts TCP and never
// answers makes each scenario an error within its step timeout, the run
// writes its reports and exits with 3 (target unreachable).
func TestConformBrokerThatNeverAnswers(t *testing.T) {
	t.Parallel()
	silent, err := silentpeer.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = silent.Close() })
	path := writeProfile(t, "silent.yaml", fmt.Sprintf(`name: silent
mqtt: {url: "tcp://%s"}
configure: by-hand
authentication:
  - {mechanism: jwt, from: password, use_jwks: false, algorithm: hmac-based, secret: emqxsecret}
`, silent.Addr()))
	dir := reportsDir(t)
	r := runAuthspec(t, time.Minute, "conform", "--target", path, "--ids", "JWT-HMAC,JWT-SRC,SEC-01",
		"--step-timeout", "1s", "--reports", dir)
	if r.code != reports.ExitUnreachable {
		t.Errorf("exit %d, want %d (target unreachable)", r.code, reports.ExitUnreachable)
	}
	// One step timeout for the first scenario, then the rest at once.
	if r.took > 30*time.Second {
		t.Errorf("the run took %s", r.took)
	}
	s := summary(t, dir, "silent")
	if s.Totals.Error == 0 || s.Totals.Pass+s.Totals.Fail+s.Totals.NonStrict != 0 {
		t.Errorf("totals %+v: want errors only (and not applicable)", s.Totals)
	}
	hmac := s.IDs["JWT-HMAC-01"]
	if hmac.Verdict != reports.VerdictError || !hmac.Unreachable || !strings.Contains(hmac.Message, "no CONNACK from "+silent.Addr()) {
		t.Errorf("JWT-HMAC-01: %+v", hmac)
	}
	if !strings.Contains(r.stderr, "target unreachable") {
		t.Errorf("stderr does not say the target is unreachable")
	}
}

// TestConformProfileErrors: a profile the suite cannot use is a
// configuration error (exit 2) whose message names the file, the line and
// the key where it can.
func TestConformProfileErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text string
		args       []string
		want       string
	}{
		{"unknown key", "name: x\nmqtt:\n  url: tcp://127.0.0.1:1\n  tsl: {}\nconfigure: by-hand\n", nil,
			`bad.yaml:4: unknown key "tsl" in mqtt (known: url, versions, tls)`},
		{"unknown top-level key", "name: x\nmqtt: {url: tcp://127.0.0.1:1}\nconfigure: by-hand\nreason_code: exact\n", nil,
			`bad.yaml:4: unknown key "reason_code" in the profile`},
		{"claim not in the catalogue", "name: x\nmqtt: {url: tcp://127.0.0.1:1}\nconfigure: by-hand\nclaims: [JWT-HMAC, JWT-HMAC-99]\n", nil,
			"claims: JWT-HMAC-99: no such catalogue ID or group"},
		{"JWKS endpoint the suite does not serve", "name: x\nmqtt: {url: tcp://127.0.0.1:1}\nconfigure: by-hand\nauthentication:\n  - {mechanism: jwt, use_jwks: true, endpoint: \"http://127.0.0.1:1/jwks\"}\n", nil,
			"bad.yaml:5: authentication[0]: endpoint: http://127.0.0.1:1/jwks is not where the suite serves its fixture"},
		{"authorization with emqx-api", "name: x\nmqtt: {url: tcp://127.0.0.1:1}\nconfigure: emqx-api\napi: {url: \"http://127.0.0.1:1\", key: k, secret: s}\nauthorization: {no_match: deny}\n", nil,
			"bad.yaml:5: authorization: only for configure: by-hand"},
		{"fault with a target", "name: x\nmqtt: {url: tcp://127.0.0.1:1}\nconfigure: by-hand\n", []string{"--fault", "skip-exp"},
			"--fault switches on a defect of the bundled reference"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeProfile(t, "bad.yaml", c.text)
			args := append([]string{"conform", "--target", path, "--reports", t.TempDir()}, c.args...)
			r := runAuthspec(t, 30*time.Second, args...)
			if r.code != reports.ExitUsage {
				t.Errorf("exit %d, want %d", r.code, reports.ExitUsage)
			}
			if !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr:\n%s\nwant it to contain %q", r.stderr, c.want)
			}
		})
	}
	r := runAuthspec(t, 30*time.Second, "conform", "--target", "/nonexistent/profile.yaml")
	if r.code != reports.ExitUsage || !strings.Contains(r.stderr, "no such file") {
		t.Errorf("missing profile: exit %d, stderr %s", r.code, r.stderr)
	}
}

// TestExplain: `authspec explain` answers for a real ID and refuses an ID no
// scenario carries with a usage error (exit 2).
func TestExplain(t *testing.T) {
	t.Parallel()
	r := runAuthspec(t, time.Minute, "explain", "SEC-01")
	if r.code != 0 || !strings.Contains(r.stdout, "SEC-01: ") || !strings.Contains(r.stdout, "fault ") {
		t.Errorf("explain SEC-01: exit %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	r = runAuthspec(t, time.Minute, "explain", "SEC-99")
	if r.code != exitUsage || !strings.Contains(r.stderr, "no scenario carries SEC-99") {
		t.Errorf("explain SEC-99: exit %d, stderr: %s", r.code, r.stderr)
	}
}
