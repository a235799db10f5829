package attack

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/internal/verify"
)

// LatencySamples is how many other clients connect before the abuse (the
// baseline) and again during it (SEC-10).
const LatencySamples = 10

// settle lets the attacks reach the broker before the measure during them.
const settle = 200 * time.Millisecond

// Campaign is an abuse under way: its attackers' outcomes and the CONNECT
// latencies of other clients measured before it (Baseline) and during it.
type Campaign struct {
	Kind     string
	Baseline []time.Duration
	During   []time.Duration
	// Stalled is the StalledError of a measuring CONNECT that got no
	// answer during the abuse.
	Stalled error
	results chan error
	n       int
	stop    chan struct{}
	// allowance is how much past the scenario's seconds the slow attacker
	// may wait for its close (ObservationAllowance of the baseline).
	allowance time.Duration
}

// Connect connects one fresh client with a valid token and returns the
// broker's answer and how long the CONNECT took to it.
type Connect func(context.Context) (client.Answer, time.Duration, error)

// Measurer measures other clients' CONNECTs (Measure with a Connect).
type Measurer func(context.Context) ([]time.Duration, error)

// Run measures the baseline, builds one valid CONNECT per attacker with
// prepare (each with a Client ID of its own: attackers sharing one would
// take each other's sessions over, DISCONNECT 0x8E, which is the broker
// doing its job), launches n attackers, lets them reach the broker and
// measures again while they attack; then the quick attackers stop
// repeating. A stall during the abuse is kept in Stalled, not returned; an
// error of prepare is a SetupError. The campaign is returned even with an
// error.
func Run(ctx context.Context, a Attacker, n int, measure Measurer, prepare func() ([]byte, error)) (*Campaign, error) {
	c := &Campaign{Kind: a.Kind, n: n, results: make(chan error, n), stop: make(chan struct{})}
	var err error
	if c.Baseline, err = measure(ctx); err != nil {
		return c, err
	}
	c.allowance = ObservationAllowance(c.Baseline)
	a.SlowLimit = SlowLorisLimit + c.allowance
	valid := make([][]byte, n)
	for i := range valid {
		if valid[i], err = prepare(); err != nil {
			return c, &SetupError{err}
		}
	}
	c.launch(a, valid)
	time.Sleep(settle)
	c.During, err = measure(ctx)
	close(c.stop)
	var stall *StalledError
	if errors.As(err, &stall) {
		c.Stalled, err = err, nil
	}
	return c, err
}

// launch starts one attacker per valid CONNECT and returns once each has
// its first abuse on the way.
func (c *Campaign) launch(a Attacker, valid [][]byte) {
	var started sync.WaitGroup
	for i := range valid {
		started.Add(1)
		go func() {
			c.results <- a.Repeat(valid[i], c.stop, started.Done)
		}()
	}
	started.Wait()
}

// StalledError is a measuring CONNECT that got no answer.
type StalledError struct{ Waited time.Duration }

func (e *StalledError) Error() string {
	return fmt.Sprintf("another client's CONNECT got no answer within %s", e.Waited.Round(time.Millisecond))
}

// Measure connects k clients one after another and returns how long each
// CONNECT took to its CONNACK, with the latencies so far on an error. A
// CONNECT without an answer ends the measure with a StalledError (a
// stalled broker would make every later one wait as long); one refused,
// with a SetupError; connect's own errors are returned as they are.
func Measure(ctx context.Context, k int, connect Connect) ([]time.Duration, error) {
	out := make([]time.Duration, 0, k)
	for i := 0; i < k; i++ {
		answer, took, err := connect(ctx)
		if err != nil {
			return out, err
		}
		if !answer.Accepted() {
			if answer.TimedOut {
				return out, &StalledError{took}
			}
			return out, setupError("another client with a valid token was not accepted: %s", answer.String())
		}
		out = append(out, took)
	}
	return out, nil
}

// Ended waits for every attacker's outcome, for at most seconds + grace
// (and the slow attacker's observation allowance, which its own limit
// carries past the seconds). It
// returns a Mismatch when attackers are still connected at the deadline or
// one was neither refused nor closed, and the first SetupError as it is.
func (c *Campaign) Ended(seconds int, grace time.Duration) error {
	deadline := time.After(time.Duration(seconds)*time.Second + c.allowance + grace)
	var failures []string
	for i := 0; i < c.n; i++ {
		select {
		case err := <-c.results:
			var setup *SetupError
			if errors.As(err, &setup) {
				return err
			}
			if err != nil {
				failures = append(failures, err.Error())
			}
		case <-deadline:
			return verify.New(fmt.Sprintf("every attacker refused or closed within %d s", seconds),
				fmt.Sprintf("%d of %d attackers still connected", c.n-i, c.n))
		}
	}
	if len(failures) > 0 {
		return verify.New("every attacker refused or closed", fmt.Sprintf("%d of %d not: %s", len(failures), c.n, failures[0]))
	}
	return nil
}
