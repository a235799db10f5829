package jwksdrive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/authspec/authspec/steps/internal/verify"
)

// The broker's fetches, as the endpoint sees them (fixtures/fetchwatch): a
// fetch is over once the broker has had the whole answer and hung up, and
// nothing new came for fetchwatch.Quiet; "the next fetch" is one that began
// after the endpoint last changed or after the last wait.

// AwaitFetch waits for the broker's next fetch and returns how long it
// waited. The first fetch follows the authenticator's creation, within
// step; a refresh comes on the broker's own schedule, so one effective
// refresh interval (refresh) is allowed on top, and a broker that keeps
// EMQX's 10 s floor is judged fairly without a larger step timeout.
// interval is the configured refresh_interval, for the message.
func (e *Endpoint) AwaitFetch(ctx context.Context, step, refresh time.Duration, interval string) (time.Duration, error) {
	bound := step
	if e.srv.EverFetched() {
		bound += refresh
	}
	wctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	started := time.Now()
	if !e.srv.WaitFetch(wctx) {
		return 0, verify.New(fmt.Sprintf("the broker to fetch the key set (refresh_interval %s)", interval),
			fmt.Sprintf("no fetch at the endpoint within %s", bound))
	}
	return time.Since(started).Round(time.Millisecond), nil
}

// CheckNoFetchWithin checks that the broker does not fetch again within d
// (JWT-JWKS-10: refresh_interval is raised to 10 s). When ctx ends first
// the error is ctx's: no verdict.
func (e *Endpoint) CheckNoFetchWithin(ctx context.Context, d time.Duration, interval string) error {
	quiet, err := e.srv.QuietFor(ctx, d)
	if err != nil {
		return err
	}
	if !quiet {
		return verify.New(fmt.Sprintf("no new fetch within %s (refresh_interval %s, raised to 10 s)", d, interval),
			"another fetch at the endpoint")
	}
	return nil
}

// CheckNoFetchSinceChange checks that nothing reached the endpoint since
// it last changed (JWT-JWKS-11: a CONNECT never triggers a fetch).
func (e *Endpoint) CheckNoFetchSinceChange() error {
	if e.srv.FetchedSinceMark() {
		return verify.New("no fetch since the endpoint changed (a CONNECT never triggers one)", "a fetch at the endpoint")
	}
	return nil
}

// Header is a request header a scenario expects.
type Header struct{ Name, Value string }

// ErrNoRequest: the scenario checks requests before the endpoint received
// any.
var ErrNoRequest = errors.New(`the endpoint has received no request: wait for one first ("the broker has fetched the key set")`)

// CheckHeaders checks that every request the endpoint received carries
// each header once, with its value: names compare case-insensitively,
// values exactly (JWT-JWKS-03).
func (e *Endpoint) CheckHeaders(want ...Header) error {
	reqs := e.srv.Requests()
	if len(reqs) == 0 {
		return ErrNoRequest
	}
	for _, r := range reqs {
		for _, h := range want {
			got := r.Header.Values(h.Name)
			if len(got) != 1 || got[0] != h.Value {
				return verify.New(fmt.Sprintf("request %d to carry %s: %s", r.Seq, h.Name, h.Value),
					fmt.Sprintf("%s: %q (headers %v)", h.Name, got, r.Header))
			}
		}
	}
	return nil
}

// DefaultRefresh is EMQX's refresh_interval when none is configured.
const DefaultRefresh = 300 * time.Second

// RefreshWait is a JWT authenticator's effective refresh interval: its
// configured refresh_interval (DefaultRefresh when absent; config may be
// nil) raised to the target's floor.
func RefreshWait(config map[string]any, floor time.Duration) time.Duration {
	interval := DefaultRefresh
	if v, ok := config["refresh_interval"]; ok {
		if secs, err := strconv.ParseFloat(fmt.Sprint(v), 64); err == nil && secs > 0 {
			interval = time.Duration(secs * float64(time.Second))
		}
	}
	return max(interval, floor)
}

// RefreshInterval is a JWT authenticator's refresh_interval as configured,
// for messages.
func RefreshInterval(config map[string]any) string {
	if v, ok := config["refresh_interval"]; ok {
		return fmt.Sprint(v)
	}
	return "300 (default)"
}

// StatusOr200 reads an optional status code: 200 when the scenario names
// none.
func StatusOr200(status string) int {
	if status == "" {
		return http.StatusOK
	}
	code, _ := strconv.Atoi(status)
	return code
}

// NotJSONBody is what a misconfigured proxy answers.
var NotJSONBody = []byte("<html><body>502 Bad Gateway</body></html>")
