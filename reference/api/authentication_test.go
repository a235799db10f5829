package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func chainIDs(t *testing.T, a *apiTest) string {
	t.Helper()
	r := a.do("GET", "/authentication", "")
	a.expect(r, http.StatusOK, "")
	var list []map[string]any
	r.json(t, &list)
	var ids []string
	for _, c := range list {
		ids = append(ids, c["id"].(string))
	}
	return strings.Join(ids, ",")
}

func TestAuthenticatorLifecycle(t *testing.T) {
	a := newAPITest(t)
	r := a.do("POST", "/authentication", jwtConfig)
	a.expect(r, http.StatusOK, "")
	var created map[string]any
	r.json(t, &created)
	if created["id"] != "jwt" || created["secret"] != "emqxsecret" {
		t.Fatalf("created: %s", r.body)
	}

	r = a.do("POST", "/authentication", jwtConfig)
	a.expect(r, http.StatusConflict, "ALREADY_EXISTS")
	if e := r.apiError(t); e.Message != "Authenticator 'jwt' already exist" {
		t.Errorf("message %q", e.Message)
	}

	r = a.do("GET", "/authentication", "")
	a.expect(r, http.StatusOK, "")
	var list []map[string]any
	r.json(t, &list)
	if len(list) != 1 || list[0]["id"] != "jwt" || list[0]["secret"] != "******" {
		t.Fatalf("list: %s", r.body)
	}

	r = a.do("GET", "/authentication/jwt", "")
	a.expect(r, http.StatusOK, "")
	var one map[string]any
	r.json(t, &one)
	if one["secret"] != "******" || one["from"] != "password" {
		t.Fatalf("get: %s", r.body)
	}

	// Write back what was read, with one change: the secret survives.
	one["from"] = "username"
	delete(one, "id")
	b, _ := json.Marshal(one)
	a.expect(a.do("PUT", "/authentication/jwt", string(b)), http.StatusNoContent, "")
	stored, _ := a.fake.GetAuthenticator(t.Context(), "jwt")
	var s map[string]any
	_ = json.Unmarshal(stored.Config, &s)
	if s["secret"] != "emqxsecret" || s["from"] != "username" {
		t.Fatalf("stored after PUT: %s", stored.Config)
	}

	a.expect(a.do("PUT", "/authentication/jwt", builtinConfig), http.StatusBadRequest, "BAD_REQUEST")
	a.expect(a.do("DELETE", "/authentication/jwt", ""), http.StatusNoContent, "")
	r = a.do("GET", "/authentication/jwt", "")
	a.expect(r, http.StatusNotFound, "NOT_FOUND")
	if e := r.apiError(t); e.Message != "Authenticator 'jwt' does not exist" {
		t.Errorf("message %q", e.Message)
	}
	a.expect(a.do("PUT", "/authentication/jwt", jwtConfig), http.StatusNotFound, "NOT_FOUND")
	a.expect(a.do("DELETE", "/authentication/jwt", ""), http.StatusNotFound, "NOT_FOUND")
	if ids := chainIDs(t, a); ids != "" {
		t.Fatalf("chain not empty: %s", ids)
	}
}

// A configuration error is 400 with the backend's message naming the field
// (JWT-HMAC-04: an invalid base64 secret).
func TestConfigErrorIs400NamingTheField(t *testing.T) {
	a := newAPITest(t)
	r := a.do("POST", "/authentication", `{"mechanism":"jwt","secret":"emqxsecret","secret_base64_encoded":true}`)
	a.expect(r, http.StatusBadRequest, "BAD_REQUEST")
	if e := r.apiError(t); !strings.HasPrefix(e.Message, "secret:") {
		t.Errorf("message %q does not name the field", e.Message)
	}
	if ids := chainIDs(t, a); ids != "" {
		t.Fatalf("an authenticator was created: %s", ids)
	}
}

func TestURLEncodedIDs(t *testing.T) {
	a := newAPITest(t)
	a.expect(a.do("POST", "/authentication", builtinConfig), http.StatusOK, "")
	for _, path := range []string{builtinPath, "/authentication/password_based:built_in_database"} {
		r := a.do("GET", path, "")
		a.expect(r, http.StatusOK, "")
		var c map[string]any
		r.json(t, &c)
		if c["id"] != "password_based:built_in_database" {
			t.Fatalf("%s: %s", path, r.body)
		}
	}
}

func TestMoveAuthenticator(t *testing.T) {
	a := newAPITest(t)
	for _, c := range []string{jwtConfig, builtinConfig, scramConfig} {
		a.expect(a.do("POST", "/authentication", c), http.StatusOK, "")
	}
	const b, s = "password_based:built_in_database", "scram:http"
	steps := []struct{ id, pos, want string }{
		{"scram%3Ahttp", "front", s + ",jwt," + b},
		{"scram%3Ahttp", "rear", "jwt," + b + "," + s},
		{"jwt", "after%3Ascram%3Ahttp", b + "," + s + ",jwt"},
		{"jwt", "before:password_based%3Abuilt_in_database", "jwt," + b + "," + s},
	}
	for _, st := range steps {
		a.expect(a.do("PUT", "/authentication/"+st.id+"/position/"+st.pos, ""), http.StatusNoContent, "")
		if got := chainIDs(t, a); got != st.want {
			t.Fatalf("after %s to %s: %s, want %s", st.id, st.pos, got, st.want)
		}
	}
	for _, bad := range []string{"middle", "before%3A", "after:"} {
		r := a.do("PUT", "/authentication/jwt/position/"+bad, "")
		a.expect(r, http.StatusBadRequest, "BAD_REQUEST")
		if e := r.apiError(t); e.Message != "Invalid value for 'position'" {
			t.Errorf("%s: message %q", bad, e.Message)
		}
	}
	a.expect(a.do("PUT", "/authentication/nope/position/front", ""), http.StatusNotFound, "NOT_FOUND")
	r := a.do("PUT", "/authentication/jwt/position/before:nope", "")
	a.expect(r, http.StatusNotFound, "NOT_FOUND")
	if e := r.apiError(t); e.Message != "Authenticator 'nope' does not exist" {
		t.Errorf("message %q", e.Message)
	}
}

func TestReorderAuthenticators(t *testing.T) {
	a := newAPITest(t)
	for _, c := range []string{jwtConfig, builtinConfig} {
		a.expect(a.do("POST", "/authentication", c), http.StatusOK, "")
	}
	a.expect(a.do("PUT", "/authentication/order", `[{"id":"password_based:built_in_database"},{"id":"jwt"}]`),
		http.StatusNoContent, "")
	if got := chainIDs(t, a); got != "password_based:built_in_database,jwt" {
		t.Fatalf("order %s", got)
	}
	for _, bad := range []string{`[{"id":"jwt"}]`, `{"id":"jwt"}`, `[{"id":1}]`, `[{"id":"jwt","x":1},{"id":"y"}]`, `["jwt"]`} {
		a.expect(a.do("PUT", "/authentication/order", bad), http.StatusBadRequest, "BAD_REQUEST")
	}
}

func TestAuthenticationSettings(t *testing.T) {
	a := newAPITest(t)
	r := a.do("GET", "/authentication/settings", "")
	a.expect(r, http.StatusOK, "")
	a.expect(a.do("PUT", "/authentication/settings", `{"ignore_backend_failures":true}`), http.StatusNoContent, "")
	r = a.do("GET", "/authentication/settings", "")
	if string(r.body) != `{"ignore_backend_failures":true}` {
		t.Fatalf("settings %s", r.body)
	}
	r = a.do("PUT", "/authentication/settings", `{"bogus":1}`)
	a.expect(r, http.StatusBadRequest, "BAD_REQUEST")
	if e := r.apiError(t); !strings.Contains(e.Message, "bogus") {
		t.Errorf("message %q", e.Message)
	}
}
