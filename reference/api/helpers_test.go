package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const testKey, testSecret = "key1", "secret1"

type apiTest struct {
	t      *testing.T
	srv    *httptest.Server
	fake   *fakeBackend
	client *http.Client
}

func newAPITest(t *testing.T, opts ...Option) *apiTest {
	t.Helper()
	fake := newFake()
	h, err := New(fake, append([]Option{WithAPIKey(testKey, testSecret)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &apiTest{t: t, srv: srv, fake: fake, client: &http.Client{Timeout: 5 * time.Second}}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into v, failing the test when it is not JSON.
func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("response %d is not JSON (%v): %s", r.status, err, r.body)
	}
}

// apiError decodes an EMQX error body.
func (r response) apiError(t *testing.T) errorBody {
	t.Helper()
	var e errorBody
	r.json(t, &e)
	if e.Code == "" {
		t.Fatalf("error response without code: %s", r.body)
	}
	return e
}

// do sends a request with the test API key; path is below Prefix and is
// sent as written (already escaped).
func (a *apiTest) do(method, path, body string) response {
	a.t.Helper()
	return a.doAuth(method, path, body, testKey, testSecret)
}

func (a *apiTest) doAuth(method, path, body, key, secret string) response {
	a.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, a.srv.URL+Prefix+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if key != "" || secret != "" {
		req.SetBasicAuth(key, secret)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// expect checks the status, and for errors the EMQX error code.
func (a *apiTest) expect(r response, status int, code string) {
	a.t.Helper()
	if r.status != status {
		a.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if code != "" {
		if e := r.apiError(a.t); e.Code != code {
			a.t.Fatalf("code %q, want %q: %s", e.Code, code, r.body)
		}
	}
}

const (
	jwtConfig     = `{"mechanism":"jwt","from":"password","use_jwks":false,"algorithm":"hmac-based","secret":"emqxsecret","secret_base64_encoded":false,"verify_claims":{},"headers":{"Authorization":"Bearer x","accept":"application/json"}}`
	builtinConfig = `{"mechanism":"password_based","backend":"built_in_database","user_id_type":"username"}`
	scramConfig   = `{"mechanism":"scram","backend":"http","method":"post","url":"http://127.0.0.1:18090/auth","iteration_count":4096}`
	builtinPath   = "/authentication/password_based%3Abuilt_in_database"
)
