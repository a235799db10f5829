package jwks

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/jwksserver"
	"github.com/authspec/authspec/reference/faults"
	"github.com/authspec/authspec/steps/catalogue"
)

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }

// faultChecks show that each fault changes what the fetcher does in the way
// its Doc says; the scenarios of its IDs are what must notice (make
// selftest).
var faultChecks = map[faults.Name]func(t *testing.T){
	faults.JWKSNoRefresh: func(t *testing.T) {
		srv := startServer(t)
		srv.SetKeys(mustKey(t, "ES256", "a"))
		src := newSource(t, Config{Endpoint: srv.URL(), RefreshInterval: 10 * time.Millisecond},
			WithMinRefresh(time.Millisecond), WithDefects(defectsNamed(faults.JWKSNoRefresh)...))
		waitFetch(t, src, 0)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond) // 20 intervals
		defer cancel()
		if r, err := src.WaitFetch(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("refreshed anyway: %+v", r)
		}
	},
	faults.JWKSMergeSets: func(t *testing.T) {
		srv := startServer(t)
		a, b := mustKey(t, "ES256", "a"), mustKey(t, "ES256", "b")
		srv.SetKeys(a)
		src := manualSource(t, srv, Config{}, WithDefects(defectsNamed(faults.JWKSMergeSets)...))
		srv.SetKeys(b)
		fetchNow(t, src)
		assertKeys(t, src.PublicKeys(), b, a)
		srv.ServeEmptySet()
		fetchNow(t, src)
		assertKeys(t, src.PublicKeys(), b, a)
	},
	faults.JWKSFirstKeyOnly: func(t *testing.T) {
		srv := startServer(t)
		a, b := mustKey(t, "ES256", "a"), mustKey(t, "ES256", "b")
		srv.SetKeys(a, b)
		src := manualSource(t, srv, Config{}, WithDefects(defectsNamed(faults.JWKSFirstKeyOnly)...))
		assertKeys(t, src.PublicKeys(), a)
	},
	faults.JWKSStrictAlg: func(t *testing.T) {
		srv := startServer(t)
		keys, err := jwksserver.RecipeKeys(2)
		if err != nil {
			t.Fatal(err)
		}
		srv.SetKeys(keys...)
		src := manualSource(t, srv, Config{}, WithDefects(defectsNamed(faults.JWKSStrictAlg)...))
		if r := src.LastFetch(); r.Held != 0 || r.Skipped != 2 {
			t.Fatalf("recipe keys kept: %+v", r)
		}
	},
	faults.JWKSDropHeaders: func(t *testing.T) {
		srv := startServer(t)
		manualSource(t, srv, Config{Headers: map[string]string{"X-Tenant": "t"}}, WithDefects(defectsNamed(faults.JWKSDropHeaders)...))
		h := srv.Requests()[0].Header
		if h.Get("X-Tenant") != "" || h.Get("Te") != "" || h.Get("Accept") != "" {
			t.Fatalf("headers sent: %v", h)
		}
	},
	faults.JWKSDropOnFirstFailure: func(t *testing.T) {
		src, srv := keyedManualSource(t, faults.JWKSDropOnFirstFailure)
		srv.ServeGarbage()
		if r := fetchNow(t, src); !r.Dropped {
			t.Fatalf("first failure kept the keys: %+v", r)
		}
	},
	faults.JWKSNeverDrop: func(t *testing.T) {
		src, srv := keyedManualSource(t, faults.JWKSNeverDrop)
		srv.ServeGarbage()
		for range 10 {
			fetchNow(t, src)
		}
		if len(src.PublicKeys()) != 1 {
			t.Fatal("keys dropped")
		}
	},
	faults.JWKSFailCountNotReset: func(t *testing.T) {
		src, srv := keyedManualSource(t, faults.JWKSFailCountNotReset)
		srv.ServeGarbage()
		for range DefaultMaxFailCount - 1 {
			fetchNow(t, src)
		}
		srv.ServeKeys()
		fetchNow(t, src)
		srv.ServeGarbage()
		if r := fetchNow(t, src); !r.Dropped {
			t.Fatalf("one failure after a success kept the keys: %+v", r)
		}
	},
	faults.JWKSCheckStatus: func(t *testing.T) {
		src, srv := keyedManualSource(t, faults.JWKSCheckStatus)
		srv.ServeKeysWithStatus(404)
		if r := fetchNow(t, src); r.Err == nil {
			t.Fatal("404 with a set accepted")
		}
	},
	faults.JWKSAcceptSingleJWK: func(t *testing.T) {
		src, srv := keyedManualSource(t, faults.JWKSAcceptSingleJWK)
		srv.ServeSingleJWK()
		if r := fetchNow(t, src); r.Err != nil || r.Held != 1 {
			t.Fatalf("single JWK: %+v", r)
		}
		srv.ServeGarbage()
		if r := fetchNow(t, src); r.Err == nil {
			t.Fatal("garbage accepted")
		}
	},
	faults.JWKSEmptySetIsFailure: func(t *testing.T) {
		src, srv := keyedManualSource(t, faults.JWKSEmptySetIsFailure)
		srv.ServeEmptySet()
		if r := fetchNow(t, src); r.Err == nil || r.Held != 1 {
			t.Fatalf("empty set: %+v", r)
		}
	},
	faults.JWKSSyncFirstFetch: func(t *testing.T) {
		srv := startServer(t)
		srv.Hang()
		src := newSource(t, Config{Endpoint: srv.URL(), RefreshInterval: manual},
			WithRequestTimeout(100*time.Millisecond), WithDefects(defectsNamed(faults.JWKSSyncFirstFetch)...))
		if r := src.LastFetch(); r.Seq != 1 || r.Err == nil {
			t.Fatalf("New returned before the first fetch ended: %+v", r)
		}
	},
	faults.JWKSFetchOnMiss: func(t *testing.T) {
		srv := startServer(t)
		k := mustKey(t, "ES256", "k")
		srv.SetKeys(k)
		srv.ServeGarbage()
		src := manualSource(t, srv, Config{}, WithDefects(defectsNamed(faults.JWKSFetchOnMiss)...))
		srv.ServeKeys()
		assertKeys(t, src.PublicKeys(), k)
		if n := srv.RequestCount(); n != 2 {
			t.Fatalf("%d requests, want creation's and PublicKeys'", n)
		}
	},
	faults.JWKSNoIntervalClamp: func(t *testing.T) {
		srv := startServer(t)
		src := newSource(t, Config{Endpoint: srv.URL(), RefreshInterval: time.Second}, WithDefects(defectsNamed(faults.JWKSNoIntervalClamp)...))
		if src.Interval() != time.Second {
			t.Fatalf("interval %v", src.Interval())
		}
	},
	faults.JWKSTLSSkipVerify: func(t *testing.T) {
		r := tlsFetch(t, Config{SSL: SSL{Enable: true, Verify: VerifyPeer}}, WithDefects(defectsNamed(faults.JWKSTLSSkipVerify)...))
		if r.Err != nil {
			t.Fatalf("verify_peer checked the certificate: %v", r.Err)
		}
	},
	faults.JWKSAcceptsHMAC: func(t *testing.T) {
		srv := startServer(t)
		srv.ServeRaw(200, "application/json", []byte(`{"keys": [{"kty": "oct", "kid": "s", "k": "c2VjcmV0"}]}`))
		if src := manualSource(t, srv, Config{}); len(src.PublicKeys()) != 0 {
			t.Fatalf("an oct key was kept without the fault: %v", src.PublicKeys())
		}
		src := manualSource(t, srv, Config{}, WithDefects(defectsNamed(faults.JWKSAcceptsHMAC)...))
		if keys := src.PublicKeys(); len(keys) != 1 || string(keys[0].([]byte)) != "secret" {
			t.Fatalf("want the oct key's bytes kept, got %v", keys)
		}
	},
	faults.JWKSTLSAlwaysVerify: func(t *testing.T) {
		wantCertError(t, tlsFetch(t, Config{SSL: SSL{Enable: true}, VerifyDefault: VerifyNone}, WithDefects(defectsNamed(faults.JWKSTLSAlwaysVerify)...)))
	},
}

// appliedByTheAuthenticator are JWKS faults the JWT authenticator applies
// (key choice, configuration): tested in reference/authn/jwtauth
// (defects_test.go).
var appliedByTheAuthenticator = map[faults.Name]bool{
	faults.JWKSUseKid: true, faults.JWKSHeaderNamesUnchecked: true, faults.JWKSZeroIntervalDefault: true,
}

func TestFaults(t *testing.T) {
	for _, d := range faults.All() {
		if !strings.HasPrefix(string(d.Name), "jwks-") || appliedByTheAuthenticator[d.Name] {
			continue
		}
		check, ok := faultChecks[d.Name]
		if !ok {
			t.Errorf("fault %s has no check in faultChecks", d.Name)
			continue
		}
		t.Run(string(d.Name), check)
	}
}

// keyedManualSource is a manual Source holding one key, with fault on.
func keyedManualSource(t *testing.T, fault faults.Name) (*Source, *jwksserver.Server) {
	t.Helper()
	srv := startServer(t)
	srv.SetKeys(mustKey(t, "ES256", "k"))
	src := manualSource(t, srv, Config{}, WithDefects(defectsNamed(fault)...))
	if len(src.PublicKeys()) != 1 {
		t.Fatal("no key to start with")
	}
	return src, srv
}

// Every jwks fault names only JWT-JWKS IDs that the catalogue has.
func TestFaultDeclarations(t *testing.T) {
	catalogue := catalogueIDs(t)
	for _, d := range faults.All() {
		if !strings.HasPrefix(string(d.Name), "jwks-") {
			continue
		}
		if len(d.IDs) == 0 {
			t.Errorf("fault %s breaks no ID", d.Name)
		}
		for _, id := range d.IDs {
			if !(strings.HasPrefix(id, "JWT-JWKS-") || id == "SEC-11") || (catalogue != nil && !catalogue[id]) {
				t.Errorf("fault %s names %s, not a catalogued JWT-JWKS ID", d.Name, id)
			}
		}
	}
}

// catalogueIDs reads the catalogue's IDs from the repository's copy
// (steps/catalogue, kept equal to ../shared/spec/behaviors.md).
func catalogueIDs(t *testing.T) map[string]bool {
	list, err := catalogue.IDs()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, id := range list {
		ids[id] = true
	}
	return ids
}
