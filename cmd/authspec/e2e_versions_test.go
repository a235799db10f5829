package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/authspec/authspec/reports"
)

// TestConformA311OnlyTarget judges `authspec serve` (EMQX Cloud's default
// configuration: the token in the password, HMAC secret emqxsecret) twice
// through by-hand profiles: once declared to speak both versions, once
// restricted to MQTT 3.1.1. The 3.1.1-only run must judge every ID the
// first run judged with a protocol-independent scenario, on 3.1.1 with
// 3.1.1 return codes, and find the same verdicts.
func TestConformA311OnlyTarget(t *testing.T) {
	t.Parallel()
	mqttPort := freePort(t)
	startServeProcess(t, "--listen", fmt.Sprintf("127.0.0.1:%d", mqttPort), "--api-listen", "", "--log-level", "warn")
	profileText := func(name, versions string) string {
		return fmt.Sprintf(`name: %s
mqtt: {url: "tcp://127.0.0.1:%d", versions: %s}
configure: by-hand
authentication:
  - {mechanism: jwt, from: password, algorithm: hmac-based, secret: emqxsecret}
`, name, mqttPort, versions)
	}
	dir := reportsDir(t)
	both := runAuthspec(t, e2eRunBound, "conform", "--target", writeProfile(t, "both.yaml", profileText("serve-both", `["5", "3.1.1"]`)), "--reports", dir)
	only := runAuthspec(t, e2eRunBound, "conform", "--target", writeProfile(t, "v311.yaml", profileText("serve-3.1.1-only", `["3.1.1"]`)), "--reports", dir)
	if both.code != reports.ExitConformant || only.code != reports.ExitConformant {
		t.Fatalf("exit %d (both) and %d (3.1.1 only), want 0 and 0", both.code, only.code)
	}
	sBoth, sOnly := summary(t, dir, "serve-both"), summary(t, dir, "serve-3.1.1-only")
	logTable(t, sBoth)
	logTable(t, sOnly)

	independent := anyVersionPassed(t, filepath.Join(dir, "serve-both", "cucumber.json"))
	var missing []string
	for _, id := range independent {
		if v := sOnly.IDs[id].Verdict; v != reports.VerdictPass {
			missing = append(missing, fmt.Sprintf("%s (%s: %s)", id, v, sOnly.IDs[id].Message))
		}
	}
	if len(missing) > 0 {
		t.Errorf("protocol-independent IDs the 3.1.1-only target is not judged on:\n%s", strings.Join(missing, "\n"))
	}
	if len(independent) < 15 {
		t.Errorf("only %d IDs judged by protocol-independent scenarios: %v", len(independent), independent)
	}
	for _, id := range []string{"JWT-SRC-07", "JWT-HMAC-01", "JWT-HMAC-06", "JWT-HMAC-08", "JWT-CLAIM-03", "JWT-CLAIM-06"} {
		if r := sOnly.IDs[id]; r.Verdict != reports.VerdictPass || !strings.HasPrefix(r.Observed, "rc ") {
			t.Errorf("%s on the 3.1.1-only target: %s, observed %q; want pass with a 3.1.1 return code", id, r.Verdict, r.Observed)
		}
	}
	// JWT-SRC-04 is about both versions: its MQTT 5 rows are not
	// applicable, its 3.1.1 rows judge it.
	if r := sOnly.IDs["JWT-SRC-04"]; r.Verdict != reports.VerdictPass || !strings.HasPrefix(r.Observed, "rc ") {
		t.Errorf("JWT-SRC-04: %s, observed %q; want pass on its 3.1.1 rows", r.Verdict, r.Observed)
	}
	if n := sOnly.Totals.Pass; n < sBoth.Totals.Pass-3 {
		t.Errorf("the 3.1.1-only target passes %d IDs, the same broker on both versions %d", n, sBoth.Totals.Pass)
	}
}

// anyVersionPassed lists the IDs a run judged pass with a scenario tagged
// @any-version.
func anyVersionPassed(t *testing.T, cucumberPath string) []string {
	t.Helper()
	data, err := os.ReadFile(cucumberPath)
	if err != nil {
		t.Fatal(err)
	}
	var features []struct {
		Elements []struct {
			Tags []struct {
				Name string `json:"name"`
			} `json:"tags"`
			Steps []struct {
				Result struct {
					Status string `json:"status"`
				} `json:"result"`
			} `json:"steps"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(data, &features); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range features {
		for _, e := range f.Elements {
			var tags []string
			for _, tg := range e.Tags {
				tags = append(tags, tg.Name)
			}
			passed := len(e.Steps) > 0
			for _, st := range e.Steps {
				passed = passed && st.Result.Status == "passed"
			}
			if !passed || !slices.Contains(tags, "@any-version") {
				continue
			}
			for _, tg := range tags {
				if reports.IsCatalogueID(strings.TrimPrefix(tg, "@")) {
					seen[strings.TrimPrefix(tg, "@")] = true
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
