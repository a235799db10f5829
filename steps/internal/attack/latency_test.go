package attack

import (
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/steps/internal/verify"
)

const ms = time.Millisecond

func TestMedian(t *testing.T) {
	if Median(nil) != 0 || Median([]time.Duration{3, 1, 2}) != 2 || Median([]time.Duration{4, 1, 3, 2}) != 3 {
		t.Error("median")
	}
	d := []time.Duration{3, 1, 2}
	Median(d)
	if d[0] != 3 {
		t.Error("Median sorted its argument")
	}
}

// The SEC-10 bound: median <= 4 B + 250 ms, max <= 10 B + 2 s, no stall.
func TestWithinBound(t *testing.T) {
	base := []time.Duration{10 * ms, 10 * ms, 10 * ms}
	c := &Campaign{Kind: SlowConnect, Baseline: base, During: []time.Duration{290 * ms, 290 * ms, 2100 * ms}}
	if err := c.WithinBound(); err != nil {
		t.Errorf("at the bounds: %v", err)
	}
	c.During = []time.Duration{291 * ms, 291 * ms, 10 * ms}
	if m, ok := verify.As(c.WithinBound()); !ok || !strings.Contains(m.Expected, "median CONNECT latency of at most 290ms") {
		t.Errorf("median over: got %v", m)
	}
	c.During = []time.Duration{10 * ms, 10 * ms, 2101 * ms}
	if m, ok := verify.As(c.WithinBound()); !ok || !strings.Contains(m.Expected, "no CONNECT slower than 2.1s") {
		t.Errorf("max over: got %v", m)
	}
	c.During, c.Stalled = base, &StalledError{5 * time.Second}
	if m, ok := verify.As(c.WithinBound()); !ok || m.Actual != "another client's CONNECT got no answer within 5s" {
		t.Errorf("stall: got %v", m)
	}
	c.During, c.Stalled = nil, nil
	if err := c.WithinBound(); err == nil {
		t.Error("nothing measured: expected an error")
	}
}

// The SEC-11 bound: 4 B + 400 ms.
func TestAnsweredAsFast(t *testing.T) {
	base := []time.Duration{100 * ms, 50 * ms, 200 * ms}
	if err := AnsweredAsFast(base, 800*ms); err != nil {
		t.Errorf("at the bound: %v", err)
	}
	m, ok := verify.As(AnsweredAsFast(base, 801*ms))
	if !ok || m.Actual != "answered after 801ms" || !strings.Contains(m.Expected, "within 800ms (4 x the 100ms it took before + 400ms)") {
		t.Errorf("over: got %v", m)
	}
	if err := AnsweredAsFast(nil, ms); err == nil {
		t.Error("no baseline: expected an error")
	}
	if err := KeyAccepted("k1", refused); err == nil || !strings.Contains(err.Error(), `CONNACK 0x00 for a token signed by "k1"`) {
		t.Errorf("refused: got %v", err)
	}
	if err := KeyAccepted("k1", accepted); err != nil {
		t.Error(err)
	}
}

// The slow attacker's allowance grows with the baseline as the median
// bound does, so a slow machine widens both alike.
func TestObservationAllowance(t *testing.T) {
	base := []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 30 * time.Millisecond}
	if got, want := ObservationAllowance(base), 4*20*time.Millisecond+250*time.Millisecond; got != want {
		t.Errorf("expected %s, got %s", want, got)
	}
}
