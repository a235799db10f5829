package target

import (
	"os"
	"strings"
	"testing"
)

func TestJWKSPlaceholders(t *testing.T) {
	dir := t.TempDir()
	r := Resolver{Dir: dir, JWKS: JWKSEndpoint{URL: "http://127.0.0.1:1/jwks", HTTPSURL: "https://127.0.0.1:2/jwks", CACertPEM: []byte("-----BEGIN CERTIFICATE-----\n")}}
	applied, err := r.Resolve([]map[string]any{{
		"mechanism": "jwt", "endpoint": "<jwks endpoint>",
		"ssl": map[string]any{"cacertfile": "<jwks ca file>"}, "other": "<jwks https endpoint>",
	}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := applied[0].Config
	if cfg["endpoint"] != r.JWKS.URL || cfg["other"] != r.JWKS.HTTPSURL {
		t.Fatalf("endpoints not resolved: %v", cfg)
	}
	path := cfg["ssl"].(map[string]any)["cacertfile"].(string)
	if data, err := os.ReadFile(path); err != nil || !strings.HasPrefix(string(data), "-----BEGIN CERTIFICATE") {
		t.Fatalf("CA file %s: %q %v", path, data, err)
	}
	if !IsPlaceholder("<jwks endpoint>") || IsPlaceholder("<jwks endpoint>/x") {
		t.Error("IsPlaceholder does not know the JWKS placeholders")
	}
	if _, err := (Resolver{}).Resolve([]map[string]any{{"endpoint": "<jwks endpoint>"}}); err == nil || !strings.Contains(err.Error(), "serves no JWKS endpoint") {
		t.Fatalf("expected an error naming the missing endpoint, got %v", err)
	}
}

func TestJWKSListen(t *testing.T) {
	if got := JWKSListen(nil); got != DefaultJWKSListen {
		t.Errorf("default: %s", got)
	}
}
