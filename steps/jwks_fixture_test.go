package steps

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// nowhere is a target the fixture tests never provision.
type nowhere struct{}

func (nowhere) Name() string { return "nowhere" }
func (nowhere) Provision(context.Context, target.Setup) (target.Instance, error) {
	return nil, target.NotApplicable("test target")
}

func testFixture(t *testing.T) *jwksFixture {
	t.Helper()
	f, err := startJWKSFixture(&scenario{suite: &Suite{Target: nowhere{}}, keys: tokens.NewKeyring()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.close() })
	return f
}

func get(t *testing.T, url string) (int, []byte, error) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

func bounded(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// The endpoint serves the scenario's model, and "the broker's next fetch"
// is one that starts after the endpoint last changed, over once it is
// answered and nothing new arrived for fetchQuiet.
func TestJWKSFixtureServesTheModelAndCountsFetches(t *testing.T) {
	f := testFixture(t)
	k, err := f.define("k1", "ES256")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.publish(k); err != nil {
		t.Fatal(err)
	}
	if f.waitFetch(bounded(t, 200*time.Millisecond)) {
		t.Fatal("a fetch counted before any request")
	}
	status, body, err := get(t, f.endpoint().URL)
	if err != nil || status != 200 {
		t.Fatalf("GET: %d %v", status, err)
	}
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil || len(set.Keys) != 1 || set.Keys[0]["kid"] != "k1" {
		t.Fatalf("expected the set with k1, got %s (%v)", body, err)
	}
	if !f.waitFetch(bounded(t, 2*time.Second)) {
		t.Fatal("the request did not count as a fetch")
	}
	// A change: only a later request counts.
	f.answer(jwksReply{kind: replyBody, status: 500, body: notJSONBody})
	if f.waitFetch(bounded(t, 200*time.Millisecond)) {
		t.Fatal("a fetch counted without a request after the change")
	}
	if status, body, _ := get(t, f.endpoint().URL); status != 500 || string(body) != string(notJSONBody) {
		t.Fatalf("expected the 500 answer, got %d %s", status, body)
	}
	if !f.waitFetch(bounded(t, 2*time.Second)) {
		t.Fatal("the request after the change did not count")
	}
	quiet, err := f.quietFor(bounded(t, time.Second), 100*time.Millisecond)
	if err != nil || !quiet {
		t.Fatalf("expected quiet, got %v %v", quiet, err)
	}
}

// A request held by a hanging answer is answered from the new state when
// the endpoint changes, and counts as a fetch of it.
func TestJWKSFixtureHangIsReleasedByTheNextAnswer(t *testing.T) {
	f := testFixture(t)
	f.answer(jwksReply{kind: replyHang})
	done := make(chan int, 1)
	go func() {
		status, _, _ := get(t, f.endpoint().URL)
		done <- status
	}()
	deadline := time.Now().Add(2 * time.Second)
	for {
		f.mu.Lock()
		hanging := f.hanging
		f.mu.Unlock()
		if hanging == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the request never reached the hanging answer")
		}
		time.Sleep(5 * time.Millisecond)
	}
	f.answer(jwksReply{kind: replySet, status: 200})
	if status := <-done; status != 200 {
		t.Fatalf("expected the released request answered 200, got %d", status)
	}
	if !f.waitFetch(bounded(t, 2*time.Second)) {
		t.Fatal("the released request did not count as a fetch of the new state")
	}
}

// A client that refuses the self-signed certificate sends no request; its
// ClientHello still counts as a fetch (JWT-JWKS-13).
func TestJWKSFixtureCountsRefusedTLSHandshakes(t *testing.T) {
	f := testFixture(t)
	if _, _, err := get(t, f.endpoint().HTTPSURL); err == nil {
		t.Fatal("a client with the system roots accepted the self-signed certificate")
	}
	if !f.waitFetch(bounded(t, 2*time.Second)) {
		t.Fatal("the refused handshake did not count")
	}
	if len(f.endpoint().CACertPEM) == 0 {
		t.Fatal("no CA certificate for <jwks ca file>")
	}
}
