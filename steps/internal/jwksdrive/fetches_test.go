package jwksdrive

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/steps/internal/verify"
)

// AwaitFetch fails with a Mismatch naming its bound when no fetch comes,
// returns once a broker-like client has had the answer, and allows a
// refresh interval more once the endpoint was ever fetched.
func TestAwaitFetch(t *testing.T) {
	e := start(t)
	_, err := e.AwaitFetch(context.Background(), 100*time.Millisecond, time.Hour, "1")
	if m, ok := verify.As(err); !ok || !strings.Contains(m.Actual, "within 100ms") || !strings.Contains(m.Expected, "refresh_interval 1") {
		t.Fatalf("no fetch: err %v, want a Mismatch naming the 100ms bound", err)
	}
	go func() { _, _, _ = fetch(t, e.Setup().URL, 5*time.Second) }()
	if _, err := e.AwaitFetch(context.Background(), 5*time.Second, 0, "1"); err != nil {
		t.Fatal(err)
	}
	_, err = e.AwaitFetch(bounded(t, 200*time.Millisecond), 100*time.Millisecond, 50*time.Millisecond, "1")
	if m, ok := verify.As(err); !ok || !strings.Contains(m.Actual, "within 150ms") {
		t.Fatalf("a refresh: err %v, want a Mismatch naming the 150ms bound (step + refresh)", err)
	}
}

// The quiet and no-fetch-since-change checks see a fetch at the endpoint;
// an interrupted wait is no verdict.
func TestNoFetchChecks(t *testing.T) {
	e := start(t)
	if err := e.CheckNoFetchWithin(context.Background(), 50*time.Millisecond, "1"); err != nil {
		t.Fatal(err)
	}
	go func() { _, _, _ = fetch(t, e.Setup().URL, 5*time.Second) }()
	if err := e.CheckNoFetchWithin(context.Background(), 3*time.Second, "1"); err == nil {
		t.Fatal("a fetch within the window passed")
	} else if _, ok := verify.As(err); !ok {
		t.Fatalf("a fetch within the window: %v, want a Mismatch", err)
	}
	err := e.CheckNoFetchWithin(bounded(t, 50*time.Millisecond), time.Minute, "1")
	if _, isMismatch := verify.As(err); isMismatch || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("interrupted: %v", err)
	}
	if err := e.CheckNoFetchSinceChange(); err != nil {
		t.Fatal(err)
	}
	e.Server().ServeKeys() // a change
	if _, _, err := fetch(t, e.Setup().URL, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, ok := verify.As(e.CheckNoFetchSinceChange()); !ok {
		t.Fatal("a fetch after the change passed")
	}
}

func TestCheckHeaders(t *testing.T) {
	e := start(t)
	if err := e.CheckHeaders(Header{"Accept", "application/json"}); !errors.Is(err, ErrNoRequest) {
		t.Fatalf("no request: %v", err)
	}
	req, _ := http.NewRequest(http.MethodGet, e.Setup().URL, nil)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Api-Key", "s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if err := e.CheckHeaders(Header{"accept", "application/json"}, Header{"X-API-KEY", "s3cret"}); err != nil {
		t.Errorf("matching headers: %v", err)
	}
	for _, h := range []Header{{"Accept", "application/jwk-set+json"}, {"Te", "trailers"}} {
		if _, ok := verify.As(e.CheckHeaders(h)); !ok {
			t.Errorf("header %v passed", h)
		}
	}
}

// creator is a broker's management API as the test plays it: it creates
// the authenticator, after fetching the key set first when wait is set.
type creator struct {
	url  string
	wait bool
	got  chan int
}

func (c creator) CreateAuthenticator(ctx context.Context, _ map[string]any) error {
	if !c.wait {
		return nil
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		status, _, _ := fetchStatus(c.url)
		c.got <- status
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func fetchStatus(url string) (int, []byte, error) {
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, nil, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil, nil
}

// A creation that waits for the endpoint is reported as waited, and the
// endpoint then answers so it ends; one that does not wait leaves the
// endpoint not answering.
func TestCreateWhileHanging(t *testing.T) {
	e := start(t)
	if err := e.Serve("k1", "ES256"); err != nil {
		t.Fatal(err)
	}
	waiting := creator{url: e.Setup().URL, wait: true, got: make(chan int, 1)}
	created, waited := e.CreateWhileHanging(context.Background(), waiting, nil)
	if _, ok := verify.As(waited); !ok || !errors.Is(created, context.DeadlineExceeded) {
		t.Fatalf("a waiting creation: created %v, waited %v", created, waited)
	}
	select {
	case status := <-waiting.got:
		if status != 200 {
			t.Errorf("the released fetch got %d", status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the endpoint was not released after the creation's bound")
	}
	created, waited = e.CreateWhileHanging(context.Background(), creator{}, nil)
	if created != nil || waited != nil {
		t.Fatalf("a creation that does not wait: created %v, waited %v", created, waited)
	}
	if _, _, err := fetch(t, e.Setup().URL, 300*time.Millisecond); err == nil {
		t.Error("the endpoint answered after a creation that did not wait")
	}
}
