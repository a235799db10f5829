package authn

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/config/security"
	"github.com/authspec/authspec/reference/faults"
)

// stub answers a fixed result and counts calls.
type stub struct {
	id    string
	res   Result
	calls atomic.Int32
	panic bool
}

func (s *stub) ID() string { return s.id }
func (s *stub) Authenticate(context.Context, *clientinfo.Client) Result {
	s.calls.Add(1)
	if s.panic {
		panic("boom")
	}
	return s.res
}
func (s *stub) Close() error { return nil }

func accepts(id string) *stub { return &stub{id: id, res: Result{Outcome: Accept, Check: "ok"}} }
func denies(id string) *stub {
	return &stub{id: id, res: Result{Outcome: Deny, Code: CodeBadUserNameOrPass, Check: "password"}}
}
func ignores(id string) *stub { return &stub{id: id, res: Result{Outcome: Ignore, Check: "user"}} }
func fails(id string) *stub {
	return &stub{id: id, res: Result{Outcome: Ignore, BackendFailure: true, Check: "signature", Detail: "bad signature"}}
}

func on(as ...Authenticator) []Entry {
	var out []Entry
	for _, a := range as {
		out = append(out, Entry{Authenticator: a, Enable: true})
	}
	return out
}

func chainEnv(t *testing.T, p security.Profile) Env {
	t.Helper()
	return Env{Profile: p}
}

func run(c *Chain) Result {
	return c.Authenticate(context.Background(), &clientinfo.Client{ClientID: "c", Username: "u", HasUsername: true})
}

func want(t *testing.T, r Result, o Outcome, code byte, authenticator string) {
	t.Helper()
	if r.Outcome != o || (o == Deny && r.Code != code) || (authenticator != "" && r.Authenticator != authenticator) {
		t.Fatalf("got %s 0x%02X by %q (%s: %s), want %s 0x%02X by %q", r.Outcome, r.Code, r.Authenticator, r.Check, r.Detail, o, code, authenticator)
	}
}

func TestChain(t *testing.T) {
	t.Run("CHAIN-01 order, disabled skipped, first decision wins", func(t *testing.T) {
		env := chainEnv(t, security.Legacy)
		first, second, third := ignores("jwt"), accepts("password_based:built_in_database"), denies("scram:http")
		want(t, run(NewChain(env, on(first, second, third))), Accept, 0, "password_based:built_in_database")
		if first.calls.Load() != 1 || third.calls.Load() != 0 {
			t.Fatal("not run in order, or run past the decision")
		}
		want(t, run(NewChain(env, on(denies("a"), accepts("b")))), Deny, CodeBadUserNameOrPass, "a")
		disabled := accepts("a")
		entries := []Entry{{Authenticator: disabled, Enable: false}, {Authenticator: denies("b"), Enable: true}}
		want(t, run(NewChain(env, entries)), Deny, CodeBadUserNameOrPass, "b")
		if disabled.calls.Load() != 0 {
			t.Fatal("a disabled authenticator ran")
		}
		cont := &stub{id: "scram:http", res: Result{Outcome: Continue, AuthData: []byte("r=x")}}
		want(t, run(NewChain(env, on(ignores("jwt"), cont))), Continue, 0, "scram:http")
	})

	t.Run("CHAIN-02 every authenticator ignores", func(t *testing.T) {
		r := run(NewChain(chainEnv(t, security.Legacy), on(ignores("a"), ignores("b"))))
		want(t, r, Deny, CodeNotAuthorized, "b")
		if r.Check != CheckAllIgnored || !strings.Contains(r.Detail, "every authenticator ignored") {
			t.Fatalf("check %q detail %q", r.Check, r.Detail)
		}
		want(t, run(NewChain(chainEnv(t, security.Legacy), on(fails("a")))), Deny, CodeNotAuthorized, "a")
	})

	t.Run("CHAIN-03 no authenticator", func(t *testing.T) {
		want(t, run(NewChain(chainEnv(t, security.Legacy), nil)), Accept, 0, "")
		want(t, run(NewChain(chainEnv(t, security.Hardened), nil)), Deny, CodeNotAuthorized, "")
		onlyDisabled := []Entry{{Authenticator: denies("a"), Enable: false}}
		want(t, run(NewChain(chainEnv(t, security.Legacy), onlyDisabled)), Accept, 0, "")
		r := run(NewChain(chainEnv(t, security.Hardened), onlyDisabled))
		want(t, r, Deny, CodeNotAuthorized, "")
		if r.Check != CheckNoAuthenticator {
			t.Fatal(r.Check)
		}
	})

	t.Run("CHAIN-04 preconditions", func(t *testing.T) {
		env := chainEnv(t, security.Legacy)
		pre := func(expr string) *Precondition {
			p, err := ParsePrecondition(expr)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		skipped := denies("a")
		entries := []Entry{
			{Authenticator: skipped, Enable: true, Precondition: pre(`str_eq(listener, 'ssl:default')`)},
			{Authenticator: accepts("b"), Enable: true},
		}
		c := &clientinfo.Client{Listener: "tcp:default", Username: "u", HasUsername: true}
		r := NewChain(env, entries).Authenticate(context.Background(), c)
		want(t, r, Accept, 0, "b")
		if skipped.calls.Load() != 0 {
			t.Fatal("precondition not applied")
		}
		c.Listener = "ssl:default"
		want(t, NewChain(env, entries).Authenticate(context.Background(), c), Deny, CodeBadUserNameOrPass, "a")
		// alone, a skipped authenticator leaves the chain all-ignored
		r = NewChain(env, entries[:1]).Authenticate(context.Background(), &clientinfo.Client{Listener: "tcp:default"})
		want(t, r, Deny, CodeNotAuthorized, "a")
		// a render error is a backend failure: ignored under legacy,
		// 0x87 at once under hardened
		bad := []Entry{{Authenticator: denies("a"), Enable: true, Precondition: pre(`str_eq(client_attrs.x, 'y')`)}, {Authenticator: accepts("b"), Enable: true}}
		want(t, run(NewChain(env, bad)), Accept, 0, "b")
		r = run(NewChain(chainEnv(t, security.Hardened), bad))
		want(t, r, Deny, CodeNotAuthorized, "a")
		if r.Check != CheckPrecondition {
			t.Fatal(r.Check)
		}
	})

	t.Run("CHAIN-05 backend failure then accept", func(t *testing.T) {
		entries := on(fails("jwt"), accepts("b"))
		want(t, run(NewChain(chainEnv(t, security.Legacy), entries)), Accept, 0, "b")
		r := run(NewChain(chainEnv(t, security.Hardened), entries))
		want(t, r, Deny, CodeNotAuthorized, "jwt")
		if r.Check != "signature" || !strings.Contains(r.Detail, "hardened") {
			t.Fatalf("check %q detail %q", r.Check, r.Detail)
		}
		want(t, run(NewChain(chainEnv(t, security.Hardened), entries, WithIgnoreBackendFailures(true))), Accept, 0, "b")
		// a plain ignore is not a backend failure under hardened
		want(t, run(NewChain(chainEnv(t, security.Hardened), on(ignores("a"), accepts("b")))), Accept, 0, "b")
	})

	t.Run("a panicking authenticator is a backend failure", func(t *testing.T) {
		p := &stub{id: "x", panic: true}
		want(t, run(NewChain(chainEnv(t, security.Legacy), on(p, accepts("b")))), Accept, 0, "b")
		want(t, run(NewChain(chainEnv(t, security.Hardened), on(p, accepts("b")))), Deny, CodeNotAuthorized, "x")
	})

	t.Run("lookup", func(t *testing.T) {
		c := NewChain(chainEnv(t, security.Legacy), []Entry{{Authenticator: accepts("jwt")}, {Authenticator: denies("scram:http"), Enable: true}})
		if a, ok := c.Authenticator("jwt"); !ok || a.ID() != "jwt" {
			t.Fatal("disabled authenticator not found")
		}
		if _, ok := c.Authenticator("nope"); ok {
			t.Fatal("found a missing authenticator")
		}
		if len(c.Entries()) != 2 {
			t.Fatal("entries")
		}
	})
}

func TestChainFaults(t *testing.T) {
	pre, _ := ParsePrecondition(`str_eq(username, 'someone-else')`)
	cases := map[faults.Name]func(t *testing.T, chain func([]Entry) *Chain){
		faults.ChainStopOnIgnore: func(t *testing.T, chain func([]Entry) *Chain) {
			want(t, run(chain(on(ignores("a"), accepts("b")))), Deny, CodeNotAuthorized, "a")
		},
		faults.ChainAllIgnoredAccept: func(t *testing.T, chain func([]Entry) *Chain) {
			want(t, run(chain(on(ignores("a"), ignores("b")))), Accept, 0, "")
		},
		faults.EmptyChainDeny: func(t *testing.T, chain func([]Entry) *Chain) {
			want(t, run(chain(nil)), Deny, CodeNotAuthorized, "")
		},
		faults.IgnorePrecondition: func(t *testing.T, chain func([]Entry) *Chain) {
			entries := []Entry{{Authenticator: accepts("a"), Enable: true, Precondition: pre}}
			want(t, run(chain(entries)), Accept, 0, "a")
		},
		faults.BackendFailureDenies: func(t *testing.T, chain func([]Entry) *Chain) {
			want(t, run(chain(on(fails("jwt"), accepts("b")))), Deny, CodeNotAuthorized, "jwt")
		},
	}
	covered := map[string]bool{}
	for _, def := range faults.All() {
		check, ok := cases[def.Name]
		if !ok {
			continue
		}
		delete(cases, def.Name)
		for _, id := range def.IDs {
			covered[id] = true
		}
		t.Run(fmt.Sprintf("%s %v", def.Name, def.IDs), func(t *testing.T) {
			check(t, func(es []Entry) *Chain {
				return NewChain(chainEnv(t, security.Legacy), es, WithDefects(defectsNamed(string(def.Name))...))
			})
		})
	}
	for name := range cases {
		t.Errorf("fault %s tested but not declared", name)
	}
	for _, id := range []string{"CHAIN-01", "CHAIN-02", "CHAIN-03", "CHAIN-04", "CHAIN-05"} {
		if !covered[id] {
			t.Errorf("%s is broken by no chain fault", id)
		}
	}
}
