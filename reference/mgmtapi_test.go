package reference_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/reference"
)

// Authorization sources changed through /api/v5/authorization/sources
// decide publishes at once; a refused change leaves the sources in force.
func TestAuthorizationSourcesThroughTheAPI(t *testing.T) {
	b := start(t, reference.WithConfig([]byte(`{"authentication":[{"mechanism":"jwt","algorithm":"hmac-based","secret":"k"}],
		"authorization":{"no_match":"deny","sources":[{"type":"file","enable":false,"rules":"{allow, all}."}]}}`)))
	k, s := b.APIKey()
	do := func(method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, b.APIURL()+"/api/v5/authorization"+path, strings.NewReader(body))
		req.SetBasicAuth(k, s)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		return resp.StatusCode, buf.String()
	}
	want := func(method, path, body string, status int, contains string) {
		t.Helper()
		code, answer := do(method, path, body)
		if code != status || !strings.Contains(answer, contains) {
			t.Fatalf("%s %s %s: %d %s, want %d with %q", method, path, body, code, answer, status, contains)
		}
	}
	conn, ack := dial(t, b, mqttwire.Connect{ProtocolVersion: 5, ClientID: "c", Clean: true,
		Password: []byte(hs256(t, "k", jwt.MapClaims{})), HasPassword: true})
	if !ack.Accepted() {
		t.Fatalf("CONNACK 0x%02X", ack.ReasonCode)
	}
	publishes := func(topic string, allowed bool) {
		t.Helper()
		rc, err := conn.Publish(ctx5(t), topic, []byte("m"), 1, false)
		if err != nil || (rc == 0) != allowed {
			t.Fatalf("publish to %s: PUBACK 0x%02X %v, want allowed=%v", topic, rc, err, allowed)
		}
	}

	// The configured source is shown, disabled: no_match decides.
	want("GET", "/sources", "", 200, `{"sources":[{"enable":false,"rules":"{allow, all}.","type":"file"}]}`)
	publishes("src/x", false)

	want("PUT", "/sources/file", `{"type":"file","enable":true,"rules":"{allow, all, publish, [\"src/#\"]}."}`, 204, "")
	publishes("src/x", true)
	publishes("other/x", false)

	// Refused changes leave it in force.
	want("POST", "/sources", `{"type":"file","rules":"{deny, all}."}`, 400, "duplicated_authz_source_type")
	want("PUT", "/sources/file", `{"type":"file","rules":"{allow, all"}`, 400, "rules")
	want("POST", "/sources", `{"type":"http","url":"http://127.0.0.1:1/"}`, 400, "not supported by the reference")
	want("POST", "/sources", `{"type":"built_in_database","max_rules":0}`, 400, "max_rules")
	want("POST", "/sources/file/move", `{"position":"after:built_in_database"}`, 400, "type_not_found")
	want("PUT", "/settings", `{"no_match":"deny","deny_action":"ignore","cache":{"enable":false},"sources":[]}`, 200, `"no_match":"deny"`)
	publishes("src/x", true)

	// An empty built-in database source matches nothing, before or after.
	want("POST", "/sources", `{"type":"built_in_database","enable":true}`, 204, "")
	want("GET", "/sources", "", 200, `{"sources":[{"enable":true,"type":"built_in_database"},{"enable":true,"rules":"{allow, all, publish, [\"src/#\"]}.","type":"file"}]}`)
	publishes("src/x", true)
	publishes("other/x", false)

	// no_match through the settings, the sources unchanged.
	want("PUT", "/settings", `{"no_match":"allow","deny_action":"ignore","cache":{"enable":false}}`, 200, `"no_match":"allow"`)
	publishes("other/x", true)

	want("DELETE", "/sources/file", "", 204, "")
	want("DELETE", "/sources/file", "", 404, "Not found: file")
	want("PUT", "/settings", `{"no_match":"deny","deny_action":"ignore","cache":{"enable":false}}`, 200, `"no_match":"deny"`)
	publishes("src/x", false)
}

// Sources given at start go through the same checks as the API's.
func TestSourcesInTheStartingConfiguration(t *testing.T) {
	for config, want := range map[string]string{
		`{"authorization":{"sources":[{"type":"http"}]}}`:                               `sources[0].type: source type "http" is not supported`,
		`{"authorization":{"sources":[{"enable":true}]}}`:                               `sources[0]: missing field "type"`,
		`{"authorization":{"sources":{"type":"file"}}}`:                                 "authorization.sources: must be a list",
		`{"authorization":{"sources":[{"type":"built_in_database","bogus":1}]}}`:        `unknown field "bogus"`,
		`{"authorization":{"sources":[{"type":"file","rules":"{allow, all"}]}}`:         "rules",
		`{"authorization":{"no_match":"maybe","sources":[{"type":"file","rules":""}]}}`: "no_match",
	} {
		_, err := reference.Start(ctx5(t), reference.WithConfig([]byte(config)))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error with %q", config, err, want)
		}
	}
	b := start(t, reference.WithConfig([]byte(`{"authorization":{"sources":[{"type":"built_in_database"},{"type":"file","rules":"{allow, all}."}]}}`)))
	k, s := b.APIKey()
	req, _ := http.NewRequest("GET", b.APIURL()+"/api/v5/authorization/sources", nil)
	req.SetBasicAuth(k, s)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	if want := `{"sources":[{"enable":true,"type":"built_in_database"},{"enable":true,"rules":"{allow, all}.","type":"file"}]}`; buf.String() != want {
		t.Errorf("sources %s, want %s", buf.String(), want)
	}
}

// PUT /authentication/order refuses an order that does not name the chain
// exactly with EMQX's message, and leaves the chain as it was.
func TestAuthenticatorOrderRefusal(t *testing.T) {
	b := start(t, reference.WithConfig([]byte(`[{"mechanism":"jwt","algorithm":"hmac-based","secret":"k"},
		{"mechanism":"password_based","backend":"built_in_database"}]`)))
	k, s := b.APIKey()
	put := func(body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("PUT", b.APIURL()+"/api/v5/authentication/order", strings.NewReader(body))
		req.SetBasicAuth(k, s)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		return resp.StatusCode, buf.String()
	}
	for body, want := range map[string]string{
		`[{"id":"jwt"}]`: "No positions are specified for authenticators: password_based:built_in_database",
		`[{"id":"jwt"},{"id":"password_based:built_in_database"},{"id":"scram:http"}]`: "Authenticators: scram:http are not found",
		`[{"id":"jwt"},{"id":"jwt"}]`: "Authenticators: jwt are not found, No positions are specified for authenticators: password_based:built_in_database",
	} {
		if code, answer := put(body); code != 400 || !strings.Contains(answer, want) {
			t.Errorf("%s: %d %s, want 400 with %q", body, code, answer, want)
		}
	}
	if code, answer := put(`[{"id":"password_based:built_in_database"},{"id":"jwt"}]`); code != 204 {
		t.Errorf("a full order: %d %s", code, answer)
	}
}
