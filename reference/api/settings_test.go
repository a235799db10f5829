package api

import (
	"net/http"
	"strings"
	"testing"
)

const wantDefaultCache = `"cache":{"enable":true,"excludes":[],"max_size":32,"ttl":"1m"}`

func TestAuthorizationSettings(t *testing.T) {
	a := newAPITest(t)
	r := a.do("GET", "/authorization/settings", "")
	a.expect(r, http.StatusOK, "")
	// Only the settings' own fields, the cache with EMQX's defaults filled.
	if want := `{` + wantDefaultCache + `,"deny_action":"ignore","ignore_backend_failures":false,"no_match":"allow"}`; string(r.body) != want {
		t.Fatalf("GET %s\nwant %s", r.body, want)
	}

	put := `{"no_match":"deny","deny_action":"disconnect","cache":{"enable":false,"max_size":8,"ttl":"5s","excludes":["a/#"]},"ignore_backend_failures":true}`
	want := `{"cache":{"enable":false,"excludes":["a/#"],"max_size":8,"ttl":"5s"},"deny_action":"disconnect","ignore_backend_failures":true,"no_match":"deny"}`
	r = a.do("PUT", "/authorization/settings", put)
	a.expect(r, http.StatusOK, "")
	if string(r.body) != want {
		t.Fatalf("PUT answered %s\nwant %s", r.body, want)
	}
	if r = a.do("GET", "/authorization/settings", ""); string(r.body) != want {
		t.Fatalf("GET after PUT: %s", r.body)
	}

	// A refused value leaves the settings in force.
	r = a.do("PUT", "/authorization/settings", `{"no_match":"maybe","deny_action":"ignore","cache":{"enable":true}}`)
	a.expect(r, http.StatusBadRequest, "BAD_REQUEST")
	if e := r.apiError(t); !strings.Contains(e.Message, "no_match") {
		t.Errorf("message %q", e.Message)
	}
	if r = a.do("GET", "/authorization/settings", ""); string(r.body) != want {
		t.Fatalf("GET after a refused PUT: %s", r.body)
	}
	a.expect(a.do("PUT", "/authorization/settings", `"deny"`), http.StatusBadRequest, "BAD_REQUEST")
	a.expect(a.do("PUT", "/authorization/settings", `{"no_match":`), http.StatusBadRequest, "BAD_REQUEST")
}

// EMQX drops unknown top-level fields of the settings body, "sources"
// among them: sources change only through their own endpoints.
func TestAuthorizationSettingsIgnoreSources(t *testing.T) {
	a := newAPITest(t)
	r := a.do("PUT", "/authorization/settings",
		`{"no_match":"deny","deny_action":"ignore","cache":{"enable":false},"sources":[{"type":"file","rules":""}],"bogus":1}`)
	a.expect(r, http.StatusOK, "")
	if strings.Contains(string(r.body), "sources") || strings.Contains(string(r.body), "bogus") {
		t.Fatalf("PUT answered %s", r.body)
	}
	r = a.do("GET", "/authorization/sources", "")
	if string(r.body) != `{"sources":[]}` {
		t.Fatalf("sources after a settings PUT: %s", r.body)
	}
}

// A PUT missing fields gets EMQX 6.x's defaults for them.
func TestAuthorizationSettingsDefaults(t *testing.T) {
	a := newAPITest(t)
	r := a.do("PUT", "/authorization/settings", `{"cache":{"enable":false}}`)
	a.expect(r, http.StatusOK, "")
	want := `{"cache":{"enable":false,"excludes":[],"max_size":32,"ttl":"1m"},"deny_action":"ignore","ignore_backend_failures":false,"no_match":"deny"}`
	if string(r.body) != want {
		t.Fatalf("PUT answered %s\nwant %s", r.body, want)
	}
}
