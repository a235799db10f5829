package jwks

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// JWT-JWKS-02: the timer refetches the set; a key added at the endpoint is
// held after the next refresh, a removed key is gone after it.
func TestJWTJWKS02_RefreshFollowsRotation(t *testing.T) {
	srv := startServer(t)
	a, b := mustKey(t, "ES256", "a"), mustKey(t, "EdDSA", "b")
	srv.SetKeys(a)
	src := newSource(t, Config{Endpoint: srv.URL(), RefreshInterval: 30 * time.Millisecond},
		WithMinRefresh(time.Millisecond))
	if r := waitFetch(t, src, 0); r.Err != nil {
		t.Fatalf("first fetch: %v", r.Err)
	}
	assertKeys(t, src.PublicKeys(), a)

	changed := time.Now()
	srv.AddKeys(b)
	r := waitFetchStartedAfter(t, src, changed)
	if r.Forced || r.Err != nil {
		t.Fatalf("refresh %+v", r)
	}
	assertKeys(t, src.PublicKeys(), a, b)

	changed = time.Now()
	srv.RemoveKeys("a")
	waitFetchStartedAfter(t, src, changed)
	assertKeys(t, src.PublicKeys(), b)
}

// JWT-JWKS-02: refreshes are one interval apart, start to start.
func TestJWTJWKS02_RefreshesOneIntervalApart(t *testing.T) {
	const interval = 40 * time.Millisecond
	srv := startServer(t)
	var mu sync.Mutex
	var starts []time.Time
	src := newSource(t, Config{Endpoint: srv.URL(), RefreshInterval: interval},
		WithMinRefresh(time.Millisecond),
		WithObserver(func(r FetchResult) {
			mu.Lock()
			starts = append(starts, r.Started)
			mu.Unlock()
		}))
	waitFetch(t, src, 3)
	mu.Lock()
	defer mu.Unlock()
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < interval {
			t.Errorf("fetch %d started %v after the previous one, before the %v interval", i+1, gap, interval)
		}
	}
	if len(srv.Requests()) < 4 {
		t.Errorf("endpoint saw %d requests for %d fetches", len(srv.Requests()), len(starts))
	}
}

// JWT-JWKS-10: an interval under the floor is raised to it (10 s, or the
// test-only minimum); zero means the 300 s default; negatives are refused.
func TestJWTJWKS10_IntervalFloor(t *testing.T) {
	srv := startServer(t)
	for _, c := range []struct {
		name string
		in   time.Duration
		opts []Option
		want time.Duration
	}{
		{"1s raised to 10s", time.Second, nil, 10 * time.Second},
		{"9s raised to 10s", 9 * time.Second, nil, 10 * time.Second},
		{"10s kept", 10 * time.Second, nil, 10 * time.Second},
		{"11s kept", 11 * time.Second, nil, 11 * time.Second},
		{"unset is 300s", 0, nil, 300 * time.Second},
		{"test minimum lets 50ms through", 50 * time.Millisecond, []Option{WithMinRefresh(10 * time.Millisecond)}, 50 * time.Millisecond},
		{"test minimum still raises", time.Millisecond, []Option{WithMinRefresh(10 * time.Millisecond)}, 10 * time.Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := newSource(t, Config{Endpoint: srv.URL(), RefreshInterval: c.in}, c.opts...)
			if got := src.Interval(); got != c.want {
				t.Fatalf("Interval() = %v, want %v", got, c.want)
			}
		})
	}
	if _, err := New(Config{Endpoint: srv.URL(), RefreshInterval: -time.Second}); err == nil {
		t.Error("negative interval accepted")
	}
}

// JWT-JWKS-11: New returns while the first fetch is still under way; until
// a fetch succeeds there are no keys; asking for keys never fetches.
func TestJWTJWKS11_FirstFetchInBackground(t *testing.T) {
	srv := startServer(t)
	k := mustKey(t, "RS256", "k")
	srv.SetKeys(k)
	srv.Hang()
	src := newSource(t, Config{Endpoint: srv.URL(), RefreshInterval: manual})

	// The endpoint has the request and will not answer: New returned anyway.
	if _, err := srv.WaitRequests(testCtx(t), 1); err != nil {
		t.Fatal(err)
	}
	if got := src.PublicKeys(); got != nil {
		t.Fatalf("keys before any fetch succeeded: %d", len(got))
	}
	if r := src.LastFetch(); r.Seq != 0 {
		t.Fatalf("first fetch finished against a hanging endpoint: %+v", r)
	}
	for range 50 {
		src.PublicKeys()
		src.Keys()
	}
	if n := srv.RequestCount(); n != 1 {
		t.Fatalf("asking for keys made %d requests, want the 1 of creation", n)
	}

	srv.ServeKeys() // the held request now gets the set
	if r := waitFetch(t, src, 0); r.Err != nil || r.Forced {
		t.Fatalf("first fetch %+v", r)
	}
	assertKeys(t, src.PublicKeys(), k)
}

// JWT-JWKS-11: a failing endpoint leaves the authenticator with no keys,
// not with an error at creation.
func TestJWTJWKS11_NoKeysUntilASuccess(t *testing.T) {
	srv := startServer(t)
	srv.ServeGarbage()
	src := manualSource(t, srv, Config{})
	if r := src.LastFetch(); r.Err == nil || r.Held != 0 {
		t.Fatalf("first fetch %+v", r)
	}
	if src.PublicKeys() != nil {
		t.Fatal("keys after a failed first fetch")
	}
	k := mustKey(t, "ES512", "k")
	srv.SetKeys(k)
	srv.ServeKeys()
	if r := fetchNow(t, src); r.Err != nil || !r.Forced {
		t.Fatalf("fetch %+v", r)
	}
	assertKeys(t, src.PublicKeys(), k)
}

func TestCloseStopsPromptlyDuringAHang(t *testing.T) {
	srv := startServer(t)
	srv.Hang()
	src, err := New(Config{Endpoint: srv.URL(), RefreshInterval: manual})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.WaitRequests(testCtx(t), 1); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	go func() { closed <- src.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(3 * time.Second): // well under the 5 s request timeout
		t.Fatal("Close waited for the hanging fetch")
	}
	if err := src.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := src.Refresh(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Refresh after Close: %v", err)
	}
	if _, err := src.WaitFetch(context.Background(), 0); !errors.Is(err, ErrClosed) {
		t.Errorf("WaitFetch after Close: %v", err)
	}
}

func TestFetchNowHonoursItsContext(t *testing.T) {
	srv := startServer(t)
	srv.Hang()
	src := newSource(t, Config{Endpoint: srv.URL(), RefreshInterval: manual})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := src.FetchNow(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("FetchNow behind a hanging fetch: %v", err)
	}
}

// Readers, the timer and forced fetches at once, under -race.
func TestConcurrentUse(t *testing.T) {
	srv := startServer(t)
	a, b := mustKey(t, "ES256", "a"), mustKey(t, "ES256", "b")
	srv.SetKeys(a)
	src := newSource(t, Config{Endpoint: srv.URL(), RefreshInterval: 2 * time.Millisecond},
		WithMinRefresh(time.Millisecond))
	waitFetch(t, src, 0)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, k := range src.PublicKeys() {
					if !sameKey(k, a.Public()) && !sameKey(k, b.Public()) {
						t.Error("a key that was never published")
						return
					}
				}
				src.Keys()
				src.LastFetch()
			}
		}()
	}
	for i := range 20 {
		if i%2 == 0 {
			srv.SetKeys(a, b)
		} else {
			srv.SetKeys(b)
		}
		fetchNow(t, src)
	}
	close(stop)
	wg.Wait()
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestObserverSeesEveryFetchInOrder(t *testing.T) {
	srv := startServer(t)
	var mu sync.Mutex
	var seqs []uint64
	src := manualSource(t, srv, Config{}, WithObserver(func(r FetchResult) {
		mu.Lock()
		seqs = append(seqs, r.Seq)
		mu.Unlock()
	}))
	fetchNow(t, src)
	fetchNow(t, src)
	mu.Lock()
	defer mu.Unlock()
	if len(seqs) != 3 || seqs[0] != 1 || seqs[1] != 2 || seqs[2] != 3 {
		t.Fatalf("observer saw %v", seqs)
	}
}

func TestConfigErrors(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no endpoint":         {},
		"not a URL":           {Endpoint: "http://[::1"},
		"ftp":                 {Endpoint: "ftp://127.0.0.1/jwks"},
		"no host":             {Endpoint: "http:///jwks"},
		"negative fail count": {Endpoint: "http://127.0.0.1:1/", MaxFailCount: -1},
		"bad verify":          {Endpoint: "https://127.0.0.1:1/", SSL: SSL{Enable: true, Verify: "verify_maybe"}},
		"missing CA file":     {Endpoint: "https://127.0.0.1:1/", SSL: SSL{Enable: true, Verify: VerifyPeer, CACertFile: "/nonexistent/ca.pem"}},
		"cert without key":    {Endpoint: "https://127.0.0.1:1/", SSL: SSL{Enable: true, CertFile: "/tmp/x.pem"}},
	} {
		t.Run(name, func(t *testing.T) {
			if src, err := New(cfg); err == nil {
				src.Close()
				t.Fatal("accepted")
			}
		})
	}
	for name, opt := range map[string]Option{
		"nil logger":    WithLogger(nil),
		"nil client":    WithHTTPClient(nil),
		"zero minimum":  WithMinRefresh(0),
		"zero timeout":  WithRequestTimeout(0),
		"zero body cap": WithMaxBodyBytes(0),
		"nil observer":  WithObserver(nil),
	} {
		t.Run(name, func(t *testing.T) {
			if src, err := New(Config{Endpoint: "http://127.0.0.1:1/"}, opt); err == nil {
				src.Close()
				t.Fatal("accepted")
			}
		})
	}
}
