package apitarget

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/fixtures/silentpeer"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/reference"
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
	_, err := tg.Provision(context.Background(), target.Setup{Profile: target.Hardened})
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
