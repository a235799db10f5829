package adaptertarget

import (
	"encoding/json"
	"testing"

	"github.com/authspec/authspec/reference/config/security"
	"github.com/authspec/authspec/steps/target"
)

func TestKeyGroupsIdenticalConfigurations(t *testing.T) {
	chain := func() []map[string]any {
		return []map[string]any{{"mechanism": "jwt", "from": "password", "public_key": "<rsa public key>"}}
	}
	a := target.Setup{Authentication: chain(), Scenario: "1"}
	b := target.Setup{Authentication: chain(), Scenario: "2", Profile: security.Legacy}
	if Key(a) != Key(b) {
		t.Errorf("expected one key for one configuration (placeholders unresolved, legacy by default):\n%s\n%s", Key(a), Key(b))
	}
	b.Exclusive = true
	if Key(a) != Key(b) {
		t.Error("expected an exclusive scenario to share its configuration's apply")
	}
	for name, s := range map[string]target.Setup{
		"own JWKS endpoint":        {Authentication: chain(), Scenario: "3", JWKS: target.JWKSEndpoint{URL: "http://127.0.0.1:1/"}},
		"own SCRAM backend":        {Authentication: chain(), Scenario: "4", ScramBackendURL: "http://127.0.0.1:2"},
		"creates an authenticator": {Authentication: chain(), Scenario: "5", Alone: true},
		"another profile":          {Authentication: chain(), Scenario: "6", Profile: security.Hardened},
		"users":                    {Authentication: chain(), Scenario: "7", Users: []target.User{{UserID: "u"}}},
	} {
		if Key(s) == Key(a) {
			t.Errorf("%s: expected a configuration of its own", name)
		}
	}
}

func TestDocumentShape(t *testing.T) {
	s := target.Setup{Authorization: map[string]any{"no_match": "deny"}, IgnoreBackendFailures: true,
		ScramBackendURL: "http://127.0.0.1:9", JWKS: target.JWKSEndpoint{URL: "http://127.0.0.1:8/jwks"}}
	data, err := document(s, []target.Applied{{Config: map[string]any{"mechanism": "jwt"}}}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"authentication", "authorization", "authentication_settings", "security_profile", "fixtures", "files", "users"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("the apply document has no %q: %s", key, data)
		}
	}
	if doc["security_profile"] != "legacy" || doc["fixtures"].(map[string]any)["scram_url"] != "http://127.0.0.1:9" {
		t.Errorf("unexpected document %s", data)
	}
}
