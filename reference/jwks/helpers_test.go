package jwks

import (
	"context"
	"crypto"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/jwksserver"
)

// manual is a refresh interval no test waits for: fetches after the first
// are the ones the test asks for with FetchNow.
const manual = time.Hour

func startServer(t *testing.T, opts ...jwksserver.Option) *jwksserver.Server {
	t.Helper()
	s, err := jwksserver.Start(opts...)
	if err != nil {
		t.Fatalf("jwksserver.Start: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newSource(t *testing.T, cfg Config, opts ...Option) *Source {
	t.Helper()
	src, err := New(cfg, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// manualSource is a Source on srv that fetched once at creation and then
// fetches only when told; it returns after that first fetch.
func manualSource(t *testing.T, srv *jwksserver.Server, cfg Config, opts ...Option) *Source {
	t.Helper()
	cfg.Endpoint = srv.URL()
	cfg.RefreshInterval = manual
	src := newSource(t, cfg, opts...)
	waitFetch(t, src, 0)
	return src
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func waitFetch(t *testing.T, src *Source, after uint64) FetchResult {
	t.Helper()
	r, err := src.WaitFetch(testCtx(t), after)
	if err != nil {
		t.Fatalf("waiting for fetch %d: %v", after+1, err)
	}
	return r
}

// waitFetchStartedAfter waits for a fetch that began after since, so that
// it saw a change the test made at since.
func waitFetchStartedAfter(t *testing.T, src *Source, since time.Time) FetchResult {
	t.Helper()
	ctx := testCtx(t)
	var seq uint64
	for {
		r, err := src.WaitFetch(ctx, seq)
		if err != nil {
			t.Fatalf("waiting for a fetch started after %v: %v", since, err)
		}
		if r.Started.After(since) {
			return r
		}
		seq = r.Seq
	}
}

func fetchNow(t *testing.T, src *Source) FetchResult {
	t.Helper()
	r, err := src.FetchNow(testCtx(t))
	if err != nil {
		t.Fatalf("FetchNow: %v", err)
	}
	return r
}

func mustKey(t *testing.T, alg, kid string) *jwksserver.Key {
	t.Helper()
	k, err := jwksserver.GenerateKey(alg, kid)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// assertKeys checks that got holds exactly the public halves of want, in
// order.
func assertKeys(t *testing.T, got []crypto.PublicKey, want ...*jwksserver.Key) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("holds %d keys, want %d", len(got), len(want))
	}
	for i, w := range want {
		if !sameKey(w.Public(), got[i]) {
			t.Errorf("key %d is not %q's public key", i, w.KID)
		}
	}
}

// jwkMap returns the public JWK of k as a JSON object to edit.
func jwkMap(t *testing.T, k *jwksserver.Key) map[string]any {
	t.Helper()
	b, err := json.Marshal(k.JWK())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// setDoc marshals {"keys": members}.
func setDoc(t *testing.T, members ...any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"keys": members})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// logRecorder is a slog handler that keeps every record, so tests can check
// that a skipped key or a failed refresh was logged.
type logRecorder struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logRecorder) WithGroup(string) slog.Handler            { return h }
func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recs = append(h.recs, r.Clone())
	return nil
}

// lines returns the attributes of every record with message msg.
func (h *logRecorder) lines(msg string) []map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []map[string]string
	for _, r := range h.recs {
		if r.Message != msg {
			continue
		}
		attrs := map[string]string{"level": r.Level.String()}
		r.Attrs(func(a slog.Attr) bool {
			attrs[a.Key] = a.Value.String()
			return true
		})
		out = append(out, attrs)
	}
	return out
}

func recordLogs() (*logRecorder, Option) {
	h := &logRecorder{}
	return h, WithLogger(slog.New(h))
}
