package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestUsers(t *testing.T) {
	a := newAPITest(t)
	a.expect(a.do("POST", "/authentication", builtinConfig), http.StatusOK, "")
	a.expect(a.do("POST", "/authentication", jwtConfig), http.StatusOK, "")
	users := builtinPath + "/users"

	r := a.do("POST", users, `{"user_id":"alice","password":"pw","is_superuser":true}`)
	a.expect(r, http.StatusCreated, "")
	var u User
	r.json(t, &u)
	if u != (User{"alice", true}) {
		t.Fatalf("created %+v", u)
	}
	if strings.Contains(string(r.body), "pw") {
		t.Fatalf("password shown: %s", r.body)
	}
	a.expect(a.do("POST", users, `{"user_id":"alice","password":"x"}`), http.StatusConflict, "ALREADY_EXISTS")

	for body, msg := range map[string]string{
		`{"user_id":"bob"}`:                                     "Missing required parameter: password",
		`{"password":"x"}`:                                      "Missing required parameter: user_id",
		`{"user_id":"bob","password":7}`:                        "password: must be a string, got a number",
		`{"user_id":"bob","password":null}`:                     "password: must be a string, got null",
		`{"user_id":"bob","password":"x","is_superuser":"yes"}`: "is_superuser: must be a boolean, got a string",
		`{"user_id":"bob","password":"x","role":"admin"}`:       `unknown field "role"`,
		`{"user_id":"","password":"x"}`:                         "user_id: must not be empty",
	} {
		r := a.do("POST", users, body)
		a.expect(r, http.StatusBadRequest, "BAD_REQUEST")
		if e := r.apiError(t); !strings.Contains(e.Message, msg) {
			t.Errorf("%s: message %q, want %q", body, e.Message, msg)
		}
	}

	for i := range 5 {
		a.expect(a.do("POST", users, fmt.Sprintf(`{"user_id":"u%d","password":"p"}`, i)), http.StatusCreated, "")
	}
	var page usersPage
	r = a.do("GET", users+"?page=2&limit=2", "")
	a.expect(r, http.StatusOK, "")
	r.json(t, &page)
	if len(page.Data) != 2 || page.Data[0].UserID != "u1" || page.Meta != (pageMeta{Page: 2, Limit: 2, Count: 6, HasNext: true}) {
		t.Fatalf("page 2: %s", r.body)
	}
	r = a.do("GET", users+"?page=4&limit=2", "")
	r.json(t, &page)
	if len(page.Data) != 0 || page.Meta.HasNext || !strings.Contains(string(r.body), `"data":[]`) {
		t.Fatalf("page past the end: %s", r.body)
	}
	r = a.do("GET", users+"?like_user_id=u&is_superuser=false", "")
	r.json(t, &page)
	if page.Meta.Count != 5 {
		t.Fatalf("filtered: %s", r.body)
	}
	r = a.do("GET", users+"?is_superuser=true", "")
	r.json(t, &page)
	if page.Meta.Count != 1 || page.Data[0].UserID != "alice" {
		t.Fatalf("superusers: %s", r.body)
	}
	for _, q := range []string{"?page=0", "?limit=0", "?limit=10001", "?page=x"} {
		a.expect(a.do("GET", users+q, ""), http.StatusBadRequest, "INVALID_PARAMETER")
	}
	a.expect(a.do("GET", users+"?is_superuser=1", ""), http.StatusBadRequest, "BAD_REQUEST")

	r = a.do("GET", users+"/alice", "")
	a.expect(r, http.StatusOK, "")
	r = a.do("PUT", users+"/alice", `{"is_superuser":false}`)
	a.expect(r, http.StatusOK, "")
	r.json(t, &u)
	if u.IsSuperuser {
		t.Fatalf("updated %s", r.body)
	}
	a.expect(a.do("PUT", users+"/alice", `{"password":"new"}`), http.StatusOK, "")
	if got := a.fake.users["password_based:built_in_database"]["alice"].password; got != "new" {
		t.Fatalf("password not updated: %q", got)
	}
	r = a.do("PUT", users+"/alice", `{}`)
	a.expect(r, http.StatusBadRequest, "BAD_REQUEST")
	a.expect(a.do("PUT", users+"/alice", `{"user_id":"x"}`), http.StatusBadRequest, "BAD_REQUEST")
	a.expect(a.do("PUT", users+"/ghost", `{"password":"x"}`), http.StatusNotFound, "NOT_FOUND")

	a.expect(a.do("DELETE", users+"/alice", ""), http.StatusNoContent, "")
	r = a.do("GET", users+"/alice", "")
	a.expect(r, http.StatusNotFound, "NOT_FOUND")
	if e := r.apiError(t); e.Message != "User not found" {
		t.Errorf("message %q", e.Message)
	}
	a.expect(a.do("DELETE", users+"/alice", ""), http.StatusNotFound, "NOT_FOUND")

	// A user ID with reserved characters travels escaped.
	a.expect(a.do("POST", users, `{"user_id":"a/b c","password":"p"}`), http.StatusCreated, "")
	a.expect(a.do("GET", users+"/a%2Fb%20c", ""), http.StatusOK, "")

	r = a.do("POST", "/authentication/jwt/users", `{"user_id":"x","password":"p"}`)
	a.expect(r, http.StatusBadRequest, "BAD_REQUEST")
	if e := r.apiError(t); e.Message != "Operation not supported in this authentication type" {
		t.Errorf("message %q", e.Message)
	}
	r = a.do("GET", "/authentication/nope/users", "")
	a.expect(r, http.StatusNotFound, "NOT_FOUND")
	if e := r.apiError(t); e.Message != "Authenticator 'nope' does not exist" {
		t.Errorf("message %q", e.Message)
	}
}
