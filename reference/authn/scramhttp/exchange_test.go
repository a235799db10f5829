package scramhttp

import (
	"strings"
	"sync"
	"testing"

	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/fixtures/scramclient"
	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/scram"
)

// SCRAM-01, -02: the whole exchange, both hashes, GET and POST, with exactly
// one backend request made at the client-first step.
func TestExchange(t *testing.T) {
	for _, method := range []string{"get", "post"} {
		for _, c := range []struct {
			alg  scram.Algorithm
			user string
		}{{scram.SHA256, "u"}, {scram.SHA512, "u512"}} {
			t.Run(method+"/"+c.alg.String(), func(t *testing.T) {
				cfg := map[string]any{"method": method, "algorithm": c.alg.String()}
				if method == "post" {
					cfg["url"] = "BACKEND/auth"
					cfg["body"] = map[string]string{"username": "${username}"}
				}
				r := newRig(t, cfg)
				cl := newClient(t, c.alg, c.user, "p")
				first := r.begin(cl, mqtt5(c.alg, cl.First()))
				if first.Authenticator != "scram:http" || r.auth.ID() != "scram:http" {
					t.Fatalf("authenticator %q", first.Authenticator)
				}
				sf, err := scram.ParseServerFirst(first.AuthData)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(sf.Nonce, cl.Nonce()) || len(sf.Nonce) != len(cl.Nonce())+scram.NonceLength || strings.Contains(sf.Nonce, ",") {
					t.Fatalf("combined nonce %q for client nonce %q", sf.Nonce, cl.Nonce())
				}
				if sf.Iterations != 4096 {
					t.Fatalf("i=%d", sf.Iterations)
				}
				if n := r.backend.RequestCount(); n != 1 {
					t.Fatalf("%d backend requests after client-first, want 1", n)
				}
				final, err := cl.Final(first.AuthData)
				if err != nil {
					t.Fatal(err)
				}
				res := first.Next.Step(ctx(t), final)
				if res.Outcome != authn.Accept || !strings.HasPrefix(string(res.AuthData), "v=") {
					t.Fatalf("final: %s %s %s", res.Outcome, res.Check, res.Detail)
				}
				if err := cl.VerifyServerFinal(res.AuthData); err != nil {
					t.Fatal(err)
				}
				if n := r.backend.RequestCount(); n != 1 {
					t.Fatalf("%d backend requests after client-final, want 1", n)
				}
				if res.Identity.Superuser || res.Identity.Rules != nil || !res.Identity.ExpireAt.IsZero() {
					t.Fatalf("identity %+v from a plain answer", res.Identity)
				}
				// The exchange is over: another AUTH gets 0x87.
				again := first.Next.Step(ctx(t), final)
				if again.Outcome != authn.Deny || again.Code != authn.CodeNotAuthorized {
					t.Fatalf("second step: %s", again.Outcome)
				}
			})
		}
	}
}

// SCRAM-03: the documented answer (keys in upper-case hex, salt the hex of
// an ASCII text) works, s= carries the decoded salt, i= the configured count
// whatever the answer says.
func TestDocumentedAnswer(t *testing.T) {
	r := newRig(t, map[string]any{"iteration_count": 4096})
	r.addUser(scrambackend.User{Name: "myuser", Keys: &scrambackend.Keys{
		StoredKey: "008F5E0CC6316BB172F511E93E4756EEA876B5B5125F1CD2FD69A2C30F9A0D73",
		ServerKey: "81466E185EC642AFAE1EFA75953735D6C0934D099149AAAB601D59F8F8162580",
		Salt:      "6633653634383437393466356532333165656435346432393464366165393137",
	}, Extra: map[string]any{"iteration_count": 8192}})
	cl := newClient(t, scram.SHA256, "myuser", "public", scram.WithClientNonce("clientnonce123"))
	first := r.begin(cl, mqtt5(scram.SHA256, cl.First()))
	want := "s=ZjNlNjQ4NDc5NGY1ZTIzMWVlZDU0ZDI5NGQ2YWU5MTc=,i=4096"
	if !strings.HasSuffix(string(first.AuthData), want) {
		t.Fatalf("server-first %q, want suffix %q", first.AuthData, want)
	}
	final, _ := cl.Final(first.AuthData)
	res := first.Next.Step(ctx(t), final)
	if res.Outcome != authn.Accept || cl.VerifyServerFinal(res.AuthData) != nil {
		t.Fatalf("documented answer: %s %s", res.Outcome, res.Detail)
	}
}

// SCRAM-04: a wrong password is 0x87 without v=.
func TestWrongPassword(t *testing.T) {
	r := newRig(t, nil)
	res, _ := r.login(scram.SHA256, "u", "wrong")
	if res.Outcome != authn.Deny || res.Code != authn.CodeNotAuthorized || res.Check != "proof" || res.AuthData != nil {
		t.Fatalf("got %s 0x%02X %s %q", res.Outcome, res.Code, res.Check, res.AuthData)
	}
}

// SCRAM-08, -19, CHAIN-06: clients that are not this authenticator's are
// ignored, and the backend is not asked.
func TestIgnoredClients(t *testing.T) {
	r := newRig(t, nil)
	first := newClient(t, scram.SHA256, "u", "p").First()
	cases := map[string]*clientinfo.Client{
		"mqtt-3.1.1":           {Protocol: 4, ClientID: "c", Username: "u", HasUsername: true},
		"mqtt-3.1.1-with-data": {Protocol: 4, ClientID: "c", AuthMethod: "SCRAM-SHA-256", AuthData: first},
		"no-method":            {Protocol: 5, ClientID: "c", Password: []byte("x"), HasPassword: true},
		"SCRAM-SHA-1":          {Protocol: 5, ClientID: "c", AuthMethod: "SCRAM-SHA-1", AuthData: first},
		"SCRAM-SHA-512-to-256": {Protocol: 5, ClientID: "c", AuthMethod: "SCRAM-SHA-512", AuthData: first},
		"lower-case-method":    {Protocol: 5, ClientID: "c", AuthMethod: "scram-sha-256", AuthData: first},
		"no-data":              {Protocol: 5, ClientID: "c", AuthMethod: "SCRAM-SHA-256"},
		"zero-length-data":     {Protocol: 5, ClientID: "c", AuthMethod: "SCRAM-SHA-256", AuthData: []byte{}},
	}
	for name, c := range cases {
		res := r.auth.Authenticate(ctx(t), c)
		if res.Outcome != authn.Ignore || res.BackendFailure {
			t.Errorf("%s: %s %s", name, res.Outcome, res.Check)
		}
		if re := r.auth.Reauthenticate(ctx(t), c); re.Outcome != authn.Ignore {
			t.Errorf("%s re-authentication: %s", name, re.Outcome)
		}
	}
	if n := r.backend.RequestCount(); n != 0 {
		t.Fatalf("%d backend requests for ignored clients", n)
	}
}

// SCRAM-09: malformed client-first messages are refused with 0x87 before
// any backend request.
func TestMalformedClientFirst(t *testing.T) {
	r := newRig(t, nil)
	for _, kind := range scramclient.Malformations()[:5] {
		msg, err := scramclient.MalformedClientFirst(kind, "u", "nonce")
		if err != nil {
			t.Fatal(err)
		}
		res := r.auth.Authenticate(ctx(t), mqtt5(scram.SHA256, msg))
		if res.Outcome != authn.Deny || res.Code != authn.CodeNotAuthorized || res.Check != "malformed-client-first" || res.Detail == "" {
			t.Errorf("%s (%q): %s 0x%02X %s", kind, msg, res.Outcome, res.Code, res.Check)
		}
	}
	for _, raw := range []string{"garbage", ",,,", "n,,n=u", "\xff\xfe"} {
		if res := r.auth.Authenticate(ctx(t), mqtt5(scram.SHA256, []byte(raw))); res.Outcome != authn.Deny {
			t.Errorf("%q: %s", raw, res.Outcome)
		}
	}
	if n := r.backend.RequestCount(); n != 0 {
		t.Fatalf("%d backend requests for malformed client-first messages", n)
	}
}

// SCRAM-09: flag y and an authzid are accepted; a user name with , and = is
// unescaped for the backend.
func TestAcceptedClientFirstVariants(t *testing.T) {
	r := newRig(t, nil)
	r.addUser(scrambackend.User{Name: "a,b=c", Password: "p"})
	for _, header := range []string{"y,,", scram.GS2Header("n", "admin"), scram.GS2Header("y", "x,y")} {
		cl := newClient(t, scram.SHA256, "a,b=c", "p", scram.WithGS2Header(header))
		if !strings.Contains(string(cl.First()), "n=a=2Cb=3Dc,") {
			t.Fatalf("client-first %q", cl.First())
		}
		first := r.begin(cl, mqtt5(scram.SHA256, cl.First()))
		final, _ := cl.Final(first.AuthData)
		if res := first.Next.Step(ctx(t), final); res.Outcome != authn.Accept {
			t.Fatalf("header %q: %s %s", header, res.Check, res.Detail)
		}
	}
}

// SCRAM-09: malformed client-final messages are refused with 0x87.
func TestMalformedClientFinal(t *testing.T) {
	r := newRig(t, nil)
	for _, kind := range scramclient.Malformations()[5:] {
		cl := newClient(t, scram.SHA256, "u", "p")
		first := r.begin(cl, mqtt5(scram.SHA256, cl.First()))
		m, err := cl.Respond(first.AuthData)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := scramclient.MalformedClientFinal(kind, m)
		if err != nil {
			t.Fatal(err)
		}
		res := first.Next.Step(ctx(t), msg)
		if res.Outcome != authn.Deny || res.Code != authn.CodeNotAuthorized || res.AuthData != nil {
			t.Errorf("%s (%q): %s 0x%02X %s", kind, msg, res.Outcome, res.Code, res.Check)
		}
		if res.Check != "malformed-client-final" {
			t.Errorf("%s: check %q (%s)", kind, res.Check, res.Detail)
		}
	}
	// Empty and garbage finals.
	for _, raw := range []string{"", "x", "c=biws"} {
		cl := newClient(t, scram.SHA256, "u", "p")
		first := r.begin(cl, mqtt5(scram.SHA256, cl.First()))
		if res := first.Next.Step(ctx(t), []byte(raw)); res.Outcome != authn.Deny || res.Code != authn.CodeNotAuthorized {
			t.Errorf("%q: %s", raw, res.Outcome)
		}
	}
}

// SCRAM-23: re-authentication runs the same flow.
func TestReauthenticate(t *testing.T) {
	r := newRig(t, nil)
	cl := newClient(t, scram.SHA256, "u", "p")
	res := r.auth.Reauthenticate(ctx(t), mqtt5(scram.SHA256, cl.First()))
	if res.Outcome != authn.Continue {
		t.Fatalf("reauth: %s %s", res.Outcome, res.Check)
	}
	final, _ := cl.Final(res.AuthData)
	fin := res.Next.Step(ctx(t), final)
	if fin.Outcome != authn.Accept || cl.VerifyServerFinal(fin.AuthData) != nil {
		t.Fatalf("reauth final: %s %s", fin.Outcome, fin.Check)
	}
	// And a wrong password fails it with 0x87.
	cl = newClient(t, scram.SHA256, "u", "nope")
	res = r.auth.Reauthenticate(ctx(t), mqtt5(scram.SHA256, cl.First()))
	final, _ = cl.Final(res.AuthData)
	if fin := res.Next.Step(ctx(t), final); fin.Outcome != authn.Deny || fin.Code != authn.CodeNotAuthorized {
		t.Fatalf("reauth with a wrong password: %s", fin.Outcome)
	}
}

// Many connections at once share one authenticator (run with -race).
func TestConcurrentExchanges(t *testing.T) {
	r := newRig(t, nil)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			password := "p"
			if i%4 == 0 {
				password = "bad"
			}
			cl, err := scram.NewClient(scram.SHA256, "u", password)
			if err != nil {
				t.Error(err)
				return
			}
			first := r.auth.Authenticate(ctx(t), mqtt5(scram.SHA256, cl.First()))
			if first.Outcome != authn.Continue {
				t.Errorf("client %d: %s %s", i, first.Outcome, first.Detail)
				return
			}
			final, _ := cl.Final(first.AuthData)
			res := first.Next.Step(ctx(t), final)
			if (password == "p") != (res.Outcome == authn.Accept) {
				t.Errorf("client %d (%s): %s", i, password, res.Outcome)
			}
		})
	}
	wg.Wait()
	if n := r.backend.RequestCount(); n != 16 {
		t.Fatalf("%d backend requests for 16 attempts", n)
	}
}

// The client-final step must not run a backend request even when the
// backend is gone by then (SCRAM-02).
func TestFinalStepNeedsNoBackend(t *testing.T) {
	r := newRig(t, nil)
	cl := newClient(t, scram.SHA256, "u", "p")
	first := r.begin(cl, mqtt5(scram.SHA256, cl.First()))
	_ = r.backend.Close()
	final, _ := cl.Final(first.AuthData)
	if res := first.Next.Step(ctx(t), final); res.Outcome != authn.Accept {
		t.Fatalf("final with the backend down: %s %s", res.Outcome, res.Detail)
	}
}
