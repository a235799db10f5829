package scram

import (
	"testing"

	xdg "github.com/xdg-go/scram"
)

// Cross-checks with an independent implementation, github.com/xdg-go/scram:
// our server against its client and its server against our client, for both
// hashes. Random nonces on both sides, so these also cover what the fixed
// vectors cannot.

func xdgHash(alg Algorithm) xdg.HashGeneratorFcn {
	if alg == SHA512 {
		return xdg.SHA512
	}
	return xdg.SHA256
}

var crossUsers = []struct{ user, authz string }{
	{"user", ""},
	{"we,ird=name", ""},
	{"user", "admin"},
}

func TestOurServerWithXdgClient(t *testing.T) {
	for _, alg := range []Algorithm{SHA256, SHA512} {
		for _, u := range crossUsers {
			t.Run(alg.String()+"/"+u.user+"/"+u.authz, func(t *testing.T) {
				client, err := xdgHash(alg).NewClient(u.user, "pencil", u.authz)
				if err != nil {
					t.Fatal(err)
				}
				conv := client.NewConversation()
				c1, err := conv.Step("")
				if err != nil {
					t.Fatal(err)
				}
				srv, _ := NewServer(alg)
				first, err := srv.ReadClientFirst([]byte(c1))
				if err != nil {
					t.Fatalf("our server refuses xdg client-first %q: %v", c1, err)
				}
				if first.User != u.user || first.AuthzID != u.authz {
					t.Fatalf("parsed user %q authz %q", first.User, first.AuthzID)
				}
				creds, err := NewCredentials(alg, "pencil", []byte("0123456789abcdef"), 4096)
				if err != nil {
					t.Fatal(err)
				}
				s1, err := srv.ServerFirst(creds)
				if err != nil {
					t.Fatal(err)
				}
				c2, err := conv.Step(string(s1))
				if err != nil {
					t.Fatalf("xdg client refuses our server-first %q: %v", s1, err)
				}
				s2, err := srv.ReadClientFinal([]byte(c2))
				if err != nil {
					t.Fatalf("our server refuses xdg client-final %q: %v", c2, err)
				}
				if _, err := conv.Step(string(s2)); err != nil || !conv.Valid() {
					t.Fatalf("xdg client rejects our server-final %q: %v", s2, err)
				}
			})
		}
	}
}

func TestXdgServerWithOurClient(t *testing.T) {
	for _, alg := range []Algorithm{SHA256, SHA512} {
		for _, u := range crossUsers {
			t.Run(alg.String()+"/"+u.user+"/"+u.authz, func(t *testing.T) {
				creds, err := NewCredentials(alg, "pencil", []byte("0123456789abcdef"), 4096)
				if err != nil {
					t.Fatal(err)
				}
				lookup := func(name string) (xdg.StoredCredentials, error) {
					if name != u.user {
						t.Errorf("xdg server looks up %q", name)
					}
					return xdg.StoredCredentials{
						KeyFactors: xdg.KeyFactors{Salt: string(creds.Salt), Iters: creds.Iterations},
						StoredKey:  creds.StoredKey,
						ServerKey:  creds.ServerKey,
					}, nil
				}
				server, err := xdgHash(alg).NewServer(lookup)
				if err != nil {
					t.Fatal(err)
				}
				conv := server.NewConversation()
				cl, err := NewClient(alg, u.user, "pencil", WithGS2Header(GS2Header("n", u.authz)))
				if err != nil {
					t.Fatal(err)
				}
				s1, err := conv.Step(string(cl.First()))
				if err != nil {
					t.Fatalf("xdg server refuses our client-first %q: %v", cl.First(), err)
				}
				c2, err := cl.Final([]byte(s1))
				if err != nil {
					t.Fatalf("our client refuses xdg server-first %q: %v", s1, err)
				}
				s2, err := conv.Step(string(c2))
				if err != nil || !conv.Valid() {
					t.Fatalf("xdg server refuses our client-final %q: %v", c2, err)
				}
				if err := cl.VerifyServerFinal([]byte(s2)); err != nil {
					t.Fatalf("our client rejects xdg server-final %q: %v", s2, err)
				}
			})
		}
	}
}

// TestXdgWrongPasswordRefused: the cross-check is not vacuous, a wrong
// password fails on our server with xdg's client.
func TestXdgWrongPasswordRefused(t *testing.T) {
	client, _ := xdg.SHA256.NewClient("user", "wrong", "")
	conv := client.NewConversation()
	c1, _ := conv.Step("")
	srv, _ := NewServer(SHA256)
	if _, err := srv.ReadClientFirst([]byte(c1)); err != nil {
		t.Fatal(err)
	}
	creds, _ := NewCredentials(SHA256, "pencil", []byte("0123456789abcdef"), 4096)
	s1, _ := srv.ServerFirst(creds)
	c2, err := conv.Step(string(s1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.ReadClientFinal([]byte(c2)); err == nil {
		t.Fatal("wrong password accepted")
	}
}
