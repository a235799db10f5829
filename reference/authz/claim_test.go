package authz

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// decode reads JSON as the JWT authenticator hands claims over: json.Number
// for numbers, so 1 and 1.0 stay apart.
func decode(t testing.TB, s string) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

func TestParseTokenACLErrors(t *testing.T) {
	cases := []struct {
		id, claim string
		want      error // nil: parses
	}{
		{"JWT-ACL-01", `{}`, nil},
		{"JWT-ACL-01", `{"pub": ["a"], "other": 1}`, nil},
		// EMQX accepts any object at CONNECT; a bad list fails at check time.
		{"JWT-ACL-01", `{"pub": "a"}`, nil},
		{"JWT-ACL-05", `[]`, nil},
		{"JWT-ACL-05", `[{"permission": "allow", "action": "publish", "topic": "t"}]`, nil},
		{"JWT-ACL-09", `"pub"`, ErrWrongType},
		{"JWT-ACL-09", `42`, ErrWrongType},
		{"JWT-ACL-09", `null`, ErrWrongType},
		{"JWT-ACL-09", `true`, ErrWrongType},
		{"JWT-ACL-09", `[{"permission": "invalid"}]`, ErrInvalidRule},
		{"JWT-ACL-09", `[{"action": "pub", "topic": "t"}]`, ErrInvalidRule},
		{"JWT-ACL-09", `[{"permission": "allow", "action": "pub"}]`, ErrInvalidRule},
		{"JWT-ACL-09", `[{"permission": "allow", "action": "pub", "topic": 1}]`, ErrInvalidRule},
		{"JWT-ACL-09", `[{"permission": "invalid", "action": "pub", "topic": "t"}]`, ErrInvalidRule},
		{"JWT-ACL-09", `[{"permission": "Allow", "action": "pub", "topic": "t"}]`, ErrInvalidRule},
		{"JWT-ACL-09", `[{"permission": "allow", "action": "invalid", "topic": "t"}]`, ErrInvalidRule},
		{"JWT-ACL-09", `[{"permission": "allow", "action": "pub", "topics": ["t"], "qos": 3}]`, ErrInvalidRule},
		{"JWT-ACL-09", `[{"permission": "allow", "action": "pub", "topic": "t", "retain": "yes"}]`, ErrInvalidRule},
		{"JWT-ACL-09", `[{"permission": "allow", "action": "pub", "topic": "t", "retain": 2}]`, ErrInvalidRule},
		{"JWT-ACL-09", `[{"permission": "allow", "action": "pub", "topic": "t", "username_re": "("}]`, ErrInvalidRule},
		{"JWT-ACL-09", `[{"permission": "allow", "action": "pub", "topic": "t", "clientid_re": ""}]`, ErrInvalidRule},
		{"JWT-ACL-09", `[{"permission": "allow", "action": "pub", "topic": "t", "zone": ""}]`, ErrInvalidRule},
		{"JWT-ACL-09", `[{"permission": "allow", "action": "pub", "topic": "t", "ipaddr": 1}]`, ErrInvalidRule},
		{"JWT-ACL-09", `["allow"]`, ErrInvalidRule},
		{"JWT-ACL-09", `[{"permission": "allow", "action": "pub", "topic": "t"}, {"permission": "deny"}]`, ErrInvalidRule},
		// EMQX's compiler crashes on these instead of refusing the rule: BF.
		{"JWT-ACL-09", `[{"permission": "allow", "action": "pub", "topics": ["t", 1]}]`, ErrWrongType},
		{"JWT-ACL-09", `[{"permission": "allow", "action": "pub", "topic": "t", "ipaddr": "1.2.3.4/33"}]`, ErrWrongType},
		{"JWT-ACL-09", `[{"permission": "allow", "action": "pub", "topic": "t", "ipaddr": "host"}]`, ErrWrongType},
		{"JWT-ACL-10", `[{"permission": "allow", "action": "sub", "topics": ["a", "b"]}]`, nil},
		{"JWT-ACL-10", `[{"permission": "allow", "action": "publish", "topic": 5, "topics": ["a"]}]`, nil},
		{"JWT-ACL-11", `[{"permission": "allow", "action": "pub", "topic": "t", "qos": "0, 1"}]`, ErrInvalidRule},
		{"JWT-ACL-11", `[{"permission": "allow", "action": "pub", "topic": "t", "qos": ""}]`, ErrInvalidRule},
		{"JWT-ACL-11", `[{"permission": "allow", "action": "pub", "topic": "t", "qos": 1.0}]`, ErrInvalidRule},
		{"JWT-ACL-11", `[{"permission": "allow", "action": "pub", "topic": "t", "qos": [0, "3"]}]`, ErrInvalidRule},
		{"JWT-ACL-11", `[{"permission": "allow", "action": "pub", "topic": "t", "qos": {"a": 1}}]`, ErrInvalidRule},
		{"JWT-ACL-11", `[{"permission": "allow", "action": "pub", "topic": "t", "qos": null, "retain": null}]`, nil},
		// Subscribe rules have no retain condition, so its value is not read.
		{"JWT-ACL-11", `[{"permission": "allow", "action": "sub", "topic": "t", "retain": "yes"}]`, nil},
		{"JWT-ACL-12", `[{"permission": "allow", "action": "pub", "topic": "t", "username": 1, "clientid": [], "foo": {}}]`, nil},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			r, err := ParseTokenACL(decode(t, c.claim))
			switch {
			case c.want == nil && err != nil:
				t.Fatalf("%s: unexpected error %v", c.claim, err)
			case c.want == nil && r == nil:
				t.Fatalf("%s: nil rules without error", c.claim)
			case c.want != nil && !errors.Is(err, c.want):
				t.Fatalf("%s: error %v, want one wrapping %v", c.claim, err, c.want)
			case c.want != nil && r != nil:
				t.Fatalf("%s: rules returned with an error", c.claim)
			}
		})
	}
}

func TestParseTokenACLFormats(t *testing.T) {
	old, err := ParseTokenACL(decode(t, `{"pub": ["a"], "sub": ["b"]}`))
	if err != nil || !old.OldFormat() || old.Len() != 3 {
		t.Fatalf("JWT-ACL-01: old format: %v, %v", old, err)
	}
	list, err := ParseTokenACL(decode(t, `[{"permission": "deny", "action": "all", "topic": "x"}]`))
	if err != nil || list.OldFormat() || list.Len() != 1 {
		t.Fatalf("JWT-ACL-05: new format: %v, %v", list, err)
	}
	if s := list.String(); s != `[deny all ["x"]]` {
		t.Errorf("String() = %q", s)
	}
	var none *Rules
	if none.OldFormat() || none.Len() != 0 || none.String() != "no rules" {
		t.Errorf("nil Rules misbehave")
	}
}

func TestParseRuleList(t *testing.T) {
	// SCRAM-16: only the list form.
	if _, err := ParseRuleList(decode(t, `{"pub": ["a"]}`)); !errors.Is(err, ErrWrongType) {
		t.Errorf("SCRAM-16: object gave %v, want ErrWrongType", err)
	}
	if _, err := ParseRuleList(decode(t, `[{"permission": "allow"}]`)); !errors.Is(err, ErrInvalidRule) {
		t.Errorf("SCRAM-16: invalid rule gave %v, want ErrInvalidRule", err)
	}
	r, err := ParseRuleList(decode(t, `[{"permission": "allow", "action": "all", "topic": "t/#"}]`))
	if err != nil || r.Len() != 1 {
		t.Fatalf("SCRAM-16: %v, %v", r, err)
	}
}

func TestParseValuesWithoutUseNumber(t *testing.T) {
	// A plain json.Unmarshal gives float64; integral values count as
	// integers since 1 and 1.0 cannot be told apart any more.
	var v any
	if err := json.Unmarshal([]byte(`[{"permission": "allow", "action": "pub", "topic": "t", "qos": [1, 2], "retain": 0}]`), &v); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseTokenACL(v); err != nil {
		t.Fatalf("JWT-ACL-11: %v", err)
	}
	if err := json.Unmarshal([]byte(`[{"permission": "allow", "action": "pub", "topic": "t", "qos": 1.5}]`), &v); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseTokenACL(v); !errors.Is(err, ErrInvalidRule) {
		t.Fatalf("JWT-ACL-11: qos 1.5 gave %v", err)
	}
}

func TestErrorMessagesNameTheRule(t *testing.T) {
	_, err := ParseTokenACL(decode(t, `[{"permission": "allow", "action": "pub", "topic": "t"}, {"permission": "allow", "action": "pub", "topic": "t", "qos": 3}]`))
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("rule 2")) || !bytes.Contains([]byte(err.Error()), []byte("qos")) {
		t.Fatalf("error %v should name rule 2 and qos", err)
	}
}
