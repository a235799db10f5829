package jwtauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/authspec/authspec/reference/authz"
	"github.com/authspec/authspec/reference/clientinfo"
)

const hdr = `{"alg":"HS256","typ":"JWT"}`

// tokenWith signs a raw JSON payload with the hmacCfg secret.
func tokenWith(t testing.TB, payload string) string { return hmacRaw(t, "emqxsecret", hdr, payload) }

func TestStandardClaims(t *testing.T) {
	a := build(t, testEnv(t), hmacCfg)
	n := now.Unix()
	p := func(format string, args ...any) *authnClientToken {
		return &authnClientToken{tokenWith(t, fmt.Sprintf(format, args...))}
	}

	t.Run("JWT-CLAIM-01 exp", func(t *testing.T) {
		wantDeny86(t, auth(a, p(`{"exp":%d}`, n-1).client()), CheckExp)
		wantAccept(t, auth(a, p(`{"exp":%d}`, n+1).client()))
	})
	t.Run("JWT-CLAIM-02 nbf", func(t *testing.T) {
		wantDeny86(t, auth(a, p(`{"nbf":%d}`, n+1).client()), CheckNbf)
		wantAccept(t, auth(a, p(`{"nbf":%d}`, n-1).client()))
	})
	t.Run("JWT-CLAIM-03 iat decides nothing", func(t *testing.T) {
		wantAccept(t, auth(a, p(`{"iat":%d}`, n+3600).client()))
		wantAccept(t, auth(a, p(`{"iat":"garbage"}`).client()))
	})
	t.Run("JWT-CLAIM-04 no exp never expires", func(t *testing.T) {
		r := auth(a, p(`{"sub":"x"}`).client())
		wantAccept(t, r)
		if !r.Identity.ExpireAt.IsZero() || r.Identity.DisconnectOnExpire {
			t.Fatalf("identity expires: %+v", r.Identity)
		}
	})
	t.Run("JWT-CLAIM-05 numeric forms", func(t *testing.T) {
		for _, payload := range []string{
			fmt.Sprintf(`{"exp":"%d"}`, n+60), fmt.Sprintf(`{"exp":"+%d"}`, n+60),
			fmt.Sprintf(`{"nbf":"%d"}`, n-60), fmt.Sprintf(`{"nbf":"%d.5"}`, n-60),
			fmt.Sprintf(`{"nbf":%d.25}`, n-60), fmt.Sprintf(`{"nbf":%de0}`, n-60),
			fmt.Sprintf(`{"exp":%d.5,"nbf":"%d"}`, n+60, n),
		} {
			env := testEnv(t)
			lenient := build(t, env, `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","disconnect_after_expire":false}`)
			wantAccept(t, auth(lenient, p("%s", payload).client()))
		}
		for _, payload := range []string{
			`{"exp":true}`, `{"exp":null}`, `{"exp":{}}`, `{"exp":[1]}`, `{"exp":"1e12"}`, `{"exp":"soon"}`,
			`{"exp":" 99999999999"}`, `{"exp":"99999999999."}`, `{"exp":""}`, `{"nbf":"1e3"}`, `{"nbf":false}`,
			fmt.Sprintf(`{"exp":"%d"}`, n-60), fmt.Sprintf(`{"nbf":"%d.5"}`, n+60),
		} {
			wantDeny86(t, auth(a, p("%s", payload).client()), "")
		}
	})
	t.Run("JWT-CLAIM-06 whole seconds, no leeway", func(t *testing.T) {
		wantDeny86(t, auth(a, p(`{"exp":%d}`, n).client()), CheckExp)
		wantAccept(t, auth(a, p(`{"nbf":%d}`, n).client()))
		// The broker's clock 0.9 s into the second still counts as n.
		env := testEnv(t)
		env.Now = func() time.Time { return now.Add(900 * time.Millisecond) }
		late := build(t, env, hmacCfg)
		wantDeny86(t, auth(late, p(`{"exp":%d}`, n).client()), CheckExp)
		wantAccept(t, auth(late, p(`{"exp":%d}`, n+1).client()))
	})
	t.Run("JWT-CLAIM-07 is_superuser values", func(t *testing.T) {
		yes := []string{`true`, `"true"`, `"1"`, `1`, `2`, `"2"`, `"+3"`, `123456789012345678901234567890`}
		no := []string{`false`, `0`, `"yes"`, `1.0`, `null`, `"0"`, `""`, `"false"`, `-1`, `"-1"`, `[1]`, `{}`, `"True"`, `" 1"`, `1e0`}
		for _, v := range yes {
			r := auth(a, p(`{"is_superuser":%s}`, v).client())
			wantAccept(t, r)
			if !r.Identity.Superuser {
				t.Errorf("is_superuser %s: not a superuser", v)
			}
		}
		for _, v := range no {
			r := auth(a, p(`{"is_superuser":%s}`, v).client())
			wantAccept(t, r)
			if r.Identity.Superuser {
				t.Errorf("is_superuser %s: a superuser", v)
			}
		}
	})
	t.Run("JWT-CLAIM-08 clientid_override", func(t *testing.T) {
		r := auth(a, p(`{"clientid_override":"new-id"}`).client())
		wantAccept(t, r)
		if r.Identity.ClientIDOverride != "new-id" {
			t.Fatalf("override %q", r.Identity.ClientIDOverride)
		}
		for _, v := range []string{`""`, `5`, `null`, `["x"]`} {
			r := auth(a, p(`{"clientid_override":%s}`, v).client())
			wantAccept(t, r)
			if r.Identity.ClientIDOverride != "" {
				t.Fatalf("override from %s: %q", v, r.Identity.ClientIDOverride)
			}
		}
	})
	t.Run("JWT-CLAIM-09 fractional exp", func(t *testing.T) {
		wantBF(t, auth(a, p(`{"exp":%d.5}`, n+10).client()), CheckExp)
		wantBF(t, auth(a, p(`{"exp":"%d.5"}`, n+10).client()), CheckExp)
		wantBF(t, auth(a, p(`{"exp":%d.0}`, n+10).client()), CheckExp)
		off := build(t, testEnv(t), `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","disconnect_after_expire":false}`)
		r := auth(off, p(`{"exp":%d.5}`, n+10).client())
		wantAccept(t, r)
		if r.Identity.DisconnectOnExpire || !r.Identity.ExpireAt.Equal(now.Add(10500*time.Millisecond)) {
			t.Fatalf("identity %+v", r.Identity)
		}
		// An expired fraction is refused by the exp check first.
		wantDeny86(t, auth(a, p(`{"exp":%d.5}`, n-10).client()), CheckExp)
	})
	t.Run("JWT-EXP-01 integral exp sets the disconnect timer", func(t *testing.T) {
		r := auth(a, p(`{"exp":%d}`, n+30).client())
		wantAccept(t, r)
		if !r.Identity.DisconnectOnExpire || !r.Identity.ExpireAt.Equal(now.Add(30*time.Second)) {
			t.Fatalf("identity %+v", r.Identity)
		}
	})
	t.Run("JWT-EXP-02 disconnect_after_expire false keeps ExpireAt for the ACL", func(t *testing.T) {
		off := build(t, testEnv(t), `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","disconnect_after_expire":false}`)
		r := auth(off, p(`{"exp":"%d"}`, n+30).client())
		wantAccept(t, r)
		if r.Identity.DisconnectOnExpire || !r.Identity.ExpireAt.Equal(now.Add(30*time.Second)) {
			t.Fatalf("identity %+v", r.Identity)
		}
	})
}

func TestClientAttrs(t *testing.T) {
	a := build(t, testEnv(t), hmacCfg)
	p := func(attrs string) *authnClientToken {
		return &authnClientToken{tokenWith(t, `{"client_attrs":`+attrs+`}`)}
	}
	t.Run("JWT-ATTR-01 string attributes", func(t *testing.T) {
		r := auth(a, p(`{"role":"admin","sn":"1234"}`).client())
		wantAccept(t, r)
		if !reflect.DeepEqual(r.Identity.ClientAttrs, map[string]string{"role": "admin", "sn": "1234"}) {
			t.Fatalf("attrs %v", r.Identity.ClientAttrs)
		}
	})
	t.Run("JWT-ATTR-02 invalid keys dropped", func(t *testing.T) {
		r := auth(a, p(`{"ok-1_x":"v","-bad":"v","b@d":"v","":"v","_x":5,"ünï":"v","x y":"v"}`).client())
		wantAccept(t, r)
		if !reflect.DeepEqual(r.Identity.ClientAttrs, map[string]string{"ok-1_x": "v"}) {
			t.Fatalf("attrs %v", r.Identity.ClientAttrs)
		}
	})
	t.Run("JWT-ATTR-03 non-string values are a backend failure", func(t *testing.T) {
		for _, attrs := range []string{`{"a":1}`, `{"a":true}`, `{"a":null}`, `{"a":{}}`, `{"a":[1000]}`, `"x"`, `["a"]`, `5`, `null`} {
			wantBF(t, auth(a, p(attrs).client()), CheckClientAttrs)
		}
		r := auth(a, p(`{"a":["a","b"],"n":["x",["y"],[]],"bytes":[104,105]}`).client())
		wantAccept(t, r)
		if !reflect.DeepEqual(r.Identity.ClientAttrs, map[string]string{"a": "ab", "n": "xy", "bytes": "hi"}) {
			t.Fatalf("attrs %v", r.Identity.ClientAttrs)
		}
	})
}

func TestACLClaim(t *testing.T) {
	t.Run("JWT-ACL-07 no acl claim brings no rules", func(t *testing.T) {
		a := build(t, testEnv(t), hmacCfg)
		r := auth(a, (&authnClientToken{tokenWith(t, `{"sub":"x"}`)}).client())
		wantAccept(t, r)
		if r.Identity.Rules != nil {
			t.Fatal("rules without an acl claim")
		}
		// acl_claim_name: a claim under the default name is not looked at.
		named := build(t, testEnv(t), `{"mechanism":"jwt","algorithm":"hmac-based","secret":"emqxsecret","acl_claim_name":"perm"}`)
		r = auth(named, (&authnClientToken{tokenWith(t, `{"acl":"not an acl"}`)}).client())
		wantAccept(t, r)
	})
	t.Run("JWT-ACL-09 a claim that is neither object nor list is a backend failure", func(t *testing.T) {
		a := build(t, testEnv(t), hmacCfg)
		for _, v := range []string{`"x"`, `5`, `true`} {
			wantBF(t, auth(a, (&authnClientToken{tokenWith(t, `{"acl":`+v+`}`)}).client()), CheckACL)
		}
	})
}

type authnClientToken struct{ tok string }

func (c *authnClientToken) client() *clientinfo.Client { return passwordClient(c.tok) }

// TestACLClaimMapping checks how authz's answer becomes a result:
// ErrInvalidRule is 0x86 (JWT-ACL-09), any other error a backend failure,
// success an Accept carrying the rules.
func TestACLClaimMapping(t *testing.T) {
	a := build(t, testEnv(t), hmacCfg)
	for acl, want := range map[string]string{
		`{"pub":["a/#"],"sub":["b"]}`: "accept",
		`{}`:                          "accept",
		`[{"permission":"allow","action":"publish","topic":"a/b"}]`:       "accept",
		`[{"permission":"maybe","action":"publish","topic":"a/b"}]`:       "deny",
		`[{"action":"publish","topic":"a/b"}]`:                            "deny",
		`[{"permission":"allow","action":"publish","topic":"a","qos":3}]`: "deny",
		`"pub a/b"`: "bf",
		`42`:        "bf",
	} {
		var v any
		if err := json.Unmarshal([]byte(acl), &v); err != nil {
			t.Fatal(err)
		}
		_, perr := authz.ParseTokenACL(v)
		r := auth(a, (&authnClientToken{tokenWith(t, `{"acl":`+acl+`}`)}).client())
		switch want {
		case "accept":
			wantAccept(t, r)
			if perr != nil || r.Identity.Rules == nil {
				t.Fatalf("%s: no rules (%v)", acl, perr)
			}
		case "deny":
			if !errors.Is(perr, authz.ErrInvalidRule) {
				t.Fatalf("%s: authz says %v", acl, perr)
			}
			wantDeny86(t, r, CheckACL)
		default:
			wantBF(t, r, CheckACL)
		}
	}
}
