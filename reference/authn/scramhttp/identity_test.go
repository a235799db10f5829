package scramhttp

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/scram"
)

// withExtra replaces user u's answer extras.
func (r *rig) withExtra(extra map[string]any) {
	r.t.Helper()
	r.addUser(scrambackend.User{Name: "u", Password: "p", Extra: extra})
}

// SCRAM-07, -14: expire_at.
func TestExpireAt(t *testing.T) {
	r := newRig(t, nil)
	future := fixedNow.Unix() + 3600
	r.withExtra(map[string]any{"expire_at": future})
	res := r.mustAccept(scram.SHA256, "u", "p")
	if !res.Identity.ExpireAt.Equal(time.Unix(future, 0)) || !res.Identity.DisconnectOnExpire {
		t.Fatalf("identity %+v", res.Identity)
	}
	// Equal to now is not in the past.
	r.withExtra(map[string]any{"expire_at": fixedNow.Unix()})
	r.mustAccept(scram.SHA256, "u", "p")
	for name, v := range map[string]any{
		"past":         fixedNow.Unix() - 1,
		"negative":     -5,
		"milliseconds": fixedNow.UnixMilli() + 60_000,
		"float":        json.Number("1800003600.0"),
		"exponent":     json.Number("1.8e9"),
		"string":       "1800003600",
		"bool":         true,
		"null":         nil,
		"object":       map[string]any{},
		"huge":         json.Number("99999999999999999999999"),
	} {
		r.withExtra(map[string]any{"expire_at": v})
		if res := r.mustIgnoreAt("expire-at"); res.Detail == "" {
			t.Errorf("%s: no detail", name)
		}
	}
	// Just under half the current time in ms is still seconds.
	r.withExtra(map[string]any{"expire_at": fixedNow.UnixMilli() / 2})
	r.mustAccept(scram.SHA256, "u", "p")
}

// SCRAM-15, JWT-CLAIM-07 values.
func TestSuperuser(t *testing.T) {
	r := newRig(t, nil)
	for v, want := range map[any]bool{
		true: true, "true": true, "1": true, "2": true, "+3": true, json.Number("1"): true, json.Number("7"): true,
		"99999999999999999999999": true,
		false:                     false, "false": false, "0": false, "-1": false, "yes": false, json.Number("1.0"): false,
		json.Number("0"): false, "": false, " 1": false, "1a": false, "TRUE": false,
	} {
		r.withExtra(map[string]any{"is_superuser": v})
		if got := r.mustAccept(scram.SHA256, "u", "p").Identity.Superuser; got != want {
			t.Errorf("is_superuser %#v: superuser %v, want %v", v, got, want)
		}
	}
	r.withExtra(map[string]any{"is_superuser": nil})
	if r.mustAccept(scram.SHA256, "u", "p").Identity.Superuser {
		t.Error("is_superuser null made a superuser")
	}
	// Form-encoded answers carry text.
	r.backend.Force(scrambackend.Reply{Form: true})
	r.withExtra(map[string]any{"is_superuser": "true"})
	if !r.mustAccept(scram.SHA256, "u", "p").Identity.Superuser {
		t.Error("form is_superuser=true ignored")
	}
}

// SCRAM-17, JWT-ATTR-02.
func TestClientAttrs(t *testing.T) {
	r := newRig(t, nil)
	r.withExtra(map[string]any{"client_attrs": map[string]any{
		"role": "admin", "sn": "10c61f1a1f47", "a-b_c": "x", "parts": []any{"a", "b", []any{"c"}},
		"-bad": 1, "_bad": "x", "bad key": "x", "": "x", "dot.ted": "x",
	}})
	got := r.mustAccept(scram.SHA256, "u", "p").Identity.ClientAttrs
	want := map[string]string{"role": "admin", "sn": "10c61f1a1f47", "a-b_c": "x", "parts": "abc"}
	if len(got) != len(want) {
		t.Fatalf("attrs %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("attr %s = %q, want %q", k, got[k], v)
		}
	}
	for name, attrs := range map[string]any{
		"number":       map[string]any{"role": 1},
		"bool":         map[string]any{"role": true},
		"null":         map[string]any{"role": nil},
		"object":       map[string]any{"role": map[string]any{}},
		"list of nums": map[string]any{"role": []any{1}},
		"not object":   []any{"role"},
		"string":       "role=admin",
	} {
		r.withExtra(map[string]any{"client_attrs": attrs})
		if res := r.mustIgnoreAt("client-attrs"); res.Outcome != authn.Ignore {
			t.Errorf("%s: %s", name, res.Outcome)
		}
	}
}

// SCRAM-16: a list of new-format rules becomes the identity's ACL; an
// object or an invalid rule ignores the client.
func TestACL(t *testing.T) {
	r := newRig(t, nil)
	r.withExtra(map[string]any{"acl": []any{
		map[string]any{"permission": "allow", "action": "subscribe", "topic": "eq t/1/#", "qos": []any{1}},
		map[string]any{"permission": "deny", "action": "all", "topic": "t/3"},
	}})
	if res := r.mustAccept(scram.SHA256, "u", "p"); res.Identity.Rules == nil {
		t.Fatal("acl list brought no rules")
	}
	r.withExtra(map[string]any{"acl": []any{}})
	if res := r.mustAccept(scram.SHA256, "u", "p"); res.Identity.Rules == nil {
		t.Fatal("empty acl list brought no rules")
	}
	for name, acl := range map[string]any{
		"old-format object": map[string]any{"pub": []any{"t/1"}},
		"string":            "allow all",
		"null":              nil,
		"bad permission":    []any{map[string]any{"permission": "maybe", "action": "all", "topic": "t"}},
		"no topic":          []any{map[string]any{"permission": "allow", "action": "all"}},
		"qos 3":             []any{map[string]any{"permission": "allow", "action": "publish", "topic": "t", "qos": 3}},
	} {
		r.withExtra(map[string]any{"acl": acl})
		if res := r.mustIgnoreAt("acl"); res.Detail == "" {
			t.Errorf("%s: no detail", name)
		}
	}
}

// SCRAM-18: clientid_override is ignored.
func TestClientIDOverrideIgnored(t *testing.T) {
	r := newRig(t, nil)
	r.withExtra(map[string]any{"clientid_override": "other"})
	if res := r.mustAccept(scram.SHA256, "u", "p"); res.Identity.ClientIDOverride != "" {
		t.Fatalf("override %q", res.Identity.ClientIDOverride)
	}
}
