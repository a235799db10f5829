package target

import (
	"os"
	"strings"
	"testing"

	"github.com/authspec/authspec/fixtures/tokens"
)

func TestResolverFillsKeysAndFiles(t *testing.T) {
	ring := tokens.NewKeyring()
	dir := t.TempDir()
	chain := []map[string]any{
		{"mechanism": "jwt", "algorithm": "public-key", "public_key": "<ec-p256 public key>"},
		{"mechanism": "jwt", "algorithm": "public-key", "public_key": "<rsa public key file>",
			"nested": []any{map[string]any{"x": "<missing file>"}}},
		{"mechanism": "jwt", "algorithm": "hmac-based", "secret": "<not a placeholder"},
	}
	applied, err := Resolver{Keys: ring, Dir: dir}.Resolve(chain)
	if err != nil {
		t.Fatal(err)
	}
	pem, _ := applied[0].Config["public_key"].(string)
	if applied[0].PrivateKey == nil || pem != applied[0].PrivateKey.PublicPEM() {
		t.Fatalf("expected the PEM of the configured key and its private half, got %q", pem)
	}
	path, _ := applied[1].Config["public_key"].(string)
	data, err := os.ReadFile(path)
	if err != nil || string(data) != applied[1].PrivateKey.PublicPEM() {
		t.Fatalf("expected a file holding the RSA public key at %q: %v", path, err)
	}
	missing := applied[1].Config["nested"].([]any)[0].(map[string]any)["x"].(string)
	if _, err := os.Stat(missing); !os.IsNotExist(err) || !strings.HasPrefix(missing, dir) {
		t.Fatalf("expected a path in %s that does not exist, got %q (%v)", dir, missing, err)
	}
	if applied[2].PrivateKey != nil || applied[2].Config["secret"] != "<not a placeholder" {
		t.Fatalf("expected a plain string left alone, got %+v", applied[2])
	}
	// The input is not changed: the Setup stays symbolic.
	if chain[0]["public_key"] != "<ec-p256 public key>" {
		t.Fatal("Resolve must not change its input")
	}
	// The same placeholder gives the same key (the scenario's configured one).
	again, _ := Resolver{Keys: ring, Dir: dir}.Resolve(chain[:1])
	if again[0].PrivateKey != applied[0].PrivateKey {
		t.Fatal("expected the scenario's configured key again")
	}
}

func TestResolverWithoutFilesIsNotApplicable(t *testing.T) {
	_, err := Resolver{Keys: tokens.NewKeyring()}.Resolve([]map[string]any{{"public_key": "<rsa public key file>"}})
	if _, ok := AsNotApplicable(err); !ok {
		t.Fatalf("expected not applicable without a shared file system, got %v", err)
	}
	_, err = Resolver{Keys: tokens.NewKeyring()}.Resolve([]map[string]any{{"public_key": "<dsa public key>"}})
	if err == nil {
		t.Fatal("expected an unknown key kind to be an error")
	}
}

func TestMechanismAndEnabled(t *testing.T) {
	if m := Mechanism(map[string]any{"mechanism": "password_based", "backend": "built_in_database"}); m != "password_based:built_in_database" {
		t.Errorf("expected password_based:built_in_database, got %s", m)
	}
	if m := Mechanism(map[string]any{"mechanism": "jwt"}); m != "jwt" {
		t.Errorf("expected jwt, got %s", m)
	}
	if !Enabled(map[string]any{}) || Enabled(map[string]any{"enable": false}) {
		t.Error("enable defaults to true and false disables")
	}
}
