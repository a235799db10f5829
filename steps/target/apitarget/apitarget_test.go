package apitarget

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/fixtures/silentpeer"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/reference"
	"github.com/authspec/authspec/reference/config/security"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target"
	"github.com/authspec/authspec/steps/target/emqxapi"
)

// startReference runs the reference with its management API, as
// `authspec serve` does, with config as its starting chain.
func startReference(t *testing.T, config string) *reference.Broker {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := reference.Start(ctx, reference.WithMQTTListen("127.0.0.1:0"), reference.WithAPIListen("127.0.0.1:0"),
		reference.WithConfig([]byte(config)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func newTarget(t *testing.T, b *reference.Broker, log *bytes.Buffer, extra string) *Target {
	t.Helper()
	key, secret := b.APIKey()
	yaml := "name: api\nmqtt: {url: \"tcp://" + b.MQTTAddr() + "\"}\nconfigure: emqx-api\n" +
		"api: {url: \"" + b.APIURL() + "\", key: " + key + ", secret: " + secret + "}\n" + extra
	p, err := profile.Parse([]byte(yaml), "")
	if err != nil {
		t.Fatal(err)
	}
	tg, err := New(p, WithLog(log))
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func apiOf(b *reference.Broker) *emqxapi.Client {
	key, secret := b.APIKey()
	return &emqxapi.Client{Base: b.APIURL(), Key: key, Secret: secret}
}

func jsonChain(t *testing.T, js string) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func canonical(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A baseline with nothing the API redacts is put back exactly.
const baseline = `{"authentication": [{"mechanism": "password_based", "backend": "built_in_database", "user_id_type": "clientid"}],
  "authorization": {"no_match": "deny", "deny_action": "disconnect", "cache": {"enable": true}, "sources": []}}`

func TestProvisionReplacesAndRestores(t *testing.T) {
	b := startReference(t, baseline)
	var log bytes.Buffer
	tg := newTarget(t, b, &log, "")
	api := apiOf(b)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	beforeChain, err := api.Authenticators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	beforeAuthz, err := api.GetSettings(ctx, emqxapi.AuthorizationSettingsPath)
	if err != nil {
		t.Fatal(err)
	}

	inst, err := tg.Provision(ctx, target.Setup{
		Keys: tokens.NewKeyring(),
		Authentication: jsonChain(t, `[{"mechanism": "jwt", "algorithm": "public-key", "public_key": "<ec-p256 public key>"},
			{"mechanism": "password_based", "backend": "built_in_database"}]`),
		Users:                 []target.User{{UserID: "alice", Password: "pw"}},
		Authorization:         map[string]any{"no_match": "allow", "cache": map[string]any{"enable": false}, "sources": []any{}},
		IgnoreBackendFailures: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := api.AuthenticatorIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "jwt,password_based:built_in_database" {
		t.Errorf("during the scenario the chain is %v", ids)
	}
	applied := inst.Authenticators()
	if applied[0].PrivateKey == nil || !strings.HasPrefix(applied[0].Config["public_key"].(string), "-----BEGIN") {
		t.Errorf("the placeholder was not resolved to a key the suite signs with: %v", applied[0].Config)
	}
	authz, err := api.GetSettings(ctx, emqxapi.AuthorizationSettingsPath)
	if err != nil {
		t.Fatal(err)
	}
	if authz["no_match"] != "allow" {
		t.Errorf("during the scenario authorization is %v", authz)
	}
	authn, err := api.GetSettings(ctx, emqxapi.AuthenticationSettingsPath)
	if err != nil {
		t.Fatal(err)
	}
	if authn["ignore_backend_failures"] != true {
		t.Errorf("during the scenario authentication settings are %v", authn)
	}
	if _, ok := inst.(target.ClientInspector); !ok {
		t.Error("an API instance shows clients")
	}
	if _, ok := inst.(target.AuthenticatorAdmin); !ok {
		t.Error("an API instance changes its chain at run time")
	}

	if err := inst.Close(); err != nil {
		t.Fatal(err)
	}
	afterChain, err := api.Authenticators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := canonical(t, afterChain), canonical(t, beforeChain); got != want {
		t.Errorf("chain after the scenario\n%s\nwant\n%s", got, want)
	}
	afterAuthz, err := api.GetSettings(ctx, emqxapi.AuthorizationSettingsPath)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := canonical(t, afterAuthz), canonical(t, beforeAuthz); got != want {
		t.Errorf("authorization after the scenario %s, want %s", got, want)
	}
	authn, err = api.GetSettings(ctx, emqxapi.AuthenticationSettingsPath)
	if err != nil {
		t.Fatal(err)
	}
	if authn["ignore_backend_failures"] != false {
		t.Errorf("authentication settings after the scenario: %v", authn)
	}
	if log.Len() != 0 {
		t.Errorf("nothing was redacted, yet: %s", log.String())
	}
}

func TestRedactedValuesAreReportedOnce(t *testing.T) {
	b := startReference(t, reference.CloudDefaultConfig)
	var log bytes.Buffer
	tg := newTarget(t, b, &log, "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for range 2 {
		inst, err := tg.Provision(ctx, target.Setup{Keys: tokens.NewKeyring(), Authentication: []map[string]any{}})
		if err != nil {
			t.Fatal(err)
		}
		if err := inst.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(log.String(), emqxapi.Redacted); n != 1 {
		t.Errorf("warning said %d times, want once:\n%s", n, log.String())
	}
	chain, err := apiOf(b).Authenticators(ctx)
	if err != nil || len(chain) != 1 || chain[0]["id"] != "jwt" {
		t.Errorf("chain after the run: %v, %v; want the jwt authenticator back", chain, err)
	}
}

func TestSecurityProfileIsFixed(t *testing.T) {
	b := startReference(t, "[]")
	tg := newTarget(t, b, &bytes.Buffer{}, "security_profile: legacy\n")
	_, err := tg.Provision(context.Background(), target.Setup{Profile: security.Hardened})
	if reason, ok := target.AsNotApplicable(err); !ok || !strings.Contains(reason, "needs the hardened security profile; the broker runs legacy") {
		t.Errorf("got %v", err)
	}
}

func TestClaimsDecideBeforeTheBroker(t *testing.T) {
	b := startReference(t, "[]")
	tg := newTarget(t, b, &bytes.Buffer{}, "claims: [JWT-HMAC]\n")
	b.Close() // an unclaimed scenario never asks the broker
	_, err := tg.Provision(context.Background(), target.Setup{IDs: []string{"SCRAM-01"}})
	if reason, ok := target.AsNotApplicable(err); !ok || reason != "the profile does not claim SCRAM-01" {
		t.Errorf("got %v", err)
	}
}

func TestAPIThatStopsAnswering(t *testing.T) {
	b := startReference(t, "[]")
	var log bytes.Buffer
	tg := newTarget(t, b, &log, "")
	// A management API that accepts connections and never answers.
	silent, err := silentpeer.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	tg.api.Base = "http://" + silent.Addr()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err = tg.Provision(ctx, target.Setup{Authentication: []map[string]any{}})
	if !reports.IsUnreachable(err) || time.Since(started) > 3*time.Second {
		t.Fatalf("got %v after %s, want unreachable within the step's bound", err, time.Since(started))
	}
	started = time.Now()
	if _, err := tg.Provision(context.Background(), target.Setup{}); !reports.IsUnreachable(err) || time.Since(started) > 100*time.Millisecond {
		t.Errorf("next scenario: %v after %s, want unreachable at once", err, time.Since(started))
	}
}

func sourcesOf(t *testing.T, ctx context.Context, api *emqxapi.Client) string {
	t.Helper()
	list, err := api.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return canonical(t, list)
}

// The scenario's sources go through /authorization/sources: the broker's
// own are disabled or replaced in place, new ones added, the scenario's
// order kept; afterwards every source is back as it was, in its place.
func TestSourcesReplacedAndRestored(t *testing.T) {
	b := startReference(t, `{"authentication": [],
	  "authorization": {"no_match": "allow", "sources": [{"type": "file", "enable": true, "rules": "{allow, all}."}]}}`)
	var log bytes.Buffer
	tg := newTarget(t, b, &log, "")
	api := apiOf(b)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// A second source of the broker's own, after the file one.
	if err := api.CreateSource(ctx, map[string]any{"type": "built_in_database", "enable": true}); err != nil {
		t.Fatal(err)
	}
	if err := api.MoveSource(ctx, "built_in_database", "rear"); err != nil {
		t.Fatal(err)
	}
	before := sourcesOf(t, ctx, api)
	beforeAuthz, err := api.GetSettings(ctx, emqxapi.AuthorizationSettingsPath)
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, sources, during string
	}{
		{"none", `[]`,
			`[{"enable":false,"rules":"{allow, all}.","type":"file"},{"enable":false,"type":"built_in_database"}]`},
		{"one replaced in place", `[{"type": "file", "enable": true, "rules": "{deny, all}."}]`,
			`[{"enable":true,"rules":"{deny, all}.","type":"file"},{"enable":false,"type":"built_in_database"}]`},
		{"in the other order", `[{"type": "built_in_database", "enable": true}, {"type": "file", "enable": true, "rules": "{deny, all}."}]`,
			`[{"enable":true,"type":"built_in_database"},{"enable":true,"rules":"{deny, all}.","type":"file"}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sources []any
			if err := json.Unmarshal([]byte(tc.sources), &sources); err != nil {
				t.Fatal(err)
			}
			inst, err := tg.Provision(ctx, target.Setup{Keys: tokens.NewKeyring(), Authentication: []map[string]any{},
				Authorization: map[string]any{"no_match": "deny", "sources": sources}})
			if err != nil {
				t.Fatal(err)
			}
			if got := sourcesOf(t, ctx, api); got != tc.during {
				t.Errorf("during the scenario the sources are\n%s\nwant\n%s", got, tc.during)
			}
			authz, err := api.GetSettings(ctx, emqxapi.AuthorizationSettingsPath)
			if err != nil || authz["no_match"] != "deny" || authz["sources"] != nil {
				t.Errorf("during the scenario the settings are %v (%v)", authz, err)
			}
			if err := inst.Close(); err != nil {
				t.Fatal(err)
			}
			if got := sourcesOf(t, ctx, api); got != before {
				t.Errorf("after the scenario the sources are\n%s\nwant\n%s", got, before)
			}
			after, err := api.GetSettings(ctx, emqxapi.AuthorizationSettingsPath)
			if err != nil || canonical(t, after) != canonical(t, beforeAuthz) {
				t.Errorf("after the scenario the settings are %v (%v), want %v", after, err, beforeAuthz)
			}
		})
	}
	if log.Len() != 0 {
		t.Errorf("nothing was redacted, yet: %s", log.String())
	}
}

// A source the broker does not have is added, and deleted afterwards.
func TestSourceAddedAndRemoved(t *testing.T) {
	b := startReference(t, `[]`)
	tg := newTarget(t, b, &bytes.Buffer{}, "")
	api := apiOf(b)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	inst, err := tg.Provision(ctx, target.Setup{Keys: tokens.NewKeyring(), Authentication: []map[string]any{},
		Authorization: map[string]any{"no_match": "deny", "sources": []any{
			map[string]any{"type": "file", "enable": true, "rules": "{allow, all, publish, [\"src/#\"]}."},
			map[string]any{"type": "built_in_database", "enable": true},
		}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sourcesOf(t, ctx, api), `[{"enable":true,"rules":"{allow, all, publish, [\"src/#\"]}.","type":"file"},{"enable":true,"type":"built_in_database"}]`; got != want {
		t.Errorf("during the scenario the sources are\n%s\nwant\n%s", got, want)
	}
	if err := inst.Close(); err != nil {
		t.Fatal(err)
	}
	if got := sourcesOf(t, ctx, api); got != `[]` {
		t.Errorf("after the scenario the sources are %s", got)
	}
	// A source the broker refuses is the scenario's error, and nothing of
	// it stays.
	_, err = tg.Provision(ctx, target.Setup{Keys: tokens.NewKeyring(), Authentication: []map[string]any{},
		Authorization: map[string]any{"sources": []any{map[string]any{"type": "file", "rules": "{allow, all"}}}})
	var refused *target.ConfigRefusedError
	if !errors.As(err, &refused) {
		t.Fatalf("got %v, want the broker's refusal", err)
	}
	if got := sourcesOf(t, ctx, api); got != `[]` {
		t.Errorf("after a refused scenario the sources are %s", got)
	}
}

// A 5.8 broker has no /authentication/settings: the target never asks it
// for them, and a scenario needing ignore_backend_failures is not
// applicable. Every request goes through a front that says it is 5.8.6.
func TestEMQX58HasNoAuthenticationSettings(t *testing.T) {
	b := startReference(t, `[]`)
	upstream, err := url.Parse(b.APIURL())
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(upstream)
	var mu sync.Mutex
	var seen []string
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path)
		mu.Unlock()
		if r.URL.Path == "/api/v5/status" {
			_, _ = io.WriteString(w, `{"node_name":"emqx@127.0.0.1","rel_vsn":"v5.8.6","broker_status":"started","app_status":"running"}`)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()
	tg := newTarget(t, b, &bytes.Buffer{}, "")
	tg.api.Base = front.URL
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	inst, err := tg.Provision(ctx, target.Setup{Keys: tokens.NewKeyring(), Authentication: []map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := inst.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = tg.Provision(ctx, target.Setup{Keys: tokens.NewKeyring(), Authentication: []map[string]any{}, IgnoreBackendFailures: true})
	if reason, ok := target.AsNotApplicable(err); !ok || !strings.Contains(reason, "EMQX v5.8.6 has no such setting") {
		t.Errorf("got %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, s := range seen {
		if strings.Contains(s, "/authentication/settings") {
			t.Errorf("asked a 5.8 broker %s", s)
		}
	}
	if n := slices.Index(seen, "GET /api/v5/status"); n < 0 || slices.Index(seen[n+1:], "GET /api/v5/status") >= 0 {
		t.Errorf("the release should be asked once: %v", seen)
	}
}
