package jwks

import (
	"context"
	"crypto"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Source holds the keys of the last good JWK Set of one endpoint and keeps
// them fresh. It satisfies the JWT authenticator's KeySource interface
// (PublicKeys, Close). Safe for concurrent use.
type Source struct {
	set      settings
	pol      policy
	log      *slog.Logger
	fetcher  *fetcher
	observer func(FetchResult)
	endpoint string // redacted, for logs

	// held is the key set PublicKeys serves; nil when none is held (before
	// the first success, after a drop). Readers never lock.
	held atomic.Pointer[keySet]

	// fetching is held by a fetch under way; only the fault
	// jwks-connect-waits-on-fetch makes readers take it (SEC-11).
	fetching sync.RWMutex

	mu        sync.Mutex // guards the fields below
	failCount int
	seq       uint64
	succeeded bool
	last      FetchResult
	changed   chan struct{}

	ctx       context.Context
	cancel    context.CancelFunc
	requests  chan chan FetchResult
	done      chan struct{}
	closeOnce sync.Once
}

// keySet is an immutable snapshot of the held keys.
type keySet struct {
	keys []Key
	pubs []crypto.PublicKey
}

func newKeySet(keys []Key) *keySet {
	ks := &keySet{keys: keys, pubs: make([]crypto.PublicKey, len(keys))}
	for i, k := range keys {
		ks.pubs[i] = k.Public
	}
	return ks
}

// New checks cfg and starts the Source: the first fetch runs in the
// background (JWT-JWKS-11), so New returns at once and PublicKeys returns
// nothing until a fetch succeeds.
func New(cfg Config, opts ...Option) (*Source, error) {
	o := defaultOptions()
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	pol := o.policy
	set, err := cfg.settle(o, pol)
	if err != nil {
		return nil, err
	}
	f, err := newFetcher(cfg, set, o, pol)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Source{
		set:      set,
		pol:      pol,
		log:      o.log,
		fetcher:  f,
		observer: o.observer,
		endpoint: set.endpoint.Redacted(),
		changed:  make(chan struct{}),
		ctx:      ctx,
		cancel:   cancel,
		requests: make(chan chan FetchResult),
		done:     make(chan struct{}),
	}
	firstDelay := time.Duration(0)
	if pol.syncFirstFetch {
		first := s.fetch(false)
		firstDelay = s.nextDelay(first)
	}
	go s.run(firstDelay)
	return s, nil
}

// PublicKeys returns the keys of the last good set in document order, or
// nil when none is held. It never waits for a fetch.
func (s *Source) PublicKeys() []crypto.PublicKey {
	ks := s.current()
	if ks == nil {
		return nil
	}
	return slices.Clone(ks.pubs)
}

// Keys is PublicKeys with each key's kty, kid, alg and use, for logging.
func (s *Source) Keys() []Key {
	ks := s.current()
	if ks == nil {
		return nil
	}
	return slices.Clone(ks.keys)
}

func (s *Source) current() *keySet {
	if s.pol.waitOnFetch {
		s.fetching.RLock()
		//lint:ignore SA2001 the fault: wait for the fetch under way to end
		s.fetching.RUnlock()
	}
	ks := s.held.Load()
	if (ks == nil || len(ks.keys) == 0) && s.pol.fetchOnMiss {
		// The fault: a lazy loader that makes the caller wait for the
		// endpoint.
		ctx, cancel := context.WithTimeout(s.ctx, s.set.requestTimeout)
		_, _ = s.FetchNow(ctx)
		cancel()
		ks = s.held.Load()
	}
	return ks
}

// Interval is the refresh interval in use, after the minimum was applied.
func (s *Source) Interval() time.Duration { return s.set.interval }

// FetchNow runs a fetch now, after any fetch in progress, and returns its
// record; the timer's schedule is unchanged. The error is about FetchNow
// itself (ctx done, Source closed); the fetch's outcome is in the record.
func (s *Source) FetchNow(ctx context.Context) (FetchResult, error) {
	reply := make(chan FetchResult, 1)
	select {
	case s.requests <- reply:
	case <-ctx.Done():
		return FetchResult{}, ctx.Err()
	case <-s.done:
		return FetchResult{}, ErrClosed
	}
	// The loop always answers a request it took, even when closing.
	select {
	case r := <-reply:
		return r, nil
	case <-ctx.Done():
		return FetchResult{}, ctx.Err()
	}
}

// Refresh runs a fetch now and returns its error: nil when it succeeded.
func (s *Source) Refresh(ctx context.Context) error {
	r, err := s.FetchNow(ctx)
	if err != nil {
		return err
	}
	return r.Err
}

// Close stops the refresher, interrupting a fetch in progress, and waits for
// it to end. Later calls return nil.
func (s *Source) Close() error {
	s.closeOnce.Do(func() {
		s.cancel()
		<-s.done
		s.fetcher.close()
	})
	return nil
}

// run is the refresher: one fetch at a time, timer-driven or asked for.
func (s *Source) run(firstDelay time.Duration) {
	defer close(s.done)
	timer := time.NewTimer(firstDelay)
	defer timer.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-timer.C:
			r := s.fetch(false)
			if s.pol.noRefresh && s.hasSucceeded() {
				continue // the fault: the timer is never set again
			}
			timer.Reset(s.nextDelay(r))
		case reply := <-s.requests:
			reply <- s.fetch(true)
		}
	}
}

// nextDelay keeps refreshes one interval apart, start to start, as EMQX's
// timer does.
func (s *Source) nextDelay(r FetchResult) time.Duration {
	return max(s.set.interval-time.Since(r.Started), 0)
}

func (s *Source) hasSucceeded() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.succeeded
}

// fetch runs one GET, parses the answer and applies the outcome.
func (s *Source) fetch(forced bool) FetchResult {
	r := FetchResult{Forced: forced, Started: time.Now()}
	if s.pol.waitOnFetch {
		s.fetching.Lock()
		defer s.fetching.Unlock()
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.set.requestTimeout)
	if s.pol.noDeadline {
		// The fault: only the connect is bounded (by the dialer), the
		// answer may take forever.
		ctx, cancel = context.WithCancel(s.ctx)
	}
	status, body, err := s.fetcher.get(ctx)
	cancel()
	r.Status = status
	if s.ctx.Err() != nil {
		// Closing: an interrupted fetch is not the endpoint's failure.
		r.Err, r.Finished = ErrClosed, time.Now()
		return r
	}
	if err == nil && s.pol.checkStatus && (status < 200 || status > 299) {
		err = fmt.Errorf("status %d is not 2xx", status)
	}
	var keys []Key
	if err == nil {
		var skipped []SkippedKey
		keys, skipped, err = parseSet(body, s.pol)
		r.Keys, r.Skipped = len(keys), len(skipped)
		for _, sk := range skipped {
			s.log.Warn("jwks key skipped", "endpoint", s.endpoint, "index", sk.Index,
				"kty", sk.Type, "kid", sk.KeyID, "reason", sk.Reason.Error())
		}
	}
	r.Err = err
	r.Finished = time.Now()
	return s.apply(r, keys)
}

// apply updates the held keys and the failure count (JWT-JWKS-05) and
// publishes the record.
func (s *Source) apply(r FetchResult, keys []Key) FetchResult {
	s.mu.Lock()
	s.seq++
	r.Seq = s.seq
	if r.Err != nil {
		s.failCount++
		limit := s.set.maxFailCount
		if s.pol.dropOnFirstFailure {
			limit = 1
		}
		if s.failCount >= limit && !s.pol.neverDrop && s.held.Load() != nil {
			s.held.Store(nil)
			r.Dropped = true
		}
	} else {
		if !s.pol.failCountNotReset {
			s.failCount = 0
		}
		if old := s.held.Load(); s.pol.mergeSets && old != nil {
			keys = mergeKeys(keys, old.keys)
		}
		s.held.Store(newKeySet(keys))
		s.succeeded = true
	}
	r.FailCount = s.failCount
	if ks := s.held.Load(); ks != nil {
		r.Held = len(ks.keys)
	}
	s.publish(r)
	s.mu.Unlock()

	s.logResult(r)
	if s.observer != nil {
		s.observer(r)
	}
	return r
}

func (s *Source) logResult(r FetchResult) {
	switch {
	case r.Err == nil:
		s.log.Debug("jwks refreshed", "endpoint", s.endpoint, "status", r.Status,
			"keys", r.Keys, "skipped", r.Skipped)
	default:
		s.log.Warn("jwks refresh failed", "endpoint", s.endpoint, "status", r.Status,
			"error", r.Err.Error(), "fail_count", r.FailCount, "max_fail_count", s.set.maxFailCount,
			"keys_held", r.Held)
		if r.Dropped {
			s.log.Warn("jwks keys dropped", "endpoint", s.endpoint, "fail_count", r.FailCount)
		}
	}
}

// mergeKeys is the jwks-merge-sets fault: the new keys, then every old key
// the new set lacks.
func mergeKeys(fresh, old []Key) []Key {
	out := slices.Clone(fresh)
	for _, o := range old {
		if !slices.ContainsFunc(fresh, func(k Key) bool { return sameKey(k.Public, o.Public) }) {
			out = append(out, o)
		}
	}
	return out
}

func sameKey(a, b crypto.PublicKey) bool {
	eq, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(b)
}
