package workload

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/oidcprovider"
)

// brokerFetch stands in for the broker's first fetch of the key set.
func brokerFetch(t *testing.T, w *OIDC) {
	t.Helper()
	resp, err := http.Get(w.Provider().JWKSURI())
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
}

// A provider that errs, answers a token that is not a JWT, is slow or is
// down: each token request fails with its cause, counted apart, and none
// takes longer than the token timeout.
func TestOIDCCountsTokenFailuresByCause(t *testing.T) {
	w, err := NewOIDC(OIDCOptions{Alg: "ES256", Tokens: TokensFresh, TokenTimeout: 300 * time.Millisecond,
		Names: Names{Prefix: "t-"}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	brokerFetch(t, w)
	if err := w.Prepare(context.Background(), Range{First: 0, N: 4}); err != nil {
		t.Fatal(err)
	}
	if l, err := w.Login(1); err != nil || strings.Count(string(l.Password), ".") != 2 || l.Username != "t-u000001" {
		t.Fatalf("Login = %+v, %v", l, err)
	}
	p := w.Provider()
	for _, a := range []oidcprovider.Answer{
		{Kind: oidcprovider.AnswerError, Status: 503, Body: `{"error":"temporarily_unavailable"}`},
		{Kind: oidcprovider.AnswerNotAJWT},
		{Kind: oidcprovider.AnswerSlow, Delay: time.Minute},
	} {
		p.AnswerWith(a)
		start := time.Now()
		if _, err := w.Login(2); err == nil {
			t.Errorf("answer %+v: Login succeeded", a)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("answer %+v: Login took %s", a, d)
		}
	}
	p.AnswerWith(oidcprovider.Answer{})
	info := w.Info()
	failures := info["token_failures"].(map[string]int64)
	want := map[string]int64{oidcprovider.CauseStatus: 1, oidcprovider.CauseMalformed: 1, oidcprovider.CauseTimeout: 1}
	for cause, n := range want {
		if failures[cause] != n {
			t.Errorf("token_failures = %v, want %v", failures, want)
		}
	}
	if ex := info["token_failure_examples"].(map[string]string)[oidcprovider.CauseStatus]; !strings.Contains(ex, "temporarily_unavailable") {
		t.Errorf("the status failure's example %q lacks the provider's answer", ex)
	}
	if info["token_requests"].(int64) != 4 {
		t.Errorf("token_requests = %v, want 4", info["token_requests"])
	}
	if again := w.Info(); again["token_requests"].(int64) != 0 {
		t.Errorf("Info does not start over: %v", again)
	}
	_ = p.Close()
	if _, err := w.Login(3); err == nil || !strings.Contains(err.Error(), oidcprovider.CauseRefused) {
		t.Errorf("provider down: %v", err)
	}
	if f := w.Info()["token_failures"].(map[string]int64); f[oidcprovider.CauseRefused] != 1 {
		t.Errorf("provider down: token_failures = %v", f)
	}
}

// A broker that never fetches the provider's keys stops the phase before
// it starts, with a message naming the jwks_uri.
func TestOIDCPrepareWaitsForTheBrokersFetch(t *testing.T) {
	w, err := NewOIDC(OIDCOptions{Alg: "RS256", FetchWait: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	err = w.Prepare(context.Background(), Range{N: 2})
	if err == nil || !strings.Contains(err.Error(), w.Provider().JWKSURI()) {
		t.Errorf("Prepare = %v, want an error naming the jwks_uri", err)
	}
}
