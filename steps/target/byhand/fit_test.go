package byhand

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/reference/config/security"
	"github.com/authspec/authspec/steps/target"
)

// hmacProfile is a by-hand broker like the shipped ejabberd profile.
const hmacProfile = `name: hand
mqtt: {url: "tcp://127.0.0.1:1"}
configure: by-hand
authentication:
  - mechanism: jwt
    from: password
    use_jwks: false
    algorithm: hmac-based
    secret: declared-secret
    verify_claims: {jid: "${username}@localhost"}
    disconnect_after_expire: false
`

func newTarget(t *testing.T, yaml string) *Target {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "p.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := profile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func chain(t *testing.T, js string) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

const hmacChain = `[{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based", "secret": "emqxsecret"}]`

func TestFitNotApplicableNamesTheDifference(t *testing.T) {
	tg := newTarget(t, hmacProfile)
	cases := []struct {
		name  string
		setup target.Setup
		want  string
	}{
		{"from", target.Setup{Authentication: chain(t, `[{"mechanism": "jwt", "from": "username", "use_jwks": false, "algorithm": "hmac-based", "secret": "x"}]`), IDs: []string{"JWT-SRC-02"}},
			"needs from: username; the broker declares from: password"},
		{"algorithm", target.Setup{Authentication: chain(t, `[{"mechanism": "jwt", "use_jwks": false, "algorithm": "public-key", "public_key": "<rsa public key>"}]`)},
			"needs algorithm: public-key; the broker declares algorithm: hmac-based"},
		{"jwks", target.Setup{Authentication: chain(t, `[{"mechanism": "jwt", "use_jwks": true, "endpoint": "<jwks endpoint>"}]`)},
			"needs use_jwks: true; the broker declares use_jwks: false"},
		{"base64", target.Setup{Authentication: chain(t, `[{"mechanism": "jwt", "algorithm": "hmac-based", "secret": "YWJjZGVm", "secret_base64_encoded": true}]`)},
			"needs secret_base64_encoded: true; the broker declares secret_base64_encoded: false (the default)"},
		{"observed default", target.Setup{Authentication: chain(t, hmacChain), IDs: []string{"JWT-EXP-01"}},
			"needs disconnect_after_expire: true (the default); the broker declares disconnect_after_expire: false"},
		{"set explicitly", target.Setup{Authentication: chain(t, `[{"mechanism": "jwt", "algorithm": "hmac-based", "secret": "x", "disconnect_after_expire": true}]`), IDs: []string{"JWT-HMAC-01"}},
			"needs disconnect_after_expire: true; the broker declares disconnect_after_expire: false"},
		{"no authenticator", target.Setup{Authentication: []map[string]any{}},
			"needs no authenticator; the broker declares [jwt]"},
		{"another chain", target.Setup{Authentication: chain(t, `[{"mechanism": "jwt", "algorithm": "hmac-based", "secret": "x"}, {"mechanism": "password_based", "backend": "built_in_database"}]`)},
			"needs the chain [jwt, password_based:built_in_database]; the broker declares [jwt]"},
		{"exact secret", target.Setup{Authentication: chain(t, hmacChain), ExactConfig: true},
			`needs the secret "emqxsecret" exactly`},
		{"hardened", target.Setup{Authentication: chain(t, hmacChain), Profile: security.Hardened},
			"needs the hardened security profile; the broker runs legacy"},
		{"authorization", target.Setup{Authentication: chain(t, hmacChain), Authorization: map[string]any{"no_match": "deny"}},
			`configures authorization {"no_match":"deny"}; the profile declares none`},
		{"users", target.Setup{Authentication: chain(t, hmacChain), Users: []target.User{{UserID: "u", Password: "p"}}},
			"adds users to the built-in database"},
		{"aud", target.Setup{Authentication: chain(t, `[{"mechanism": "jwt", "algorithm": "hmac-based", "secret": "x", "verify_claims": {"aud": "mqtt-broker"}}]`)},
			"needs verify_claims {aud: mqtt-broker}; the broker declares {jid: ${username}@localhost}"},
		{"claims past exact", target.Setup{Authentication: chain(t, `[{"mechanism": "jwt", "algorithm": "hmac-based", "secret": "declared-secret", "verify_claims": {"k": "v"}}]`), ExactConfig: true},
			"needs verify_claims {k: v} exactly; the broker declares {jid: ${username}@localhost}"},
		{"a placeholder the declared claim has not", target.Setup{Authentication: chain(t, `[{"mechanism": "jwt", "algorithm": "hmac-based", "secret": "x", "verify_claims": {"bound": "${clientid}"}}]`)},
			`needs verify_claims {bound: ${clientid}}; the broker declares {jid: ${username}@localhost}, and the scenario binds its claim to ${clientid}, which "${username}@localhost" does not hold`},
		{"an unknown placeholder", target.Setup{Authentication: chain(t, `[{"mechanism": "jwt", "algorithm": "hmac-based", "secret": "x", "verify_claims": {"k": "${foo}"}}]`)},
			`needs verify_claims {k: ${foo}}; the broker declares {jid: ${username}@localhost}, and the scenario observes the placeholder ${foo} itself, which no other template shows`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := tg.Provision(context.Background(), c.setup)
			reason, ok := target.AsNotApplicable(err)
			if !ok {
				t.Fatalf("want not applicable, got %v", err)
			}
			if !strings.Contains(reason, c.want) {
				t.Errorf("reason %q\nwant it to contain %q", reason, c.want)
			}
		})
	}
}

func TestFitAdaptsToTheDeclaredValues(t *testing.T) {
	tg := newTarget(t, hmacProfile)
	// A scenario that neither sets nor observes disconnect_after_expire,
	// with another secret: it runs with the declared configuration, and
	// the declared claim is kept.
	applied, err := tg.fit(target.Setup{Authentication: chain(t, hmacChain), IDs: []string{"JWT-HMAC-01"}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := applied[0].Config
	if cfg["secret"] != "declared-secret" || cfg["disconnect_after_expire"] != false {
		t.Errorf("applied %v, want the declared configuration", cfg)
	}
	if !slices.Equal(applied[0].KeptClaims, []string{"jid"}) {
		t.Errorf("kept claims %v, want [jid]", applied[0].KeptClaims)
	}
}

func TestFitStandsInForTheScenarioClaims(t *testing.T) {
	tg := newTarget(t, hmacProfile)
	applied, err := tg.fit(target.Setup{Authentication: chain(t,
		`[{"mechanism": "jwt", "algorithm": "hmac-based", "secret": "x", "verify_claims": {"bound": "${username}", "tenant": "acme"}}]`)})
	if err != nil {
		t.Fatal(err)
	}
	got := applied[0].ClaimStandIns
	want := map[string]target.ClaimStandIn{
		"bound":  {Declared: "jid", Template: "${username}", DeclaredTemplate: "${username}@localhost"},
		"tenant": {Declared: "jid", Template: "acme", DeclaredTemplate: "${username}@localhost"},
	}
	if len(got) != len(want) || got["bound"] != want["bound"] || got["tenant"] != want["tenant"] {
		t.Errorf("stand-ins %v, want %v", got, want)
	}
	if len(applied[0].KeptClaims) != 0 {
		t.Errorf("kept %v, want none (jid stands in)", applied[0].KeptClaims)
	}
}

// The audience follows the declared one: aud stands in for aud, and for
// nothing else.
func TestFitAudienceFollowsTheDeclaredOne(t *testing.T) {
	tg := newTarget(t, strings.Replace(hmacProfile, `{jid: "${username}@localhost"}`, `{aud: "my-broker", jid: "${username}@localhost"}`, 1))
	applied, err := tg.fit(target.Setup{Authentication: chain(t,
		`[{"mechanism": "jwt", "algorithm": "hmac-based", "secret": "x", "verify_claims": {"aud": "mqtt-broker", "tenant": "acme"}}]`)})
	if err != nil {
		t.Fatal(err)
	}
	got := applied[0].ClaimStandIns
	if got["aud"] != (target.ClaimStandIn{Declared: "aud", Template: "mqtt-broker", DeclaredTemplate: "my-broker"}) || got["tenant"].Declared != "jid" {
		t.Errorf("stand-ins %v, want aud for aud and jid for tenant", got)
	}
	_, err = tg.fit(target.Setup{Authentication: chain(t,
		`[{"mechanism": "jwt", "algorithm": "hmac-based", "secret": "x", "verify_claims": {"aud": "broker-${clientid}"}}]`)})
	if reason, _ := target.AsNotApplicable(err); !strings.Contains(reason, `binds its claim to ${clientid}, which "my-broker" does not hold`) {
		t.Errorf("an aud template against a literal audience: %v", err)
	}
}

func TestFitObservedByLeavesOtherScenariosAlone(t *testing.T) {
	for _, c := range []struct {
		ids  []string
		want bool
	}{
		{[]string{"JWT-EXP-01"}, true}, {[]string{"JWT-ACL-08"}, true}, {[]string{"JWT-ACL-09"}, false},
		{[]string{"JWT-HMAC-01"}, false}, {nil, false},
	} {
		if got := observes("jwt", "disconnect_after_expire", c.ids, nil); got != c.want {
			t.Errorf("observes(disconnect_after_expire, %v) = %t, want %t", c.ids, got, c.want)
		}
	}
	// Under A1 exp-required no connection outlives a token without exp.
	if observes("jwt", "disconnect_after_expire", []string{"JWT-CLAIM-04"}, map[string]string{"A1": "exp-required"}) {
		t.Error("JWT-CLAIM-04 under A1 exp-required observes disconnect_after_expire")
	}
	if !observes("jwt", "disconnect_after_expire", []string{"JWT-CLAIM-04"}, map[string]string{"A1": "exp-optional"}) {
		t.Error("JWT-CLAIM-04 under A1 exp-optional does not observe disconnect_after_expire")
	}
	if !observes("scram:http", "headers", nil, nil) {
		t.Error("a SCRAM authenticator's headers are always observed")
	}
}

func TestFitPublicKeyKindAndForm(t *testing.T) {
	key, err := tokens.NewKey(tokens.RSA)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "k.pem")
	if err := os.WriteFile(keyFile, []byte(key.PrivatePEM()), 0o600); err != nil {
		t.Fatal(err)
	}
	yaml := `name: pk
mqtt: {url: "tcp://127.0.0.1:1"}
configure: by-hand
authentication:
  - mechanism: jwt
    algorithm: public-key
    public_key: |
` + indent(key.PublicPEM(), "      ") + `    private_key_file: ` + keyFile + "\n"
	tg := newTarget(t, yaml)
	pk := func(placeholder string) target.Setup {
		return target.Setup{Authentication: chain(t, `[{"mechanism": "jwt", "algorithm": "public-key", "public_key": "`+placeholder+`"}]`)}
	}
	applied, err := tg.fit(pk("<rsa public key>"))
	if err != nil {
		t.Fatal(err)
	}
	if applied[0].PrivateKey == nil || applied[0].PrivateKey.PublicPEM() != key.PublicPEM() {
		t.Error("the applied authenticator does not sign with private_key_file")
	}
	// A scenario that needs some public key takes the declared one's kind.
	if applied, err := tg.fit(pk("<any public key>")); err != nil || applied[0].PrivateKey.Kind != tokens.RSA {
		t.Errorf("<any public key> against an RSA key: %v", err)
	}
	for placeholder, want := range map[string]string{
		"<ec-p256 public key>":  "needs an ec-p256 public key; the broker declares an rsa key",
		"<rsa public key file>": "needs public_key as a file path; the broker declares the PEM text",
	} {
		_, err := tg.fit(pk(placeholder))
		if reason, _ := target.AsNotApplicable(err); !strings.Contains(reason, want) {
			t.Errorf("%s: got %v, want %q", placeholder, err, want)
		}
	}
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestNewRefusesProfilesTheSuiteCannotServe(t *testing.T) {
	other, err := tokens.NewKey(tokens.RSA)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := tokens.NewKey(tokens.RSA)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "k.pem")
	if err := os.WriteFile(keyFile, []byte(other.PrivatePEM()), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct{ yaml, want string }{
		"key mismatch": {`name: pk
mqtt: {url: "tcp://127.0.0.1:1"}
configure: by-hand
authentication:
  - mechanism: jwt
    algorithm: public-key
    public_key: |
` + indent(mine.PublicPEM(), "      ") + `    private_key_file: ` + keyFile + "\n",
			"is not the private key of public_key"},
		"jwks elsewhere": {`name: j
mqtt: {url: "tcp://127.0.0.1:1"}
configure: by-hand
authentication:
  - {mechanism: jwt, use_jwks: true, endpoint: "http://127.0.0.1:9999/jwks"}
`, "is not where the suite serves its fixture: serve.jwks_listen is 127.0.0.1:18080"},
		"scram elsewhere": {`name: s
mqtt: {url: "tcp://127.0.0.1:1"}
configure: by-hand
serve: {scram_backend_listen: "127.0.0.1:18091"}
authentication:
  - {mechanism: scram, backend: http, method: get, url: "http://127.0.0.1:18090/auth"}
`, "serve.scram_backend_listen is 127.0.0.1:18091"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p.yaml")
			if err := os.WriteFile(path, []byte(c.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			p, err := profile.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = New(p)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("New: %v, want an error containing %q", err, c.want)
			}
			if !strings.Contains(err.Error(), "p.yaml:") {
				t.Errorf("%v does not name the profile's file and line", err)
			}
		})
	}
}

func TestFixtureAddressesOnlyWhenTheBrokerCallsThem(t *testing.T) {
	tg := newTarget(t, hmacProfile)
	if tg.JWKSListen() != "" || tg.ScramBackendListen() != "" {
		t.Errorf("an HMAC broker calls no fixture, got %q %q", tg.JWKSListen(), tg.ScramBackendListen())
	}
	jwks := newTarget(t, `name: j
mqtt: {url: "tcp://127.0.0.1:1"}
configure: by-hand
serve: {jwks_listen: "127.0.0.1:18081"}
authentication:
  - {mechanism: jwt, use_jwks: true, endpoint: "http://localhost:18081/keys", refresh_interval: 60}
`)
	if jwks.JWKSListen() != "127.0.0.1:18081" {
		t.Errorf("JWKSListen %q, want serve.jwks_listen", jwks.JWKSListen())
	}
	s := target.Setup{Authentication: chain(t, `[{"mechanism": "jwt", "use_jwks": true, "endpoint": "<jwks endpoint>", "refresh_interval": 1}]`), IDs: []string{"JWT-JWKS-02"}}
	if _, err := jwks.fit(s); err == nil || !strings.Contains(err.Error(), "needs refresh_interval: 1; the broker declares refresh_interval: 60") {
		t.Errorf("got %v", err)
	}
	s.Authentication = chain(t, `[{"mechanism": "jwt", "use_jwks": true, "endpoint": "<jwks endpoint>"}]`)
	s.IDs = []string{"JWT-VC-01"}
	if _, err := jwks.fit(s); err != nil {
		t.Errorf("a scenario that does not observe the refresh interval: %v", err)
	}
}
