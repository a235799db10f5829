package inproc

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

func TestProvisionStartsAFreshBrokerPerSetup(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	setup := target.Setup{
		Authentication: []map[string]any{
			{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "public-key", "public_key": "<rsa public key file>"},
			{"mechanism": "password_based", "backend": "built_in_database", "user_id_type": "username"},
		},
		Users: []target.User{{UserID: "alice", Password: "pw"}},
		Keys:  tokens.NewKeyring(),
	}
	a, err := Reference{}.Provision(ctx, setup)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Reference{}.Provision(ctx, setup)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	applied := a.Authenticators()
	if len(applied) != 2 || applied[0].PrivateKey == nil {
		t.Fatalf("expected the chain with the configured private key, got %+v", applied)
	}
	path := applied[0].Config["public_key"].(string)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("expected the key file to exist while the instance runs: %v", err)
	}
	conn, err := a.Dial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	ids, err := a.(target.AuthenticatorAdmin).AuthenticatorIDs(ctx)
	if err != nil || len(ids) != 2 {
		t.Fatalf("expected two authenticators through the API, got %v (%v)", ids, err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("expected the key file removed on Close, got %v", err)
	}
	if _, err := a.Dial(ctx); err == nil {
		t.Fatal("expected the closed broker to refuse connections")
	}
	// The second broker is independent of the first.
	conn, err = b.Dial(ctx)
	if err != nil {
		t.Fatalf("expected the second broker still up: %v", err)
	}
	conn.Close()
}

func TestProvisionRefusesABadSetup(t *testing.T) {
	ctx := context.Background()
	if _, err := (Reference{}).Provision(ctx, target.Setup{Profile: "paranoid"}); err == nil {
		t.Error("expected an unknown profile to be refused")
	}
	if _, err := (Reference{Faults: []string{"no-such-fault"}}).Provision(ctx, target.Setup{}); err == nil {
		t.Error("expected an unknown fault to be refused")
	}
	if got := (Reference{Faults: []string{"a", "b"}}).Name(); got != "reference+a+b" {
		t.Errorf("expected reference+a+b, got %s", got)
	}
}
