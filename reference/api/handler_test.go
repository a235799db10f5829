package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestNewRequiresBackendAndKey(t *testing.T) {
	if _, err := New(newFake()); err == nil {
		t.Error("no API key accepted")
	}
	if _, err := New(nil, WithAPIKey("k", "s")); err == nil {
		t.Error("no backend accepted")
	}
	if _, err := New(newFake(), WithAPIKey("k", "s"), WithMaxBody(0)); err == nil {
		t.Error("zero body limit accepted")
	}
}

func TestBasicAuth(t *testing.T) {
	a := newAPITest(t)
	for _, tc := range []struct{ name, key, secret string }{
		{"none", "", ""},
		{"wrong secret", testKey, "nope"},
		{"wrong key", "nope", testSecret},
		{"secret prefix", testKey, testSecret[:3]},
		{"swapped", testSecret, testKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.doAuth("GET", "/authentication", "", tc.key, tc.secret)
			a.expect(r, http.StatusUnauthorized, "BAD_API_KEY_OR_SECRET")
			if r.header.Get("WWW-Authenticate") == "" {
				t.Error("no WWW-Authenticate header")
			}
		})
	}
	// Unknown paths are not revealed to unauthenticated callers either.
	a.expect(a.doAuth("GET", "/nowhere", "", "", ""), http.StatusUnauthorized, "BAD_API_KEY_OR_SECRET")
	a.expect(a.do("GET", "/authentication", ""), http.StatusOK, "")
}

func TestStatusNeedsNoCredentials(t *testing.T) {
	a := newAPITest(t, WithNode("ref@127.0.0.1", "1.2.3"))
	r := a.doAuth("GET", "/status", "", "", "")
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "Node ref@127.0.0.1 is started") {
		t.Fatalf("status: %d %s", r.status, r.body)
	}
	r = a.doAuth("GET", "/status?format=json", "", "", "")
	var s map[string]string
	r.json(t, &s)
	if s["broker_status"] != "started" || s["rel_vsn"] != "1.2.3" || s["node_name"] != "ref@127.0.0.1" {
		t.Fatalf("status JSON: %s", r.body)
	}
	a.expect(a.doAuth("POST", "/status", "", "", ""), http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED")
}

func TestUnknownPathAndMethod(t *testing.T) {
	a := newAPITest(t)
	a.expect(a.do("GET", "/nowhere", ""), http.StatusNotFound, "NOT_FOUND")
	r := a.do("PATCH", "/authentication", "{}")
	a.expect(r, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED")
	if got := r.header.Get("Allow"); got != "GET, POST" {
		t.Errorf("Allow %q", got)
	}
	// EMQX moves authenticators with PUT only.
	a.expect(a.do("POST", "/authentication/jwt/position/front", ""), http.StatusMethodNotAllowed, "")
}

func TestMalformedBodies(t *testing.T) {
	a := newAPITest(t)
	a.expect(a.do("POST", "/authentication", builtinConfig), http.StatusOK, "")
	big := `{"mechanism":"jwt","secret":"` + strings.Repeat("x", DefaultMaxBody) + `"}`
	endpoints := []struct{ method, path string }{
		{"POST", "/authentication"},
		{"PUT", builtinPath},
		{"PUT", "/authentication/order"},
		{"PUT", "/authentication/settings"},
		{"POST", builtinPath + "/users"},
		{"PUT", builtinPath + "/users/u1"},
		{"PUT", "/authorization/settings"},
		{"POST", "/authorization/sources"},
		{"PUT", "/authorization/sources/file"},
		{"POST", "/authorization/sources/file/move"},
		{"PUT", "/authorization/sources/order"},
	}
	a.expect(a.do("POST", "/authorization/sources", `{"type":"file","rules":""}`), http.StatusNoContent, "")
	for _, ep := range endpoints {
		for _, tc := range []struct {
			name, body string
			status     int
		}{
			{"not JSON", `{"mechanism": jwt}`, http.StatusBadRequest},
			{"truncated", `{"mechanism": "jwt"`, http.StatusBadRequest},
			{"empty", ``, http.StatusBadRequest},
			{"two documents", `{} {}`, http.StatusBadRequest},
			{"too large", big, http.StatusRequestEntityTooLarge},
		} {
			t.Run(ep.method+" "+ep.path+" "+tc.name, func(t *testing.T) {
				r := a.do(ep.method, ep.path, tc.body)
				a.expect(r, tc.status, "BAD_REQUEST")
			})
		}
	}
	// Endpoints taking an object refuse other JSON values, naming what came.
	r := a.do("POST", "/authentication", `["jwt"]`)
	a.expect(r, http.StatusBadRequest, "BAD_REQUEST")
	if e := r.apiError(t); !strings.Contains(e.Message, "must be a JSON object, got an array") {
		t.Errorf("message %q", e.Message)
	}
}

func TestBackendPanicAnswers500(t *testing.T) {
	a := newAPITest(t)
	a.fake.panicOn = "ListAuthenticators"
	a.expect(a.do("GET", "/authentication", ""), http.StatusInternalServerError, "INTERNAL_ERROR")
	a.fake.panicOn = ""
	a.expect(a.do("GET", "/authentication", ""), http.StatusOK, "")
}

func TestRedactAndDeobfuscate(t *testing.T) {
	obj, err := showConfig(Authenticator{ID: "jwt", Config: json.RawMessage(jwtConfig)}, true)
	if err != nil {
		t.Fatal(err)
	}
	headers := obj["headers"].(map[string]any)
	if obj["secret"] != redacted || headers["Authorization"] != redacted || headers["accept"] != "application/json" {
		t.Fatalf("redacted: %v", obj)
	}
	if obj["id"] != "jwt" || obj["algorithm"] != "hmac-based" {
		t.Fatalf("shown: %v", obj)
	}
	update := `{"mechanism":"jwt","secret":"******","headers":{"Authorization":"******","x":"1"},"iteration_count":12345678901234567890}`
	out, err := deobfuscate(json.RawMessage(update), json.RawMessage(jwtConfig))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if got["secret"] != "emqxsecret" || got["headers"].(map[string]any)["Authorization"] != "Bearer x" {
		t.Fatalf("deobfuscated: %s", out)
	}
	if !strings.Contains(string(out), "12345678901234567890") {
		t.Fatalf("large integer not kept exactly: %s", out)
	}
	// A redacted value with nothing stored stays as sent: the backend then
	// judges it.
	out, _ = deobfuscate(json.RawMessage(`{"password":"******"}`), json.RawMessage(`{}`))
	if string(out) != `{"password":"******"}` {
		t.Fatalf("got %s", out)
	}
}

func TestParsePosition(t *testing.T) {
	for in, want := range map[string]string{"front": "front", "rear": "rear", "before:jwt": "before:jwt",
		"after:password_based:built_in_database": "after:password_based:built_in_database"} {
		p, ok := ParsePosition(in)
		if !ok || p.String() != want {
			t.Errorf("ParsePosition(%q) = %v %v", in, p, ok)
		}
	}
	for _, bad := range []string{"", "before:", "after:", "top", "Front", "before"} {
		if _, ok := ParsePosition(bad); ok {
			t.Errorf("ParsePosition(%q) accepted", bad)
		}
	}
}
