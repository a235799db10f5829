package emqxapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

const (
	tableStart = "<!-- fidelity table: generated from fidelity.go, see TestFidelityDocIsTheTable -->\n"
	tableEnd   = "<!-- end of the fidelity table -->\n"
)

// FIDELITY.md shows the table the end-to-end test enforces. With
// AUTHSPEC_UPDATE_FIDELITY=1 the test rewrites the document's table.
func TestFidelityDocIsTheTable(t *testing.T) {
	doc, err := os.ReadFile("FIDELITY.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	start, end := strings.Index(text, tableStart), strings.Index(text, tableEnd)
	if start < 0 || end < start {
		t.Fatalf("FIDELITY.md has no table markers %q ... %q", tableStart, tableEnd)
	}
	have := text[start+len(tableStart) : end]
	want := MarkdownTable()
	if have == want {
		return
	}
	if os.Getenv("AUTHSPEC_UPDATE_FIDELITY") == "1" {
		text = text[:start+len(tableStart)] + want + text[end:]
		if err := os.WriteFile("FIDELITY.md", []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("FIDELITY.md's table differs from fidelity.go (AUTHSPEC_UPDATE_FIDELITY=1 rewrites it):\n%s", want)
}

func TestEveryRowNamesItsSource(t *testing.T) {
	for _, r := range Fidelity {
		if !strings.Contains(r.Checked, "emqx_") || !strings.Contains(r.Checked, ":") || len(r.Statuses) == 0 {
			t.Errorf("%s %s: no EMQX module:function or no status", r.Method, r.Path)
		}
		if (r.Method == "POST" || r.Method == "PUT") != (r.Body != "") {
			t.Errorf("%s %s: a body is described exactly for POST and PUT", r.Method, r.Path)
		}
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		method, path, query, want string
	}{
		{"GET", "/api/v5/status", "format=json", "/api/v5/status?format=json"},
		{"DELETE", "/api/v5/authentication/password_based%3Abuilt_in_database", "", "/api/v5/authentication/{id}"},
		{"POST", "/api/v5/authentication/jwt/users", "", "/api/v5/authentication/{id}/users"},
		{"POST", "/api/v5/authorization/sources/file/move", "", "/api/v5/authorization/sources/{type}/move"},
		{"PUT", "/api/v5/authorization/sources/file", "", "/api/v5/authorization/sources/{type}"},
		{"GET", "/api/v5/authentication/settings", "", "/api/v5/authentication/settings"},
		// Outside the table.
		{"GET", "/api/v5/status", "", ""},
		{"PUT", "/api/v5/authentication/jwt", "", ""},
		{"PUT", "/api/v5/authorization/sources/order", "", ""},
		{"GET", "/api/v5/authorization/sources/", "", ""},
		{"POST", "/api/v5/authentication//users", "", ""},
	} {
		r, ok := Match(tc.method, tc.path, tc.query)
		if got := map[bool]string{true: r.Path}[ok]; got != tc.want {
			t.Errorf("%s %s?%s matched %q, want %q", tc.method, tc.path, tc.query, got, tc.want)
		}
	}
}

func TestAllows(t *testing.T) {
	clients, _ := Match("GET", "/api/v5/clients/c1", "")
	if err := clients.Allows(404, []byte(`{"code":"CLIENTID_NOT_FOUND","message":"Client ID not found"}`)); err != nil {
		t.Error(err)
	}
	if err := clients.Allows(404, []byte(`{"code":"NOT_FOUND","message":"Request Path Not Found"}`)); err == nil {
		t.Error("a 404 for a path not served was allowed")
	}
	sources, _ := Match("GET", "/api/v5/authorization/sources", "")
	for _, st := range []int{404, 405, 500} {
		if err := sources.Allows(st, []byte(`{}`)); err == nil {
			t.Errorf("GET sources answered %d was allowed", st)
		}
	}
	settings, _ := Match("PUT", "/api/v5/authorization/settings", "")
	if err := settings.CheckBody([]byte(`{"no_match":"deny","sources":[]}`)); err == nil {
		t.Error("sources inside the settings were allowed")
	}
	if err := settings.CheckBody([]byte(`{"no_match":"deny","deny_action":"ignore","cache":{"enable":false}}`)); err != nil {
		t.Error(err)
	}
}

func TestRelease(t *testing.T) {
	for _, tc := range []struct {
		body    string
		before6 bool
	}{
		{`{"rel_vsn":"v5.8.6","broker_status":"started"}`, true},
		{`{"rel_vsn":"e5.8.9"}`, true},
		{`{"rel_vsn":"e6.0.1"}`, false},
		{`{"node_name":"emqx@127.0.0.1","cluster":"emqxcl"}`, false}, // 6.3 dropped rel_vsn
		{`{"rel_vsn":"dev"}`, false},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/api/v5/status" || r.URL.RawQuery != "format=json" {
				w.WriteHeader(http.StatusNotFound)
				return
			}
			_, _ = w.Write([]byte(tc.body))
		}))
		rel, err := (&Client{Base: srv.URL}).Release(context.Background())
		srv.Close()
		if err != nil || rel.Before6() != tc.before6 {
			t.Errorf("%s: %+v (%v), want before6=%v", tc.body, rel, err, tc.before6)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	if _, err := (&Client{Base: srv.URL}).Release(context.Background()); err == nil {
		t.Error("a 503 status gave a release")
	}
}
