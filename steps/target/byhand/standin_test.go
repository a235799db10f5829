package byhand

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/reference"
	"github.com/authspec/authspec/reference/faults"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/runner"
)

// Stand-ins must not make passes vacuous. The reference, configured by
// hand with claims of its own, is judged on the verify_claims scenarios:
// every scenario that runs with a stand-in and passes must still be turned
// red by a fault of the reference that breaks its behaviour, as on the
// in-process reference; a scenario no fault can fail under the stand-in
// would be a pass that proves nothing, and must be not applicable instead.

// standInConfigs are verify_claims a broker configured by hand may check.
var standInConfigs = map[string]string{
	"jid":      `{"jid": "${username}@localhost"}`,      // ejabberd's binding of the user
	"combined": `{"sub": "${username}-${clientid}"}`,    // the example
	"audience": `{"aud": "my-broker", "tenant": "t-1"}`, // an audience of its own
	"numeric":  `{"uid": "4711", "who": "${clientid}"}`, // a value that is a number's text
}

// behaviourFaults are faults that break one specific aspect, by the step
// that shows it: when such a row runs under a stand-in it must still see
// its fault (a blunter fault, such as ignoring verify_claims altogether,
// would turn it red even where the stand-in lost the aspect).
var behaviourFaults = map[string]string{
	`the token's "uid" claim is 123`:       "verify-claims-scalar-text",      // JWT-VC-07
	`the token's "uid" claim is true`:      "verify-claims-scalar-text",      // JWT-VC-07
	`the token's "tenant" claim is "ACME"`: "verify-claims-case-insensitive", // JWT-VC-01
}

func TestStandInsCanStillFail(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the verify_claims scenarios once per fault")
	}
	var vcFaults []string
	for _, d := range faults.All() {
		if slices.ContainsFunc(d.IDs, func(id string) bool { return strings.HasPrefix(id, "JWT-VC-") }) {
			vcFaults = append(vcFaults, string(d.Name))
		}
	}
	for name, claims := range standInConfigs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			clean := byHandRun(t, claims, nil)
			passed := map[string]bool{} // refusals: where a vacuous pass would hide
			specific := map[string]string{}
			for _, sc := range clean.Scenarios {
				if sc.Verdict == reports.VerdictFail || sc.Verdict == reports.VerdictError {
					t.Errorf("clean reference: %s: %s %s", sc.Name, sc.Verdict, sc.Message)
				}
				if sc.Verdict == reports.VerdictPass && refuses(sc) {
					key := sc.Name + " @" + fmt.Sprint(sc.Line)
					passed[key] = true
					for _, st := range sc.Steps {
						for text, f := range behaviourFaults {
							if strings.Contains(st.Text, text) {
								specific[key] = f
							}
						}
					}
				}
			}
			if len(passed) == 0 {
				t.Fatal("no scenario ran with the stand-in")
			}
			redBy := map[string][]string{}
			var mu sync.Mutex
			var wg sync.WaitGroup
			for _, f := range vcFaults {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s := byHandRun(t, claims, []string{f})
					mu.Lock()
					defer mu.Unlock()
					for _, sc := range s.Scenarios {
						if sc.Verdict == reports.VerdictFail {
							key := sc.Name + " @" + fmt.Sprint(sc.Line)
							redBy[key] = append(redBy[key], f)
						}
					}
				}()
			}
			wg.Wait()
			var vacuous []string
			for sc := range passed {
				if len(redBy[sc]) == 0 {
					vacuous = append(vacuous, sc)
				}
				if f := specific[sc]; f != "" && !slices.Contains(redBy[sc], f) {
					t.Errorf("%q runs with the stand-in %s but %s does not turn it red: its pass would not show the behaviour", sc, claims, f)
				}
			}
			sort.Strings(vacuous)
			for _, sc := range vacuous {
				t.Errorf("%q passes with the stand-in %s under every fault of its behaviour", sc, claims)
			}
			t.Logf("%s: %d refusals ran with the stand-in and passed, each turned red by a fault", claims, len(passed))
		})
	}
}

// refuses: the scenario expects a refusal (a pass that could be vacuous).
func refuses(sc reports.Scenario) bool {
	for _, st := range sc.Steps {
		if strings.Contains(st.Text, "the connection is refused") {
			return true
		}
	}
	return false
}

// byHandRun judges the JWT-VC scenarios on the reference configured with
// an HMAC JWT authenticator checking claims, declared as such by hand.
func byHandRun(t *testing.T, claims string, faultNames []string) *reports.Summary {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	config := fmt.Sprintf(`[{"mechanism": "jwt", "from": "password", "algorithm": "hmac-based", "secret": "hand-secret", "verify_claims": %s}]`, claims)
	b, err := reference.Start(ctx, reference.WithMQTTListen("127.0.0.1:0"), reference.WithAPIListen(""),
		reference.WithConfig([]byte(config)), reference.WithFault(faultNames...))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p, err := profile.Parse([]byte(fmt.Sprintf("name: stand-in\nmqtt: {url: \"tcp://%s\"}\nconfigure: by-hand\nauthentication:\n  - {mechanism: jwt, from: password, algorithm: hmac-based, secret: hand-secret, verify_claims: %s}\n",
		b.MQTTAddr(), claims)), "")
	if err != nil {
		t.Fatal(err)
	}
	tg, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	res, err := runner.Run(ctx, runner.Options{Target: tg, IDs: []string{"JWT-VC"}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Summary
}
