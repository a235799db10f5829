package workload

import (
	"cmp"
	"context"
	"encoding/json"
	"runtime"
	"sync"
	"sync/atomic"
)

// Workload is the credentials side of a phase: what the broker must be
// configured with, and what each client presents.
type Workload interface {
	// Name is the phase name: "anonymous", "jwt-HS256", "scram-sha256".
	Name() string
	// Kind is "anonymous", "jwt" or "scram".
	Kind() string
	// Authenticators is the authentication chain (EMQX JSON objects) the
	// broker needs; empty means none, i.e. anonymous access.
	Authenticators() []json.RawMessage
	// Prepare readies the credentials of the clients in r (minting a token
	// pool, adding SCRAM users to the credential backend) before timing.
	Prepare(ctx context.Context, r Range) error
	// Login is what client i presents. It may do work (minting a fresh
	// token): the runner calls it before the attempt's service time starts.
	Login(i int) (Login, error)
	// Info describes the workload for the results (and its counters, such
	// as salted-password cache hits, once the phase ran).
	Info() map[string]any
	// Close releases what the workload started (a credential backend).
	Close() error
}

// Kinds of credentials.
const (
	KindAnonymous = "anonymous"
	KindJWT       = "jwt"
	KindSCRAM     = "scram"
)

// parallel runs f(i) for i in [0, n) on every core, returning the first
// error (used to mint token pools and derive SCRAM keys, both CPU-bound).
func parallel(ctx context.Context, n int, f func(i int) error) error {
	var (
		wg    sync.WaitGroup
		next  atomic.Int64
		mu    sync.Mutex
		first error
	)
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					mu.Lock()
					first = cmp.Or(first, err)
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return cmp.Or(first, ctx.Err())
}
