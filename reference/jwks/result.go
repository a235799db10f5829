package jwks

import (
	"context"
	"errors"
	"time"
)

// ErrClosed is returned by calls on a closed Source, and is the Err of a
// fetch that Close interrupted.
var ErrClosed = errors.New("jwks: source closed")

// FetchResult records one fetch, so that tests and scenarios can wait for
// "the next refresh" instead of sleeping.
type FetchResult struct {
	// Seq numbers the fetches of a Source from 1.
	Seq uint64
	// Forced is true for a fetch asked for with FetchNow or Refresh.
	Forced   bool
	Started  time.Time
	Finished time.Time
	// Status is the HTTP status, 0 when no answer came.
	Status int
	// Err is nil for a successful refresh.
	Err error
	// Keys and Skipped count the usable and skipped members of the
	// document of a successful refresh.
	Keys    int
	Skipped int
	// FailCount is the number of failed refreshes in a row after this one.
	FailCount int
	// Held is the number of keys PublicKeys returns after this fetch.
	Held int
	// Dropped is true when this failure dropped the keys (JWT-JWKS-05).
	Dropped bool
}

// LastFetch returns the latest finished fetch (Seq 0: none yet).
func (s *Source) LastFetch() FetchResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// WaitFetch waits until a fetch numbered above after has finished and
// returns the latest one. WaitFetch(ctx, s.LastFetch().Seq) waits for the
// next fetch; WaitFetch(ctx, 0) for the first.
func (s *Source) WaitFetch(ctx context.Context, after uint64) (FetchResult, error) {
	for {
		s.mu.Lock()
		last, changed := s.last, s.changed
		s.mu.Unlock()
		if last.Seq > after {
			return last, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return FetchResult{}, ctx.Err()
		case <-s.done:
			return FetchResult{}, ErrClosed
		}
	}
}

// publish records r as the latest fetch and wakes WaitFetch callers. It is
// called with s.mu held.
func (s *Source) publish(r FetchResult) {
	s.last = r
	close(s.changed)
	s.changed = make(chan struct{})
}
