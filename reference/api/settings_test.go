package api

import (
	"net/http"
	"strings"
	"testing"
)

func TestAuthorizationSettings(t *testing.T) {
	a := newAPITest(t)
	r := a.do("GET", "/authorization/settings", "")
	a.expect(r, http.StatusOK, "")
	var s map[string]any
	r.json(t, &s)
	if s["no_match"] != "allow" {
		t.Fatalf("settings %s", r.body)
	}
	put := `{"no_match":"deny","deny_action":"disconnect","cache":{"enable":false}}`
	r = a.do("PUT", "/authorization/settings", put)
	a.expect(r, http.StatusOK, "")
	if string(r.body) != put {
		t.Fatalf("PUT answered %s", r.body)
	}
	r = a.do("GET", "/authorization/settings", "")
	if string(r.body) != put {
		t.Fatalf("GET after PUT: %s", r.body)
	}
	r = a.do("PUT", "/authorization/settings", `{"no_match":"maybe"}`)
	a.expect(r, http.StatusBadRequest, "BAD_REQUEST")
	if e := r.apiError(t); !strings.Contains(e.Message, "no_match") {
		t.Errorf("message %q", e.Message)
	}
	a.expect(a.do("PUT", "/authorization/settings", `"deny"`), http.StatusBadRequest, "BAD_REQUEST")
}
