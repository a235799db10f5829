package jwks

import (
	"net/http"
	"testing"
)

// firstRequest makes a Source with cfg against a fresh server and returns
// the request of its first fetch.
func firstRequest(t *testing.T, cfg Config) http.Header {
	t.Helper()
	srv := startServer(t)
	if r := manualSource(t, srv, cfg).LastFetch(); r.Err != nil {
		t.Fatalf("fetch with headers %v: %v", cfg.Headers, r.Err)
	}
	reqs, err := srv.WaitRequests(testCtx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	if reqs[0].Method != http.MethodGet {
		t.Fatalf("method %s, want GET", reqs[0].Method)
	}
	return reqs[0].Header
}

func wantHeader(t *testing.T, h http.Header, name, value string) {
	t.Helper()
	if got := h.Values(name); len(got) != 1 || got[0] != value {
		t.Errorf("%s: %q, want exactly %q (all headers: %v)", name, got, value, h)
	}
}

// JWT-JWKS-03: with no headers configured the request carries
// accept: application/json, connection: close and te: trailers.
func TestJWTJWKS03_DefaultHeaders(t *testing.T) {
	h := firstRequest(t, Config{})
	wantHeader(t, h, "Accept", "application/json")
	wantHeader(t, h, "Connection", "close")
	wantHeader(t, h, "Te", "trailers")
	if h.Get("Accept-Encoding") != "" {
		t.Errorf("Accept-Encoding %q sent though nobody configured it", h.Get("Accept-Encoding"))
	}
}

// JWT-JWKS-03: configured headers replace the default accept; connection:
// close and te: trailers are still added.
func TestJWTJWKS03_ConfiguredHeaders(t *testing.T) {
	h := firstRequest(t, Config{Headers: map[string]string{
		"X-Tenant":      "t1",
		"Authorization": "Bearer abc",
		"my_header-2":   "underscore and dash (JWT-JWKS-12's charset)",
	}})
	wantHeader(t, h, "X-Tenant", "t1")
	wantHeader(t, h, "Authorization", "Bearer abc")
	wantHeader(t, h, "My_header-2", "underscore and dash (JWT-JWKS-12's charset)")
	wantHeader(t, h, "Connection", "close")
	wantHeader(t, h, "Te", "trailers")
	if h.Get("Accept") != "" {
		t.Errorf("default accept sent with configured headers: %q", h.Get("Accept"))
	}
}

// JWT-JWKS-03: a configured te replaces te: trailers.
func TestJWTJWKS03_ConfiguredTE(t *testing.T) {
	h := firstRequest(t, Config{Headers: map[string]string{"te": "deflate", "accept": "application/jwk-set+json"}})
	wantHeader(t, h, "Te", "deflate")
	wantHeader(t, h, "Accept", "application/jwk-set+json")
	wantHeader(t, h, "Connection", "close")
}

// An explicitly empty headers map sends no accept at all.
func TestJWTJWKS03_EmptyHeaders(t *testing.T) {
	h := firstRequest(t, Config{Headers: map[string]string{}})
	if h.Get("Accept") != "" {
		t.Errorf("accept %q sent with headers: {}", h.Get("Accept"))
	}
	wantHeader(t, h, "Connection", "close")
	wantHeader(t, h, "Te", "trailers")
}

// A configured host header names the virtual host asked for.
func TestConfiguredHostHeader(t *testing.T) {
	srv := startServer(t)
	manualSource(t, srv, Config{Headers: map[string]string{"Host": "keys.example"}})
	reqs, err := srv.WaitRequests(testCtx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	if reqs[0].Host != "keys.example" {
		t.Errorf("Host %q, want keys.example", reqs[0].Host)
	}
}

// A header name HTTP cannot carry (the configuration parser refuses it,
// JWT-JWKS-12) makes every fetch fail, logged; it does not panic.
func TestUnsendableHeaderIsAFailedRefresh(t *testing.T) {
	srv := startServer(t)
	logs, logOpt := recordLogs()
	src := manualSource(t, srv, Config{Headers: map[string]string{"bad:name": "x"}}, logOpt)
	if r := src.LastFetch(); r.Err == nil {
		t.Fatal("a request with header name bad:name succeeded")
	}
	if len(logs.lines("jwks refresh failed")) != 1 {
		t.Error("failure not logged")
	}
}
