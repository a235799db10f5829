package api

import (
	"net/http"
	"strings"
	"testing"
)

const (
	fileSource    = `{"type":"file","enable":true,"rules":"{allow, all}."}`
	builtinSource = `{"type":"built_in_database","enable":true}`
)

func sourceTypesOf(t *testing.T, a *apiTest) string {
	t.Helper()
	r := a.do("GET", "/authorization/sources", "")
	a.expect(r, http.StatusOK, "")
	var list struct {
		Sources []map[string]any `json:"sources"`
	}
	r.json(t, &list)
	var types []string
	for _, s := range list.Sources {
		types = append(types, s["type"].(string))
	}
	return strings.Join(types, ",")
}

// The life of a source, with EMQX's statuses and error bodies
// (emqx_authz_api_sources_SUITE:t_api).
func TestSourceLifecycle(t *testing.T) {
	a := newAPITest(t)
	if got := sourceTypesOf(t, a); got != "" {
		t.Fatalf("sources at start: %s", got)
	}
	r := a.do("GET", "/authorization/sources/file", "")
	a.expect(r, http.StatusNotFound, "NOT_FOUND")
	if e := r.apiError(t); e.Message != "Not found: file" {
		t.Errorf("message %q", e.Message)
	}
	a.expect(a.do("POST", "/authorization/sources", fileSource), http.StatusNoContent, "")
	// POST puts the new source first.
	a.expect(a.do("POST", "/authorization/sources", builtinSource), http.StatusNoContent, "")
	if got := sourceTypesOf(t, a); got != "built_in_database,file" {
		t.Fatalf("after two POSTs: %s", got)
	}
	r = a.do("GET", "/authorization/sources/file", "")
	a.expect(r, http.StatusOK, "")
	if string(r.body) != `{"enable":true,"rules":"{allow, all}.","type":"file"}` {
		t.Fatalf("GET file: %s", r.body)
	}

	// PUT replaces in place.
	a.expect(a.do("PUT", "/authorization/sources/file", `{"type":"file","enable":false,"rules":""}`), http.StatusNoContent, "")
	if got := sourceTypesOf(t, a); got != "built_in_database,file" {
		t.Fatalf("after PUT: %s", got)
	}
	r = a.do("GET", "/authorization/sources/file", "")
	if !strings.Contains(string(r.body), `"enable":false`) {
		t.Fatalf("GET after PUT: %s", r.body)
	}
	r = a.do("PUT", "/authorization/sources/file", builtinSource)
	a.expect(r, http.StatusBadRequest, "BAD_REQUEST")
	if e := r.apiError(t); e.Message != "Type mismatch" {
		t.Errorf("message %q", e.Message)
	}

	a.expect(a.do("DELETE", "/authorization/sources/file", ""), http.StatusNoContent, "")
	a.expect(a.do("DELETE", "/authorization/sources/file", ""), http.StatusNotFound, "NOT_FOUND")
	a.expect(a.do("PUT", "/authorization/sources/file", fileSource), http.StatusNotFound, "NOT_FOUND")
	a.expect(a.do("POST", "/authorization/sources/file/move", `{"position":"front"}`), http.StatusNotFound, "NOT_FOUND")
	if got := sourceTypesOf(t, a); got != "built_in_database" {
		t.Fatalf("after DELETE: %s", got)
	}
}

// Bad input is refused with EMQX's statuses, and the sources in force stay
// as they were.
func TestSourceBadInput(t *testing.T) {
	a := newAPITest(t)
	a.expect(a.do("POST", "/authorization/sources", fileSource), http.StatusNoContent, "")
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code, message            string
	}{
		{"duplicate", "POST", "/authorization/sources", fileSource, 400, "BAD_REQUEST", "{duplicated_authz_source_type,[file]}"},
		{"unknown type", "POST", "/authorization/sources", `{"type":"carrier-pigeon"}`, 400, "BAD_REQUEST", "unknown_authz_type"},
		{"no type", "POST", "/authorization/sources", `{"enable":true}`, 400, "BAD_REQUEST", "missing_type_field"},
		{"type not a string", "POST", "/authorization/sources", `{"type":7}`, 400, "BAD_REQUEST", "type: must be a string"},
		{"not an object", "POST", "/authorization/sources", `[]`, 400, "BAD_REQUEST", "must be a JSON object"},
		{"malformed", "POST", "/authorization/sources", `{"type":`, 400, "BAD_REQUEST", "not valid JSON"},
		{"empty", "POST", "/authorization/sources", ``, 400, "BAD_REQUEST", "empty"},
		{"refused by the backend", "POST", "/authorization/sources", `{"type":"http"}`, 400, "BAD_REQUEST", "not supported"},
		{"bad contents", "PUT", "/authorization/sources/file", `{"type":"file"}`, 400, "BAD_REQUEST", "rules"},
		{"unknown type in path", "GET", "/authorization/sources/carrier-pigeon", "", 400, "BAD_REQUEST", "carrier-pigeon"},
		{"unknown type in PUT path", "PUT", "/authorization/sources/carrier-pigeon", fileSource, 400, "BAD_REQUEST", "carrier-pigeon"},
		{"unknown type in DELETE path", "DELETE", "/authorization/sources/carrier-pigeon", "", 400, "BAD_REQUEST", "carrier-pigeon"},
		{"move of an unknown source", "POST", "/authorization/sources/http/move", `{"position":"front"}`, 404, "NOT_FOUND", "Not found: http"},
		{"move of an unknown type", "POST", "/authorization/sources/carrier-pigeon/move", `{"position":"front"}`, 400, "BAD_REQUEST", "carrier-pigeon"},
		{"move without position", "POST", "/authorization/sources/file/move", `{}`, 400, "BAD_REQUEST", "position"},
		{"move to nowhere", "POST", "/authorization/sources/file/move", `{"position":"middle"}`, 400, "BAD_REQUEST", "Invalid parameter. Unknow position"},
		{"move before nothing", "POST", "/authorization/sources/file/move", `{"position":"before:"}`, 400, "BAD_REQUEST", "empty target"},
		{"move after an unknown type", "POST", "/authorization/sources/file/move", `{"position":"after:pigeon"}`, 400, "BAD_REQUEST", "Unknown authz Source Type: pigeon"},
		{"move after an unconfigured source", "POST", "/authorization/sources/file/move", `{"position":"after:http"}`, 400, "BAD_REQUEST", "type_not_found"},
		{"order missing one", "PUT", "/authorization/sources/order", `[]`, 400, "BAD_REQUEST", "No positions are specified for authorization sources: file"},
		{"order naming an unconfigured one", "PUT", "/authorization/sources/order", `[{"type":"file"},{"type":"http"}]`, 400, "BAD_REQUEST", "Authorization sources: http are not found"},
		{"order with a duplicate", "PUT", "/authorization/sources/order", `[{"type":"file"},{"type":"file"}]`, 400, "BAD_REQUEST", "are not found"},
		{"order of an unknown type", "PUT", "/authorization/sources/order", `[{"type":"pigeon"}]`, 400, "BAD_REQUEST", "type"},
		{"order not a list", "PUT", "/authorization/sources/order", `{"type":"file"}`, 400, "BAD_REQUEST", "array"},
		{"wrong method", "PATCH", "/authorization/sources", `{}`, 405, "METHOD_NOT_ALLOWED", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.do(tc.method, tc.path, tc.body)
			a.expect(r, tc.status, tc.code)
			if e := r.apiError(t); !strings.Contains(e.Message, tc.message) {
				t.Errorf("message %q, want it to contain %q", e.Message, tc.message)
			}
			r = a.do("GET", "/authorization/sources", "")
			if string(r.body) != `{"sources":[{"enable":true,"rules":"{allow, all}.","type":"file"}]}` {
				t.Fatalf("sources changed: %s", r.body)
			}
		})
	}
}

// Moves and orders as emqx_authz_api_sources_SUITE:t_source_move and
// t_sources_reorder make them.
func TestSourceMoveAndOrder(t *testing.T) {
	a := newAPITest(t)
	a.expect(a.do("POST", "/authorization/sources", fileSource), http.StatusNoContent, "")
	a.expect(a.do("POST", "/authorization/sources", builtinSource), http.StatusNoContent, "")
	const f, b = "file", "built_in_database"
	for _, st := range []struct{ moved, position, want string }{
		{f, "front", f + "," + b},
		{f, "rear", b + "," + f},
		{f, "before:" + b, f + "," + b},
		{f, "after:" + b, b + "," + f},
		{b, "after:" + f, f + "," + b},
	} {
		a.expect(a.do("POST", "/authorization/sources/"+st.moved+"/move", `{"position":"`+st.position+`"}`), http.StatusNoContent, "")
		if got := sourceTypesOf(t, a); got != st.want {
			t.Fatalf("after moving %s to %s: %s, want %s", st.moved, st.position, got, st.want)
		}
	}
	a.expect(a.do("PUT", "/authorization/sources/order", `[{"type":"built_in_database"},{"type":"file"}]`), http.StatusNoContent, "")
	if got := sourceTypesOf(t, a); got != b+","+f {
		t.Fatalf("after order: %s", got)
	}
}

// Secrets in a source are shown redacted and survive a PUT that sends the
// redacted value back (emqx_utils:redact / deobfuscate).
func TestSourceSecretsRedacted(t *testing.T) {
	a := newAPITest(t)
	a.fake.sources = append(a.fake.sources, []byte(`{"type":"built_in_database","enable":true,"password":"hunter2"}`))
	r := a.do("GET", "/authorization/sources/built_in_database", "")
	a.expect(r, http.StatusOK, "")
	if strings.Contains(string(r.body), "hunter2") || !strings.Contains(string(r.body), `"password":"******"`) {
		t.Fatalf("GET shows %s", r.body)
	}
	r = a.do("GET", "/authorization/sources", "")
	if strings.Contains(string(r.body), "hunter2") {
		t.Fatalf("list shows %s", r.body)
	}
	a.expect(a.do("PUT", "/authorization/sources/built_in_database",
		`{"type":"built_in_database","enable":false,"password":"******"}`), http.StatusNoContent, "")
	if got := string(a.fake.sources[0]); !strings.Contains(got, "hunter2") || !strings.Contains(got, `"enable":false`) {
		t.Fatalf("stored after PUT: %s", got)
	}
}
