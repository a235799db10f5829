package jwks

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/jwksserver"
)

// JWT-JWKS-05: failures keep the last good set up to max_fail_count - 1 in a
// row, the max_fail_count-th drops it, and a success restores the keys and
// resets the count.
func TestJWTJWKS05_KeptDroppedRestored(t *testing.T) {
	for _, c := range []struct {
		name     string
		max      int
		wantDrop int
	}{
		{"default 5", 0, 5},
		{"configured 2", 2, 2},
		{"configured 1", 1, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := startServer(t)
			k := mustKey(t, "RS256", "k")
			srv.SetKeys(k)
			logs, logOpt := recordLogs()
			src := manualSource(t, srv, Config{MaxFailCount: c.max}, logOpt)
			assertKeys(t, src.PublicKeys(), k)

			srv.ServeGarbage()
			for i := 1; i < c.wantDrop; i++ {
				r := fetchNow(t, src)
				if r.Err == nil || r.FailCount != i || r.Dropped || r.Held != 1 {
					t.Fatalf("failure %d: %+v", i, r)
				}
				assertKeys(t, src.PublicKeys(), k)
			}
			r := fetchNow(t, src)
			if !r.Dropped || r.Held != 0 || r.FailCount != c.wantDrop {
				t.Fatalf("failure %d did not drop the keys: %+v", c.wantDrop, r)
			}
			if src.PublicKeys() != nil {
				t.Fatal("keys after the drop")
			}
			if len(logs.lines("jwks keys dropped")) != 1 {
				t.Error("drop not logged")
			}
			if r := fetchNow(t, src); r.Dropped || r.FailCount != c.wantDrop+1 {
				t.Fatalf("failure after the drop: %+v", r)
			}

			srv.ServeKeys()
			if r := fetchNow(t, src); r.Err != nil || r.FailCount != 0 || r.Held != 1 {
				t.Fatalf("success after the drop: %+v", r)
			}
			assertKeys(t, src.PublicKeys(), k)

			// The count restarted: the same number of failures is needed.
			srv.ServeGarbage()
			for i := 1; i < c.wantDrop; i++ {
				fetchNow(t, src)
			}
			assertKeys(t, src.PublicKeys(), k)
			if r := fetchNow(t, src); !r.Dropped {
				t.Fatalf("count not reset by the success: %+v", r)
			}
		})
	}
}

// JWT-JWKS-05: every kind of failure is a failed refresh that keeps the
// keys, with a log line, and none crashes or hangs the fetcher.
func TestJWTJWKS05_KindsOfFailure(t *testing.T) {
	for _, c := range []struct {
		name    string
		breakIt func(srv *jwksserver.Server)
		status  int
	}{
		{"endpoint down", func(s *jwksserver.Server) { s.Close() }, 0},
		{"request timeout (hang)", func(s *jwksserver.Server) { s.Hang() }, 0},
		{"body timeout (stall)", func(s *jwksserver.Server) { s.Stall() }, 200},
		{"connection reset", func(s *jwksserver.Server) { s.ResetConnections() }, 0},
		{"not JSON", func(s *jwksserver.Server) { s.ServeGarbage() }, 200},
		{"single JWK", func(s *jwksserver.Server) { s.ServeSingleJWK() }, 200},
		{"10 MB body", func(s *jwksserver.Server) { s.ServeLargeBody(10 << 20) }, 200},
		{"JSON null", func(s *jwksserver.Server) { s.ServeRaw(200, "application/json", []byte("null")) }, 200},
		{"keys not an array", func(s *jwksserver.Server) { s.ServeRaw(200, "application/json", []byte(`{"keys": {}}`)) }, 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := startServer(t)
			k := mustKey(t, "ES256", "k")
			srv.SetKeys(k)
			logs, logOpt := recordLogs()
			src := manualSource(t, srv, Config{}, logOpt, WithRequestTimeout(200*time.Millisecond))
			assertKeys(t, src.PublicKeys(), k)

			c.breakIt(srv)
			r := fetchNow(t, src)
			if r.Err == nil || r.Status != c.status || r.FailCount != 1 {
				t.Fatalf("fetch %+v, want a failure with status %d", r, c.status)
			}
			assertKeys(t, src.PublicKeys(), k)
			lines := logs.lines("jwks refresh failed")
			if len(lines) == 0 || lines[len(lines)-1]["fail_count"] != "1" || lines[len(lines)-1]["error"] == "" {
				t.Fatalf("failure not logged: %v", lines)
			}
		})
	}
}

// A body over the cap fails without being read to the end.
func TestBodyCap(t *testing.T) {
	srv := startServer(t)
	srv.ServeRaw(200, "application/json", []byte(`{"keys": []}`+string(make([]byte, 100))))
	src := manualSource(t, srv, Config{}, WithMaxBodyBytes(64))
	if r := src.LastFetch(); r.Err == nil {
		t.Fatal("body over a 64-byte cap accepted")
	}
	srv.ServeRaw(200, "application/json", []byte(`{"keys": []}`))
	if r := fetchNow(t, src); r.Err != nil {
		t.Fatalf("body under the cap: %v", r.Err)
	}
}

// JWT-JWKS-05: the request timeout is 5 s, shortened to the interval when a
// test lowers the interval below it, so a hang fails before the next tick.
func TestRequestTimeout(t *testing.T) {
	srv := startServer(t)
	src := newSource(t, Config{Endpoint: srv.URL(), RefreshInterval: manual})
	if src.set.requestTimeout != RequestTimeout {
		t.Errorf("request timeout %v, want %v", src.set.requestTimeout, RequestTimeout)
	}
	srv.Hang()
	fast := newSource(t, Config{Endpoint: srv.URL(), RefreshInterval: 100 * time.Millisecond}, WithMinRefresh(time.Millisecond))
	r := waitFetch(t, fast, 0)
	if !isTimeout(r.Err) {
		t.Fatalf("hanging fetch: %+v", r)
	}
	if d := r.Finished.Sub(r.Started); d >= 5*time.Second {
		t.Errorf("hanging fetch took %v, past its 100 ms interval", d)
	}
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

// JWT-JWKS-07: the status is not checked: a 404 or 500 whose body is a set
// replaces the keys; a body that is not a set fails whatever the status.
func TestJWTJWKS07_StatusIgnored(t *testing.T) {
	srv := startServer(t)
	a, b := mustKey(t, "RS256", "a"), mustKey(t, "RS256", "b")
	srv.SetKeys(a)
	src := manualSource(t, srv, Config{})

	srv.SetKeys(b)
	for _, status := range []int{http.StatusNotFound, http.StatusInternalServerError, http.StatusNoContent + 1} {
		srv.ServeKeysWithStatus(status)
		r := fetchNow(t, src)
		if r.Err != nil || r.Status != status {
			t.Fatalf("set with status %d: %+v", status, r)
		}
		assertKeys(t, src.PublicKeys(), b)
	}
	for _, status := range []int{http.StatusOK, http.StatusNotFound} {
		srv.ServeRaw(status, "text/html", []byte("<h1>Not Found</h1>"))
		if r := fetchNow(t, src); r.Err == nil {
			t.Fatalf("HTML with status %d was a successful refresh", status)
		}
	}
	srv.ServeSingleJWK()
	if r := fetchNow(t, src); !errors.Is(r.Err, ErrNotASet) {
		t.Fatalf("single JWK: %+v", r)
	}
	assertKeys(t, src.PublicKeys(), b)
}

// JWT-JWKS-08: {"keys": []} is a successful refresh that empties the keys.
func TestJWTJWKS08_EmptySetEmptiesTheKeys(t *testing.T) {
	srv := startServer(t)
	srv.SetKeys(mustKey(t, "EdDSA", "k"))
	src := manualSource(t, srv, Config{})
	if len(src.PublicKeys()) != 1 {
		t.Fatal("no key to start with")
	}
	srv.ServeEmptySet()
	r := fetchNow(t, src)
	if r.Err != nil || r.Held != 0 || r.FailCount != 0 {
		t.Fatalf("empty set: %+v", r)
	}
	if len(src.PublicKeys()) != 0 {
		t.Fatal("keys held after an empty set")
	}
}

// A set whose every member is unusable is a successful refresh with no keys,
// like an empty set.
func TestSetOfUnusableKeysEmptiesTheKeys(t *testing.T) {
	srv := startServer(t)
	srv.SetKeys(mustKey(t, "ES256", "k"))
	src := manualSource(t, srv, Config{})
	srv.ServeRaw(200, "application/json", []byte(`{"keys": [{"kty": "XYZ"}, {"kty": "oct", "k": "c2VjcmV0"}]}`))
	if r := fetchNow(t, src); r.Err != nil || r.Held != 0 || r.Skipped != 2 {
		t.Fatalf("fetch %+v", r)
	}
}
