package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/testenv"
	"github.com/authspec/authspec/fixtures/thirdparty"
	"github.com/authspec/authspec/reports"
)

// End-to-end runs of configure: command: the reference and ejabberd
// through the adapters the project ships, and adapters that misbehave.

// brokerPort is a free port below Linux's ephemeral range (32768-60999):
// a port from there, free when picked, can be taken by one of the run's
// own fixtures (a JWKS endpoint on 127.0.0.1:0) before the broker binds it.
func brokerPort(t *testing.T) int {
	t.Helper()
	for range 100 {
		port := 20000 + rand.IntN(10000)
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			ln.Close()
			return port
		}
	}
	t.Fatal("no free port in 20000-29999")
	return 0
}

// referenceAdapterProfile is a profile for fixtures/adapters/reference on
// free ports with a state directory of the test's own.
func referenceAdapterProfile(t *testing.T, name string, extraArgv ...string) string {
	t.Helper()
	// The reference adapter is a shell script over jq and curl.
	testenv.Need(t, "jq", "jq")
	testenv.Need(t, "curl", "curl")
	mqtt, api := brokerPort(t), brokerPort(t)
	argv := []string{filepath.Join(repoRoot(t), "fixtures", "adapters", "reference", "adapter"),
		"--authspec", authspecBin, "--listen", fmt.Sprintf("127.0.0.1:%d", mqtt),
		"--api-listen", fmt.Sprintf("127.0.0.1:%d", api), "--state-dir", filepath.Join(t.TempDir(), "state")}
	argv = append(argv, extraArgv...)
	return writeProfile(t, name+".yaml", fmt.Sprintf(`name: %s
mqtt: {url: "tcp://127.0.0.1:%d"}
configure: command
command:
  argv: %s
  timeout: 30s
`, name, mqtt, yamlList(argv)))
}

func yamlList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// TestConformReferenceThroughTheAdapter: every ID the reference adapter
// can express passes, groups share an apply, scenarios with their own
// fixture or that create an authenticator apply alone.
func TestConformReferenceThroughTheAdapter(t *testing.T) {
	t.Parallel()
	path := referenceAdapterProfile(t, "reference-adapter-e2e")
	ids := "JWT-HMAC,JWT-PK-02,JWT-PK-04,CHAIN-01,JWT-ACL-12,JWT-JWKS-01,SCRAM-01,SEC-03"

	list := runAuthspec(t, e2eRunBound, "conform", "--target", path, "--ids", ids, "--list")
	if list.code != 0 || !strings.Contains(list.stdout, "configuration 1") || !strings.Contains(list.stdout, "(alone)") {
		t.Fatalf("--list: exit %d, want the configurations listed with the alone ones marked:\n%s", list.code, list.stdout)
	}

	dir := reportsDir(t)
	r := runAuthspec(t, e2eRunBound, "conform", "--target", path, "--ids", ids, "--reports", dir)
	s := summary(t, dir, "reference-adapter-e2e")
	logTable(t, s)
	if r.code != reports.ExitConformant || s.Totals.Fail != 0 || s.Totals.Error != 0 {
		t.Fatalf("exit %d, totals %+v: want the reference conformant through its adapter", r.code, s.Totals)
	}
	for id, res := range s.IDs {
		if res.Verdict != reports.VerdictPass {
			t.Errorf("%s: %s (%s), want pass: the reference adapter expresses every configuration", id, res.Verdict, res.Message)
		}
	}
	a := s.Adapter
	if a == nil || !strings.Contains(a.Adapter, "adapters/reference/adapter") {
		t.Fatalf("summary.json adapter: %+v, want the adapter named", a)
	}
	if a.Groups < 5 || a.Applies < a.Groups || a.Applies >= scenarioCount(t, list.stdout) {
		t.Errorf("adapter: %d configurations, %d applies for %d scenarios: want scenarios sharing applies", a.Groups, a.Applies, scenarioCount(t, list.stdout))
	}
	html, err := os.ReadFile(filepath.Join(dir, "reference-adapter-e2e", "index.html"))
	if err != nil || !strings.Contains(string(html), "applies") {
		t.Errorf("index.html does not name the adapter and its applies (%v)", err)
	}
}

func scenarioCount(t *testing.T, list string) int {
	t.Helper()
	n := 0
	for _, line := range strings.Split(list, "\n") {
		if strings.HasPrefix(line, "    ") {
			n++
		}
	}
	return n
}

// TestConformWithMisbehavingAdapters: a hang is a timeout, an unknown exit
// code and garbage are errors with the adapter's stderr, a broker left down
// is an error and exit 3 only when it never comes back; the run always
// ends with its reports.
func TestConformWithMisbehavingAdapters(t *testing.T) {
	t.Parallel()
	ids := "JWT-HMAC-01,JWT-PK-01" // several configurations
	port := brokerPort(t)
	for _, tc := range []struct {
		name, body string
		timeout    string
		wantCode   int
		want       string
		verdict    reports.Verdict
	}{
		{"hangs", "echo 'applying, slowly' >&2; exec sleep 60", "1s", reports.ExitFailures, "timed out after 1s", reports.VerdictError},
		{"unknown-exit", "echo 'something broke' >&2; exit 7", "10s", reports.ExitFailures, "exited 7, which the protocol does not know", reports.VerdictError},
		{"garbage", `head -c 3000 /dev/urandom; printf '\001\002garbage\033[0m\n' >&2; exit 3`, "10s", -1, "adapter: ??garbage?[0m", reports.VerdictNotApplicable},
		{"broker-down", "cat >/dev/null; echo 'started nothing' >&2; exit 0", "10s", reports.ExitUnreachable, "started nothing", reports.VerdictError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			adapter := filepath.Join(t.TempDir(), "adapter")
			if err := os.WriteFile(adapter, []byte("#!/bin/sh\n[ \"$1\" = reset ] && exit 0\n"+tc.body+"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			path := writeProfile(t, tc.name+".yaml", fmt.Sprintf("name: bad-%s\nmqtt: {url: \"tcp://127.0.0.1:%d\"}\nconfigure: command\ncommand: {argv: [%q], timeout: %s}\n", tc.name, port, adapter, tc.timeout))
			dir := reportsDir(t)
			r := runAuthspec(t, e2eRunBound, "conform", "--target", path, "--ids", ids, "--reports", dir, "--step-timeout", "1s")
			s := summary(t, dir, "bad-"+tc.name)
			// -1: every ID not applicable, whose exit code is the gate's
			// business ("nothing judged").
			if tc.wantCode >= 0 && r.code != tc.wantCode {
				t.Errorf("exit %d, want %d (%s)", r.code, tc.wantCode, lastLines(r.stderr, 3))
			}
			for _, id := range []string{"JWT-HMAC-01", "JWT-PK-01"} {
				res := s.IDs[id]
				if res.Verdict != tc.verdict || !strings.Contains(res.Message, tc.want) {
					t.Errorf("%s: %s %q, want %s with %q", id, res.Verdict, res.Message, tc.verdict, tc.want)
				}
			}
			if s.Adapter == nil || s.Adapter.Applies < 2 {
				t.Errorf("adapter record %+v: want every configuration tried (the run goes on to the next group)", s.Adapter)
			}
		})
	}
}

// TestConformBrokerDownThenBack: an apply that leaves the broker down is an
// error for its scenarios, but the run is not "unreachable" when a later
// apply brings the broker back.
func TestConformBrokerDownThenBack(t *testing.T) {
	t.Parallel()
	inner := referenceAdapterProfile(t, "unused")
	data, err := os.ReadFile(inner)
	if err != nil {
		t.Fatal(err)
	}
	// The first apply starts nothing; later ones delegate to the
	// reference adapter (its argv is in the profile written above).
	var argv string
	for _, line := range strings.Split(string(data), "\n") {
		if a, ok := strings.CutPrefix(strings.TrimSpace(line), "argv: "); ok {
			argv = strings.NewReplacer("[", "", "]", "", ",", "").Replace(a)
		}
	}
	var url string
	for _, line := range strings.Split(string(data), "\n") {
		if u, ok := strings.CutPrefix(line, "mqtt: {url: "); ok {
			url = strings.TrimSuffix(u, "}")
		}
	}
	marker := filepath.Join(t.TempDir(), "first-done")
	adapter := filepath.Join(t.TempDir(), "adapter")
	body := fmt.Sprintf("#!/bin/sh\nif [ \"$1\" = apply ] && [ ! -e %q ]; then touch %q; cat >/dev/null; echo 'first apply: broker left down' >&2; exit 0; fi\nexec %s \"$@\"\n", marker, marker, argv)
	if err := os.WriteFile(adapter, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	path := writeProfile(t, "down-then-back.yaml", fmt.Sprintf("name: down-then-back\nmqtt: {url: %s}\nconfigure: command\ncommand: {argv: [%q], timeout: 30s}\n", url, adapter))
	dir := reportsDir(t)
	r := runAuthspec(t, e2eRunBound, "conform", "--target", path, "--ids", "JWT-HMAC-01,JWT-PK-01", "--reports", dir, "--step-timeout", "2s")
	s := summary(t, dir, "down-then-back")
	logTable(t, s)
	if r.code != reports.ExitFailures || s.Totals.Error == 0 || s.Totals.Pass == 0 {
		t.Fatalf("exit %d, totals %+v: want the first group in error (exit 1, not 3) and the later ones judged", r.code, s.Totals)
	}
	found := false
	for _, res := range s.IDs {
		found = found || (res.Verdict == reports.VerdictError && strings.Contains(res.Message, "first apply: broker left down"))
	}
	if !found {
		t.Error("expected the error of the first group to carry the adapter's stderr")
	}
}

// ejabberdVerdicts are the verdicts the ejabberd adapter's profile gives
// every catalogue ID it judges, as fixtures/thirdparty/FINDINGS.md
// ("Through the adapter") explains them; every other ID is not applicable.
var ejabberdVerdicts = map[string]reports.Verdict{
	"JWT-HMAC-01": reports.VerdictPass, "JWT-HMAC-02": reports.VerdictPass, "JWT-HMAC-03": reports.VerdictPass,
	"JWT-HMAC-04": reports.VerdictPass, "JWT-HMAC-06": reports.VerdictPass, "JWT-HMAC-08": reports.VerdictPass,
	"JWT-HMAC-07": reports.VerdictFail,
	"JWT-PK-01":   reports.VerdictPass, "JWT-PK-02": reports.VerdictPass, "JWT-PK-03": reports.VerdictPass,
	"JWT-PK-04": reports.VerdictPass, "JWT-PK-05": reports.VerdictPass,
	"JWT-SRC-01": reports.VerdictFail, "JWT-SRC-03": reports.VerdictNonStrict, "JWT-SRC-04": reports.VerdictNonStrict,
	"JWT-SRC-05": reports.VerdictNonStrict, "JWT-SRC-06": reports.VerdictPass, "JWT-SRC-07": reports.VerdictFail,
	"JWT-CLAIM-01": reports.VerdictNonStrict, "JWT-CLAIM-02": reports.VerdictFail, "JWT-CLAIM-03": reports.VerdictPass,
	"JWT-CLAIM-04": reports.VerdictFail, "JWT-CLAIM-05": reports.VerdictFail, "JWT-CLAIM-06": reports.VerdictNonStrict,
	"JWT-CLAIM-09": reports.VerdictFail,
	"JWT-EXP-01":   reports.VerdictFail, "JWT-EXP-02": reports.VerdictFail,
	"JWT-ACL-01": reports.VerdictFail, "JWT-ACL-05": reports.VerdictFail, "JWT-ACL-08": reports.VerdictFail,
	"JWT-ACL-09": reports.VerdictFail, "JWT-ATTR-03": reports.VerdictFail,
	"CHAIN-03": reports.VerdictFail,
	"SEC-01":   reports.VerdictPass, "SEC-02": reports.VerdictPass, "SEC-03": reports.VerdictPass,
	"SEC-04": reports.VerdictFail, "SEC-05": reports.VerdictFail, "SEC-06": reports.VerdictPass,
	// The catalogue v4 security IDs (FINDINGS.md, 'Through the adapter'):
	// ejabberd ignores an unknown crit extension (EMQX's reading A17, not
	// the RFC's the profile is judged under), fetches no header URL,
	// refuses every encoding of its public key as an HMAC secret, and
	// refuses or closes every abuse, cutting a CONNECT sent one byte per
	// second off 30 s after accepting its connection.
	"SEC-07": reports.VerdictFail, "SEC-08": reports.VerdictPass, "SEC-09": reports.VerdictPass,
	"SEC-10": reports.VerdictPass,
}

// TestConformEjabberdThroughTheAdapter runs the whole catalogue against
// Debian's ejabberd through `authspec adapter ejabberd`, and checks every
// verdict against the findings.
func TestConformEjabberdThroughTheAdapter(t *testing.T) {
	t.Parallel()
	testenv.Missing(t, thirdparty.EjabberdInstalled())
	// The adapter runs ejabberdctl (a shell script over sed, grep, ...)
	// from PATH, as the by-hand e2e tests do.
	testenv.Need(t, "ejabberdctl", "ejabberd")
	if os.Geteuid() != 0 {
		testenv.Unavailable(t, "ejabberdctl runs the node as the ejabberd user: root needed")
	}
	port := brokerPort(t)
	// The node runs as the ejabberd user: its directory must be reachable
	// by others (t.TempDir's parent is private).
	base, err := os.MkdirTemp("", "authspec-ejabberd-adapter-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(base, "ejabberd")
	path := writeProfile(t, "ejabberd-adapter-e2e.yaml", fmt.Sprintf(`name: ejabberd-adapter-e2e
mqtt: {url: "tcp://127.0.0.1:%d"}
configure: command
command:
  argv: [%q, adapter, ejabberd, --port, "%d", --dist-port, "%d", --state-dir, %q]
  timeout: 60s
token_claims: {jid: "${username}@localhost"}
reason_codes: refusal
`, port, authspecBin, port, brokerPort(t), state))
	dir := reportsDir(t)
	// The default concurrency (16 scenarios at once): the adapter gives
	// ejabberd's listener the backlog that takes them (FINDINGS.md).
	r := runAuthspec(t, 8*time.Minute, "conform", "--target", path, "--reports", dir)
	s := summary(t, dir, "ejabberd-adapter-e2e")
	logTable(t, s)
	if r.code != reports.ExitFailures {
		t.Errorf("exit %d, want %d (ejabberd fails what FINDINGS.md says)", r.code, reports.ExitFailures)
	}
	judged := 0
	for id, res := range s.IDs {
		want, ok := ejabberdVerdicts[id]
		if !ok {
			want = reports.VerdictNotApplicable
		}
		if res.Verdict != want {
			t.Errorf("%s: %s (%s), want %s (FINDINGS.md, 'Through the adapter')", id, res.Verdict, res.Message, want)
		}
		if res.Verdict != reports.VerdictNotApplicable {
			judged++
		}
	}
	if judged < len(ejabberdVerdicts) {
		t.Errorf("%d IDs judged, want %d", judged, len(ejabberdVerdicts))
	}
	if a := s.Adapter; a == nil || a.Applies < a.Groups {
		t.Errorf("adapter record %+v", a)
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("reset left the state directory %s (%v)", state, err)
	}
}

// TestReadmeAdapter runs the README's minimal adapter, as printed there,
// against the bundled reference: the example must really work.
func TestReadmeAdapter(t *testing.T) {
	t.Parallel()
	testenv.Need(t, "jq", "jq") // the example reads the document with jq
	readme, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	const start = "#!/bin/sh\n# my-adapter LISTEN apply|reset"
	i := strings.Index(string(readme), start)
	if i < 0 {
		t.Fatal("README.md: the minimal adapter example is gone")
	}
	script, _, ok := strings.Cut(string(readme)[i:], "\n```")
	if !ok {
		t.Fatal("README.md: the minimal adapter example has no closing fence")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "my-adapter"), []byte(script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	port := brokerPort(t)
	if err := os.WriteFile(filepath.Join(dir, "my-broker.yaml"), []byte(fmt.Sprintf(
		"name: readme-adapter\nmqtt: {url: tcp://127.0.0.1:%d}\nconfigure: command\ncommand:\n  argv: [\"./my-adapter\", \"127.0.0.1:%d\"]\n  timeout: 60s\n", port, port)), 0o600); err != nil {
		t.Fatal(err)
	}
	reportDir := reportsDir(t)
	ctx, cancel := context.WithTimeout(context.Background(), e2eRunBound)
	defer cancel()
	cmd := exec.CommandContext(ctx, authspecBin, "conform", "--target", filepath.Join(dir, "my-broker.yaml"),
		"--ids", "JWT-HMAC-01,JWT-HMAC-02,CHAIN-01,JWT-PK-04", "--reports", reportDir)
	cmd.Env = append(os.Environ(), "AUTHSPEC="+authspecBin, "TMPDIR="+dir)
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	t.Logf("conform with the README's adapter: %v\n%s", err, lastLines(string(out), 6))
	s := summary(t, reportDir, "readme-adapter")
	logTable(t, s)
	for _, id := range []string{"JWT-HMAC-01", "JWT-HMAC-02"} {
		if s.IDs[id].Verdict != reports.VerdictPass {
			t.Errorf("%s: %s (%s), want pass", id, s.IDs[id].Verdict, s.IDs[id].Message)
		}
	}
	if r := s.IDs["CHAIN-01"]; r.Verdict != reports.VerdictNotApplicable || !strings.Contains(r.Message, "adapter: my-adapter applies one authenticator at most") {
		t.Errorf("CHAIN-01: %s %q, want not applicable with the adapter's reason", r.Verdict, r.Message)
	}
	if r := s.IDs["JWT-PK-04"]; r.Verdict != reports.VerdictPass {
		t.Errorf("JWT-PK-04: %s (%s), want pass: the broker's refusal is exit 4", r.Verdict, r.Message)
	}
	if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("my-adapter-%d", port))); !os.IsNotExist(err) {
		t.Errorf("reset left the adapter's state (%v)", err)
	}
}

// TestConformBadCommandProfiles: no argv, or an argv[0] that cannot run, is
// exit 2 naming the key and its line.
func TestConformBadCommandProfiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "not-executable"), []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := "name: bad\nmqtt: {url: tcp://127.0.0.1:1}\nconfigure: command\n"
	for name, tc := range map[string]struct{ text, want string }{
		"no-argv":        {base + "command:\n  timeout: 5s\n", "bad.yaml:4: command.argv: missing"},
		"not-executable": {base + "command:\n  argv: [./not-executable]\n", "bad.yaml:5: command.argv[0]: " + filepath.Join(dir, "not-executable") + " is not executable"},
		"missing":        {base + "command:\n  argv: [./no-such-adapter]\n", "bad.yaml:5: command.argv[0]: " + filepath.Join(dir, "no-such-adapter") + ": no such file"},
	} {
		path := filepath.Join(dir, "bad.yaml")
		if err := os.WriteFile(path, []byte(tc.text), 0o600); err != nil {
			t.Fatal(err)
		}
		r := runAuthspec(t, time.Minute, "conform", "--target", path, "--reports", t.TempDir())
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", name, r.code, r.stderr, tc.want)
		}
	}
}
