package builtin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/clientinfo"
)

func newAuth(t *testing.T, cfg string) *Authenticator {
	t.Helper()
	a, err := New(json.RawMessage(cfg), authn.Env{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a.(*Authenticator)
}

const defaultCfg = `{"mechanism":"password_based","backend":"built_in_database"}`

func client(user, password string) *clientinfo.Client {
	return &clientinfo.Client{Protocol: 5, ClientID: "cid-" + user, Username: user, HasUsername: true, Password: []byte(password), HasPassword: true}
}

func TestAuthenticate(t *testing.T) {
	for _, alg := range []string{
		`{"name":"plain"}`,
		`{"name":"plain","salt_position":"disable"}`,
		`{"name":"md5","salt_position":"suffix"}`,
		`{"name":"sha","salt_position":"prefix"}`,
		`{"name":"sha256"}`,
		`{"name":"sha256","salt_position":"disable"}`,
		`{"name":"sha512","salt_position":"suffix"}`,
		`{"name":"pbkdf2","mac_fun":"sha256","iterations":10}`,
		`{"name":"pbkdf2","mac_fun":"sha512","iterations":3,"dk_length":16}`,
	} {
		t.Run(alg, func(t *testing.T) {
			a := newAuth(t, `{"mechanism":"password_based","backend":"built_in_database","password_hash_algorithm":`+alg+`}`)
			if _, err := a.Store().Add(NewUser{UserID: "alice", Password: "s3cret", IsSuperuser: true}); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			r := a.Authenticate(ctx, client("alice", "s3cret"))
			if r.Outcome != authn.Accept || !r.Identity.Superuser || r.Authenticator != ID {
				t.Fatalf("%+v", r)
			}
			if r := a.Authenticate(ctx, client("alice", "S3cret")); r.Outcome != authn.Deny || r.Code != authn.CodeBadUserNameOrPass || r.Check != "password" {
				t.Fatalf("wrong password: %+v", r)
			}
			if r := a.Authenticate(ctx, client("bob", "s3cret")); r.Outcome != authn.Ignore || r.BackendFailure {
				t.Fatalf("unknown user: %+v", r)
			}
		})
	}
}

func TestIgnores(t *testing.T) {
	a := newAuth(t, defaultCfg)
	_, _ = a.Store().Add(NewUser{UserID: "alice", Password: "pw"})
	ctx := context.Background()
	c := client("alice", "pw")
	c.AuthMethod = "SCRAM-SHA-256"
	if r := a.Authenticate(ctx, c); r.Outcome != authn.Ignore || r.Check != "auth-method-present" {
		t.Fatalf("CHAIN-06: %+v", r)
	}
	c = client("alice", "")
	c.HasPassword = false
	if r := a.Authenticate(ctx, c); r.Outcome != authn.Ignore {
		t.Fatalf("no password: %+v", r)
	}
	c = client("", "pw")
	c.HasUsername = false
	if r := a.Authenticate(ctx, c); r.Outcome != authn.Ignore {
		t.Fatalf("no username: %+v", r)
	}
	// An empty password is a password: checked, and wrong.
	if r := a.Authenticate(ctx, client("alice", "")); r.Outcome != authn.Deny {
		t.Fatalf("empty password: %+v", r)
	}
}

func TestUserIDTypeClientID(t *testing.T) {
	a := newAuth(t, `{"mechanism":"password_based","backend":"built_in_database","user_id_type":"clientid"}`)
	_, _ = a.Store().Add(NewUser{UserID: "cid-x", Password: "pw"})
	if r := a.Authenticate(context.Background(), client("x", "pw")); r.Outcome != authn.Accept {
		t.Fatalf("%+v", r)
	}
	if r := a.Authenticate(context.Background(), client("cid-x", "pw")); r.Outcome != authn.Ignore {
		t.Fatalf("looked up by username: %+v", r)
	}
}

// TestHashFormat checks emqx_passwd's stored format: lowercase hex of
// H(salt || password) for prefix, compared case-insensitively.
func TestHashFormat(t *testing.T) {
	h := HashAlgorithm{Name: "sha256", SaltPosition: "prefix"}
	// sha256("saltpassword")
	const want = "13601bda4ea78e55a07b98866d2be6be0744e3866f13c00c811cab608a28f322"
	if got := h.hash("password", "salt"); got != want {
		t.Fatalf("got %s", got)
	}
	if !h.check(strings.ToUpper(want), "salt", "password") {
		t.Fatal("hex compared case-sensitively")
	}
	plain := HashAlgorithm{Name: "plain", SaltPosition: "disable"}
	if plain.check("PW", "", "pw") {
		t.Fatal("plain compared case-insensitively")
	}
	if s := (HashAlgorithm{Name: "sha256", SaltPosition: "prefix"}).newSalt(); len(s) != 32 {
		t.Fatalf("salt %q", s)
	}
	if s := plain.newSalt(); s != "" {
		t.Fatalf("plain salt %q", s)
	}
}

func TestConfigErrors(t *testing.T) {
	for cfg, want := range map[string]string{
		`{"mechanism":"password_based"}`:                                                                                              "backend: is required",
		`{"mechanism":"password_based","backend":"mysql"}`:                                                                            "must be password_based with backend built_in_database",
		`{"mechanism":"password_based","backend":"built_in_database","user_id_type":"cn"}`:                                            "user_id_type: must be one of username, clientid",
		`{"mechanism":"password_based","backend":"built_in_database","x":1}`:                                                          "x: unknown field",
		`{"mechanism":"password_based","backend":"built_in_database","bootstrap_file":"/f"}`:                                          "bootstrap_file: bootstrap files are not supported",
		`{"mechanism":"password_based","backend":"built_in_database","password_hash_algorithm":{"name":"bcrypt"}}`:                    "password_hash_algorithm.name: bcrypt is not supported",
		`{"mechanism":"password_based","backend":"built_in_database","password_hash_algorithm":{"name":"rot13"}}`:                     "password_hash_algorithm.name: must be one of",
		`{"mechanism":"password_based","backend":"built_in_database","password_hash_algorithm":{"salt_position":"prefix"}}`:           "password_hash_algorithm.name: is required",
		`{"mechanism":"password_based","backend":"built_in_database","password_hash_algorithm":{"name":"sha256","salt_position":1}}`:  "password_hash_algorithm.salt_position: must be a string",
		`{"mechanism":"password_based","backend":"built_in_database","password_hash_algorithm":{"name":"pbkdf2","mac_fun":"sha256"}}`: "password_hash_algorithm.iterations: must be a positive integer",
		`{"mechanism":"password_based","backend":"built_in_database","password_hash_algorithm":{"name":"sha256","iterations":3}}`:     "password_hash_algorithm.iterations: unknown field",
	} {
		_, err := New(json.RawMessage(cfg), authn.Env{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want %q, got %v", cfg, want, err)
		}
	}
}

func TestStore(t *testing.T) {
	s := NewStore()
	if _, err := s.Add(NewUser{UserID: "a", Password: "1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(NewUser{UserID: "a", Password: "2"}); !errors.Is(err, ErrUserExists) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := s.Add(NewUser{}); !errors.Is(err, ErrBadUser) {
		t.Fatalf("empty id: %v", err)
	}
	su := true
	if u, err := s.Update("a", UserUpdate{IsSuperuser: &su}); err != nil || !u.IsSuperuser {
		t.Fatalf("%v %v", u, err)
	}
	pw := "new"
	if _, err := s.Update("a", UserUpdate{Password: &pw}); err != nil {
		t.Fatal(err)
	}
	if found, ok, super := s.check(DefaultHashAlgorithm, "a", "new"); !found || !ok || !super {
		t.Fatal("update not applied")
	}
	if _, err := s.Update("zz", UserUpdate{}); !errors.Is(err, ErrUserNotFound) {
		t.Fatal(err)
	}
	if u, ok := s.Get("a"); !ok || u.UserID != "a" {
		t.Fatal("get")
	}
	_, _ = s.Add(NewUser{UserID: "0"})
	if l := s.List(); len(l) != 2 || l[0].UserID != "0" {
		t.Fatalf("list %v", l)
	}
	if err := s.Delete("a"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("a"); !errors.Is(err, ErrUserNotFound) {
		t.Fatal(err)
	}
	s.Clear()
	if len(s.List()) != 0 {
		t.Fatal("clear")
	}
}

func TestStoreConcurrent(t *testing.T) {
	a := newAuth(t, defaultCfg)
	s := a.Store()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				id := fmt.Sprintf("u%d-%d", w, i)
				if _, err := s.Add(NewUser{UserID: id, Password: id}); err != nil {
					t.Error(err)
					return
				}
				if r := a.Authenticate(context.Background(), client(id, id)); r.Outcome != authn.Accept {
					t.Errorf("%s: %+v", id, r)
					return
				}
				_ = s.List()
				if i%2 == 0 {
					_ = s.Delete(id)
				}
			}
		}(w)
	}
	wg.Wait()
	if n := len(s.List()); n != 8*100 {
		t.Fatalf("%d users left", n)
	}
}
