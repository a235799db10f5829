package keycheck

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func obj(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func paths(us []Unknown) string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.String()
	}
	return strings.Join(out, " ")
}

// TestAuthenticatorTypos: a key the reference's parser does not know is
// found at every depth and in every mode, and nothing else is.
func TestAuthenticatorTypos(t *testing.T) {
	cases := []struct{ name, cfg, want string }{
		{"jwt hmac, top level", `{"mechanism":"jwt","algorithm":"hmac-based","secret":"s","extra_claims":{"a":"b"}}`, "extra_claims"},
		{"jwt, every known key", `{"mechanism":"jwt","from":"password","use_jwks":false,"algorithm":"hmac-based","secret":"s","secret_base64_encoded":false,
			"verify_claims":{"sub":"${clientid}","any-claim":"x"},"acl_claim_name":"acl","disconnect_after_expire":true,"on_missing_jwt":"ignore","enable":true,"precondition":""}`, ""},
		{"jwt, two typos", `{"mechanism":"jwt","algorithm":"hmac-based","secret":"s","frm":"password","verify_claim":{}}`, "frm verify_claim"},
		{"jwt public key from a path on the broker's host", `{"mechanism":"jwt","algorithm":"public-key","public_key":"/etc/broker/key.pem","acl_claim":"acl"}`, "acl_claim"},
		{"jwt jwks, ssl", `{"mechanism":"jwt","use_jwks":true,"endpoint":"http://127.0.0.1:1/k","ssl":{"enable":false,"verfy":"verify_none","sni":"x"}}`, "ssl.sni ssl.verfy"},
		{"jwt jwks, headers are free-form", `{"mechanism":"jwt","use_jwks":true,"endpoint":"http://127.0.0.1:1/k","headers":{"X-Anything":"1"},"refresh_intervall":1}`, "refresh_intervall"},
		{"jwt jwks beside algorithm", `{"mechanism":"jwt","use_jwks":true,"endpoint":"http://127.0.0.1:1/k","algorithm":"public-key"}`, "algorithm"},
		{"jwt verify_claims list item", `{"mechanism":"jwt","algorithm":"hmac-based","secret":"s","verify_claims":[{"name":"sub","value":"x","op":"eq"}]}`, "verify_claims[0].op"},
		{"built-in database, hash", `{"mechanism":"password_based","backend":"built_in_database","user_id_type":"username",
			"password_hash_algorithm":{"name":"sha256","salt_postion":"prefix"}}`, "password_hash_algorithm.salt_postion"},
		{"built-in database, top", `{"mechanism":"password_based","backend":"built_in_database","user_id":"username"}`, "user_id"},
		{"scram http", `{"mechanism":"scram","backend":"http","method":"post","url":"http://127.0.0.1:1/a","body":{"anything":"${username}"},"headers":{"X-A":"1"},"timeout":"5s"}`, "timeout"},
		{"scram http, ssl", `{"mechanism":"scram","backend":"http","method":"post","url":"http://127.0.0.1:1/a","ssl":{"enable":false,"verfy":"verify_none"}}`, "ssl.verfy"},
		{"a value the reference refuses is no unknown key", `{"mechanism":"password_based","backend":"built_in_database","password_hash_algorithm":{"name":"bcrypt","salt_rounds":10}}`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			us, err := Authenticator(obj(t, c.cfg))
			if err != nil {
				t.Fatal(err)
			}
			if got := paths(us); got != c.want {
				t.Errorf("unknown keys %q, want %q", got, c.want)
			}
		})
	}
}

func TestAuthenticatorCannotBeChecked(t *testing.T) {
	_, err := Authenticator(obj(t, `{"mechanism":"password_based","backend":"mysql","server":"x"}`))
	if !errors.Is(err, ErrUnknownAuthenticator) || !strings.Contains(err.Error(), "password_based:mysql") {
		t.Errorf("unknown backend: %v", err)
	}
	_, err = Authenticator(obj(t, `{"mechanism":"jwt","algorithm":"hmac","secret":"s"}`))
	if err == nil || !strings.Contains(err.Error(), "algorithm") {
		t.Errorf("a mode value the reference refuses: %v, want an error naming algorithm", err)
	}
}

func TestAuthorizationTypos(t *testing.T) {
	cases := []struct{ cfg, want string }{
		{`{"no_match":"deny","deny_action":"ignore","cache":{"enable":false},"sources":[]}`, ""},
		{`{"no_macth":"deny"}`, "no_macth"},
		{`{"cache":{"enabel":false,"ttl":"1m"}}`, "cache.enabel"},
		{`{"sources":[{"type":"file","enable":true,"rules":"{allow, all}.","rule":"x"}]}`, "sources[0].rule"},
		{`{"topic_template_allow":{"plus":true,"minus":true}}`, "topic_template_allow.minus"},
	}
	for _, c := range cases {
		if got := paths(Authorization(obj(t, c.cfg))); got != c.want {
			t.Errorf("%s: unknown keys %q, want %q", c.cfg, got, c.want)
		}
	}
}

func TestSplitPath(t *testing.T) {
	for in, want := range map[string]string{
		"a":                      "a",
		"ssl.verfy":              "ssl|verfy",
		"verify_claims[0].extra": "verify_claims|[0]|extra",
		"sources[10]":            "sources|[10]",
	} {
		if got := strings.Join(splitPath(in), "|"); got != want {
			t.Errorf("splitPath(%q) = %q, want %q", in, got, want)
		}
		if got := joinPath(splitPath(in)); got != in {
			t.Errorf("joinPath(splitPath(%q)) = %q", in, got)
		}
	}
}
