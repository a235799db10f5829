package steps

import "testing"

func TestParseConfigShapes(t *testing.T) {
	chain, _, _, err := parseConfig([]byte(`[{"mechanism": "jwt", "n": 1.50}]`))
	if err != nil || len(chain) != 1 || chain[0]["n"].(interface{ String() string }).String() != "1.50" {
		t.Fatalf("expected one authenticator with n kept as written, got %v (%v)", chain, err)
	}
	chain, authz, settings, err := parseConfig([]byte(`{"authentication": [], "authorization": {"no_match": "deny"},
		"authentication_settings": {"ignore_backend_failures": true}}`))
	if err != nil || len(chain) != 0 || authz["no_match"] != "deny" || settings["ignore_backend_failures"] != true {
		t.Fatalf("unexpected parse: %v %v %v %v", chain, authz, settings, err)
	}
	if _, _, _, err := parseConfig([]byte(`[{}] trailing`)); err == nil {
		t.Error("expected an error for trailing data")
	}
}
