package config

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/authn/builtin"
	"github.com/authspec/authspec/reference/authn/jwtauth"
	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/config/security"
)

var env = authn.Env{Profile: security.Legacy}

const (
	jwtHMAC   = `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret"}`
	builtinDB = `{"mechanism":"password_based","backend":"built_in_database"}`
)

func token(t *testing.T, secret string) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x"}).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func connect(m *Manager, user, password string) authn.Result {
	return m.Chain().Authenticate(context.Background(), &clientinfo.Client{Protocol: 5, ClientID: "c", Username: user, HasUsername: true,
		Password: []byte(password), HasPassword: true, Listener: "tcp:default"})
}

func ids(m *Manager) string {
	var out []string
	for _, a := range m.List() {
		out = append(out, a.ID)
	}
	return strings.Join(out, ",")
}

func TestLoad(t *testing.T) {
	m, err := Load([]byte(`{"authentication":[`+jwtHMAC+`,`+builtinDB+`],"authentication_settings":{"ignore_backend_failures":true}}`), env)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if ids(m) != "jwt,password_based:built_in_database" || !m.Settings().IgnoreBackendFailures {
		t.Fatalf("%s %+v", ids(m), m.Settings())
	}
	if r := connect(m, "u", token(t, "emqxsecret")); r.Outcome != authn.Accept || r.Authenticator != "jwt" {
		t.Fatalf("%+v", r)
	}
	users, err := m.Users("password_based:built_in_database")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = users.Add(builtin.NewUser{UserID: "alice", Password: "pw"})
	// CHAIN-05 through the configuration: bad JWT, then the database accepts
	if r := connect(m, "alice", "pw"); r.Outcome != authn.Accept || r.Authenticator != "password_based:built_in_database" {
		t.Fatalf("%+v", r)
	}
}

func TestLoadFieldErrors(t *testing.T) {
	dir := t.TempDir()
	for in, want := range map[string]string{
		`[` + jwtHMAC + `,{"mechanism":"jwt","algorithm":"hmac-based","secret":"x","secret_base64_encoded":true}]`: "authentication[1]",
		`[{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","secret_base64_encoded":true}]`:        "authentication[0].secret: not valid base64",
		`[{"mechanism":"jwt","algorithm":"public-key","public_key":"` + filepath.Join(dir, "none.pem") + `"}]`:     "authentication[0].public_key: invalid_public_key",
		`[{"mechanism":"jwt","algorithm":"hmac-based","secret":"s","verify_claims":{"":"x"}}]`:                     "authentication[0].verify_claims: claim name must not be empty",
		`[{"mechanism":"jwt","algorithm":"hmac-based","secret":"s","surprise":1}]`:                                 "authentication[0].surprise: unknown field",
		`[{"mechanism":"jwt","algorithm":"hmac-based","secret":["s"]}]`:                                            "authentication[0].secret: must be a string",
		`[{"mechanism":"jwt","use_jwks":true,"endpoint":"http://h/j"}]`:                                            "authentication[0].use_jwks: JWKS is unavailable",
		`[{"mechanism":"scram","backend":"http"}]`:                                                                 "authentication[0].mechanism: unknown authenticator scram:http",
		`[{"mechanism":"password_based","backend":"built_in_database","password_hash_algorithm":{"name":"x"}}]`:    "authentication[0].password_hash_algorithm.name",
	} {
		_, err := Load([]byte(in), env)
		var fe *FieldError
		if err == nil || !strings.Contains(err.Error(), want) || !errors.As(err, &fe) {
			t.Errorf("%s: want FieldError %q, got %v", in, want, err)
		}
	}
	// JWT-PK-04: a missing file with enable:false is accepted
	if _, err := Load([]byte(`[{"mechanism":"jwt","algorithm":"public-key","enable":false,"public_key":"`+filepath.Join(dir, "none.pem")+`"}]`), env); err != nil {
		t.Fatal(err)
	}
}

// closer records whether it was closed.
type closer struct {
	id     string
	closed atomic.Bool
}

func (c *closer) ID() string { return c.id }
func (c *closer) Authenticate(context.Context, *clientinfo.Client) authn.Result {
	return authn.Result{Outcome: authn.Accept, Check: "stub"}
}
func (c *closer) Close() error { c.closed.Store(true); return nil }

func TestManagerOperations(t *testing.T) {
	var built []*closer
	var mu sync.Mutex
	scram := func(raw json.RawMessage, _ authn.Env) (authn.Authenticator, error) {
		if strings.Contains(string(raw), `"fail"`) {
			return nil, fmt.Errorf("url: cannot be reached")
		}
		c := &closer{id: "scram:http"}
		mu.Lock()
		built = append(built, c)
		mu.Unlock()
		return c, nil
	}
	m := NewManager(env, WithBuilder("scram:http", scram))
	defer m.Close()

	// empty chain: legacy accepts (CHAIN-03)
	if r := connect(m, "u", "x"); r.Outcome != authn.Accept {
		t.Fatalf("%+v", r)
	}
	if _, err := m.Create(json.RawMessage(jwtHMAC)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Create(json.RawMessage(builtinDB)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Create(json.RawMessage(`{"mechanism":"scram","backend":"http","url":"x"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Create(json.RawMessage(jwtHMAC)); !errors.Is(err, ErrAlreadyExists) {
		t.Fatalf("second jwt: %v", err)
	}
	if ids(m) != "jwt,password_based:built_in_database,scram:http" {
		t.Fatal(ids(m))
	}
	if a, err := m.Get("jwt"); err != nil || a.Mechanism != "jwt" || !strings.Contains(string(a.Raw), "emqxsecret") {
		t.Fatalf("%+v %v", a, err)
	}
	if _, err := m.Get("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}

	// Move
	for _, step := range []struct{ id, pos, want string }{
		{"scram:http", "front", "scram:http,jwt,password_based:built_in_database"},
		{"scram:http", "rear", "jwt,password_based:built_in_database,scram:http"},
		{"jwt", "after:scram:http", "password_based:built_in_database,scram:http,jwt"},
		{"jwt", "before:password_based:built_in_database", "jwt,password_based:built_in_database,scram:http"},
		{"scram:http", "before:password_based:built_in_database", "jwt,scram:http,password_based:built_in_database"},
		{"scram:http", "after:password_based:built_in_database", "jwt,password_based:built_in_database,scram:http"},
	} {
		if err := m.Move(step.id, step.pos); err != nil || ids(m) != step.want {
			t.Fatalf("move %s %s: %v -> %s", step.id, step.pos, err, ids(m))
		}
		got := []string{}
		for _, e := range m.Chain().Entries() {
			got = append(got, e.Authenticator.ID())
		}
		if strings.Join(got, ",") != step.want {
			t.Fatalf("chain not rebuilt: %v", got)
		}
	}
	for pos, want := range map[string]error{"middle": nil, "before:nope": ErrNotFound, "after:jwt": nil} {
		err := m.Move("jwt", pos)
		if want != nil && !errors.Is(err, want) || want == nil && err == nil {
			t.Fatalf("move %s: %v", pos, err)
		}
	}
	if err := m.Move("nope", "front"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}

	// Users survive an update; the update changes the chain.
	users, _ := m.Users("password_based:built_in_database")
	_, _ = users.Add(builtin.NewUser{UserID: "alice", Password: "pw"})
	if _, err := m.Update("password_based:built_in_database", json.RawMessage(`{"mechanism":"password_based","backend":"built_in_database","user_id_type":"clientid"}`)); err != nil {
		t.Fatal(err)
	}
	again, _ := m.Users("password_based:built_in_database")
	if again != users || len(again.List()) != 1 {
		t.Fatal("users lost on update")
	}
	if _, err := m.Users("jwt"); !errors.Is(err, ErrNoUsers) {
		t.Fatal(err)
	}

	// A failed update leaves the previous configuration; a good one closes
	// the replaced authenticator.
	before := m.Chain()
	if _, err := m.Update("scram:http", json.RawMessage(`{"mechanism":"scram","backend":"http","url":"fail"}`)); err == nil {
		t.Fatal("failing builder accepted")
	}
	if _, err := m.Update("jwt", json.RawMessage(`{"mechanism":"jwt","algorithm":"hmac-based","secret":"x","secret_base64_encoded":true}`)); err == nil || !strings.Contains(err.Error(), "secret: not valid base64") {
		t.Fatal(err)
	}
	if _, err := m.Update("jwt", json.RawMessage(builtinDB)); err == nil || !strings.Contains(err.Error(), "not jwt") {
		t.Fatal(err)
	}
	if m.Chain() != before {
		t.Fatal("a failed update changed the chain")
	}
	if _, err := m.Update("scram:http", json.RawMessage(`{"mechanism":"scram","backend":"http","url":"y"}`)); err != nil {
		t.Fatal(err)
	}
	if !built[0].closed.Load() || built[1].closed.Load() {
		t.Fatal("replaced authenticator not closed, or the new one closed")
	}

	// Delete closes, and drops the users.
	if err := m.Delete("scram:http"); err != nil || !built[1].closed.Load() {
		t.Fatalf("delete: %v", err)
	}
	if err := m.Delete("scram:http"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	if err := m.Delete("password_based:built_in_database"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Create(json.RawMessage(builtinDB)); err != nil {
		t.Fatal(err)
	}
	if u, _ := m.Users("password_based:built_in_database"); len(u.List()) != 0 {
		t.Fatal("users survived delete")
	}

	// Settings rebuild the chain.
	m.SetSettings(Settings{IgnoreBackendFailures: true})
	if !m.Settings().IgnoreBackendFailures {
		t.Fatal("settings")
	}
}

func TestApplyAllOrNothing(t *testing.T) {
	m, err := Load([]byte(`[`+jwtHMAC+`]`), env)
	if err != nil {
		t.Fatal(err)
	}
	before := m.Chain()
	f, err := Parse([]byte(`[` + builtinDB + `,{"mechanism":"jwt","algorithm":"public-key","public_key":"junk"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Apply(f); err == nil || !strings.Contains(err.Error(), "authentication[1].public_key") {
		t.Fatal(err)
	}
	if m.Chain() != before || ids(m) != "jwt" {
		t.Fatal("failed Apply changed the configuration")
	}
}

func TestHardenedChainThroughConfig(t *testing.T) {
	h := authn.Env{Profile: security.Hardened}
	m, err := Load([]byte(`[`+jwtHMAC+`,`+builtinDB+`]`), h)
	if err != nil {
		t.Fatal(err)
	}
	users, _ := m.Users("password_based:built_in_database")
	_, _ = users.Add(builtin.NewUser{UserID: "alice", Password: token(t, "wrong")})
	// bad signature under hardened: 0x87 at once (CHAIN-05)
	if r := connect(m, "alice", token(t, "wrong")); r.Outcome != authn.Deny || r.Code != authn.CodeNotAuthorized {
		t.Fatalf("%+v", r)
	}
	m.SetSettings(Settings{IgnoreBackendFailures: true})
	if r := connect(m, "alice", token(t, "wrong")); r.Outcome != authn.Accept {
		t.Fatalf("ignore_backend_failures: %+v", r)
	}
}

// fakeKeys is a KeySource for the JWKS wiring test.
type fakeKeys struct{ keys []crypto.PublicKey }

func (f *fakeKeys) PublicKeys() []crypto.PublicKey { return f.keys }
func (f *fakeKeys) Close() error                   { return nil }

func TestJWKSWiring(t *testing.T) {
	priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	var got jwtauth.JWKSConfig
	m, err := Load([]byte(`[{"mechanism":"jwt","use_jwks":true,"endpoint":"http://127.0.0.1:9/jwks","refresh_interval":60}]`), env,
		WithJWKS(func(c jwtauth.JWKSConfig, _ authn.Env) (jwtauth.KeySource, error) {
			got = c
			return &fakeKeys{keys: []crypto.PublicKey{priv.Public()}}, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	if got.Endpoint != "http://127.0.0.1:9/jwks" || got.RefreshInterval != time.Minute {
		t.Fatalf("%+v", got)
	}
	tok, _ := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.MapClaims{}).SignedString(priv)
	if r := connect(m, "u", tok); r.Outcome != authn.Accept {
		t.Fatalf("%+v", r)
	}
}

func TestPEMFile(t *testing.T) {
	priv, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(priv.Public())
	path := filepath.Join(t.TempDir(), "k.pem")
	_ = os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600)
	m, err := Load([]byte(`[{"mechanism":"jwt","algorithm":"public-key","public_key":"`+path+`"}]`), env)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := jwt.NewWithClaims(jwt.SigningMethodES384, jwt.MapClaims{}).SignedString(priv)
	if r := connect(m, "u", tok); r.Outcome != authn.Accept {
		t.Fatalf("%+v", r)
	}
}

func TestManagerConcurrent(t *testing.T) {
	m := NewManager(env)
	defer m.Close()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	tok := token(t, "emqxsecret")
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					r := connect(m, "u", tok)
					if r.Outcome != authn.Accept && r.Outcome != authn.Deny {
						t.Errorf("%+v", r)
						return
					}
				}
			}
		}()
	}
	for i := 0; i < 200; i++ {
		if _, err := m.Create(json.RawMessage(jwtHMAC)); err != nil {
			t.Fatal(err)
		}
		_, _ = m.Create(json.RawMessage(builtinDB))
		_ = m.Move("jwt", "rear")
		_ = m.Delete("jwt")
		_ = m.Delete("password_based:built_in_database")
	}
	close(stop)
	wg.Wait()
}
