package scramhttp

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/faults"
	"github.com/authspec/authspec/reference/scram"
)

// rig is one authenticator in front of a real credential backend on
// loopback.
type rig struct {
	t       *testing.T
	backend *scrambackend.Server
	auth    *Authenticator
	now     time.Time
}

// fixedNow is the broker clock of the tests: expire_at values are relative
// to it, so that they do not depend on when the test runs.
var fixedNow = time.Unix(1_800_000_000, 0)

// newRig starts a backend with users u/p (sha256) and u512/p (sha512) and
// an authenticator whose configuration is the base one overlaid with cfg
// (a nil value deletes a field; BACKEND in a string is the backend's URL).
func newRig(t *testing.T, cfg map[string]any, faultNames ...string) *rig {
	t.Helper()
	backend, err := scrambackend.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = backend.Close() })
	r := &rig{t: t, backend: backend, now: fixedNow}
	r.addUser(scrambackend.User{Name: "u", Password: "p"})
	r.addUser(scrambackend.User{Name: "u512", Password: "p", Algorithm: scram.SHA512})
	base := map[string]any{
		"mechanism":       "scram",
		"backend":         "http",
		"method":          "get",
		"url":             backend.URL() + "/auth?username=${username}",
		"request_timeout": "2s",
	}
	for k, v := range cfg {
		switch v := v.(type) {
		case nil:
			delete(base, k)
		case string:
			base[k] = strings.ReplaceAll(v, "BACKEND", backend.URL())
		default:
			base[k] = v
		}
	}
	for _, n := range faultNames {
		if _, ok := defectOf[faults.Name(n)]; !ok {
			t.Fatalf("fault %q is not a defect of this package", n)
		}
	}
	raw, _ := json.Marshal(base)
	a, err := New(raw, authn.Env{Now: func() time.Time { return r.now }}, WithDefects(defectsNamed(faultNames...)...))
	if err != nil {
		t.Fatalf("New(%s): %v", raw, err)
	}
	t.Cleanup(func() { _ = a.Close() })
	r.auth = a.(*Authenticator)
	return r
}

func (r *rig) addUser(u scrambackend.User) {
	r.t.Helper()
	if err := r.backend.AddUser(u); err != nil {
		r.t.Fatal(err)
	}
}

// mqtt5 is a SCRAM CONNECT of client "c1" carrying the client-first message.
func mqtt5(alg scram.Algorithm, first []byte) *clientinfo.Client {
	return &clientinfo.Client{
		Protocol: 5, ClientID: "c1", AuthMethod: alg.Method(), AuthData: first,
		PeerHost: "127.0.0.1", Listener: "tcp:default", Zone: "default",
	}
}

func newClient(t *testing.T, alg scram.Algorithm, user, password string, opts ...scram.ClientOption) *scram.Client {
	t.Helper()
	c, err := scram.NewClient(alg, user, password, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// begin sends the CONNECT and expects Continue.
func (r *rig) begin(cl *scram.Client, c *clientinfo.Client) authn.Result {
	r.t.Helper()
	res := r.auth.Authenticate(ctx(r.t), c)
	if res.Outcome != authn.Continue || res.Next == nil {
		r.t.Fatalf("CONNECT: %s %s %s, want continue", res.Outcome, res.Check, res.Detail)
	}
	return res
}

// login runs a whole exchange for user/password and returns the final
// Result and the client (to verify v=).
func (r *rig) login(alg scram.Algorithm, user, password string) (authn.Result, *scram.Client) {
	r.t.Helper()
	cl := newClient(r.t, alg, user, password)
	first := r.begin(cl, mqtt5(alg, cl.First()))
	final, err := cl.Final(first.AuthData)
	if err != nil {
		r.t.Fatalf("client refuses server-first %q: %v", first.AuthData, err)
	}
	return first.Next.Step(ctx(r.t), final), cl
}

// mustAccept runs an exchange that must succeed with a verified v=.
func (r *rig) mustAccept(alg scram.Algorithm, user, password string) authn.Result {
	r.t.Helper()
	res, cl := r.login(alg, user, password)
	if res.Outcome != authn.Accept {
		r.t.Fatalf("final step: %s 0x%02X %s %s, want accept", res.Outcome, res.Code, res.Check, res.Detail)
	}
	if err := cl.VerifyServerFinal(res.AuthData); err != nil {
		r.t.Fatalf("server-final %q: %v", res.AuthData, err)
	}
	return res
}

// mustIgnoreAt runs the CONNECT of u/p and expects Ignore with check.
func (r *rig) mustIgnoreAt(check string) authn.Result {
	r.t.Helper()
	cl := newClient(r.t, scram.SHA256, "u", "p")
	res := r.auth.Authenticate(ctx(r.t), mqtt5(scram.SHA256, cl.First()))
	if res.Outcome != authn.Ignore || !strings.HasPrefix(res.Check, check) || res.BackendFailure {
		r.t.Fatalf("got %s %q (%s) bf=%v, want ignore %q", res.Outcome, res.Check, res.Detail, res.BackendFailure, check)
	}
	return res
}
